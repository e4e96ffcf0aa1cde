// Messages to a chosen set of attendees (issue 21) on SQLite and PostgreSQL:
// the audience (events, states, answers) counted and sent, one outbox row
// per recipient written in the transaction that marks the message sent,
// audited with the filter and the count; opted-out, erased and cancelled
// registrations left out; scheduled messages sent once when due (also by two
// instances at once) or never when cancelled; a wall time read in the
// festival's zone.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "app/attendee_messages.hpp"
#include "app/registration_service.hpp"
#include "support/event_builder.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

constexpr UnixSeconds kNow = 1795000000;  // 2026-11-18T11:06:40Z
constexpr UnixSeconds kStart = kNow + 86400 * 10;

Event event(const std::string& key, std::int64_t capacity = 2) {
  Event e = an_event(key).title("Talk " + key).at(kStart).registration(capacity, true);
  std::string error;
  e.questions = *parse_questions("diet | choice | required | Dietary needs | None; Vegan; Vegetarian", &error);
  return e;
}

struct Fixture {
  explicit Fixture(Store& s)
      : store(s), clock(kNow), registrations(s, clock, RegistrationOptions{1, 8, {}}),
        messages(s, clock, [] { return std::string("Europe/Berlin"); }, [this] { ++wakes; }) {}
  RegistrationReply join(const Event& e, const std::string& who, const std::string& diet = "None") {
    RegistrationInput in{"Person " + who, who + "@example.org", {{"diet", diet}}, ""};
    return registrations.register_attendee(e, in);
  }
  Store& store;
  ManualClock clock;
  RegistrationService registrations;
  AttendeeMessages messages;
  int wakes = 0;
};

MessageDraft draft(std::vector<std::string> events, std::string states = "confirmed, checked_in", std::string answers = "") {
  return MessageDraft{std::move(events), std::move(states), std::move(answers), "Doors open at 18:30",
                      "Bring your **ticket**.", ""};
}

// Registration ids with an attendee_message row of message `id`.
std::vector<std::int64_t> recipients_of(Store& store, std::int64_t id) {
  std::vector<std::int64_t> out;
  for (const auto& m : store.list_outbox())
    if (m.kind == "attendee_message" && m.dedup_key.rfind("attendee_message:" + std::to_string(id) + ":", 0) == 0)
      out.push_back(*m.registration_id);
  return out;
}

// The world of most tests: at event a, ana (Vegan) and ben (None, checked in)
// confirmed and cal waiting; at event b, dan (Vegan, opted out), eve
// (cancelled) and fay (erased).
struct World {
  Event a = event("a"), b = event("b", 5);
  std::int64_t ana = 0, ben = 0, cal = 0, dan = 0, eve = 0, fay = 0;
};

World world(Fixture& f) {
  World w;
  f.store.upsert_events({w.a, w.b}, kNow);
  w.ana = f.join(w.a, "ana", "Vegan").registration.id;
  const auto ben = f.join(w.a, "ben");
  w.ben = ben.registration.id;
  EXPECT_EQ(f.registrations.check_in(ben.registration.ticket_code, "door").result, CheckinResult::checked_in);
  const auto cal = f.join(w.a, "cal", "Vegan");
  EXPECT_EQ(cal.result, RegisterResult::waitlisted);
  w.cal = cal.registration.id;
  const auto dan = f.join(w.b, "dan", "Vegan");
  w.dan = dan.registration.id;
  EXPECT_TRUE(f.messages.set_opt_out(dan.token, true));
  const auto eve = f.join(w.b, "eve", "Vegan");
  w.eve = eve.registration.id;
  EXPECT_EQ(f.registrations.cancel(eve.token, "attendee").result, CancelResult::cancelled);
  w.fay = f.join(w.b, "fay", "Vegan").registration.id;
  EXPECT_TRUE(f.registrations.erase(w.fay, "operator"));
  return w;
}

}  // namespace

template <typename B>
using AttendeeMessageStore = StoreTest<B>;
TYPED_TEST_SUITE(AttendeeMessageStore, Backends, BackendNames);

TYPED_TEST(AttendeeMessageStore, SendingWritesOneRowPerRecipientWithTheMessageAndTheAudit) {
  Store& store = *this->store_;
  Fixture f(store);
  const World w = world(f);

  const CheckedMessage checked = f.messages.check(draft({"a", "b"}));
  ASSERT_TRUE(checked.errors.empty());
  EXPECT_EQ(checked.count.recipients, 2) << "ana and ben; cal waits, dan opted out, eve cancelled, fay erased";
  EXPECT_EQ(checked.count.opted_out, 1);
  EXPECT_EQ(checked.count.without_email, 1);
  EXPECT_EQ(checked.count.first_recipient, w.ana);
  EXPECT_TRUE(store.list_messages(10).empty()) << "checking stores nothing";

  const CreatedMessage created = f.messages.create(draft({"a", "b"}), "ops@example.org");
  ASSERT_TRUE(created.errors.empty());
  ASSERT_TRUE(created.message);
  EXPECT_EQ(created.message->state, MessageState::sent);
  EXPECT_EQ(created.message->recipients, 2);
  EXPECT_EQ(created.message->sent_at, kNow);
  EXPECT_EQ(created.message->created_by, "ops@example.org");
  EXPECT_EQ(recipients_of(store, created.message->id), (std::vector<std::int64_t>{w.ana, w.ben}));
  EXPECT_EQ(f.wakes, 1) << "the sender is woken for the new rows";

  // A claimed row carries the message's words for the composer.
  auto rows = store.claim_outbox(kNow, 100, 60, "test");
  int with_text = 0;
  for (const auto& r : rows)
    if (r.message.kind == "attendee_message") {
      ASSERT_TRUE(r.attendee_message);
      EXPECT_EQ(r.attendee_message->subject, "Doors open at 18:30");
      EXPECT_EQ(r.attendee_message->body, "Bring your **ticket**.");
      EXPECT_FALSE(r.opted_out);
      ++with_text;
    }
  EXPECT_EQ(with_text, 2);

  // Audited: the audience and the subject on creation, the count on sending.
  const auto audit = store.list_audit(10);
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "message_send");
  EXPECT_EQ(audit[0].target, "message " + std::to_string(created.message->id));
  EXPECT_EQ(audit[0].after, "2 recipients");
  EXPECT_EQ(audit[1].action, "message_create");
  EXPECT_EQ(audit[1].actor, "ops@example.org");
  EXPECT_NE(audit[1].after.find("events a, b; states confirmed, checked_in"), std::string::npos) << audit[1].after;
  EXPECT_EQ(audit[1].after.find("example.org"), std::string::npos) << "no personal data in the audit";
}

TYPED_TEST(AttendeeMessageStore, StatesAndAnswersChooseExactlyTheirSet) {
  Store& store = *this->store_;
  Fixture f(store);
  const World w = world(f);
  auto sent_to = [&](const MessageDraft& d) {
    const CreatedMessage c = f.messages.create(d, "ops");
    EXPECT_TRUE(c.errors.empty());
    return recipients_of(store, c.message->id);
  };
  EXPECT_EQ(sent_to(draft({"a"}, "checked_in")), (std::vector<std::int64_t>{w.ben})) << "only those who came";
  EXPECT_EQ(sent_to(draft({"a"}, "confirmed")), (std::vector<std::int64_t>{w.ana})) << "confirmed, not checked in";
  EXPECT_EQ(sent_to(draft({"a"}, "waitlisted")), (std::vector<std::int64_t>{w.cal}));
  EXPECT_EQ(sent_to(draft({"a", "b"}, "confirmed, waitlisted, checked_in", "diet=Vegan")),
            (std::vector<std::int64_t>{w.ana, w.cal})) << "dan opted out; eve cancelled; fay erased";
  EXPECT_EQ(sent_to(draft({"a"}, "confirmed, checked_in", "diet=Vegan\ndiet=None")), (std::vector<std::int64_t>{w.ana, w.ben}));
  // Opting back in counts again.
  ASSERT_TRUE(store.set_messages_opt_out(w.dan, false, kNow));
  EXPECT_FALSE(store.messages_opted_out(w.dan));
  EXPECT_EQ(sent_to(draft({"b"})), (std::vector<std::int64_t>{w.dan}));
}

TYPED_TEST(AttendeeMessageStore, ScheduledMessagesGoOnceWhenDueAndNeverOnceCancelled) {
  Store& store = *this->store_;
  Fixture f(store);
  const World w = world(f);
  MessageDraft later = draft({"a"});
  later.send_at = "2026-11-18T13:00";  // Berlin wall time (CET): 12:00 UTC = kNow + 3200 s
  const CreatedMessage scheduled = f.messages.create(later, "ops");
  ASSERT_TRUE(scheduled.errors.empty());
  EXPECT_EQ(scheduled.message->state, MessageState::scheduled);
  EXPECT_EQ(scheduled.message->send_at, kNow + 3200);
  MessageDraft other = draft({"a"});
  other.send_at = "2026-11-18T12:00:00Z";
  const CreatedMessage cancelled = f.messages.create(other, "ops");
  ASSERT_TRUE(cancelled.errors.empty());
  EXPECT_TRUE(recipients_of(store, scheduled.message->id).empty());

  EXPECT_EQ(f.messages.send_due(), 0);
  EXPECT_FALSE(f.messages.send(scheduled.message->id, "ops")) << "not due yet";
  EXPECT_TRUE(f.messages.cancel(cancelled.message->id, "ops"));
  EXPECT_FALSE(f.messages.cancel(cancelled.message->id, "ops")) << "cancelled already";

  f.clock.set(kNow + 3200);
  EXPECT_EQ(f.messages.send_due(), 1);
  EXPECT_EQ(recipients_of(store, scheduled.message->id), (std::vector<std::int64_t>{w.ana, w.ben}));
  EXPECT_EQ(f.messages.send_due(), 0);
  EXPECT_FALSE(f.messages.cancel(scheduled.message->id, "ops")) << "sent: too late to cancel";
  EXPECT_EQ(store.find_message(cancelled.message->id)->state, MessageState::cancelled);
  EXPECT_TRUE(recipients_of(store, cancelled.message->id).empty());
  EXPECT_EQ(store.list_audit(1).at(0).actor, "schedule");
}

TYPED_TEST(AttendeeMessageStore, TwoInstancesSendingTheSameMessageWriteItOnce) {
  Store& store = *this->store_;
  Fixture f(store);
  const Event e = event("big", 100);
  store.upsert_events({e}, kNow);
  for (int i = 0; i < 40; ++i) f.join(e, "p" + std::to_string(i));
  MessageDraft d = draft({"big"});
  d.send_at = "2026-11-18T12:00:00Z";
  const CreatedMessage m = f.messages.create(d, "ops");
  ASSERT_TRUE(m.errors.empty());
  f.clock.set(kNow + 3600);
  std::atomic<int> sent{0};
  std::atomic<std::int64_t> rows{0};
  std::latch go(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      AttendeeMessages instance(store, f.clock, {});
      go.arrive_and_wait();
      if (auto n = instance.send(m.message->id, "schedule")) {
        ++sent;
        rows += *n;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(sent.load(), 1);
  EXPECT_EQ(rows.load(), 40);
  EXPECT_EQ(recipients_of(store, m.message->id).size(), 40u);
  EXPECT_EQ(store.find_message(m.message->id)->recipients, 40);
}

TYPED_TEST(AttendeeMessageStore, DraftsAreCheckedFieldByField) {
  Store& store = *this->store_;
  Fixture f(store);
  world(f);
  MessageDraft d = draft({"a", "nope"}, "confirmed, cancelled", "diet");
  d.subject = "";
  d.send_at = "2026-11-17T09:00:00Z";  // yesterday
  const CreatedMessage c = f.messages.create(d, "ops");
  ASSERT_FALSE(c.message);
  std::vector<std::string> fields;
  for (const auto& [field, _] : c.errors) fields.push_back(field);
  EXPECT_EQ(fields, (std::vector<std::string>{"subject", "states", "answers", "events", "send_at"}));
  EXPECT_TRUE(store.list_messages(10).empty());
  d = draft({"a"});
  d.send_at = "next week";
  EXPECT_EQ(f.messages.check(d).errors.at(0).first, "send_at");
}

TYPED_TEST(AttendeeMessageStore, OptingOutIsByTokenAndSeenByDelivery) {
  Store& store = *this->store_;
  Fixture f(store);
  const Event e = event("a");
  store.upsert_events({e}, kNow);
  const auto ana = f.join(e, "ana");
  EXPECT_FALSE(f.messages.set_opt_out("not-a-token", true));
  // A row written before the opt-out is still claimed, flagged for the notifier to skip.
  ASSERT_TRUE(f.messages.create(draft({"a"}), "ops").message);
  auto g = f.messages.set_opt_out(ana.token, true);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->id, ana.registration.id);
  EXPECT_TRUE(f.messages.opted_out(ana.registration.id));
  bool flagged = false;
  for (const auto& r : store.claim_outbox(kNow, 100, 60, "test"))
    if (r.message.kind == "attendee_message") flagged = r.opted_out;
  EXPECT_TRUE(flagged);
  EXPECT_TRUE(f.messages.set_opt_out(ana.token, false));
  EXPECT_FALSE(f.messages.opted_out(ana.registration.id));
}

TYPED_TEST(AttendeeMessageStore, ARepeatWithTheSameKeyMakesNoSecondMessage) {
  Store& store = *this->store_;
  Fixture f(store);
  const World w = world(f);
  MessageDraft d = draft({"a"});
  d.idempotency_key = "form-nonce-1";
  const CreatedMessage first = f.messages.create(d, "ops");
  ASSERT_TRUE(first.message);
  d.subject = "Changed after a double click";
  const CreatedMessage again = f.messages.create(d, "ops");
  ASSERT_TRUE(again.message);
  EXPECT_EQ(again.message->id, first.message->id);
  EXPECT_EQ(again.message->subject, "Doors open at 18:30") << "the first one stands";
  EXPECT_EQ(store.list_messages(10).size(), 1u);
  EXPECT_EQ(recipients_of(store, first.message->id), (std::vector<std::int64_t>{w.ana, w.ben})) << "sent once";
  d.idempotency_key = "form-nonce-2";
  EXPECT_NE(f.messages.create(d, "ops").message->id, first.message->id);
}

TYPED_TEST(AttendeeMessageStore, PeopleRegisteredForSeveralEventsAreCountedOnce) {
  Store& store = *this->store_;
  Fixture f(store);
  const World w = world(f);
  RegistrationInput again{"Person ana", "ana@example.org", {{"diet", "None"}}, ""};
  ASSERT_EQ(f.registrations.register_attendee(w.b, again).result, RegisterResult::confirmed);
  const AudienceCount c = f.messages.check(draft({"a", "b"})).count;
  EXPECT_EQ(c.recipients, 3) << "ana twice (a and b) and ben: one e-mail per registration";
  EXPECT_EQ(c.people, 2);
}
