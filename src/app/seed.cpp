#include "app/seed.hpp"

#include "app/import_service.hpp"
#include "app/publisher.hpp"

namespace marquee {

std::optional<ImportReport> seed_if_empty(Store& store, const EventSource& source, std::string_view programme_csv,
                                          const Clock& clock) {
  if (store.count_events() > 0) return std::nullopt;
  ImportOptions opt;
  opt.format = "csv";
  opt.actor = "first start (demo programme)";
  auto report = import_bytes(source, &store, programme_csv, "programme.csv", opt, clock);
  if (report.ok() && !store.live_snapshot_number()) Publisher(store, clock).publish("marquee", "bundled programme");
  return report;
}

}  // namespace marquee
