#pragma once
// Host submissions awaiting moderation, and imports staged between a
// console dry run and its commit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/submission.hpp"

namespace marquee {

/// An uploaded file kept between the dry-run report and commit or discard.
struct StagedImport {
  std::int64_t id = 0;
  std::string token_hash;  ///< SHA-256 (hex) of the token in the console's commit form
  std::string created_by;
  std::string file_name;
  std::string format;      ///< "csv" | "ics" | "frab"
  std::string time_zone;   ///< IANA zone for local times without one
  std::string content;     ///< the file's bytes, as uploaded
  UnixSeconds created_at = 0;
  std::string mapping;     ///< CSV column mapping (TOML text, docs/mapping.md); "" = Marquee's own columns
};

class SubmissionStore {
 public:
  virtual ~SubmissionStore() = default;
  /// Stores a pending submission; returns its id. Throws StoreError.
  virtual std::int64_t add_submission(const Submission& s) = 0;
  virtual std::optional<Submission> find_submission(std::int64_t id) = 0;
  virtual std::optional<Submission> find_submission_by_token(const std::string& token_hash) = 0;
  /// Newest first; `state` nullopt = all. At most `limit` rows.
  virtual std::vector<Submission> list_submissions(std::optional<SubmissionState> state, int limit) = 0;
  virtual std::int64_t count_submissions(SubmissionState state) = 0;
  /// Moves a PENDING submission to `decided.state` with its reason, event_key,
  /// payload (a moderator may have edited it), decided_at and decided_by, in
  /// one conditional update. False when it was not pending (decided by
  /// someone else meanwhile) or does not exist.
  virtual bool decide_submission(const Submission& decided) = 0;

  /// Returns the new id. Throws StoreError.
  virtual std::int64_t add_staged_import(const StagedImport& s) = 0;
  virtual std::optional<StagedImport> find_staged_import(const std::string& token_hash) = 0;
  /// Deletes it; false when it was gone already (committed or discarded).
  virtual bool delete_staged_import(const std::string& token_hash) = 0;
  /// Deletes staged imports created before `before`; returns how many.
  virtual std::int64_t purge_staged_imports(UnixSeconds before) = 0;
};

}  // namespace marquee
