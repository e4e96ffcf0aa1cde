#pragma once
// `marquee pipeline …` subcommands (see app/pipeline/pipeline_service.hpp).
#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace marquee {

/// Registers `pipeline init|build|explain|diff|accept-raw|lock` on `app`,
/// and with `ctx` the runner of the parsed subcommand, whose exit status is
/// 0 done, 1 the build failed (errors on stderr, one per line), 2 bad
/// configuration or usage.
void add_pipeline_command(CLI::App& app, CliContext& ctx);

}  // namespace marquee
