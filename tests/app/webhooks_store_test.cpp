// Outgoing webhooks (issue 21) on SQLite and PostgreSQL: each change writes
// one delivery per subscribed endpoint in its own transaction — a
// registration (created), a cancellation, a promotion, a check-in, a publish
// and each event it changed — and a change that rolls back writes none;
// payloads carry no personal data; senders claim, retry, give up and replay
// deliveries; deleting an endpoint removes its deliveries.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "app/publisher.hpp"
#include "app/registration_service.hpp"
#include "app/webhooks.hpp"
#include "core/webhook.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400 * 10;

struct Fixture {
  explicit Fixture(Store& s) : store(s), clock(kNow), registrations(s, clock, RegistrationOptions{1, 8, {}}), webhooks(s, clock) {}
  RegistrationReply join(const Event& e, const std::string& who) {
    return registrations.register_attendee(e, RegistrationInput{"Person " + who, who + "@example.org", {}, ""});
  }
  Store& store;
  ManualClock clock;
  RegistrationService registrations;
  Webhooks webhooks;
};

// (type, registration id or event key) of every delivery of endpoint `id`, oldest first.
std::vector<std::pair<std::string, std::string>> seen(Store& store, std::int64_t id) {
  std::vector<std::pair<std::string, std::string>> out;
  auto rows = store.webhook_deliveries(id, 1000);
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    const auto payload = boost::json::parse(it->payload).as_object();
    EXPECT_EQ(payload.at("type").as_string(), it->event_type);
    EXPECT_EQ(payload.at("id").as_string(), it->event_id);
    const auto& data = payload.at("data").as_object();
    std::string what;
    if (auto* r = data.if_contains("registration")) what = std::to_string(r->as_object().at("id").as_int64());
    else if (auto* e = data.if_contains("event")) what = std::string(e->as_object().at("key").as_string());
    else what = "snapshot " + std::to_string(data.at("snapshot").as_object().at("number").as_int64());
    out.emplace_back(it->event_type, what);
  }
  return out;
}

}  // namespace

template <typename B>
using WebhookStore_ = StoreTest<B>;
TYPED_TEST_SUITE(WebhookStore_, Backends, BackendNames);

TYPED_TEST(WebhookStore_, EachChangeWritesItsDeliveriesWithoutPersonalData) {
  Store& store = *this->store_;
  Fixture f(store);
  const Event e = an_event("a").title("Talk a").at(kStart).registration(1, true);
  store.upsert_events({e}, kNow);
  const auto all = f.webhooks.create("https://hooks.example.org/in", "*", "CRM", "ops@example.org");
  ASSERT_TRUE(all.errors.empty());
  EXPECT_EQ(all.secret.rfind("whsec_", 0), 0u);
  EXPECT_EQ(all.secret.size(), 6u + 43u);
  EXPECT_EQ(all.endpoint->secret_sealed.find(all.secret), std::string::npos) << "kept sealed";
  const auto some = f.webhooks.create("https://other.example.org/in", "registration.cancelled", "", "ops@example.org");
  ASSERT_TRUE(some.errors.empty());
  const auto bad = f.webhooks.create("ftp://x", "registration.deleted", "", "ops");
  ASSERT_EQ(bad.errors.size(), 2u);

  const auto ana = f.join(e, "ana");
  const auto bo = f.join(e, "bo");  // waits
  ASSERT_EQ(f.registrations.cancel(ana.token, "attendee").result, CancelResult::cancelled);  // bo is promoted
  ASSERT_EQ(f.registrations.check_in(bo.registration.ticket_code, "door").result, CheckinResult::checked_in);
  Publisher publisher(store, f.clock);
  publisher.publish("ops", "first");

  const std::string a = std::to_string(ana.registration.id), b = std::to_string(bo.registration.id);
  EXPECT_EQ(seen(store, all.endpoint->id),
            (std::vector<std::pair<std::string, std::string>>{{"registration.created", a},
                                                              {"registration.created", b},
                                                              {"registration.cancelled", a},
                                                              {"registration.promoted", b},
                                                              {"registration.checked_in", b},
                                                              {"event.published", "snapshot 1"},
                                                              {"event.changed", "a"}}));
  EXPECT_EQ(seen(store, some.endpoint->id), (std::vector<std::pair<std::string, std::string>>{{"registration.cancelled", a}}));
  // The same event has the same id for every endpoint; nothing personal in any payload.
  const auto mine = store.webhook_deliveries(all.endpoint->id, 100);
  const auto theirs = store.webhook_deliveries(some.endpoint->id, 100);
  EXPECT_EQ(std::count_if(mine.begin(), mine.end(), [&](const auto& d) { return d.event_id == theirs[0].event_id; }), 1);
  for (const auto& d : mine) {
    EXPECT_EQ(d.payload.find("example.org"), std::string::npos) << d.payload;
    EXPECT_EQ(d.payload.find("Person"), std::string::npos) << d.payload;
    EXPECT_EQ(d.payload.find(bo.registration.ticket_code), std::string::npos) << d.payload;
    EXPECT_EQ(d.state, "pending");
  }
  const auto audit = store.list_audit(5);
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const AuditEntry& x) {
    return x.action == "webhook_create" && x.after == "https://other.example.org/in (registration.cancelled)";
  }));
}

TYPED_TEST(WebhookStore_, AChangeThatRollsBackWritesNoDelivery) {
  Store& store = *this->store_;
  Fixture f(store);
  Event e = an_event("a").title("Talk a").at(kStart).registration(1, true);
  store.upsert_events({e}, kNow);
  f.join(e, "ana");
  const auto bo = f.join(e, "bo");
  ASSERT_EQ(bo.result, RegisterResult::waitlisted);
  const auto hook = f.webhooks.create("https://hooks.example.org/in", "registration.promoted", "", "ops");
  // More places promote bo — but the same upsert fails on another event: nothing is written, no webhook either.
  e.capacity = 2;
  Event broken = an_event("b").title("Broken").at(kStart);
  broken.ends_at = broken.starts_at - 1;
  EXPECT_THROW(store.upsert_events({e, broken}, kNow + 1), StoreError);
  EXPECT_EQ(store.find_registration(bo.registration.id)->state, AttendeeState::waitlisted);
  EXPECT_TRUE(store.webhook_deliveries(hook.endpoint->id, 10).empty());
  store.upsert_events({e}, kNow + 2);
  EXPECT_EQ(store.find_registration(bo.registration.id)->state, AttendeeState::confirmed);
  EXPECT_EQ(seen(store, hook.endpoint->id),
            (std::vector<std::pair<std::string, std::string>>{{"registration.promoted", std::to_string(bo.registration.id)}}));
}

TYPED_TEST(WebhookStore_, SendersClaimRetryGiveUpAndReplay) {
  Store& store = *this->store_;
  Fixture f(store);
  const Event e = an_event("a").title("Talk a").at(kStart).registration(5, true);
  store.upsert_events({e}, kNow);
  const auto hook = f.webhooks.create("https://hooks.example.org/in", "registration.created", "", "ops");
  f.join(e, "ana");
  f.join(e, "bo");
  auto claimed = store.claim_webhook_deliveries(kNow, kNow, 10, 60, "one");
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].url, "https://hooks.example.org/in");
  EXPECT_EQ(claimed[0].secret_sealed, hook.endpoint->secret_sealed);
  EXPECT_EQ(claimed[0].attempts, 1);
  EXPECT_TRUE(store.claim_webhook_deliveries(kNow, kNow, 10, 60, "two").empty()) << "leased to one";
  store.finish_webhook_attempt(claimed[0].id, "one", true, 204, "", std::nullopt, kNow + 1);
  store.finish_webhook_attempt(claimed[1].id, "one", false, 500, "HTTP 500", kNow + 31, kNow + 1);
  store.finish_webhook_attempt(claimed[1].id, "two", true, 200, "", std::nullopt, kNow + 1);  // not its claim: ignored
  auto first = *store.find_webhook_delivery(claimed[0].id);
  EXPECT_EQ(first.state, "delivered");
  EXPECT_EQ(first.last_status, 204);
  EXPECT_EQ(first.delivered_at, kNow + 1);
  auto second = *store.find_webhook_delivery(claimed[1].id);
  EXPECT_EQ(second.state, "pending");
  EXPECT_EQ(second.last_error, "HTTP 500");
  EXPECT_EQ(second.due_at, kNow + 31);
  EXPECT_TRUE(store.claim_webhook_deliveries(kNow + 30, kNow + 30, 10, 60, "one").empty()) << "waits for its backoff";
  claimed = store.claim_webhook_deliveries(kNow + 31, kNow + 31, 10, 60, "one");
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].attempts, 2);
  store.finish_webhook_attempt(claimed[0].id, "one", false, std::nullopt, "connection refused", std::nullopt, kNow + 32);
  EXPECT_EQ(store.find_webhook_delivery(claimed[0].id)->state, "failed");
  const auto listed = *store.find_webhook(hook.endpoint->id);
  EXPECT_EQ(listed.failed, 1);
  EXPECT_EQ(listed.pending, 0);
  EXPECT_FALSE(listed.last_status) << "the newest attempt had no answer";
  EXPECT_EQ(listed.last_error, "connection refused");

  EXPECT_TRUE(f.webhooks.replay(claimed[0].id, "ops"));
  const auto again = *store.find_webhook_delivery(claimed[0].id);
  EXPECT_EQ(again.state, "pending");
  EXPECT_EQ(again.attempts, 0);
  EXPECT_EQ(again.event_id, claimed[0].event_id) << "the same event";
  EXPECT_FALSE(f.webhooks.replay(999999, "ops"));

  EXPECT_TRUE(f.webhooks.remove(hook.endpoint->id, "ops"));
  EXPECT_FALSE(store.find_webhook(hook.endpoint->id));
  EXPECT_FALSE(store.find_webhook_delivery(claimed[0].id));
  f.join(e, "cy");
  EXPECT_TRUE(store.claim_webhook_deliveries(kNow + 100, kNow + 100, 10, 60, "one").empty()) << "no endpoint, no delivery";
}

TYPED_TEST(WebhookStore_, ALeaseRunsFromTheClaimAndReleasedRowsGoBackWithTheirAttempt) {
  Store& store = *this->store_;
  Fixture f(store);
  const Event e = an_event("a").title("Talk a").at(kStart).registration(5, true);
  store.upsert_events({e}, kNow);
  const auto hook = f.webhooks.create("https://hooks.example.org/in", "registration.created", "", "ops");
  f.join(e, "ana");
  f.join(e, "bo");
  // A long drain that began at kNow claims at kNow + 500: the lease runs from then, not from its start.
  auto claimed = store.claim_webhook_deliveries(kNow, kNow + 500, 10, 60, "one");
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_TRUE(store.claim_webhook_deliveries(kNow + 520, kNow + 520, 10, 60, "two").empty()) << "still leased to one";
  // One is tried, the other given back untried (a stop, or its endpoint just failed): attempt taken back, due later.
  store.release_webhook_delivery(claimed[1].id, "one", kNow + 600, kNow + 501);
  store.release_webhook_delivery(claimed[1].id, "two", kNow + 900, kNow + 501);  // not its claim: ignored
  const auto back = *store.find_webhook_delivery(claimed[1].id);
  EXPECT_EQ(back.attempts, 0);
  EXPECT_EQ(back.due_at, kNow + 600);
  store.finish_webhook_attempt(claimed[0].id, "one", true, 200, "", std::nullopt, kNow + 501);
  EXPECT_TRUE(store.claim_webhook_deliveries(kNow + 599, kNow + 599, 10, 60, "two").empty());
  EXPECT_EQ(store.claim_webhook_deliveries(kNow + 600, kNow + 600, 10, 60, "two").size(), 1u);
  // Retention: finished rows go after the keep time; pending ones stay.
  EXPECT_EQ(store.purge_webhook_deliveries(kNow + 501), 0);
  EXPECT_EQ(store.purge_webhook_deliveries(kNow + 502), 1);
  EXPECT_TRUE(store.find_webhook_delivery(claimed[1].id));
}

TYPED_TEST(WebhookStore_, ABigPublishSendsThePublishWithoutEachChangedEvent) {
  Store& store = *this->store_;
  Fixture f(store);
  std::vector<Event> many;
  for (std::size_t i = 0; i < kMaxChangedWebhooks + 1; ++i)
    many.push_back(an_event("e" + std::to_string(i)).title("Talk").at(kStart));
  store.upsert_events(many, kNow);
  const auto hook = f.webhooks.create("https://hooks.example.org/in", "event.published,event.changed", "", "ops");
  Publisher(store, f.clock).publish("ops", "first");
  const auto rows = store.webhook_deliveries(hook.endpoint->id, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].event_type, "event.published");
  const auto payload = boost::json::parse(rows[0].payload).as_object();
  EXPECT_EQ(payload.at("data").as_object().at("changed_events_omitted").as_bool(), true);
  EXPECT_EQ(payload.at("data").as_object().at("snapshot").as_object().at("changes").as_int64(),
            static_cast<std::int64_t>(kMaxChangedWebhooks + 1));
}
