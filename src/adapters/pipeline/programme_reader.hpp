#pragma once
// The programme-reader port (ports/programme_reader.hpp) over the import use
// case's dry run (app/import_service: read_events) and an event source.
#include "ports/event_source.hpp"
#include "ports/programme_reader.hpp"

namespace marquee::pipeline {

/// A ProgrammeReader that reads through `source` (format_readers() in
/// production; it must outlive the reader) as a dry run at the epoch, so no
/// "in the past" warning depends on the day of the build.
ProgrammeReader programme_reader(const EventSource& source);

}  // namespace marquee::pipeline
