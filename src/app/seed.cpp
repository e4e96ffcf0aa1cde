#include "app/seed.hpp"

#include "adapters/assets/embedded.hpp"
#include "app/import_service.hpp"

namespace marquee {

std::optional<ImportReport> seed_if_empty(Store& store, const Clock& clock) {
  if (store.count_events() > 0) return std::nullopt;
  ImportOptions opt;
  opt.format = "csv";
  return import_bytes(&store, embedded_asset("data/programme.csv"), "programme.csv", opt, clock);
}

}  // namespace marquee
