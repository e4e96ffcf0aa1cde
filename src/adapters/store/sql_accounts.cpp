// Account methods of SqlStore: users, sessions, rate limits, audit log.
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

const std::string kUserColumns = "id, email, password_hash, role, created_at, disabled";

User user_from_row(const SqlConnection& db, const Row& r) {
  User u;
  u.id = std::stoll(r[0].value_or("0"));
  u.email = r[1].value_or("");
  u.password_hash = r[2].value_or("");
  u.role = parse_role(r[3].value_or("")).value_or(Role::viewer);
  u.created_at = std::stoll(r[4].value_or("0"));
  u.disabled = r[5].value_or("") == db.true_text() || r[5].value_or("") == "1";
  return u;
}

}  // namespace

std::int64_t SqlStore::add_user(const User& user) {
  auto db = pool_.acquire();
  if (!db->query("SELECT id FROM users WHERE email = ?", Row{user.email}).empty())
    throw StoreError("a user with the e-mail " + user.email + " exists already");
  return std::stoll(db->query("INSERT INTO users (email, password_hash, role, created_at, disabled) VALUES (?, ?, ?, ?, ?) "
                              "RETURNING id",
                              Row{user.email, user.password_hash, std::string(to_string(user.role)),
                                  std::to_string(user.created_at), user.disabled ? "1" : "0"})
                        .at(0)
                        .at(0)
                        .value_or("0"));
}

std::optional<User> SqlStore::find_user_by_email(const std::string& email) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kUserColumns + " FROM users WHERE email = ?", Row{email});
  if (rows.empty()) return std::nullopt;
  return user_from_row(*db, rows[0]);
}

std::optional<User> SqlStore::find_user(std::int64_t id) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kUserColumns + " FROM users WHERE id = ?", Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  return user_from_row(*db, rows[0]);
}

std::vector<User> SqlStore::list_users() {
  auto db = pool_.acquire();
  std::vector<User> out;
  for (const auto& r : db->query("SELECT " + kUserColumns + " FROM users ORDER BY email")) out.push_back(user_from_row(*db, r));
  return out;
}

void SqlStore::create_session(const Session& s) {
  auto db = pool_.acquire();
  db->query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            Row{s.id_hash, std::to_string(s.user_id), s.csrf_token, std::to_string(s.created_at),
                std::to_string(s.last_seen_at), std::to_string(s.expires_at)});
}

std::optional<Session> SqlStore::find_session(const std::string& id_hash) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at FROM sessions "
                        "WHERE id_hash = ?",
                        Row{id_hash});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return Session{r[0].value_or(""), std::stoll(r[1].value_or("0")), r[2].value_or(""), std::stoll(r[3].value_or("0")),
                 std::stoll(r[4].value_or("0")), std::stoll(r[5].value_or("0"))};
}

void SqlStore::touch_session(const std::string& id_hash, UnixSeconds now) {
  auto db = pool_.acquire();
  db->query("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", Row{std::to_string(now), id_hash});
}

void SqlStore::delete_session(const std::string& id_hash) {
  auto db = pool_.acquire();
  db->query("DELETE FROM sessions WHERE id_hash = ?", Row{id_hash});
}

void SqlStore::delete_user_sessions(std::int64_t user_id) {
  auto db = pool_.acquire();
  db->query("DELETE FROM sessions WHERE user_id = ?", Row{std::to_string(user_id)});
}

bool SqlStore::update_user(const User& user) {
  auto db = pool_.acquire();
  return !db->query("UPDATE users SET role = ?, password_hash = ?, disabled = ? WHERE id = ? RETURNING id",
                    Row{std::string(to_string(user.role)), user.password_hash, user.disabled ? "1" : "0",
                        std::to_string(user.id)})
              .empty();
}

int SqlStore::hit_rate_limit(const std::string& key, int limit, int window_seconds, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        // One row per key; a window opens with its first hit.
        db->query("INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 0) ON CONFLICT (key) DO NOTHING",
                  Row{key, std::to_string(now)});
        auto row = db->query(std::string("SELECT window_start, count FROM rate_limits WHERE key = ?") + db->row_lock(), Row{key});
        UnixSeconds start = std::stoll(row.at(0)[0].value_or("0"));
        std::int64_t count = std::stoll(row.at(0)[1].value_or("0"));
        if (now - start >= window_seconds) {
          start = now;
          count = 0;
        }
        if (count >= limit) return static_cast<int>(start + window_seconds - now);
        db->query("UPDATE rate_limits SET window_start = ?, count = ? WHERE key = ?",
                  Row{std::to_string(start), std::to_string(count + 1), key});
        return 0;
      },
      false);
}

std::int64_t SqlStore::purge_rate_limits(UnixSeconds before) {
  auto db = pool_.acquire();
  return static_cast<std::int64_t>(
      db->query("DELETE FROM rate_limits WHERE window_start < CAST(? AS BIGINT) RETURNING key", Row{std::to_string(before)})
          .size());
}

void insert_audit(SqlConnection& db, const AuditEntry& e) {
  db.query("INSERT INTO audit_log (at, actor, action, target, before_value, after_value) VALUES (?, ?, ?, ?, ?, ?)",
           Row{std::to_string(e.at), e.actor, e.action, e.target, e.before, e.after});
}

void SqlStore::audit(const AuditEntry& e) {
  auto db = pool_.acquire();
  insert_audit(*db, e);
}

std::vector<AuditEntry> SqlStore::list_audit(int limit) {
  auto db = pool_.acquire();
  std::vector<AuditEntry> out;
  for (const auto& r : db->query("SELECT id, at, actor, action, target, before_value, after_value FROM audit_log "
                                 "ORDER BY id DESC LIMIT CAST(? AS BIGINT)",
                                 Row{std::to_string(limit)}))
    out.push_back(AuditEntry{std::stoll(r[0].value_or("0")), std::stoll(r[1].value_or("0")), r[2].value_or(""),
                             r[3].value_or(""), r[4].value_or(""), r[5].value_or(""), r[6].value_or("")});
  return out;
}

}  // namespace marquee

namespace marquee {
namespace {

const std::string kTokenColumns = "id, name, token_hash, scopes, created_by, created_at, expires_at, revoked_at";

ApiToken token_from_row(const Row& r) {
  ApiToken t;
  t.id = std::stoll(r[0].value_or("0"));
  t.name = r[1].value_or("");
  t.token_hash = r[2].value_or("");
  t.scopes = split_list(r[3].value_or(""), ',');
  t.created_by = r[4].value_or("");
  t.created_at = std::stoll(r[5].value_or("0"));
  if (r[6]) t.expires_at = std::stoll(*r[6]);
  if (r[7]) t.revoked_at = std::stoll(*r[7]);
  return t;
}

}  // namespace

std::int64_t SqlStore::add_api_token(const ApiToken& t) {
  auto db = pool_.acquire();
  return std::stoll(db->query("INSERT INTO api_tokens (name, token_hash, scopes, created_by, created_at, expires_at) "
                              "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                              Row{t.name, t.token_hash, join(t.scopes, ","), t.created_by, std::to_string(t.created_at),
                                  t.expires_at ? std::optional<std::string>(std::to_string(*t.expires_at)) : std::nullopt})
                        .at(0)
                        .at(0)
                        .value_or("0"));
}

std::optional<ApiToken> SqlStore::find_api_token(const std::string& token_hash) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kTokenColumns + " FROM api_tokens WHERE token_hash = ?", Row{token_hash});
  if (rows.empty()) return std::nullopt;
  return token_from_row(rows[0]);
}

std::vector<ApiToken> SqlStore::list_api_tokens() {
  auto db = pool_.acquire();
  std::vector<ApiToken> out;
  for (const auto& r : db->query("SELECT " + kTokenColumns + " FROM api_tokens ORDER BY id")) out.push_back(token_from_row(r));
  return out;
}

bool SqlStore::revoke_api_token(std::int64_t id, UnixSeconds now) {
  auto db = pool_.acquire();
  return !db->query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id",
                    Row{std::to_string(now), std::to_string(id)})
              .empty();
}

}  // namespace marquee
