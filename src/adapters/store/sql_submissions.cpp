// Submission methods of SqlStore: host submissions and staged imports.
#include <sodium.h>

#include "adapters/store/sql_store.hpp"

namespace marquee {
namespace {

const std::string kSubmissionColumns =
    "id, token_hash, target_key, payload, host_name, host_email, note, state, reason, event_key, created_at, "
    "decided_at, decided_by";

Submission submission_from_row(const Row& r) {
  Submission s;
  s.id = std::stoll(r[0].value_or("0"));
  s.token_hash = r[1].value_or("");
  s.target_key = r[2].value_or("");
  s.payload = r[3].value_or("");
  s.host_name = r[4].value_or("");
  s.host_email = r[5].value_or("");
  s.note = r[6].value_or("");
  s.state = parse_submission_state(r[7].value_or("")).value_or(SubmissionState::pending);
  s.reason = r[8].value_or("");
  s.event_key = r[9].value_or("");
  s.created_at = std::stoll(r[10].value_or("0"));
  if (r[11]) s.decided_at = std::stoll(*r[11]);
  s.decided_by = r[12].value_or("");
  return s;
}

std::string to_base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string from_base64(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    throw StoreError("a staged import's content is not valid base64");
  out.resize(len);
  return out;
}

}  // namespace

std::int64_t SqlStore::add_submission(const Submission& s) {
  auto db = pool_.acquire();
  return std::stoll(db->query("INSERT INTO submissions (token_hash, target_key, payload, host_name, host_email, note, state, "
                              "reason, event_key, created_at, decided_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "RETURNING id",
                              Row{s.token_hash, s.target_key, s.payload, s.host_name, s.host_email, s.note,
                                  std::string(to_string(s.state)), s.reason, s.event_key, std::to_string(s.created_at),
                                  s.decided_by})
                        .at(0)
                        .at(0)
                        .value_or("0"));
}

std::optional<Submission> SqlStore::find_submission(std::int64_t id) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kSubmissionColumns + " FROM submissions WHERE id = ?", Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  return submission_from_row(rows[0]);
}

std::optional<Submission> SqlStore::find_submission_by_token(const std::string& token_hash) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kSubmissionColumns + " FROM submissions WHERE token_hash = ?", Row{token_hash});
  if (rows.empty()) return std::nullopt;
  return submission_from_row(rows[0]);
}

std::vector<Submission> SqlStore::list_submissions(std::optional<SubmissionState> state, int limit) {
  auto db = pool_.acquire();
  std::vector<Row> rows =
      state ? db->query("SELECT " + kSubmissionColumns + " FROM submissions WHERE state = ? ORDER BY id DESC LIMIT ?",
                        Row{std::string(to_string(*state)), std::to_string(limit)})
            : db->query("SELECT " + kSubmissionColumns + " FROM submissions ORDER BY id DESC LIMIT ?",
                        Row{std::to_string(limit)});
  std::vector<Submission> out;
  for (const auto& r : rows) out.push_back(submission_from_row(r));
  return out;
}

std::int64_t SqlStore::count_submissions(SubmissionState state) {
  auto db = pool_.acquire();
  return std::stoll(db->query("SELECT COUNT(*) FROM submissions WHERE state = ?", Row{std::string(to_string(state))})
                        .at(0)
                        .at(0)
                        .value_or("0"));
}

bool SqlStore::decide_submission(const Submission& d) {
  auto db = pool_.acquire();
  return !db->query("UPDATE submissions SET state = ?, reason = ?, event_key = ?, payload = ?, decided_at = ?, "
                    "decided_by = ? WHERE id = ? AND state = 'pending' RETURNING id",
                    Row{std::string(to_string(d.state)), d.reason, d.event_key, d.payload,
                        std::to_string(d.decided_at.value_or(0)), d.decided_by, std::to_string(d.id)})
              .empty();
}

std::int64_t SqlStore::add_staged_import(const StagedImport& s) {
  auto db = pool_.acquire();
  return std::stoll(db->query("INSERT INTO staged_imports (token_hash, created_by, file_name, format, time_zone, "
                              "content_base64, created_at, mapping) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              Row{s.token_hash, s.created_by, s.file_name, s.format, s.time_zone, to_base64(s.content),
                                  std::to_string(s.created_at), s.mapping})
                        .at(0)
                        .at(0)
                        .value_or("0"));
}

std::optional<StagedImport> SqlStore::find_staged_import(const std::string& token_hash) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT id, token_hash, created_by, file_name, format, time_zone, content_base64, created_at, "
                        "mapping FROM staged_imports WHERE token_hash = ?",
                        Row{token_hash});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return StagedImport{std::stoll(r[0].value_or("0")), r[1].value_or(""), r[2].value_or(""), r[3].value_or(""),
                      r[4].value_or(""), r[5].value_or(""), from_base64(r[6].value_or("")),
                      std::stoll(r[7].value_or("0")), r[8].value_or("")};
}

bool SqlStore::delete_staged_import(const std::string& token_hash) {
  auto db = pool_.acquire();
  return !db->query("DELETE FROM staged_imports WHERE token_hash = ? RETURNING id", Row{token_hash}).empty();
}

std::int64_t SqlStore::purge_staged_imports(UnixSeconds before) {
  auto db = pool_.acquire();
  return static_cast<std::int64_t>(
      db->query("DELETE FROM staged_imports WHERE created_at < ? RETURNING id", Row{std::to_string(before)}).size());
}

}  // namespace marquee
