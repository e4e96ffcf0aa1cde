#include "adapters/pipeline/programme_reader.hpp"

#include "app/import_service.hpp"
#include "ports/clock.hpp"

namespace marquee::pipeline {

ProgrammeReader programme_reader(const EventSource& source) {
  return [&source](std::string_view bytes, const std::string& name, const std::string& format,
                   const std::string& zone, ImportReport* report) {
    ImportOptions options;
    options.format = format;
    options.default_zone = zone;
    const ManualClock epoch(0);  // no "in the past" warnings: outputs must not depend on the day of the build
    return read_events(source, bytes, name, options, epoch, report);
  };
}

}  // namespace marquee::pipeline
