#pragma once
// Everything one pipeline build computes before anything is written: the
// registrant table, the effective programme, the allocation and what changed
// it. Outputs (private tables, public summaries, the static site) are pure
// functions of this model, which is why a rebuild is byte-identical.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/pipeline/duplicates.hpp"
#include "core/pipeline/patch.hpp"
#include "core/pipeline/project_config.hpp"
#include "core/pipeline/raw_rows.hpp"
#include "core/pipeline/registrant.hpp"
#include "core/pipeline/schedule.hpp"

namespace marquee::pipeline {

/// The build cannot produce trustworthy outputs; `errors` lists every reason
/// ("config/patches/a.toml:4: expected region … but it is …", "raw/x.csv: …").
class BuildFailed : public std::runtime_error {
 public:
  explicit BuildFailed(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

/// One raw export as read: its header and rows (decoded to UTF-8 when the
/// format says latin-1, otherwise the bytes as received).
struct SourceData {
  SourceConfig config;
  std::vector<std::string> header;
  RawRows rows;
  std::map<std::string, std::size_t> columns;  ///< trimmed, case-folded header (with "#2" for repeats) → index

  /// The index of `name` (matched like the mapping: trimmed, case-insensitive; "Name#2" = the second column so named).
  std::optional<std::size_t> column(std::string_view name) const;
};

struct PipelinePorts;

/// Folded session title or key → session key (the first session wins a shared title).
using SessionNames = std::map<std::string, std::string>;

/// The names registrants may use for `sessions`: titles and keys, folded.
SessionNames session_names(const std::vector<Event>& sessions);

struct BuildModel {
  ProjectConfig config;
  std::vector<SourceData> sources;
  std::vector<Registrant> registrants;        ///< ordered by key
  /// The field names the registrants were read with (every declared field,
  /// "status", "sessions"); a row that added a field has its own list.
  std::shared_ptr<const RegistrantValues::Names> field_names;
  std::vector<Event> sessions;                ///< effective programme, ordered by start then key
  SessionNames session_names;                 ///< how registrants may name those sessions
  std::vector<AppliedPatch> patches;
  std::vector<AppliedOverride> overrides;
  bool locked = false;                        ///< a locked baseline exists
  std::vector<Event> locked_sessions;         ///< the baseline, when locked
  std::vector<std::string> changed_after_lock;  ///< session keys
  Allocation allocation;                      ///< parallel to `sessions`
  std::vector<DuplicateGroup> duplicates;
  std::vector<std::string> warnings;          ///< "raw/forms.csv line 14, region: …", in source order
  /// Which warnings are about one registrant's value (index into `warnings`,
  /// registrant key, field): a patch that sets that value drops its warning.
  struct ValueNote {
    std::size_t warning = 0;
    std::string record, field;
  };
  std::vector<ValueNote> value_notes;

  const Event* session(const std::string& key) const;
};

/// Reads the raw exports of `model.config` through `ports`, each on a thread
/// of its own, into `model.registrants` (normalized, keyed, traced), ordered
/// by key, ties by the sources' order; the exports that could be read into
/// `model.sources` (each registrant's `source_index` points there; both are
/// expected empty on entry), their warnings into `model.warnings` and
/// `model.value_notes`; and sets `model.field_names` (the names their values
/// share: the tables read them at slots found once). Fatal problems
/// (unreadable file, malformed CSV, a mapped column the file lacks, an
/// ambiguous header) are added to `errors`. Throws std::system_error when a
/// thread cannot be started, and what a port throws.
void read_registrants(BuildModel& model, const PipelinePorts& ports, std::vector<std::string>* errors);

/// Normalizes one answer as a value of `spec` (used for raw cells and for
/// the `old`/`new` of patches). Session answers are matched against `sessions`.
Normalized normalize_answer(const ProjectConfig& config, const SessionNames& sessions, const FieldSpec& spec,
                            std::string_view text, const std::string& time_zone, DateOrder order,
                            std::int64_t* utc = nullptr);

/// Runs the whole build in memory: manifest check, programme (with overrides
/// and the lock), registrants, patches, rules, allocation, duplicates; the
/// files are read through `ports`. Throws BuildFailed listing every error found.
BuildModel run_pipeline(const ProjectConfig& config, const PipelinePorts& ports);

/// The same build, its patches given later: `patches` (called once, after the
/// registrants are read and before the patches are applied; not at all when
/// the build throws before) replaces config.patches, so that they can be
/// parsed while the raw exports are read. What it throws (ConfigError for a
/// bad patch file) is passed on: a bad patch file is then reported once the
/// raw exports are read, ahead of the errors collected from them.
BuildModel run_pipeline(const ProjectConfig& config, const PipelinePorts& ports,
                        const std::function<std::vector<Patch>()>& patches);

}  // namespace marquee::pipeline
