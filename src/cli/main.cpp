// marquee: the one binary. Subcommands are wired here by hand.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <thread>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "adapters/api/admin_events_api.hpp"
#include "adapters/api/operations_api.hpp"
#include "adapters/api/publishing_api.hpp"
#include "adapters/api/registration_api.hpp"
#include "adapters/api/status_api.hpp"
#include "adapters/export/attendee_export.hpp"
#include "adapters/http/server.hpp"
#include "adapters/web/lost_link_pages.hpp"
#include "adapters/web/registration_pages.hpp"
#include "adapters/web/schedule_feeds.hpp"
#include "adapters/web/site.hpp"
#include "adapters/web/access_policy.hpp"
#include "adapters/web/admin_pages.hpp"
#include "adapters/web/bearer_tokens.hpp"
#include "adapters/web/console/attendees_console.hpp"
#include "adapters/web/console/events_console.hpp"
#include "adapters/web/console/import_console.hpp"
#include "adapters/web/console/moderation_console.hpp"
#include "adapters/web/console/notifications_console.hpp"
#include "adapters/web/console/publishing_console.hpp"
#include "adapters/web/console/settings_console.hpp"
#include "adapters/web/console/users_console.hpp"
#include "adapters/web/html_response.hpp"
#include "adapters/web/security_headers.hpp"
#include "adapters/web/submission_pages.hpp"
#include "app/event_edit.hpp"
#include "app/submissions.hpp"
#include "app/accounts.hpp"
#include "app/registration_service.hpp"
#include "app/address_limit.hpp"
#include "adapters/backup/backup_file.hpp"
#include "adapters/backup/local_snapshot_file.hpp"
#include "app/snapshot_codec.hpp"
#include "app/backups.hpp"
#include "app/export_csv.hpp"
#include "adapters/assets/embedded.hpp"
#include "core/snapshot_diff.hpp"
#include "cli/attendee_commands.hpp"
#include "cli/backup_commands.hpp"
#include "cli/cli_context.hpp"
#include "cli/notify_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/user_commands.hpp"
#include "cli/pipeline_command.hpp"
#include "cli/publishing_commands.hpp"
#include "app/import_service.hpp"
#include "app/programme_cache.hpp"
#include "app/programme_source.hpp"
#include "app/publisher.hpp"
#include "app/seed.hpp"
#include "app/availability_board.hpp"
#include "app/log_throttle.hpp"
#include "app/worker_loop.hpp"
#include "app/festival_settings_service.hpp"
#include "core/time_zone.hpp"
#include "cli/report_json.hpp"
#include "core/text.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

using namespace marquee;

namespace {

int run_import(const std::string& db, const std::string& file, ImportOptions opt, const std::string& report_format,
               bool check_only) {
  SystemClock clock;
  std::unique_ptr<Store> store;
  if (!check_only && !opt.dry_run) {
    store = open_store(db);
    store->migrate();
  } else {
    opt.dry_run = true;
  }
  const ImportReport r = import_file(store.get(), file, opt, clock);
  if (report_format == "json") std::cout << report_json(r);
  else std::cout << format_report_text(r, report_format == "full" ? SIZE_MAX : 3);
  if (!r.ok()) return 2;
  return check_only && r.error_count() > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Marquee: event programme, registrations and publishing"};
  app.require_subcommand(1);
  CliContext ctx;
  std::string& db = ctx.db;
  auto add_db = [&](CLI::App* sub) { ctx.add_db(sub); };

  add_serve_command(app, ctx);

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending schema migrations");
  add_db(migrate_cmd);

  ImportOptions import_opt;
  std::string import_file_path, report_format = "text";
  auto add_import_options = [&](CLI::App* sub) {
    sub->add_option("FILE", import_file_path, "CSV, iCalendar (.ics), frab schedule.xml or schedule.json file")->required();
    sub->add_option("--format", import_opt.format, "csv, ics, frab or frab-json (default: from the file)")
        ->check(CLI::IsMember({"csv", "ics", "frab", "frab-json"}));
    sub->add_option("--mapping", import_opt.mapping_path, "TOML column mapping for CSV files");
    sub->add_option("--tz", import_opt.default_zone, "IANA zone for local times without one")->capture_default_str();
    sub->add_option("--max-bytes", import_opt.max_bytes, "Largest file accepted, in bytes")->capture_default_str();
    sub->add_option("--recurrence-past-days", import_opt.recurrence_past_days,
                    "iCalendar: expand RRULEs from this many days before now")->capture_default_str();
    sub->add_option("--recurrence-future-days", import_opt.recurrence_future_days,
                    "iCalendar: expand RRULEs up to this many days after now")->capture_default_str();
    sub->add_option("--report", report_format,
                    "text: issues summarised by kind with the first lines of each; full: every issue line; json")
        ->check(CLI::IsMember({"text", "full", "json"}))->capture_default_str();
  };
  auto* import_cmd = app.add_subcommand("import", "Import events (one transaction; re-imports update by key)");
  add_db(import_cmd);
  add_import_options(import_cmd);
  import_cmd->add_flag("--dry-run", import_opt.dry_run, "Validate and report without writing");
  bool import_publish = false;
  std::string publish_note;
  import_cmd->add_flag("--publish", import_publish, "Publish a snapshot right after a successful import");
  import_cmd->add_option("--note", publish_note, "Note stored with the published snapshot");

  add_publishing_commands(app, ctx);

  auto* check_cmd = app.add_subcommand("check", "Validate a file without writing (exit 1 when rows have errors)");
  add_db(check_cmd);
  add_import_options(check_cmd);

  std::string export_format = "csv", export_output;
  auto* export_cmd = app.add_subcommand("export", "Export all events in Marquee's CSV layout");
  add_db(export_cmd);
  export_cmd->add_option("--format", export_format, "Export format")->check(CLI::IsMember({"csv"}))->capture_default_str();
  export_cmd->add_option("--output", export_output, "File to write (default: standard output)");

  add_routes_command(app, ctx);

  add_backup_commands(app, ctx);
  add_user_commands(app, ctx);

  add_attendee_commands(app, ctx);
  add_pipeline_command(app, ctx);
  add_notify_command(app, ctx);

  ctx.add_runner([&]() -> int {
    if (migrate_cmd->parsed()) {
      auto store = open_store(db);
      store->migrate();
      std::cout << "schema version " << store->schema_version() << "\n";
      return 0;
    }
    if (import_cmd->parsed()) {
      const int rc = run_import(db, import_file_path, import_opt, report_format, false);
      if (rc != 0 || !import_publish || import_opt.dry_run) return rc;
      SystemClock clock;
      auto store = open_store(db);
      auto r = Publisher(*store, clock).publish("cli import", publish_note);
      std::cerr << (r.unchanged ? "unchanged; snapshot " : "published snapshot ") << r.snapshot.number << "\n";
      return 0;
    }
    if (check_cmd->parsed()) return run_import(db, import_file_path, import_opt, report_format, true);
    if (export_cmd->parsed()) {
      auto store = open_store(db);
      store->migrate();
      const std::string csv = export_events_csv(store->list_events());
      if (export_output.empty()) {
        std::cout << csv;
      } else {
        std::ofstream out(export_output, std::ios::binary);
        out << csv;
        if (!out) throw std::runtime_error("cannot write " + export_output);
      }
      return 0;
    }
    return -1;
  });
  CLI11_PARSE(app, argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("marquee"));  // stdout is for results
  return ctx.run();
}
