// marquee: the one binary. Each command group adds itself to the CLI from
// its own file; this wires them in --help order, parses and runs.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/allocator.hpp"
#include "cli/attendee_commands.hpp"
#include "cli/backup_commands.hpp"
#include "cli/cli_context.hpp"
#include "cli/import_commands.hpp"
#include "cli/migrate_command.hpp"
#include "cli/notify_command.hpp"
#include "cli/pipeline_command.hpp"
#include "cli/publishing_commands.hpp"
#include "cli/serve_command.hpp"
#include "cli/user_commands.hpp"

using namespace marquee;

int main(int argc, char** argv) {
  configure_allocator();
  CLI::App app{"Marquee: event programme, registrations and publishing"};
  app.set_version_flag("--version", "marquee " MARQUEE_VERSION);
  app.require_subcommand(1);
  CliContext ctx;
  add_serve_command(app, ctx);
  add_migrate_command(app, ctx);
  add_import_command(app, ctx);
  add_publishing_commands(app, ctx);
  add_check_and_export_commands(app, ctx);
  add_routes_command(app, ctx);
  add_backup_commands(app, ctx);
  add_user_commands(app, ctx);
  add_attendee_commands(app, ctx);
  add_pipeline_command(app, ctx);
  add_notify_command(app, ctx);

  CLI11_PARSE(app, argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("marquee"));  // stdout is for results
  return ctx.run();
}
