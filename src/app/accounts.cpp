#include "app/accounts.hpp"

#include <sodium.h>

#include <stdexcept>

#include "core/event_key.hpp"
#include "core/registration.hpp"

namespace marquee {
std::string random_token() {
  unsigned char b[32];
  randombytes_buf(b, sizeof b);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string hash_password(const std::string& password) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.c_str(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.c_str(), password.size()) == 0;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string session_hash(const std::string& session_id) { return sha256_hex("session\x1f" + session_id); }

Accounts::Accounts(Store& store, const Clock& clock, AccountOptions options)
    : store_(store), clock_(clock), options_(options),
      secret_([&store](const std::string& name, const std::string& value) { return store.ensure_setting(name, value); }) {}

// Bound to the account and to its current password: a new password (after a
// leak, or when someone leaves) makes every earlier device cookie worthless.
std::string Accounts::device_cookie_for(const User& user, const std::string& nonce) {
  return nonce + "." + secret_.derive("login-device", user.email + "\x1f" + nonce + "\x1f" + sha256_hex(user.password_hash));
}

std::optional<std::string> Accounts::device_nonce(const std::string& cookie, const User& user) {
  const auto dot = cookie.find('.');
  if (cookie.empty() || cookie.size() > 200 || dot == std::string::npos) return std::nullopt;
  const std::string nonce = cookie.substr(0, dot);
  const std::string expected = device_cookie_for(user, nonce);
  if (expected.size() != cookie.size() || sodium_memcmp(expected.data(), cookie.data(), cookie.size()) != 0)
    return std::nullopt;
  return nonce;
}

std::int64_t Accounts::add_user(const std::string& email, const std::string& password, Role role,
                                const std::string& actor) {
  auto normalized = normalize_email(email);
  if (!normalized) throw std::invalid_argument("'" + email + "' is not an e-mail address");
  if (password.size() < 12) throw std::invalid_argument("the password must have at least 12 characters");
  User u;
  u.email = *normalized;
  u.password_hash = hash_password(password);
  u.role = role;
  u.created_at = clock_.now();
  const auto id = store_.add_user(u);
  audit(actor, "user_add", u.email, "", std::string(to_string(role)));
  return id;
}

void Accounts::change_user(std::int64_t id, std::optional<Role> role, std::optional<bool> disabled,
                           const std::string& actor) {
  auto user = store_.find_user(id);
  if (!user) throw std::invalid_argument("there is no user " + std::to_string(id));
  User changed = *user;
  if (role) changed.role = *role;
  if (disabled) changed.disabled = *disabled;
  if (changed.role == user->role && changed.disabled == user->disabled) return;
  if (user->role == Role::owner && !user->disabled && (changed.role != Role::owner || changed.disabled)) {
    int owners = 0;
    for (const auto& u : store_.list_users()) owners += u.role == Role::owner && !u.disabled;
    if (owners <= 1) throw std::invalid_argument("at least one enabled owner must remain");
  }
  auto describe = [](const User& u) { return std::string(to_string(u.role)) + (u.disabled ? ", disabled" : ""); };
  store_.update_user(changed);
  store_.delete_user_sessions(id);
  audit(actor, "user_change", changed.email, describe(*user), describe(changed));
}

void Accounts::set_password(std::int64_t id, const std::string& password, const std::string& actor) {
  auto user = store_.find_user(id);
  if (!user) throw std::invalid_argument("there is no user " + std::to_string(id));
  if (password.size() < 12) throw std::invalid_argument("the password must have at least 12 characters");
  user->password_hash = hash_password(password);
  store_.update_user(*user);
  store_.delete_user_sessions(id);
  audit(actor, "user_password", user->email);
}

Accounts::Login Accounts::login(const std::string& email, const std::string& password, const std::string& address,
                                const std::string& previous_session, const std::string& device_cookie) {
  Login out;
  const UnixSeconds now = clock_.now();
  const std::string who = normalize_email(email).value_or(email);
  auto user = store_.find_user_by_email(who);
  // A known device is limited on its own; past its limit it is just another client.
  const auto nonce = user && !user->disabled ? device_nonce(device_cookie, *user) : std::nullopt;
  const bool trusted =
      nonce && store_.hit_rate_limit("login:device:" + *nonce, options_.login_limit_per_device,
                                     options_.login_window_seconds, now) == 0;
  if (!trusted) {
    for (const auto& [key, limit] : {std::pair{"login:address:" + address, options_.login_limit_per_address},
                                     std::pair{"login:account:" + who, options_.login_limit_per_account}}) {
      if (int wait = store_.hit_rate_limit(key, limit, options_.login_window_seconds, now); wait > 0) {
        out.result = Login::Result::rate_limited;
        out.retry_after = wait;
        return out;
      }
    }
  }
  // Verify against a fixed hash when the user is unknown, so timing does not reveal accounts.
  static const std::string dummy = hash_password("not-a-real-password-for-timing");
  const bool ok = verify_password(user ? user->password_hash : dummy, password) && user && !user->disabled;
  if (!ok) {
    audit(who, "login_failed", address);
    return out;
  }
  if (!previous_session.empty()) store_.delete_session(session_hash(previous_session));
  Session s;
  out.session_id = random_token();
  s.id_hash = session_hash(out.session_id);
  s.user_id = user->id;
  s.csrf_token = random_token();
  s.created_at = s.last_seen_at = now;
  s.expires_at = now + options_.absolute_timeout_seconds;
  store_.create_session(s);
  out.result = Login::Result::ok;
  out.csrf_token = s.csrf_token;
  out.device_cookie = nonce ? device_cookie : device_cookie_for(*user, random_token());
  out.user = *user;
  audit(user->email, "login", address);
  return out;
}

std::optional<Accounts::Authenticated> Accounts::authenticate(const std::string& session_id) {
  if (session_id.empty() || session_id.size() > 100) return std::nullopt;
  auto s = store_.find_session(session_hash(session_id));
  if (!s) return std::nullopt;
  const UnixSeconds now = clock_.now();
  if (now >= s->expires_at || now - s->last_seen_at > options_.idle_timeout_seconds) {
    store_.delete_session(s->id_hash);
    return std::nullopt;
  }
  auto user = store_.find_user(s->user_id);
  if (!user || user->disabled) return std::nullopt;
  if (now - s->last_seen_at >= 60) store_.touch_session(s->id_hash, now);  // at most one write a minute
  return Authenticated{*user, *s};
}

void Accounts::logout(const std::string& session_id) {
  if (auto a = authenticate(session_id)) audit(a->user.email, "logout", "");
  store_.delete_session(session_hash(session_id));
}

void Accounts::logout_everywhere(std::int64_t user_id) { store_.delete_user_sessions(user_id); }

std::string Accounts::create_api_token(const std::string& name, const std::vector<std::string>& scopes,
                                       int expires_days, const std::string& actor) {
  if (scopes.empty()) throw std::invalid_argument("give the token at least one scope");
  for (const auto& s : scopes)
    if (!parse_capability(s)) throw std::invalid_argument("unknown scope '" + s + "' (view, content, operate, attendees, check_in, users)");
  const std::string token = "mq_" + random_token();
  ApiToken t;
  t.name = name;
  t.token_hash = sha256_hex("api-token\x1f" + token);
  t.scopes = scopes;
  t.created_by = actor;
  t.created_at = clock_.now();
  if (expires_days > 0) t.expires_at = t.created_at + static_cast<UnixSeconds>(expires_days) * 86400;
  const auto id = store_.add_api_token(t);
  audit(actor, "token_create", "token " + std::to_string(id) + " (" + name + ")", "", join_scopes(scopes));
  return token;
}

bool Accounts::revoke_api_token(std::int64_t id, const std::string& actor) {
  if (!store_.revoke_api_token(id, clock_.now())) return false;
  audit(actor, "token_revoke", "token " + std::to_string(id));
  return true;
}

std::optional<ApiToken> Accounts::check_api_token(const std::string& token) {
  if (!token.starts_with("mq_") || token.size() > 100) return std::nullopt;
  auto t = store_.find_api_token(sha256_hex("api-token\x1f" + token));
  if (!t || t->revoked_at || (t->expires_at && clock_.now() >= *t->expires_at)) return std::nullopt;
  return t;
}

void Accounts::audit(const std::string& actor, const std::string& action, const std::string& target,
                     const std::string& before, const std::string& after) {
  store_.audit(AuditEntry{0, clock_.now(), actor, action, target, before, after});
}

}  // namespace marquee
