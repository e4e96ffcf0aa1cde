#pragma once
// Runtime health: /readyz for load balancers, /api/v1/status for operators.
#include <string>

#include "adapters/http/router.hpp"
#include "app/backups.hpp"
#include "app/programme_cache.hpp"
#include "ports/clock.hpp"
#include "ports/event_reader.hpp"
#include "ports/snapshot_store.hpp"

namespace marquee {

class StatusApi {
 public:
  /// `backups` nullptr: the server keeps no backups.
  /// Reads only: the working state, the snapshots, the settings (last import).
  StatusApi(ProgrammeCache& cache, EventReader& events, SnapshotStore& snapshots, SettingsReader& settings,
            const Clock& clock, const Backups* backups);

  /// GET /readyz (public, answers from memory): 200 {"source": "live"|"backup"|"bundled",
  /// "snapshot": N} or 503 when nothing can be served.
  /// GET /api/v1/status (staff, blocking): source and since when, snapshot
  /// number, hash, age and author, public and working event counts, store
  /// reachability and its last error, the last import's summary, the last
  /// backup's time and size.
  void add_routes(Router& router);

 private:
  Response readyz() const;
  Response status() const;

  ProgrammeCache& cache_;
  EventReader& events_;
  SnapshotStore& snapshots_;
  SettingsReader& settings_;
  const Clock& clock_;
  const Backups* backups_;
};

}  // namespace marquee
