#pragma once
// `marquee user add|list` (console users) and `marquee token
// create|list|revoke` (API tokens for scripts).
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Registers `user` and `token`. user add reads the password from standard
/// input (prompted without echo on a terminal); a refused e-mail, password,
/// scope or expiry exits 2 with the reason on stderr; revoking a token that
/// is not active exits 1; store failures exit 1; else 0. token create prints
/// the secret once; token list never prints secrets.
void add_user_commands(CLI::App& app, CliContext& ctx);

}  // namespace marquee
