#pragma once
// The bundled programme (data/programme.csv, compiled into the binary): the
// first content of a new store and the last fallback of the read path.
#include "core/import_report.hpp"
#include "ports/clock.hpp"
#include "ports/event_source.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Imports the bundled programme (`programme_csv`: the bytes of
/// data/programme.csv, read by `source`) when the store holds no events, and
/// publishes it as the first snapshot.
/// Returns the import report, or nullopt when the store already had events.
std::optional<ImportReport> seed_if_empty(Store& store, const EventSource& source, std::string_view programme_csv,
                                          const Clock& clock);

}  // namespace marquee
