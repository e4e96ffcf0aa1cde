#include "app/programme_source.hpp"

#include <spdlog/spdlog.h>

#include "app/import_service.hpp"
#include "app/seed.hpp"
#include "core/snapshot_diff.hpp"

namespace marquee {
namespace {

struct Found {
  ProgrammePtr programme;
  std::string path;
};

// The newest backup that holds a programme (bad files logged and passed over).
std::optional<Found> newest_backup(const ProgrammeSources& sources) {
  if (!sources.backups) return std::nullopt;
  for (const auto& b : sources.backups->list()) {
    try {
      if (auto p = sources.backups->programme_of(b.path)) return Found{*p, b.path};
    } catch (const std::exception& e) {
      spdlog::error("backup {} cannot be served: {}", b.path, e.what());
    }
  }
  return std::nullopt;
}

// The fallbacks when the live store served nothing.
void serve_fallback(ProgrammeCache& cache, const ProgrammeSources& sources, const Clock& clock) {
  const auto from_backup = newest_backup(sources);
  std::optional<ProgrammePtr> from_local;
  try {
    from_local = sources.read_local();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
  }
  if (from_local && (!from_backup || (*from_local)->generation() > from_backup->programme->generation())) {
    cache.install_fallback(*from_local, "local", sources.local_path);
    return;
  }
  if (from_backup) {
    cache.install_fallback(from_backup->programme, "backup", from_backup->path);
    return;
  }
  ImportReport report;
  ImportOptions opt;
  opt.format = "csv";
  auto events = read_events(*sources.reader, sources.bundled_csv, "programme.csv", opt, clock, &report);
  cache.install_fallback(build_programme(public_events(std::move(events)), 0), "bundled", "data/programme.csv");
}

}  // namespace

void serve_from_source_chain(Store& store, ProgrammeCache& cache, const ProgrammeSources& sources, const Clock& clock) {
  cache.set_keep_local(sources.keep_local);
  cache.set_prepare([&store, &clock, seed = sources.seed, reader = sources.reader, csv = sources.bundled_csv] {
    store.migrate();
    if (!seed) return;
    if (auto seeded = seed_if_empty(store, *reader, csv, clock)) {
      if (!seeded->ok()) throw std::runtime_error("seeding the bundled programme failed: " + seeded->fatal);
      spdlog::info("seeded {} events from the bundled programme", seeded->inserted);
    }
  });
  try {
    cache.refresh();
  } catch (const std::exception& e) {
    spdlog::error("the live store cannot be read: {}", e.what());
  }
  if (!cache.current()) serve_fallback(cache, sources, clock);
}

}  // namespace marquee
