#pragma once
// The source chain: where `marquee serve` finds the programme it serves at
// start. The live store's live snapshot when the store can be read (migrated,
// and seeded with the bundled programme when empty); else the newer of the
// newest readable backup and the live snapshot this machine kept on disk;
// else the bundled programme itself. Backups and the import formats come in
// through their ports, the local snapshot file through callbacks.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/backups.hpp"
#include "app/programme_cache.hpp"
#include "ports/clock.hpp"
#include "ports/event_source.hpp"
#include "ports/store.hpp"

namespace marquee {

struct ProgrammeSources {
  /// Seed an empty store with the bundled programme (published as the first
  /// snapshot) before the first successful read of the live store.
  bool seed = true;
  /// The bundled programme: data/programme.csv's bytes, read by `reader`
  /// (the import formats), for the seed and as the last fallback.
  const EventSource* reader = nullptr;
  std::string_view bundled_csv;
  /// The backups to fall back on, newest first (nullptr: this server keeps
  /// none). One that cannot be read is logged and the next older one tried.
  const Backups* backups = nullptr;
  /// The live snapshot this machine keeps on disk: its path (named in the log
  /// and the status page), its writer (called with each new live snapshot;
  /// errors logged) and its reader (nullopt when there is no file; throws for
  /// a bad one, which is logged and passed over).
  std::string local_path;
  ProgrammeCache::KeepLocal keep_local;
  std::function<std::optional<ProgrammePtr>()> read_local;
};

/// Sets `cache` up to read the live store (the prepare step migrates `store`
/// and seeds it when `sources.seed`; every new live snapshot is kept through
/// keep_local) and installs the first programme:
/// - the live store's, when refresh() succeeds (its error is logged);
/// - else, when nothing is served yet (store unreadable, or nothing
///   published), the local snapshot when it is newer (higher snapshot
///   number) than the newest readable backup: source "local", detail its path;
/// - else that backup: source "backup", detail its path;
/// - else the bundled programme's public events: source "bundled", detail
///   "data/programme.csv", generation 0.
/// Throws what listing the backups throws; everything else is logged.
/// `sources.reader` must be set.
void serve_from_source_chain(Store& store, ProgrammeCache& cache, const ProgrammeSources& sources, const Clock& clock);

}  // namespace marquee
