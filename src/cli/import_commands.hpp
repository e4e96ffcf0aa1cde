#pragma once
// `marquee import`, `marquee check` and `marquee export`: events in and out
// as files. Two functions, as `import` comes before the publishing commands
// in --help and `check` and `export` after them.
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Registers `import FILE` (--dry-run, --publish, --note and the file
/// options). Prints the report (--report text|full|json); exit 0, or 2 when
/// the file could not be imported at all. With --publish after a successful
/// import, publishes and says "published snapshot N" (or "unchanged;
/// snapshot N") on stderr.
void add_import_command(CLI::App& app, CliContext& ctx);

/// Registers `check FILE` (a dry run that exits 1 when rows have errors, 2
/// when the file cannot be read at all) and `export` (all events as CSV to
/// --output or standard output).
void add_check_and_export_commands(CLI::App& app, CliContext& ctx);

}  // namespace marquee
