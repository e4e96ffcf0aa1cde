#include "app/seed.hpp"

#include "adapters/assets/embedded.hpp"
#include "app/import_service.hpp"
#include "app/publisher.hpp"

namespace marquee {

std::optional<ImportReport> seed_if_empty(Store& store, const Clock& clock) {
  if (store.count_events() > 0) return std::nullopt;
  ImportOptions opt;
  opt.format = "csv";
  opt.actor = "first start (demo programme)";
  auto report = import_bytes(&store, embedded_asset("data/programme.csv"), "programme.csv", opt, clock);
  if (report.ok() && !store.live_snapshot_number()) Publisher(store, clock).publish("marquee", "bundled programme");
  return report;
}

}  // namespace marquee
