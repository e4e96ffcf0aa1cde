#pragma once
// The programme-reader port: a pipeline project's programme file (Marquee's
// CSV layout or a frab schedule.xml) read into sessions, checked like an
// import dry run. Implementation: adapters/pipeline/programme_reader (the
// import readers of app/import_service).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/import_report.hpp"

namespace marquee::pipeline {

/// Reads `bytes`, the file called `name` (its file name: the key namespace of
/// a CSV file and Event::source_file), in `format` ("csv" or "frab"); local
/// times that name no zone are in the IANA zone `zone`. Nothing is checked
/// against the current time, so the same bytes always give the same
/// sessions and issues. Never throws for bad input: a problem with the whole
/// file is in report->fatal, row problems are report->issues (line, field)
/// and rows with errors are left out.
using ProgrammeReader = std::function<std::vector<Event>(std::string_view bytes, const std::string& name,
                                                          const std::string& format, const std::string& zone,
                                                          ImportReport* report)>;

}  // namespace marquee::pipeline
