#pragma once
// The source chain: where `marquee serve` finds the programme it serves at
// start. The live store's live snapshot when the store can be read (migrated,
// and seeded with the bundled programme when empty); else the newer of the
// newest readable backup and the live snapshot this machine kept on disk;
// else the bundled programme itself. The files behind the fallbacks are read
// through the callbacks below (adapters wire them), so this unit has none.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/programme_cache.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct ProgrammeSources {
  /// Seed an empty store with the bundled programme (published as the first
  /// snapshot) before the first successful read of the live store.
  bool seed = true;
  /// Backup files (paths), newest first; may throw (serve stops).
  std::function<std::vector<std::string>()> list_backups;
  /// The live snapshot a backup holds, as a programme; nullopt when it holds
  /// none. Throws for a file that cannot be read or opened (logged, the next
  /// older backup is tried).
  std::function<std::optional<ProgrammePtr>(const std::string& path)> read_backup;
  /// The live snapshot this machine keeps on disk: its path (named in the log
  /// and the status page), its writer (called with each new live snapshot;
  /// errors logged) and its reader (nullopt when there is no file; throws for
  /// a bad one, which is logged and passed over).
  std::string local_path;
  ProgrammeCache::KeepLocal keep_local;
  std::function<std::optional<ProgrammePtr>()> read_local;
  /// The bundled programme's CSV bytes (data/programme.csv).
  std::function<std::string_view()> bundled_csv;
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
/// Throws what list_backups throws; everything else is logged.
void serve_from_source_chain(Store& store, ProgrammeCache& cache, const ProgrammeSources& sources, const Clock& clock);

}  // namespace marquee
