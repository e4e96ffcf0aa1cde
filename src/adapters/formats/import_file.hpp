#pragma once
// Importing a file by its path: the file is read here (an adapter), then
// imported as bytes by the use case (app/import_service).
#include <string>

#include "app/import_service.hpp"

namespace marquee {

/// Imports the file at `path`, read by `source` (adapters/formats/event_sources
/// in production). `store` may be null only when `dry_run` is set. Never
/// throws for bad input: an unreadable file or one over `options.max_bytes`
/// (checked before reading) is reported in `fatal`, like every other problem
/// import_bytes reports, and nothing is written.
ImportReport import_file(const EventSource& source, Store* store, const std::string& path, const ImportOptions& options,
                         const Clock& clock);

}  // namespace marquee
