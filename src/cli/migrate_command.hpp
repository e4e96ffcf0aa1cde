#pragma once
// `marquee migrate`: applies pending schema migrations.
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Registers `migrate`: migrates the store at --db and prints "schema
/// version N" (exit 0; a store failure exits 1).
void add_migrate_command(CLI::App& app, CliContext& ctx);

}  // namespace marquee
