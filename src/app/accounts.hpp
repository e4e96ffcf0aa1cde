#pragma once
// Console accounts: argon2id passwords, server-side sessions with idle and
// absolute timeouts, login rate limits kept in the store (shared by
// instances, surviving restarts), and the audit log.
#include <optional>
#include <vector>
#include <string>

#include "app/token_secret.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct AccountOptions {
  int idle_timeout_seconds = 30 * 60;
  int absolute_timeout_seconds = 12 * 3600;
  int login_limit_per_address = 20;  ///< attempts per window from one client address
  int login_limit_per_account = 5;   ///< failed-or-not attempts per window for one e-mail
  int login_window_seconds = 15 * 60;
  /// Attempts per window from one device cookie (a browser that signed in
  /// before); past it the device counts as unknown again.
  int login_limit_per_device = 10;
};

/// argon2id (libsodium crypto_pwhash_str, interactive limits).
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);

class Accounts {
 public:
  Accounts(Store& store, const Clock& clock, AccountOptions options = {});

  /// Adds a user. Throws std::invalid_argument for a bad e-mail or a password
  /// shorter than 12 characters; StoreError when the e-mail exists.
  std::int64_t add_user(const std::string& email, const std::string& password, Role role, const std::string& actor);

  /// Changes a user's role and/or enabled flag (owners in the console). Ends
  /// the user's sessions when either changes, audits "user_change" with before
  /// and after. Throws std::invalid_argument when there is no such user, or
  /// when the change would leave no enabled owner.
  void change_user(std::int64_t id, std::optional<Role> role, std::optional<bool> disabled, const std::string& actor);
  /// Sets a new password (at least 12 characters, else std::invalid_argument)
  /// and ends the user's sessions; audits "user_password".
  void set_password(std::int64_t id, const std::string& password, const std::string& actor);
  struct Login {
    enum class Result { ok, bad_credentials, rate_limited } result = Result::bad_credentials;
    int retry_after = 0;        ///< seconds, for rate_limited
    std::string session_id;     ///< the cookie value, for ok
    std::string csrf_token;
    std::string device_cookie;  ///< for ok: the device cookie to keep (new, or the one presented)
    User user;
  };
  /// Checks the rate limits first, then the password. OWASP's device-cookie
  /// pattern: a `device_cookie` this installation issued to a browser that
  /// signed in to this account before is limited only per device
  /// (login_limit_per_device), so failures from elsewhere never lock the
  /// account's owner out; every other attempt is limited per address and per
  /// account. On success starts a NEW session (the id is rotated at login;
  /// `previous_session` is ended), issues a device cookie bound to the
  /// account (HMAC under the installation secret) and audits "login".
  Login login(const std::string& email, const std::string& password, const std::string& address,
              const std::string& previous_session, const std::string& device_cookie = "");

  struct Authenticated {
    User user;
    Session session;
  };
  /// The user of a session cookie value, when the session exists, is within
  /// its idle and absolute timeouts and the user is enabled; refreshes last_seen.
  std::optional<Authenticated> authenticate(const std::string& session_id);

  void logout(const std::string& session_id);
  void logout_everywhere(std::int64_t user_id);

  /// Creates an API token with `scopes` (capability names; throws
  /// std::invalid_argument for an unknown one), valid for `expires_days`
  /// days (0 = no expiry). Returns the token, shown once; only its SHA-256 is stored.
  std::string create_api_token(const std::string& name, const std::vector<std::string>& scopes, int expires_days,
                               const std::string& actor);
  /// Revokes API token `id` and audits "token_revoke" as `actor`; false
  /// (nothing written) when there is no active token with that id.
  bool revoke_api_token(std::int64_t id, const std::string& actor);
  /// The token when it exists, is not revoked and has not expired.
  std::optional<ApiToken> check_api_token(const std::string& token);

  void audit(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& before = "", const std::string& after = "");

  /// The accounts, tokens and audit log, for the console to read (its writes are the moves above).
  AccountStore& accounts() { return store_; }

 private:
  /// "<nonce>.<HMAC(email, nonce, SHA-256 of the password hash)>": verified
  /// against the account being tried and its current password.
  std::string device_cookie_for(const User& user, const std::string& nonce);
  std::optional<std::string> device_nonce(const std::string& cookie, const User& user);

  Store& store_;
  const Clock& clock_;
  AccountOptions options_;
  TokenSecret secret_;
};

/// 32 random bytes as unpadded base64url (session ids, CSRF tokens).
std::string random_token();

/// "a,b,c".
std::string join_scopes(const std::vector<std::string>& scopes);

/// SHA-256 (hex) of a session id, as stored.
std::string session_hash(const std::string& session_id);

}  // namespace marquee
