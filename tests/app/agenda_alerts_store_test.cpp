// E-mail alerts of personal agendas (issue 20) on SQLite and PostgreSQL:
// double opt-in through the outbox, one live alert per agenda (also under
// concurrent requests), the per-address limit, one folded agenda_alert row
// per confirmed alert when a publish changes a starred event, one-click
// unsubscribe, erasure, retention, and backups.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "app/agenda_alerts.hpp"
#include "app/agendas.hpp"
#include "app/publisher.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;
constexpr UnixSeconds kStart = kNow + 86400 * 30;

Event event(const std::string& key) { return an_event(key).title("Talk " + key).at(kStart); }

PublishResult publish(Store& store, ManualClock& clock) {
  Publisher p(store, clock);
  p.set_notify_settings(NotifySettings{default_notify_fields(), 600, 3600}, "test");
  return p.publish("test", "");
}

std::vector<OutboxMessage> rows_of(Store& store, const std::string& kind) {
  std::vector<OutboxMessage> out;
  for (auto& m : store.list_outbox())
    if (m.kind == kind) out.push_back(m);
  return out;
}

struct Fixture {
  Store& store;
  ManualClock clock{kNow};
  TokenSecret secret{[this](const std::string& n, const std::string& v) { return store.ensure_setting(n, v); }};
  AgendaService agendas{store, clock};
  AgendaAlerts alerts{store, clock, secret};

  explicit Fixture(Store& s) : store(s) {}

  // A new agenda starring `keys`; its token.
  std::string agenda(const std::vector<std::string>& keys) {
    auto made = agendas.create();
    agendas.save(made.token, keys, std::nullopt);
    return made.token;
  }
  // The token behind the newest confirmation message of alert `id` (as the message would carry it).
  std::string confirm_token(std::int64_t id) {
    for (auto& m : store.list_outbox())
      if (m.kind == "alert_confirm" && m.alert_id == id) return *secret.open(store.find_outbox(m.id)->alert->confirm_sealed);
    return "";
  }
  std::string unsubscribe_token(std::int64_t id) {
    for (auto& m : store.list_outbox())
      if (m.alert_id == id) return *secret.open(store.find_outbox(m.id)->alert->unsubscribe_sealed);
    return "";
  }
  AgendaAlert subscribe_confirmed(const std::string& token, const std::string& email) {
    auto s = std::get<AlertSubscribed>(alerts.subscribe(token, email));
    EXPECT_EQ(s.result, AlertSubscribed::Result::pending);
    EXPECT_EQ(alerts.confirm(confirm_token(s.alert->id)).result, AlertChanged::Result::changed);
    return *alerts.live(token);
  }
};

}  // namespace

template <typename B>
using AgendaAlertStore = StoreTest<B>;
TYPED_TEST_SUITE(AgendaAlertStore, Backends, BackendNames);

TYPED_TEST(AgendaAlertStore, DoubleOptInOneLiveAlertPerAgendaAndThePerAddressLimit) {
  Store& store = *this->store_;
  Fixture f(store);
  const std::string token = f.agenda({"a"});

  EXPECT_TRUE(std::holds_alternative<FieldErrors>(f.alerts.subscribe(token, "not an address")));
  EXPECT_EQ(std::get<AlertSubscribed>(f.alerts.subscribe("A" + std::string(42, 'x'), "ada@example.org")).result,
            AlertSubscribed::Result::no_agenda);
  EXPECT_TRUE(store.list_outbox().empty());

  auto s = std::get<AlertSubscribed>(f.alerts.subscribe(token, " Ada@Example.org "));
  ASSERT_EQ(s.result, AlertSubscribed::Result::pending);
  EXPECT_EQ(s.alert->state, "pending");
  EXPECT_EQ(s.alert->email, "ada@example.org");
  // The confirmation message is an outbox row, due now, tied to the alert (no registration).
  auto confirms = rows_of(store, "alert_confirm");
  ASSERT_EQ(confirms.size(), 1u);
  EXPECT_EQ(confirms[0].alert_id, s.alert->id);
  EXPECT_FALSE(confirms[0].registration_id);
  EXPECT_EQ(confirms[0].due_at, kNow);
  auto delivery = store.find_outbox(confirms[0].id);
  ASSERT_TRUE(delivery && delivery->alert);
  EXPECT_EQ(delivery->email, "ada@example.org");
  EXPECT_EQ(delivery->alert->state, "pending");
  EXPECT_EQ(delivery->alert->followed, std::vector<std::string>{"a"});
  EXPECT_EQ(f.secret.open(delivery->alert->agenda_sealed), token);
  // Before confirming, no alert is live for publishes; a GET of the link changes nothing.
  const std::string confirm = f.confirm_token(s.alert->id);
  EXPECT_EQ(f.alerts.by_confirmation(confirm)->state, "pending");
  EXPECT_FALSE(f.alerts.by_confirmation(token)) << "the agenda's token is not a confirmation token";

  // Asking again for the same address re-sends the confirmation, up to the limit per address and day.
  f.clock.set(kNow + 60);
  EXPECT_EQ(std::get<AlertSubscribed>(f.alerts.subscribe(token, "ada@example.org")).result, AlertSubscribed::Result::pending);
  const std::string other = f.agenda({"b"});  // the limit counts the address across agendas
  EXPECT_EQ(std::get<AlertSubscribed>(f.alerts.subscribe(other, "ada@example.org")).result, AlertSubscribed::Result::pending);
  EXPECT_EQ(std::get<AlertSubscribed>(f.alerts.subscribe(token, "ada@example.org")).result, AlertSubscribed::Result::too_many);
  EXPECT_EQ(rows_of(store, "alert_confirm").size(), 3u);
  // Ending the alerts (which forgets the address) does not reset the count.
  EXPECT_TRUE(f.alerts.remove(token));
  EXPECT_TRUE(f.alerts.remove(other));
  EXPECT_EQ(std::get<AlertSubscribed>(f.alerts.subscribe(token, "ada@example.org")).result, AlertSubscribed::Result::too_many);
  EXPECT_EQ(rows_of(store, "alert_confirm").size(), 3u);
  EXPECT_EQ(f.alerts.by_confirmation(confirm)->ended_reason, "unsubscribed");
  EXPECT_EQ(f.alerts.confirm(confirm).result, AlertChanged::Result::unchanged) << "the removed alert's link is dead";
  f.clock.set(kNow + 86400 + 1);
  auto fresh = std::get<AlertSubscribed>(f.alerts.subscribe(token, "ada@example.org"));
  EXPECT_EQ(fresh.result, AlertSubscribed::Result::pending);
  EXPECT_NE(fresh.alert->id, s.alert->id);
  const std::string confirm_fresh = f.confirm_token(fresh.alert->id);

  EXPECT_EQ(f.alerts.confirm(confirm_fresh).result, AlertChanged::Result::changed);
  EXPECT_EQ(f.alerts.live(token)->state, "confirmed");
  EXPECT_EQ(f.alerts.confirm(confirm_fresh).result, AlertChanged::Result::unchanged);
  EXPECT_EQ(std::get<AlertSubscribed>(f.alerts.subscribe(token, "ada@example.org")).result,
            AlertSubscribed::Result::already_confirmed);
  EXPECT_EQ(f.alerts.confirm("B" + std::string(42, 'y')).result, AlertChanged::Result::unknown);

  // Another address replaces the first: the old alert ends and forgets its address.
  auto replaced = std::get<AlertSubscribed>(f.alerts.subscribe(token, "bo@example.org"));
  EXPECT_EQ(replaced.result, AlertSubscribed::Result::pending);
  EXPECT_NE(replaced.alert->id, fresh.alert->id);
  auto old = f.alerts.by_confirmation(confirm_fresh);
  EXPECT_EQ(old->state, "ended");
  EXPECT_EQ(old->ended_reason, "replaced");
  EXPECT_EQ(old->email, "");
  EXPECT_EQ(f.alerts.confirm(confirm_fresh).result, AlertChanged::Result::unchanged) << "an ended alert cannot be confirmed again";
  EXPECT_EQ(f.alerts.live(token)->email, "bo@example.org");

  // The visitor removes the alert on their device.
  EXPECT_TRUE(f.alerts.remove(token));
  EXPECT_FALSE(f.alerts.live(token));
  EXPECT_FALSE(f.alerts.remove(token));
}

TYPED_TEST(AgendaAlertStore, ConcurrentRequestsLeaveOneLiveAlert) {
  Store& store = *this->store_;
  Fixture f(store);
  const std::string token = f.agenda({"a"});
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] { f.alerts.subscribe(token, "p" + std::to_string(i) + "@example.org"); });
  for (auto& t : threads) t.join();
  int live = 0;
  for (const auto& m : rows_of(store, "alert_confirm")) {
    const auto d = store.find_outbox(m.id);
    if (d->alert->state != "ended") ++live;
  }
  EXPECT_EQ(live, 1);
  EXPECT_EQ(rows_of(store, "alert_confirm").size(), 6u);
  ASSERT_TRUE(f.alerts.live(token));
}

TYPED_TEST(AgendaAlertStore, PublishFoldsOneMessagePerConfirmedAlertAndUnsubscribeStopsIt) {
  Store& store = *this->store_;
  Fixture f(store);
  store.upsert_events({event("a"), event("b"), event("c")}, kNow);
  publish(store, f.clock);  // snapshot 1
  const std::string follows_ab = f.agenda({"a", "b"});
  const std::string follows_c = f.agenda({"c"});
  const std::string pending_a = f.agenda({"a"});
  const AgendaAlert ab = f.subscribe_confirmed(follows_ab, "ada@example.org");
  f.subscribe_confirmed(follows_c, "cy@example.org");
  std::get<AlertSubscribed>(f.alerts.subscribe(pending_a, "pat@example.org"));  // never confirmed: told nothing

  // a and b move: one message for the alert following both; nothing for c's or the unconfirmed one.
  Event a = event("a"), b = event("b");
  a.starts_at += 3600;
  a.ends_at += 3600;
  b.room = "Hall 2";
  store.upsert_events({a, b}, kNow + 10);
  f.clock.set(kNow + 10);
  // The store counts confirmed alerts per followed key and in all (the unconfirmed one is not counted).
  const AlertFollowers all = store.alert_followers({"a", "b", "c", "nope"});
  EXPECT_EQ(all.per_event, (std::map<std::string, std::int64_t>{{"a", 1}, {"b", 1}, {"c", 1}}));
  EXPECT_EQ(all.alerts, 2);
  EXPECT_EQ(store.alert_followers({"c"}).alerts, 1);
  EXPECT_EQ(store.alert_followers({}).alerts, 0);
  // The publish preview counts one message for the alert following both moved events.
  const NoticesPreview preview = Publisher(store, f.clock).preview_notices();
  ASSERT_EQ(preview.events.size(), 2u);
  for (const auto& p : preview.events) {
    EXPECT_TRUE(p.event_key == "a" || p.event_key == "b") << p.event_key;
    EXPECT_EQ(p.attendees, 0);
    EXPECT_EQ(p.followers, 1);
  }
  EXPECT_EQ(preview.attendee_messages, 0);
  EXPECT_EQ(preview.alert_messages, 1);
  EXPECT_EQ(preview.messages(), 1);
  publish(store, f.clock);  // snapshot 2
  auto rows = rows_of(store, "agenda_alert");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].alert_id, ab.id);
  EXPECT_EQ(rows[0].base_snapshot, 1);
  EXPECT_EQ(rows[0].snapshot_number, 2);
  EXPECT_EQ(rows[0].due_at, kNow + 10 + 600);
  EXPECT_EQ(rows[0].dedup_key, "agenda_alert:" + std::to_string(ab.id) + ":2");

  // Another edit in the quiet period folds into the same row.
  a.room = "Hall 3";
  store.upsert_events({a}, kNow + 100);
  f.clock.set(kNow + 100);
  publish(store, f.clock);  // snapshot 3
  rows = rows_of(store, "agenda_alert");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].revision, 1);
  EXPECT_EQ(rows[0].base_snapshot, 1);
  EXPECT_EQ(rows[0].snapshot_number, 3);
  EXPECT_EQ(rows[0].due_at, kNow + 100 + 600);

  // Delivery sees the address and the agenda's keys now.
  auto claimed = store.claim_outbox(kNow + 800, 10, 300, "w");
  const auto it = std::find_if(claimed.begin(), claimed.end(), [](const auto& d) { return d.message.kind == "agenda_alert"; });
  ASSERT_NE(it, claimed.end());
  EXPECT_EQ(it->email, "ada@example.org");
  EXPECT_EQ(it->alert->state, "confirmed");
  EXPECT_EQ(it->alert->followed, (std::vector<std::string>{"a", "b"}));
  // A publish while the row is held by a worker does not fold into it: a new row follows
  // with the newer change only (its base is the snapshot the held row tells).
  a.room = "Hall 4";
  store.upsert_events({a}, kNow + 801);
  f.clock.set(kNow + 801);
  publish(store, f.clock);  // snapshot 4
  EXPECT_TRUE(store.mark_outbox_sent(it->message.id, "w", it->message.revision, 3, kNow + 802));
  rows = rows_of(store, "agenda_alert");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].state, "sent");
  EXPECT_EQ(rows[1].state, "pending");
  EXPECT_EQ(rows[1].base_snapshot, 3);
  EXPECT_EQ(rows[1].snapshot_number, 4);

  // One-click unsubscribe: the alert ends, the address is gone from the store, later publishes write nothing.
  const std::string unsubscribe = f.unsubscribe_token(ab.id);
  EXPECT_EQ(f.alerts.by_unsubscribe(unsubscribe)->state, "confirmed");
  EXPECT_EQ(f.alerts.unsubscribe(unsubscribe).result, AlertChanged::Result::changed);
  EXPECT_EQ(f.alerts.unsubscribe(unsubscribe).result, AlertChanged::Result::unchanged);
  const auto after = store.find_outbox(rows[1].id);
  EXPECT_EQ(after->email, "") << "the pending message can no longer be sent";
  EXPECT_EQ(after->alert->state, "ended");
  EXPECT_EQ(f.alerts.by_unsubscribe(unsubscribe)->ended_reason, "unsubscribed");
  b.room = "Hall 5";
  store.upsert_events({b}, kNow + 900);
  f.clock.set(kNow + 900);
  publish(store, f.clock);
  EXPECT_EQ(rows_of(store, "agenda_alert").size(), 2u);
}

TYPED_TEST(AgendaAlertStore, ErasureRetentionAgendaDeletionAndBackups) {
  Store& store = *this->store_;
  Fixture f(store);
  Event a = event("a");
  a.retention_days = 10;
  store.upsert_events({a, event("b")}, kNow);
  const std::string t1 = f.agenda({"a"}), t2 = f.agenda({"a", "b"}), t3 = f.agenda({"a"}), t4 = f.agenda({"zz"});
  f.subscribe_confirmed(t1, "ada@example.org");
  f.subscribe_confirmed(t2, "ada@example.org");
  f.subscribe_confirmed(t3, "bo@example.org");
  f.subscribe_confirmed(t4, "zed@example.org");

  // Erasure: every alert of the address ends; audited without the address.
  EXPECT_EQ(f.alerts.erase("ADA@example.org", "staff token"), 2);
  EXPECT_FALSE(f.alerts.live(t1));
  EXPECT_FALSE(f.alerts.live(t2));
  EXPECT_EQ(f.alerts.live(t3)->email, "bo@example.org");
  EXPECT_EQ(f.alerts.erase("nobody@example.org", "staff token"), 0);
  EXPECT_FALSE(f.alerts.erase("not an address", "staff token"));
  bool audited = false;
  for (const auto& e : store.list_audit(50))
    if (e.action == "erase" && e.target == "agenda alerts") {
      audited = true;
      EXPECT_EQ(e.after.find('@'), std::string::npos) << e.after;
    }
  EXPECT_TRUE(audited);
  for (const auto& t : store.dump_tables())
    if (t.name == "agenda_alerts")
      for (const auto& row : t.rows)
        for (const auto& v : row) {
          EXPECT_NE(v.value_or(""), "ada@example.org");
        }

  // Retention: unconfirmed after a week; confirmed once every followed event in the store is past
  // its end + retention_days, or when none of its events is in the store.
  const std::string t5 = f.agenda({"b"});
  std::get<AlertSubscribed>(f.alerts.subscribe(t5, "pat@example.org"));
  // A confirmation link used after the week does not work, even before retention ran.
  const std::string late = f.agenda({"b"});
  const auto late_alert = std::get<AlertSubscribed>(f.alerts.subscribe(late, "lee@example.org")).alert;
  f.clock.set(kNow + 7 * 86400 + 1);
  const auto too_late = f.alerts.confirm(f.confirm_token(late_alert->id));
  EXPECT_EQ(too_late.result, AlertChanged::Result::unchanged);
  EXPECT_EQ(too_late.alert->state, "ended");
  EXPECT_EQ(too_late.alert->ended_reason, "not confirmed");
  EXPECT_EQ(purge_expired_alerts(store, f.clock, "scheduler"), 2);  // t5 (pending), and t4 (follows no event in the store)
  EXPECT_FALSE(f.alerts.live(t5));
  EXPECT_FALSE(f.alerts.live(t4));
  EXPECT_EQ(purge_expired_alerts(store, f.clock, "scheduler"), 0);
  f.clock.set(a.ends_at + 10 * 86400 + 1);
  EXPECT_EQ(purge_expired_alerts(store, f.clock, "scheduler"), 1);  // t3 follows a only

  // A backup carries the alerts; deleting an agenda deletes its alerts.
  bool dumped = false;
  for (const auto& t : store.dump_tables())
    if (t.name == "agenda_alerts") dumped = t.rows.size() == 6;
  EXPECT_TRUE(dumped);
  f.clock.set(kNow + std::int64_t{AgendaService::kRetentionDays + 400} * 86400);
  EXPECT_GT(f.agendas.purge(), 0);
  for (const auto& t : store.dump_tables())
    if (t.name == "agenda_alerts") {
      EXPECT_TRUE(t.rows.empty());
    }
}

TEST(AgendaAlertMask, KeepsTheFirstCharacterWholeAndHidesTheLength) {
  EXPECT_EQ(mask_email("ada@example.org"), "a•••@example.org");
  EXPECT_EQ(mask_email("a@example.org"), "a•••@example.org");
  EXPECT_EQ(mask_email("margaret.hamilton@example.org"), "m•••@example.org");
  EXPECT_EQ(mask_email("\xC3\xA9lodie@example.org"), "\xC3\xA9•••@example.org") << "é is two bytes";
  EXPECT_EQ(mask_email("nobody"), "•••");
}
