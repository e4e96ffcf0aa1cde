#pragma once
// Shared by the import fuzz targets: a dry-run import of the input bytes as a
// file of the given name (the name picks the format, as `marquee import`
// does). import_bytes never throws for bad input (app/import_service.hpp), so
// any exception, crash, leak or hang is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/import_service.hpp"
#include "adapters/formats/event_sources.hpp"
#include "ports/clock.hpp"

namespace marquee::fuzz {

inline void import_as(const std::uint8_t* data, std::size_t size, const std::string& name) {
  static const ManualClock clock(1795000000);  // 2026-11-19, as the unit tests
  ImportOptions opt;
  opt.dry_run = true;
  opt.recurrence_future_days = 400;
  import_bytes(format_readers(), nullptr, std::string_view(reinterpret_cast<const char*>(data), size), name, opt, clock);
}

}  // namespace marquee::fuzz
