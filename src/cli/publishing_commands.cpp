#include "cli/publishing_commands.hpp"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>

#include "app/publisher.hpp"
#include "cli/allocator.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

struct Args {
  std::string note;
  std::int64_t rollback_to = 0;
  std::int64_t diff_from = 0, diff_to = 0;
};

// A publish or rollback lists this many of its changes at most: a first publish of a city's
// listing adds 100,000 events, which a terminal would scroll for seconds. `marquee diff`
// lists every change.
constexpr std::size_t kChangesListed = 50;

void print_change(const EventChange& c) {
  std::cout << "  " << to_string(c.kind) << " " << c.event_key
            << (c.fields.empty() ? "" : " (" + join(c.fields, ", ") + ")") << "\n";
}

void print_changes(const std::vector<EventChange>& changes) {
  for (const auto& c : changes) print_change(c);
}

// `before`: the live snapshot before the call (nullopt for a first publish), named in the
// `marquee diff` line that lists the changes left out.
void print_result(const PublishResult& r, std::optional<std::int64_t> before) {
  std::cout << (r.unchanged ? "unchanged: snapshot " : "live: snapshot ") << r.snapshot.number << " ("
            << r.snapshot.event_count << " events, " << r.changes.size() << " changes, " << r.notices
            << " attendee notifications)\n";
  const std::size_t listed = std::min(r.changes.size(), kChangesListed);
  for (std::size_t i = 0; i < listed; ++i) print_change(r.changes[i]);
  if (listed == r.changes.size()) return;
  std::cout << "  … and " << r.changes.size() - listed << " more";
  if (before)
    std::cout << " (marquee diff --from " << *before << " --to " << r.snapshot.number << " lists every change)";
  std::cout << "\n";
}

void print_snapshots(Store& store) {
  const auto live = store.live_snapshot_number();
  for (const auto& s : store.list_snapshots())
    std::cout << (live == s.number ? "* " : "  ") << s.number << " " << format_utc(s.created_at) << " " << s.kind
              << (s.based_on ? " of " + std::to_string(*s.based_on) : "") << " " << s.event_count << " events by "
              << s.author << (s.note.empty() ? "" : ": " + s.note) << "\n";
}

// `run` with the store and a publisher over it (exit status 0).
std::function<int(Store&, const Clock&)> with_publisher(std::function<void(Store&, Publisher&)> run) {
  return [run = std::move(run)](Store& store, const Clock& clock) {
    Publisher publisher(store, clock);
    run(store, publisher);
    return 0;
  };
}

}  // namespace

void add_publishing_commands(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<Args>();
  auto* publish_cmd = app.add_subcommand("publish", "Publish the working programme as a new live snapshot");
  ctx.add_db(publish_cmd);
  publish_cmd->add_option("--note", a->note, "Note stored with the snapshot");
  ctx.when_parsed_with_store(publish_cmd, with_publisher([a](Store& store, Publisher& p) {
    const auto before = store.live_snapshot_number();
    use_huge_pages();  // the whole programme read, encoded and diffed in new memory (allocator.hpp)
    use_huge_pages_in_new_threads();
    hold_freed_pages(std::chrono::milliseconds(1000));  // and freed and taken again (allocator.hpp)
    print_result(on_new_thread([&] { return p.publish("cli", a->note); }), before);  // all in huge pages (allocator.hpp)
  }));

  auto* rollback_cmd = app.add_subcommand("rollback", "Make an earlier snapshot live again (recorded as a new snapshot)");
  ctx.add_db(rollback_cmd);
  rollback_cmd->add_option("N", a->rollback_to, "Snapshot number")->required();
  rollback_cmd->add_option("--note", a->note, "Note stored with the rollback");
  ctx.when_parsed_with_store(rollback_cmd, with_publisher([a](Store& store, Publisher& p) {
    const auto before = store.live_snapshot_number();
    use_huge_pages();
    use_huge_pages_in_new_threads();
    hold_freed_pages(std::chrono::milliseconds(1000));
    print_result(on_new_thread([&] { return p.rollback(a->rollback_to, "cli", a->note); }), before);
  }));

  auto* snapshots_cmd = app.add_subcommand("snapshots", "List snapshots, newest first (* = live)");
  ctx.add_db(snapshots_cmd);
  ctx.when_parsed_with_store(snapshots_cmd, with_publisher([](Store& store, Publisher&) { print_snapshots(store); }));

  auto* diff_cmd = app.add_subcommand("diff", "Changes between two snapshots, or the working state against the live one");
  ctx.add_db(diff_cmd);
  diff_cmd->add_option("--from", a->diff_from, "Snapshot number");
  diff_cmd->add_option("--to", a->diff_to, "Snapshot number");
  ctx.when_parsed_with_store(diff_cmd, with_publisher([a](Store&, Publisher& p) {
    print_changes(a->diff_from && a->diff_to ? p.diff(a->diff_from, a->diff_to) : p.pending_changes());
  }));
}

}  // namespace marquee
