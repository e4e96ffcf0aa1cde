#pragma once
// Console users, sessions, persistent rate limits and the audit log.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/roles.hpp"

namespace marquee {

struct User {
  std::int64_t id = 0;
  std::string email;          ///< lower-cased
  std::string password_hash;  ///< argon2id, libsodium crypto_pwhash_str format
  Role role = Role::viewer;
  UnixSeconds created_at = 0;
  bool disabled = false;
};

struct Session {
  std::string id_hash;     ///< SHA-256 (hex) of the cookie value
  std::int64_t user_id = 0;
  std::string csrf_token;
  UnixSeconds created_at = 0;
  UnixSeconds last_seen_at = 0;
  UnixSeconds expires_at = 0;  ///< absolute end
};

struct AuditEntry {
  std::int64_t id = 0;
  UnixSeconds at = 0;
  std::string actor;   ///< "alice@example.org", "cli", "deploy token", "staff token"
  std::string action;  ///< "publish", "rollback", "import", "backup", "restore", "check_in", "erase", "login", …
  std::string target;  ///< e.g. "snapshot 4", "registration 17"
  std::string before;
  std::string after;
};

/// A script's credential. `scopes`: capability names (core/roles.hpp).
struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  std::string token_hash;  ///< SHA-256 (hex) of the token
  std::vector<std::string> scopes;
  std::string created_by;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> expires_at;
  std::optional<UnixSeconds> revoked_at;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;
  virtual std::int64_t add_api_token(const ApiToken& token) = 0;
  virtual std::optional<ApiToken> find_api_token(const std::string& token_hash) = 0;
  virtual std::vector<ApiToken> list_api_tokens() = 0;
  /// False when there is no such token.
  virtual bool revoke_api_token(std::int64_t id, UnixSeconds now) = 0;
  /// Throws StoreError when the e-mail exists already.
  virtual std::int64_t add_user(const User& user) = 0;
  virtual std::optional<User> find_user_by_email(const std::string& email) = 0;
  virtual std::optional<User> find_user(std::int64_t id) = 0;
  virtual std::vector<User> list_users() = 0;

  virtual void create_session(const Session& session) = 0;
  virtual std::optional<Session> find_session(const std::string& id_hash) = 0;
  virtual void touch_session(const std::string& id_hash, UnixSeconds now) = 0;
  virtual void delete_session(const std::string& id_hash) = 0;
  virtual void delete_user_sessions(std::int64_t user_id) = 0;
  /// Stores `user`'s role, password hash and disabled flag (by id). False
  /// when there is no such user.
  virtual bool update_user(const User& user) = 0;

  /// Counts one hit for `key` in a fixed window of `window_seconds`, in one
  /// transaction shared by every instance. Returns 0 when allowed, else the
  /// seconds until the window ends.
  virtual int hit_rate_limit(const std::string& key, int limit, int window_seconds, UnixSeconds now) = 0;
  /// Deletes rate-limit windows that started before `before` (retention: every
  /// window is shorter than a day). Returns how many went.
  virtual std::int64_t purge_rate_limits(UnixSeconds before) = 0;

  virtual void audit(const AuditEntry& entry) = 0;
  /// Newest first.
  virtual std::vector<AuditEntry> list_audit(int limit) = 0;
  /// One entry by id; nullopt when there is none.
  virtual std::optional<AuditEntry> find_audit(std::int64_t id) = 0;
};

}  // namespace marquee
