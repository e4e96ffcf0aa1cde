#pragma once
// The files of a build, as bytes keyed by their path under out/:
// "private/…" (personal data allowed, git-ignored) and "public/…".
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "app/pipeline/build_model.hpp"
#include "ports/byte_pieces.hpp"
#include "ports/table_encoders.hpp"

namespace marquee::pipeline {

using OutputFiles = std::map<std::string, std::string>;

/// Organizer outputs: private/registrants.csv|xlsx (one row per registrant,
/// every field, seats), private/rosters.csv|xlsx (per session: confirmed in
/// order, then the waiting list, then people who chose a cancelled session),
/// private/duplicates.csv, and private/report.txt (warnings, duplicates,
/// overlapping seats), as selected in pipeline.toml, written with `encode`.
/// XLSX files carry a fixed creation time (1980-01-01T00:00:00Z, as the zip
/// entries) so rebuilds are byte-identical.
OutputFiles private_outputs(const BuildModel& model, const TableEncoders& encode);

/// Receives the output files (each by its path under out/) as they are made.
/// Both members must be set. Each file comes once, through one of them.
struct OutputSink {
  /// A file made whole: its bytes.
  std::function<void(const std::string& path, std::string bytes)> put;
  /// A file made in pieces (the large CSV tables, the workbooks): `source`
  /// hands its bytes on, in order, to the writer it is given, while it makes
  /// them (a CSV table) or reads them back (a workbook). Call it once (each
  /// call makes the bytes again: encodes the table or reads the workbook
  /// back), before returning.
  std::function<void(const std::string& path, const PieceSource& source)> put_pieces;
};

/// The same files, each handed to `sink` as soon as it is made and then let
/// go (a build never holds every private file at once; registrants.csv and
/// rosters.csv, never whole). `sink` is called on the calling thread only.
void private_outputs(const BuildModel& model, const TableEncoders& encode, const OutputSink& sink);

/// Public outputs: public/summary.json, public/summary.csv, public/sessions.csv
/// and public/site/… as selected in pipeline.toml; the project's templates/
/// folder (read through `ports`) may replace the site's templates. Throws
/// ConfigError for a template that cannot be read.
OutputFiles public_outputs(const BuildModel& model, const PipelinePorts& ports);

/// Checks every public file for personal values: the values of personal
/// fields (raw and normalized), of personal_columns, and the old/new values of
/// patches on personal fields. JSON is checked string by string, HTML after
/// entity decoding. Returns one message per file and value found
/// ("public/site/index.html contains the email of r-1a2b3c4d5e6f (raw/forms.csv line 14)").
std::vector<std::string> privacy_findings(const BuildModel& model, const OutputFiles& files);

}  // namespace marquee::pipeline
