// marquee: the one binary. Subcommands are wired here by hand.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "adapters/http/server.hpp"
#include "adapters/web/site.hpp"
#include "app/export_csv.hpp"
#include "app/import_service.hpp"
#include "app/programme_cache.hpp"
#include "app/seed.hpp"
#include "cli/report_json.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

using namespace marquee;

namespace {

struct ServeArgs {
  ServerOptions server;
  int poll_ms = 1000;
  std::string site_name = "Marquee";
  bool seed = true;
};

int serve(const std::string& db, const ServeArgs& args) {
  SystemClock clock;
  auto store = open_store(db);
  store->migrate();
  if (args.seed) {
    if (auto seeded = seed_if_empty(*store, clock)) {
      if (!seeded->ok()) {
        spdlog::error("seeding the bundled programme failed: {}", seeded->fatal);
        return 1;
      }
      spdlog::info("seeded {} events from the bundled programme", seeded->inserted);
    }
  }
  Site site(SiteInfo{args.site_name});
  ProgrammeCache cache(*store, [&site](const ProgrammePtr& p) { site.install(p); });
  cache.refresh();
  HttpServer server(args.server, [&site](const Request& r) { return site.handle(r); });
  cache.start_polling(args.poll_ms);
  std::printf("marquee: listening on http://%s:%u (store %s)\n", args.server.host.c_str(), server.port(), db.c_str());
  std::fflush(stdout);
  server.run();
  cache.stop();
  spdlog::info("stopped");
  return 0;
}

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
  else std::cout << format_report_text(r);
  if (!r.ok()) return 2;
  return check_only && r.error_count() > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Marquee: event programme, registrations and publishing"};
  app.require_subcommand(1);
  std::string db = "sqlite:///var/marquee.db";
  auto add_db = [&](CLI::App* sub) {
    sub->add_option("--db", db, "Store URL: sqlite:///rel.db, sqlite:////abs.db or postgresql://user@host:port/db")
        ->capture_default_str();
  };

  ServeArgs serve_args;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the public programme and the JSON API over HTTP");
  add_db(serve_cmd);
  serve_cmd->add_option("--host", serve_args.server.host, "Listen address")->capture_default_str();
  serve_cmd->add_option("--port", serve_args.server.port, "Listen port (0 = any free port)")->capture_default_str();
  serve_cmd->add_option("--threads", serve_args.server.threads, "I/O threads (0 = one per core)")->capture_default_str();
  serve_cmd->add_option("--poll-ms", serve_args.poll_ms, "How often to check the store for changes, in ms")
      ->capture_default_str()->check(CLI::Range(50, 60000));
  serve_cmd->add_option("--site-name", serve_args.site_name, "Name shown in page headers")->capture_default_str();
  serve_cmd->add_flag("!--no-seed", serve_args.seed, "Do not load the bundled programme into an empty store");

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending schema migrations");
  add_db(migrate_cmd);

  ImportOptions import_opt;
  std::string import_file_path, report_format = "text";
  auto add_import_options = [&](CLI::App* sub) {
    sub->add_option("FILE", import_file_path, "CSV, iCalendar (.ics) or frab schedule.xml file")->required();
    sub->add_option("--format", import_opt.format, "csv, ics or frab (default: from the file)")
        ->check(CLI::IsMember({"csv", "ics", "frab"}));
    sub->add_option("--mapping", import_opt.mapping_path, "TOML column mapping for CSV files");
    sub->add_option("--tz", import_opt.default_zone, "IANA zone for local times without one")->capture_default_str();
    sub->add_option("--max-bytes", import_opt.max_bytes, "Largest file accepted, in bytes")->capture_default_str();
    sub->add_option("--recurrence-past-days", import_opt.recurrence_past_days,
                    "iCalendar: expand RRULEs from this many days before now")->capture_default_str();
    sub->add_option("--recurrence-future-days", import_opt.recurrence_future_days,
                    "iCalendar: expand RRULEs up to this many days after now")->capture_default_str();
    sub->add_option("--report", report_format, "Report as text or json")
        ->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  };
  auto* import_cmd = app.add_subcommand("import", "Import events (one transaction; re-imports update by key)");
  add_db(import_cmd);
  add_import_options(import_cmd);
  import_cmd->add_flag("--dry-run", import_opt.dry_run, "Validate and report without writing");

  auto* check_cmd = app.add_subcommand("check", "Validate a file without writing (exit 1 when rows have errors)");
  add_db(check_cmd);
  add_import_options(check_cmd);

  std::string export_format = "csv", export_output;
  auto* export_cmd = app.add_subcommand("export", "Export all events in Marquee's CSV layout");
  add_db(export_cmd);
  export_cmd->add_option("--format", export_format, "Export format")->check(CLI::IsMember({"csv"}))->capture_default_str();
  export_cmd->add_option("--output", export_output, "File to write (default: standard output)");

  auto* routes_cmd = app.add_subcommand("routes", "List the HTTP routes with their access rule");

  CLI11_PARSE(app, argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("marquee"));  // stdout is for results
  try {
    if (serve_cmd->parsed()) return serve(db, serve_args);
    if (routes_cmd->parsed()) {
      Site site(SiteInfo{});
      for (const auto& r : site.router().routes())
        std::cout << r.method << " " << r.pattern << " " << (r.access == Access::public_access ? "public" : "?") << "\n";
      return 0;
    }
    if (migrate_cmd->parsed()) {
      auto store = open_store(db);
      store->migrate();
      std::cout << "schema version " << store->schema_version() << "\n";
      return 0;
    }
    if (import_cmd->parsed()) return run_import(db, import_file_path, import_opt, report_format, false);
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
  } catch (const std::exception& e) {
    std::cerr << "marquee: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
