#pragma once
// The public view of a build (core/pipeline/public_summary.hpp), computed
// from the build model, and its JSON and CSV tables.
#include <string>

#include "app/pipeline/build_model.hpp"
#include "core/pipeline/public_summary.hpp"
#include "ports/table_encoders.hpp"

namespace marquee::pipeline {

/// The counts (suppressed below config.privacy_threshold) and corrections of `model`.
PublicSummary public_summary(const BuildModel& model);

/// summary.json: the whole PublicSummary; suppressed counts are null with
/// "suppressed": true. Keys in a fixed order, no timestamps.
std::string summary_json(const PublicSummary& s);
/// summary.csv's table: dimension,value,count; suppressed counts read "<N".
OutputTable summary_table(const PublicSummary& s);
/// sessions.csv's table: one row per session with its counts and changes.
OutputTable sessions_table(const PublicSummary& s);

}  // namespace marquee::pipeline
