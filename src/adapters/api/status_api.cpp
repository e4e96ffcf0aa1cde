#include "adapters/api/status_api.hpp"

#include <boost/json/serialize.hpp>

#include "adapters/http/json_response.hpp"
#include "core/time_zone.hpp"
#include "app/backups.hpp"

namespace marquee {

StatusApi::StatusApi(ProgrammeCache& cache, EventReader& events, SnapshotStore& snapshots, SettingsReader& settings,
                     const Clock& clock, const Backups* backups)
    : cache_(cache), events_(events), snapshots_(snapshots), settings_(settings), clock_(clock), backups_(backups) {}

void StatusApi::add_routes(Router& router) {
  router.add(Route{"GET", "/readyz", Access::public_access, [this](const Request&, const PathParams&) { return readyz(); }});
  router.add(Route{"GET", "/api/v1/status", Access::staff, [this](const Request&, const PathParams&) { return status(); }, true});
}

Response StatusApi::readyz() const {
  const auto s = cache_.serving();
  if (s.source.empty() || !cache_.current()) return json_response(503, {{"source", nullptr}, {"snapshot", nullptr}});
  return json_response(200, {{"source", s.source}, {"snapshot", s.snapshot}});
}

Response StatusApi::status() const {
  const auto s = cache_.serving();
  const auto programme = cache_.current();
  const UnixSeconds now = clock_.now();
  boost::json::object o;
  o["source"] = s.source.empty() ? boost::json::value(nullptr) : boost::json::value(s.source);
  o["source_detail"] = s.detail;
  o["serving_since"] = s.since ? boost::json::value(format_utc(s.since)) : boost::json::value(nullptr);
  o["public_events"] = programme ? programme->entries().size() : 0;
  boost::json::object store{{"reachable", false}};
  boost::json::value snapshot = nullptr;
  try {
    store["working_events"] = events_.count_events();
    if (auto live = snapshots_.live_snapshot_number()) {
      if (auto snap = snapshots_.snapshot(*live)) {
        snapshot = boost::json::object{{"number", snap->info.number},
                                       {"content_hash", snap->info.content_hash},
                                       {"created_at", format_utc(snap->info.created_at)},
                                       {"age_seconds", now - snap->info.created_at},
                                       {"author", snap->info.author},
                                       {"note", snap->info.note},
                                       {"event_count", snap->info.event_count}};
      }
    }
    const auto imports = settings_.settings_with_prefix("last_import");  // a read: the status page writes nothing
    const auto last = imports.find("last_import");
    o["last_import"] = last == imports.end() ? "none" : last->second;
    store["reachable"] = true;
  } catch (const std::exception& e) {
    store["error"] = e.what();
  }
  if (!s.last_error.empty()) store["last_error"] = s.last_error;
  o["store"] = std::move(store);
  o["live_snapshot"] = std::move(snapshot);
  o["serving_snapshot"] = s.snapshot;
  boost::json::value backup = nullptr;
  if (backups_) {
    auto all = backups_->list();
    if (!all.empty())
      backup = boost::json::object{{"path", all.front().path},
                                   {"created_at", format_utc(all.front().created_at)},
                                   {"size_bytes", all.front().size},
                                   {"count", all.size()}};
  }
  o["last_backup"] = std::move(backup);
  boost::json::array warnings;
  if (s.source != "live" && !s.source.empty()) warnings.emplace_back("not serving the live store: " + s.source);
  if (backups_ && backup.is_null()) warnings.emplace_back("no backup yet");
  o["warnings"] = std::move(warnings);
  return json_response(200, o);
}

}  // namespace marquee
