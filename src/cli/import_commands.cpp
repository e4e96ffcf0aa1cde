#include "cli/import_commands.hpp"

#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>

#include "adapters/formats/event_sources.hpp"
#include "adapters/formats/import_file.hpp"
#include "adapters/formats/events_csv_writer.hpp"
#include "app/import_service.hpp"
#include "app/publisher.hpp"
#include "cli/allocator.hpp"
#include "cli/report_json.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

struct ImportArgs {
  ImportOptions options;
  std::string file;
  std::string report_format = "text";
};

// FILE and the options `import` and `check` share.
void add_import_options(CLI::App* sub, ImportArgs& a) {
  sub->add_option("FILE", a.file, "CSV, iCalendar (.ics), frab schedule.xml or schedule.json file")->required();
  sub->add_option("--format", a.options.format, "csv, ics, frab or frab-json (default: from the file)")
      ->check(CLI::IsMember({"csv", "ics", "frab", "frab-json"}));
  sub->add_option("--mapping", a.options.mapping_path, "TOML column mapping for CSV files");
  sub->add_option("--tz", a.options.default_zone, "IANA zone for local times without one")->capture_default_str();
  sub->add_option("--max-bytes", a.options.max_bytes, "Largest file accepted, in bytes")->capture_default_str();
  sub->add_option("--recurrence-past-days", a.options.recurrence_past_days,
                  "iCalendar: expand RRULEs from this many days before now")->capture_default_str();
  sub->add_option("--recurrence-future-days", a.options.recurrence_future_days,
                  "iCalendar: expand RRULEs up to this many days after now")->capture_default_str();
  sub->add_option("--report", a.report_format,
                  "text: issues summarised by kind with the first lines of each; full: every issue line; json")
      ->check(CLI::IsMember({"text", "full", "json"}))->capture_default_str();
}

// Imports (or with `check_only` or --dry-run, validates) the file and prints
// the report. Exit status: 2 when the file failed as a whole, 1 when
// `check_only` and rows have errors, else 0.
int run_import(const CliContext& ctx, const ImportArgs& a, bool check_only) {
  hold_freed_pages(std::chrono::milliseconds(50));  // an import frees and takes again the same pages (allocator.hpp)
  use_huge_pages();  // the rows and the events in new memory (the file is mapped): 2 MiB pages, not 4 KiB (allocator.hpp)
  SystemClock clock;
  ImportOptions opt = a.options;
  std::unique_ptr<Store> store;
  if (!check_only && !opt.dry_run) {
    store = ctx.open_migrated_store();
  } else {
    opt.dry_run = true;
  }
  const ImportReport r = import_file(format_readers(), store.get(), a.file, opt, clock);
  if (a.report_format == "json") std::cout << report_json(r);
  else std::cout << format_report_text(r, a.report_format == "full" ? SIZE_MAX : 3);
  if (!r.ok()) return 2;
  return check_only && r.error_count() > 0 ? 1 : 0;
}

}  // namespace

void add_import_command(CLI::App& app, CliContext& ctx) {
  struct Args : ImportArgs {
    bool publish = false;
    std::string note;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("import", "Import events (one transaction; re-imports update by key)");
  ctx.add_db(cmd);
  add_import_options(cmd, *a);
  cmd->add_flag("--dry-run", a->options.dry_run, "Validate and report without writing");
  cmd->add_flag("--publish", a->publish, "Publish a snapshot right after a successful import");
  cmd->add_option("--note", a->note, "Note stored with the published snapshot");
  ctx.when_parsed(cmd, [&ctx, a] {
    const int rc = run_import(ctx, *a, false);
    if (rc != 0 || !a->publish || a->options.dry_run) return rc;
    SystemClock clock;
    auto store = open_store(ctx.db);
    auto r = Publisher(*store, clock).publish("cli import", a->note);
    std::cerr << (r.unchanged ? "unchanged; snapshot " : "published snapshot ") << r.snapshot.number << "\n";
    return 0;
  });
}

void add_check_and_export_commands(CLI::App& app, CliContext& ctx) {
  auto check = std::make_shared<ImportArgs>();
  auto* check_cmd = app.add_subcommand("check", "Validate a file without writing (exit 1 when rows have errors)");
  ctx.add_db(check_cmd);
  add_import_options(check_cmd, *check);
  ctx.when_parsed(check_cmd, [&ctx, check] { return run_import(ctx, *check, true); });

  struct ExportArgs {
    std::string format = "csv", output;
  };
  auto out = std::make_shared<ExportArgs>();
  auto* export_cmd = app.add_subcommand("export", "Export all events in Marquee's CSV layout");
  ctx.add_db(export_cmd);
  export_cmd->add_option("--format", out->format, "Export format")->check(CLI::IsMember({"csv"}))->capture_default_str();
  export_cmd->add_option("--output", out->output, "File to write (default: standard output)");
  ctx.when_parsed_with_store(export_cmd, [out](Store& store, const Clock&) {
    write_output(out->output, export_events_csv(store.list_events()));
    return 0;
  });
}

}  // namespace marquee
