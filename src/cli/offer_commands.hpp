#pragma once
// `marquee attendees settings|offer|expire-offers`: an event's operations
// settings and waiting-list offers from the command line (app/place_offers.hpp).
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Adds the offer subcommands under `attendees`.
void add_offer_commands(CLI::App& attendees, CliContext& ctx);

}  // namespace marquee
