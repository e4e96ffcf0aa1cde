#pragma once
// `marquee pipeline …` subcommands (see app/pipeline/pipeline_service.hpp).
#include <functional>

#include <CLI/CLI.hpp>

namespace marquee {

/// Registers `pipeline init|build|explain|diff|accept-raw|lock` on `app`.
/// The returned function runs the parsed subcommand and returns the process
/// exit status: 0 done, 1 the build failed (errors on stderr, one per line),
/// 2 bad configuration or usage; -1 when no pipeline subcommand was given.
std::function<int()> add_pipeline_command(CLI::App& app);

}  // namespace marquee
