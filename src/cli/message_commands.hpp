#pragma once
// `marquee attendees message|messages|send-messages`: messages to a chosen
// set of attendees from the command line (app/attendee_messages.hpp).
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Adds the message subcommands under `attendees`.
void add_message_commands(CLI::App& attendees, CliContext& ctx);

}  // namespace marquee
