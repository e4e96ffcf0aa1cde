#pragma once
// `marquee serve` (its flags; cli/serve.hpp runs it) and `marquee routes`.
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Registers `serve` with --db and every server flag. Its run loads
/// --backup-key-file (a bad file throws: exit 1) and serves until stopped.
void add_serve_command(CLI::App& app, CliContext& ctx);

/// Registers `routes`: prints each HTTP route as "METHOD pattern access
/// capability|- [blocking]", one per line (exit 0).
void add_routes_command(CLI::App& app, CliContext& ctx);

}  // namespace marquee
