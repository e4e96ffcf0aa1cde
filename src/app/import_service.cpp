#include "app/import_service.hpp"

#include "core/event_operations.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>
#include <thread>

#include "app/assemble_event.hpp"
#include "app/batch_handoff.hpp"
#include "app/event_delete.hpp"
#include "core/text.hpp"
#include "core/validation.hpp"

namespace marquee {
namespace {

std::string guess_format(const std::string& name, std::string_view bytes) {
  const std::string ext = ascii_lower(std::filesystem::path(name).extension().string());
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt") return "csv";
  if (ext == ".ics" || ext == ".ical" || ext == ".ifb") return "ics";
  if (ext == ".xml") return "frab";
  if (ext == ".json") return "frab-json";
  const std::string head = ascii_lower(trim(bytes.substr(0, 512)));
  if (head.starts_with("\xef\xbb\xbf")) return guess_format("", bytes.substr(3));
  if (head.starts_with("begin:vcalendar")) return "ics";
  if (head.starts_with("<?xml") || head.starts_with("<schedule")) return "frab";
  if (head.starts_with("{")) return "frab-json";
  return "csv";
}

}  // namespace

namespace {

/// Line ends outside double quotes: at least the number of records of a CSV
/// file (a quote inside a quoted field is doubled, so it flips twice). Only
/// sizes a reservation; the parser decides what a record is.
std::size_t csv_line_ends(std::string_view bytes) {
  std::size_t n = 0;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {  // a stretch outside quotes, then a quoted one skipped whole
    const auto* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(end - p)));
    const char* const plain_end = quote ? quote : end;
    n += static_cast<std::size_t>(std::count(p, plain_end, '\n'));
    if (!quote) break;
    const auto* close = static_cast<const char*>(std::memchr(quote + 1, '"', static_cast<std::size_t>(end - quote - 1)));
    if (!close) break;
    p = close + 1;
  }
  return n;
}

/// About the number of records of a CSV file, for sizing only: the line ends
/// of its first MiB scaled to its size (exact for a smaller file), and never
/// more than one record per 16 bytes (a short first MiB does not size the
/// tables for a file of one-byte lines).
std::size_t estimated_csv_records(std::string_view bytes) {
  constexpr std::size_t kSample = 1u << 20;
  if (bytes.size() <= kSample) return csv_line_ends(bytes) + 1;
  const std::size_t sampled = csv_line_ends(bytes.substr(0, kSample));
  const auto scaled = static_cast<std::size_t>(static_cast<double>(sampled) * static_cast<double>(bytes.size()) / kSample);
  return std::min(scaled, bytes.size() / 16) + 1;
}

// Thrown by the batch source when the file turned out fatally bad after
// batches were written: the store's transaction rolls back.
struct ImportAbandoned {};

// Events per batch handed to the store while the file is still read, and
// batches that may wait: about 2 MB each for Marquee's own CSV.
constexpr std::size_t kImportBatch = 2000;
constexpr std::size_t kBatchesWaiting = 2;

// `release`, when given, lets `bytes` go once they are read, and says
// whether they were still the file's (a problem is fatal: nothing written).
//
// An import that writes reads the file on a thread of its own and hands the
// accepted events over in batches (BatchHandoff), which the store writes
// inside its one transaction while the rest is read: the time is about the
// longer of the two, not their sum, and only a few batches are held. A fatal
// problem found later rolls the transaction back, so nothing is written, as
// before. Only a caller that asks for the events (`accepted_out`) gets them
// all kept.
ImportReport run_import(const EventSource& source, Store* store, std::string_view bytes, const std::string& name, const ImportOptions& opt,
                        const Clock& clock, std::vector<Event>* accepted_out,
                        const std::function<std::string()>* release = nullptr) {
  ImportReport report;
  report.file = name;
  report.dry_run = opt.dry_run || store == nullptr;
  report.format = opt.format.empty() ? guess_format(name, bytes) : opt.format;
  if (report.format != "csv" && report.format != "ics" && report.format != "frab" && report.format != "frab-json") {
    report.fatal = "unknown format '" + report.format + "' (csv, ics, frab or frab-json)";
    return report;
  }
  if (bytes.size() > opt.max_bytes) {
    report.fatal = "file is " + std::to_string(bytes.size()) + " bytes, over the import limit of " +
                   std::to_string(opt.max_bytes) + " bytes (--max-bytes)";
    return report;
  }
  const UnixSeconds now = clock.now();
  AssembleContext ctx;
  ctx.default_zone = opt.default_zone;
  ctx.source_file = std::filesystem::path(name).filename().string();
  ctx.now = now;
  ctx.key_namespace = report.format + ":" + ctx.source_file;

  SourceReadOptions read_opt;
  read_opt.format = report.format;
  read_opt.mapping_path = opt.mapping_path;
  read_opt.mapping_text = opt.mapping_text;
  read_opt.default_zone = opt.default_zone;
  read_opt.max_field_bytes = opt.max_field_bytes;
  read_opt.window_start = now - opt.recurrence_past_days * 86400;
  read_opt.window_end = now + opt.recurrence_future_days * 86400;

  // A capacity below the places already confirmed is refused for that row.
  // An overbooked event may hold more than its capacity: up to its place limit.
  std::map<std::string, std::int64_t> confirmed;
  std::map<std::string, int> overbook;
  if (store) {
    confirmed = store->confirmed_counts();
    if (!confirmed.empty()) overbook = store->overbook_percents();
  }
  std::vector<RowIssue> capacity_issues;
  const auto below_confirmed = [&](const Event& e, std::int64_t line) {
    auto c = confirmed.find(e.key);
    if (c == confirmed.end() || !e.capacity || *e.capacity >= c->second) return false;
    auto o = overbook.find(e.key);
    if (place_limit(e.capacity, o == overbook.end() ? 0 : o->second).value_or(0) >= c->second) return false;
    capacity_issues.push_back(RowIssue{line, "capacity",
                                       "capacity " + std::to_string(*e.capacity) + " is below the " +
                                           std::to_string(c->second) + " confirmed registrations of this event",
                                       Severity::error, e.key});
    return true;
  };

  // Records are assembled and checked against the earlier ones as they are
  // read: one source record in memory at a time. Accepted events go, when
  // writing, to the batch being filled, and are kept (copied when writing)
  // only for `accepted_out`.
  const bool writing = !report.dry_run;
  std::vector<Event> events;
  // Records of a CSV file, at most (its physical lines), when the events are
  // kept: the vector must not regrow (the events held twice). Otherwise only
  // the checker's tables are sized, by an estimate from the file's first MiB
  // on the reading thread: counting the whole file first (28 ms at 50 MB)
  // held back the first batch.
  const bool csv = report.format == "csv";
  const std::size_t records = csv && accepted_out ? csv_line_ends(bytes) + 1 : 0;
  if (accepted_out) events.reserve(records);
  BatchHandoff<Event> handoff(kBatchesWaiting);
  std::vector<Event> batch;
  std::int64_t accepted = 0;
  std::vector<RowIssue> assembly_issues;
  SourceRead read;
  const auto parse = [&] {
    BatchChecker checker;
    checker.reserve(accepted_out || !csv ? records : estimated_csv_records(bytes));
    if (writing) batch.reserve(kImportBatch);
    bool context_set = false;
    read = source.read_each(bytes, read_opt, [&](SourceRecord&& rec, const SourceRead& file) {
      if (!context_set) {
        context_set = true;
        if (file.default_zone) ctx.default_zone = *file.default_zone;
        if (file.date_order) ctx.date_order = *file.date_order;
        if (!file.key_namespace.empty()) ctx.key_namespace = file.key_namespace;
      }
      Assembled a = assemble_event(rec, ctx);
      for (auto& i : a.issues) assembly_issues.push_back(std::move(i));
      if (!a.event || !checker.admit(*a.event, rec.line, assembly_issues) || below_confirmed(*a.event, rec.line)) return;
      ++accepted;
      if (!writing) {
        if (accepted_out) events.push_back(std::move(*a.event));
        return;
      }
      if (accepted_out) events.push_back(*a.event);
      batch.push_back(std::move(*a.event));
      if (batch.size() == kImportBatch) {
        handoff.push(std::move(batch));
        batch = {};
        batch.reserve(kImportBatch);  // filled without regrowing (each a move of every event in it)
      }
    });
    if (!batch.empty()) handoff.push(std::move(batch));
    batch = {};
    if (release) {  // every event holds its own text now
      bytes = {};
      if (std::string problem = (*release)(); !problem.empty() && read.fatal.empty()) read.fatal = std::move(problem);
    }
    handoff.finish();
  };

  UpsertResult written;
  std::string store_failure;
  if (!writing) {
    parse();
  } else {
    std::exception_ptr parse_failure;
    {  // the reader lives in this block
      std::thread reader([&] {
        try {
          parse();
        } catch (...) {
          parse_failure = std::current_exception();
          handoff.finish();
        }
      });
      // However the store call ends, the reader is released (a store that
      // stopped early leaves it batches to drop) and joined here.
      struct JoinReader {
        BatchHandoff<Event>& handoff;
        std::thread& reader;
        ~JoinReader() {
          handoff.close();
          if (reader.joinable()) reader.join();
        }
      } join_reader{handoff, reader};
      try {
        ImportRun run;
        run.actor = opt.actor;
        run.file = std::filesystem::path(name).filename().string();
        run.format = report.format;
        written = store->import_event_batches(now, run, [&](std::vector<Event>& next) {
          if (handoff.pop(next)) return true;
          reader.join();  // the whole file is read: abandon the import when it proved unusable
          if (parse_failure || !read.fatal.empty()) throw ImportAbandoned{};
          return false;
        });
      } catch (const ImportAbandoned&) {
      } catch (const std::exception& e) {
        store_failure = std::string("store error, nothing was imported: ") + e.what();
      }
    }
    if (parse_failure) std::rethrow_exception(parse_failure);
  }
  report.issues = std::move(read.issues);
  report.fatal = std::move(read.fatal);
  report.records = read.rows;
  if (!report.fatal.empty()) {
    report.issues.clear();
    return report;
  }
  if (report.format != "csv") report.records += report.error_count();
  for (auto& i : assembly_issues) report.issues.push_back(std::move(i));
  for (auto& i : capacity_issues) report.issues.push_back(std::move(i));
  assembly_issues = {};
  std::stable_sort(report.issues.begin(), report.issues.end(),
                   [](const RowIssue& a, const RowIssue& b) { return a.line < b.line; });
  report.accepted = accepted;
  report.rejected = report.records - report.accepted;
  if (accepted_out) *accepted_out = std::move(events);
  if (!writing) return report;
  if (!store_failure.empty()) {
    report.fatal = std::move(store_failure);
    return report;
  }
  report.inserted = written.inserted;
  report.updated = written.updated;
  report.unchanged = written.unchanged;
  report.import_id = written.import_id;
  return report;
}

}  // namespace

RevertOutcome revert_import(Store& store, const Clock& clock, std::int64_t import_id, const std::string& actor) {
  return store.revert_import(import_id, clock.now(), actor);
}

void note_demo_programme(Store& store, ImportReport& r) {
  if (!r.ok() || std::filesystem::path(r.file).filename() == "programme.csv") return;
  try {
    const auto demo = demo_event_keys(store);
    if (!demo.empty())
      r.notes.push_back("this store still holds the demo programme (" + std::to_string(demo.size()) +
                        " events of the fictional Harbourlight Festival): remove it on the console's dashboard "
                        "(Remove the demo programme), and start new stores with `serve --no-seed`");
  } catch (const std::exception&) {
  }
}

namespace {

ImportReport finish_import(Store* store, ImportReport r) {
  if (store) note_demo_programme(*store, r);
  if (store && r.ok() && !r.dry_run) {
    try {  // the summary the status page shows
      store->set_setting("last_import", r.file + ": " + std::to_string(r.accepted) + " accepted, " +
                                            std::to_string(r.rejected) + " rejected, " +
                                            std::to_string(r.warning_count()) + " warnings");
    } catch (const std::exception&) {
    }
  }
  return r;
}

}  // namespace

ImportReport import_bytes(const EventSource& source, Store* store, std::string_view bytes, const std::string& name,
                          const ImportOptions& opt, const Clock& clock) {
  return finish_import(store, run_import(source, store, bytes, name, opt, clock, nullptr));
}

ImportReport import_released_bytes(const EventSource& source, Store* store, std::string_view bytes,
                                   const std::function<std::string()>& release, const std::string& name,
                                   const ImportOptions& opt, const Clock& clock) {
  return finish_import(store, run_import(source, store, bytes, name, opt, clock, nullptr, &release));
}

std::vector<Event> read_events(const EventSource& source, std::string_view bytes, const std::string& name, const ImportOptions& options,
                               const Clock& clock, ImportReport* report) {
  ImportOptions dry = options;
  dry.dry_run = true;
  std::vector<Event> events;
  *report = run_import(source, nullptr, bytes, name, dry, clock, &events);
  return events;
}


namespace {

// What makes two issues "the same kind": severity, field, and the message
// with quoted values and numbers replaced ("unknown time zone '…'").
std::string issue_kind(const RowIssue& i) {
  std::string shape;
  char quote = 0;
  for (char c : i.message) {
    if (quote) {
      if (c == quote) {
        quote = 0;
        shape += "…";
        shape += c;
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      shape += c;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      if (shape.empty() || shape.back() != '#') shape += '#';
    } else {
      shape += c;
    }
  }
  return std::string(i.severity == Severity::error ? "0" : "1") + "\x1f" + i.field + "\x1f" + shape;
}

void issue_line(std::ostream& out, const RowIssue& i) {
  out << "line " << i.line;
  if (!i.field.empty()) out << ", " << i.field;
  out << ": " << (i.severity == Severity::error ? "error" : "warning") << ": " << i.message << "\n";
}

}  // namespace

std::string format_report_text(const ImportReport& r, std::size_t examples_per_kind) {
  std::ostringstream out;
  out << r.file << (r.format.empty() ? std::string() : " (" + r.format + ")") << ": ";
  if (!r.fatal.empty()) {
    out << (r.dry_run ? "FAILED: " : "FAILED, nothing imported: ") << r.fatal << "\n";
    return out.str();
  }
  out << r.records << " records, " << r.accepted << " accepted, " << r.rejected << " rejected, "
      << r.warning_count() << " warnings";
  if (r.dry_run) out << " (dry run: nothing written)";
  else out << "; " << r.inserted << " inserted, " << r.updated << " updated, " << r.unchanged << " unchanged";
  out << "\n";
  for (const auto& n : r.notes) out << "note: " << n << "\n";
  if (examples_per_kind == SIZE_MAX) {
    for (const auto& i : r.issues) {
      out << "  ";
      issue_line(out, i);
    }
    return out.str();
  }
  // Kinds in order of first appearance within errors, then warnings.
  std::map<std::string, std::vector<const RowIssue*>> by_kind;
  std::vector<std::string> order;
  for (const auto& i : r.issues) {
    const std::string k = issue_kind(i);
    auto [it, fresh] = by_kind.try_emplace(k);
    if (fresh) order.push_back(k);
    it->second.push_back(&i);
  }
  std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) { return a[0] < b[0]; });
  bool cut = false;
  for (const auto& k : order) {
    const auto& list = by_kind[k];
    const std::size_t shown = std::min(list.size(), examples_per_kind);
    if (list.size() > 1) out << "  " << list.size() << " × " << (list[0]->severity == Severity::error ? "error" : "warning")
                             << (list[0]->field.empty() ? "" : " in " + list[0]->field) << ":\n";
    for (std::size_t n = 0; n < shown; ++n) {
      out << (list.size() > 1 ? "    " : "  ");
      issue_line(out, *list[n]);
    }
    if (list.size() > shown) {
      out << "    … and " << list.size() - shown << " more like these\n";
      cut = true;
    }
  }
  if (cut) out << "  (every line: --report full, or --report json)\n";
  return out.str();
}

}  // namespace marquee
