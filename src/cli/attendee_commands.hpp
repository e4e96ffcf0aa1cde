#pragma once
// `marquee attendees export|erase|purge`: attendee lists and personal data.
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Registers `attendees`: export writes the attendee table (one event or
/// all) as CSV or XLSX to --output or standard output; erase ID erases one
/// registration's personal data (exit 1 when there is no such
/// registration); purge erases it past each event's retention period and
/// prints how many. Store failures exit 1; else 0.
void add_attendee_commands(CLI::App& app, CliContext& ctx);

}  // namespace marquee
