#pragma once
// `marquee backup` and `marquee restore`: portable backup files of the store.
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Registers `backup` (writes one into --backup-dir, keeps the newest --keep,
/// prints "PATH (N bytes)"; warns on stderr when not encrypted) and `restore
/// FILE` (verifies the file, then replaces the store's content; prints
/// "restored FILE; live snapshot N|none"). Exit 0; a refused backup file
/// exits 2 with the store unchanged; other failures exit 1. An audit entry
/// that cannot be stored is a warning on stderr, not a failure.
void add_backup_commands(CLI::App& app, CliContext& ctx);

}  // namespace marquee
