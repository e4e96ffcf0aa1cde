// Accounts on SQLite and PostgreSQL: users, sessions, persistent rate limits, audit.
#include <gtest/gtest.h>

#include "app/accounts.hpp"
#include "app/address_limit.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

template <typename B>
using AccountsTest = StoreTest<B>;
TYPED_TEST_SUITE(AccountsTest, Backends, BackendNames);

TYPED_TEST(AccountsTest, UsersSessionsAndTimeouts) {
  ManualClock clock(1795000000);
  Accounts accounts(*this->store_, clock, AccountOptions{1800, 43200, 20, 5, 900});
  accounts.add_user("Door@Example.org", "correct horse battery", Role::door, "cli");
  EXPECT_THROW(accounts.add_user("door@example.org", "another long password", Role::viewer, "cli"), StoreError);
  EXPECT_THROW(accounts.add_user("nobody", "another long password", Role::viewer, "cli"), std::invalid_argument);
  EXPECT_THROW(accounts.add_user("short@example.org", "short", Role::viewer, "cli"), std::invalid_argument);
  auto user = this->store_->find_user_by_email("door@example.org");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->role, Role::door);
  EXPECT_NE(user->password_hash.find("$argon2id$"), std::string::npos);

  EXPECT_EQ(accounts.login("door@example.org", "wrong password!!", "10.0.0.1", "").result,
            Accounts::Login::Result::bad_credentials);
  auto ok = accounts.login("DOOR@example.org", "correct horse battery", "10.0.0.1", "");
  ASSERT_EQ(ok.result, Accounts::Login::Result::ok);
  auto again = accounts.login("door@example.org", "correct horse battery", "10.0.0.1", ok.session_id);
  EXPECT_NE(again.session_id, ok.session_id);                 // rotated at login
  EXPECT_FALSE(accounts.authenticate(ok.session_id));         // the old one ended
  ASSERT_TRUE(accounts.authenticate(again.session_id));
  EXPECT_EQ(accounts.authenticate(again.session_id)->user.email, "door@example.org");

  clock.set(clock.now() + 1801);  // idle timeout
  EXPECT_FALSE(accounts.authenticate(again.session_id));
  auto third = accounts.login("door@example.org", "correct horse battery", "10.0.0.2", "");
  for (int i = 0; i < 30; ++i) {  // 30 × 1,700 s > 12 h
    clock.set(clock.now() + 1700);  // active, but…
    if (!accounts.authenticate(third.session_id)) break;
  }
  EXPECT_FALSE(accounts.authenticate(third.session_id));  // …the absolute timeout ends it
  auto fourth = accounts.login("door@example.org", "correct horse battery", "10.0.0.3", "");
  accounts.logout_everywhere(user->id);
  EXPECT_FALSE(accounts.authenticate(fourth.session_id));

  std::vector<std::string> actions;
  for (const auto& e : this->store_->list_audit(100)) actions.push_back(e.action);
  EXPECT_EQ(actions.back(), "user_add");
  EXPECT_EQ(actions[actions.size() - 2], "login_failed");
}

TYPED_TEST(AccountsTest, LoginRateLimitIsSharedAndSurvivesReconnects) {
  ManualClock clock(1795000000);
  Accounts accounts(*this->store_, clock, AccountOptions{1800, 43200, 100, 3, 900});
  accounts.add_user("ann@example.org", "a very long password", Role::viewer, "cli");
  for (int i = 0; i < 3; ++i) accounts.login("ann@example.org", "wrong", "10.0.0.1", "");
  // Another process (a new store connection) sees the same window.
  auto other = this->reopen();
  Accounts elsewhere(*other, clock, AccountOptions{1800, 43200, 100, 3, 900});
  auto blocked = elsewhere.login("ann@example.org", "a very long password", "10.0.0.9", "");
  EXPECT_EQ(blocked.result, Accounts::Login::Result::rate_limited);
  EXPECT_EQ(blocked.retry_after, 900);
  clock.set(clock.now() + 901);
  EXPECT_EQ(elsewhere.login("ann@example.org", "a very long password", "10.0.0.9", "").result,
            Accounts::Login::Result::ok);
}

// Issue 13, item 6: OWASP device cookies, on both stores (the per-device
// counter is one of the shared limits).
TYPED_TEST(AccountsTest, AKnownDeviceIsNotLockedOutByFailuresFromElsewhere) {
  ManualClock clock(1795000000);
  AccountOptions options{1800, 43200, 100, 3, 900, 4};
  Accounts accounts(*this->store_, clock, options);
  accounts.add_user("ann@example.org", "a very long password", Role::owner, "cli");
  accounts.add_user("bob@example.org", "another long password", Role::viewer, "cli");
  const auto first = accounts.login("Ann@Example.org", "a very long password", "10.0.0.1", "");
  ASSERT_EQ(first.result, Accounts::Login::Result::ok);
  ASSERT_FALSE(first.device_cookie.empty());
  for (int i = 0; i < 5; ++i) accounts.login("ann@example.org", "wrong", "10.6.6.6", "");
  EXPECT_EQ(accounts.login("ann@example.org", "a very long password", "10.0.0.1", "").result,
            Accounts::Login::Result::rate_limited);
  auto known = accounts.login("ann@example.org", "a very long password", "10.0.0.1", "", first.device_cookie);
  EXPECT_EQ(known.result, Accounts::Login::Result::ok);
  EXPECT_EQ(known.device_cookie, first.device_cookie);
  // Bound to its account: Bob's sign-in with Ann's device cookie is an unknown client.
  for (int i = 0; i < 3; ++i) accounts.login("bob@example.org", "wrong", "10.6.6.6", "");
  EXPECT_EQ(accounts.login("bob@example.org", "another long password", "10.0.0.1", "", first.device_cookie).result,
            Accounts::Login::Result::rate_limited);
  // A device guessing passwords is limited on its own, then treated as unknown (locked with the account).
  for (int i = 0; i < 4; ++i) accounts.login("ann@example.org", "wrong", "10.0.0.1", "", first.device_cookie);
  EXPECT_EQ(accounts.login("ann@example.org", "a very long password", "10.0.0.1", "", first.device_cookie).result,
            Accounts::Login::Result::rate_limited);
}

TYPED_TEST(AccountsTest, ANewPasswordRevokesEveryDeviceCookie) {
  ManualClock clock(1795000000);
  Accounts accounts(*this->store_, clock, AccountOptions{1800, 43200, 100, 3, 900, 4});
  const auto id = accounts.add_user("cy@example.org", "the first long password", Role::owner, "cli");
  const auto first = accounts.login("cy@example.org", "the first long password", "10.0.0.1", "");
  ASSERT_EQ(first.result, Accounts::Login::Result::ok);
  accounts.set_password(id, "the second long password", "cli");
  for (int i = 0; i < 3; ++i) accounts.login("cy@example.org", "wrong", "10.6.6.6", "");
  EXPECT_EQ(accounts.login("cy@example.org", "the second long password", "10.0.0.1", "", first.device_cookie).result,
            Accounts::Login::Result::rate_limited);
}

// Issue 13, item 12: the registration limit per client address lives in the
// store, so a restart or another instance does not reset it.
TYPED_TEST(AccountsTest, AddressLimitIsPerAddressPerWindowAndShared) {
  AddressLimit limit(*this->store_, "register", 2, 60);
  EXPECT_EQ(limit.acquire("a", 1000), 0);
  EXPECT_EQ(limit.acquire("a", 1001), 0);
  EXPECT_EQ(limit.acquire("a", 1010), 50);
  EXPECT_EQ(limit.acquire("b", 1010), 0);
  auto other = this->reopen();
  AddressLimit elsewhere(*other, "register", 2, 60);
  EXPECT_EQ(elsewhere.acquire("a", 1011), 49);
  AddressLimit resend(*other, "resend-link", 2, 60);
  EXPECT_EQ(resend.acquire("a", 1011), 0);  // another limit, another counter
  EXPECT_EQ(elsewhere.acquire("a", 1060), 0);
  AddressLimit off(*this->store_, "register", 0, 60);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(off.acquire("a", 1000), 0);
  // Retention drops old windows only.
  EXPECT_EQ(limit.acquire("c", 5000), 0);
  EXPECT_EQ(this->store_->purge_rate_limits(2000), 3);  // a, b and resend's a started before 2000
  EXPECT_EQ(this->store_->purge_rate_limits(2000), 0);
  EXPECT_EQ(limit.acquire("c", 5001), 0);
  EXPECT_EQ(limit.acquire("c", 5002), 58);  // c's window (from 5000) survived: the third hit is refused
}

TYPED_TEST(AccountsTest, ApiTokensExpireAndCanBeRevoked) {
  ManualClock clock(1795000000);
  Accounts accounts(*this->store_, clock);
  EXPECT_THROW(accounts.create_api_token("bad", {"fly"}, 1, "cli"), std::invalid_argument);
  const std::string token = accounts.create_api_token("door scanner", {"check_in"}, 2, "cli");
  ASSERT_TRUE(accounts.check_api_token(token));
  EXPECT_EQ(accounts.check_api_token(token)->scopes, std::vector<std::string>{"check_in"});
  EXPECT_FALSE(accounts.check_api_token(token + "x"));
  for (const auto& t : this->store_->list_api_tokens()) EXPECT_EQ(t.token_hash.find(token), std::string::npos);
  clock.set(clock.now() + 2 * 86400);
  EXPECT_FALSE(accounts.check_api_token(token)) << "expired";
  const std::string other = accounts.create_api_token("exports", {"attendees", "view"}, 0, "cli");
  const auto id = this->store_->list_api_tokens().back().id;
  EXPECT_TRUE(this->store_->revoke_api_token(id, clock.now()));
  EXPECT_FALSE(this->store_->revoke_api_token(id, clock.now()));
  EXPECT_FALSE(accounts.check_api_token(other)) << "revoked";
}
