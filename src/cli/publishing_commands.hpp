#pragma once
// `marquee publish`, `rollback`, `snapshots` and `diff`: the live snapshot.
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Registers the four commands. publish and rollback print "live: snapshot N
/// (E events, C changes, A attendee notifications)" (or "unchanged:
/// snapshot N …") and one line per change; snapshots prints one line per
/// snapshot, newest first, the live one starred; diff prints the changes
/// between --from and --to, or those pending against the live snapshot.
/// Exit 0; a store failure or an unknown snapshot exits 1.
void add_publishing_commands(CLI::App& app, CliContext& ctx);

}  // namespace marquee
