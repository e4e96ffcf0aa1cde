// The admission rule (core/admission), table-driven: every branch, and the
// boundaries (last place, capacity 0, unlimited, closed at the start time).
#include "core/admission.hpp"

#include <gtest/gtest.h>

namespace marquee {
namespace {

using R = RegisterResult;

struct Case {
  const char* name;
  AdmissionFacts event;
  std::vector<AdmissionRequest> requests;
  std::map<std::string, PriorKey> prior;
  std::set<std::string> active;
  std::vector<R> expected;
  std::int64_t add_confirmed;
  std::int64_t add_waitlisted;
};

AdmissionFacts open_event(std::optional<std::int64_t> capacity, std::int64_t confirmed, bool waitlist = false) {
  return AdmissionFacts{true, waitlist, capacity, confirmed};
}

AdmissionRequest req(std::string email, std::string key = "", std::string hash = "h") {
  return AdmissionRequest{std::move(email), std::move(key), std::move(hash)};
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"free place confirms", open_event(10, 3), {req("a@x.org")}, {}, {}, {R::confirmed}, 1, 0},
      {"the last place confirms, the next is full", open_event(2, 1), {req("a@x.org"), req("b@x.org")}, {}, {},
       {R::confirmed, R::full}, 1, 0},
      {"the last place confirms, the next waits", open_event(2, 1, true), {req("a@x.org"), req("b@x.org")}, {}, {},
       {R::confirmed, R::waitlisted}, 1, 1},
      {"capacity 0 has no place", open_event(0, 0), {req("a@x.org")}, {}, {}, {R::full}, 0, 0},
      {"capacity 0 with a waiting list waits", open_event(0, 0, true), {req("a@x.org")}, {}, {}, {R::waitlisted}, 0, 1},
      {"over capacity (lowered since) stays full", open_event(2, 5, true), {req("a@x.org")}, {}, {}, {R::waitlisted}, 0, 1},
      {"unlimited always confirms", open_event(std::nullopt, 100000),
       {req("a@x.org"), req("b@x.org"), req("c@x.org")}, {}, {}, {R::confirmed, R::confirmed, R::confirmed}, 3, 0},
      {"closed refuses", AdmissionFacts{false, true, 10, 0}, {req("a@x.org")}, {}, {}, {R::registration_closed}, 0, 0},
      {"an active e-mail is a duplicate", open_event(10, 0), {req("a@x.org")}, {}, {"a@x.org"},
       {R::duplicate_email}, 0, 0},
      {"the same e-mail twice in a batch", open_event(10, 0), {req("a@x.org"), req("a@x.org")}, {}, {},
       {R::confirmed, R::duplicate_email}, 1, 0},
      {"a waitlisted e-mail counts as taken", open_event(1, 1, true), {req("a@x.org"), req("a@x.org")}, {}, {},
       {R::waitlisted, R::duplicate_email}, 0, 1},
      {"a refused e-mail may try again in the batch", open_event(1, 1), {req("a@x.org"), req("a@x.org")}, {}, {},
       {R::full, R::full}, 0, 0},
      {"a stored key with the same request replays", open_event(1, 1), {req("a@x.org", "k1", "h1")},
       {{"k1", PriorKey{7, "h1"}}}, {"a@x.org"}, {R::replayed}, 0, 0},
      {"a stored key with another request is a mismatch", open_event(10, 1), {req("b@x.org", "k1", "h2")},
       {{"k1", PriorKey{7, "h1"}}}, {}, {R::idempotency_mismatch}, 0, 0},
      {"a replay is answered even when closed", AdmissionFacts{false, false, 1, 1}, {req("a@x.org", "k1", "h1")},
       {{"k1", PriorKey{7, "h1"}}}, {}, {R::replayed}, 0, 0},
      {"a retry within the batch replays", open_event(10, 0), {req("a@x.org", "k", "h"), req("a@x.org", "k", "h")},
       {}, {}, {R::confirmed, R::replayed}, 1, 0},
      {"another request under a key of the batch is a mismatch", open_event(10, 0),
       {req("a@x.org", "k", "h"), req("b@x.org", "k", "other")}, {}, {}, {R::confirmed, R::idempotency_mismatch}, 1, 0},
      {"a key whose request was refused is decided afresh", open_event(0, 0),
       {req("a@x.org", "k", "h"), req("a@x.org", "k", "h")}, {}, {}, {R::full, R::full}, 0, 0},
  };
  return all;
}

TEST(Admission, EveryBranch) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const AdmissionPlan plan = admit(c.event, c.requests, c.prior, c.active);
    ASSERT_EQ(plan.admissions.size(), c.expected.size());
    for (std::size_t i = 0; i < c.expected.size(); ++i) EXPECT_EQ(plan.admissions[i].result, c.expected[i]) << i;
    EXPECT_EQ(plan.add_confirmed, c.add_confirmed);
    EXPECT_EQ(plan.add_waitlisted, c.add_waitlisted);
  }
}

TEST(Admission, NeverConfirmsPastCapacity) {
  for (std::int64_t capacity = 0; capacity < 6; ++capacity)
    for (std::int64_t taken = 0; taken <= capacity + 1; ++taken) {
      std::vector<AdmissionRequest> many;
      for (int i = 0; i < 8; ++i) many.push_back(req("p" + std::to_string(i) + "@x.org"));
      const auto plan = admit(open_event(capacity, taken, true), many, {}, {});
      EXPECT_EQ(plan.add_confirmed, std::max<std::int64_t>(0, capacity - taken));
      EXPECT_EQ(plan.add_confirmed + plan.add_waitlisted, 8);
    }
}

TEST(Admission, ReplaysPointAtWhatTheyRepeat) {
  const auto stored = admit(open_event(5, 0), {req("a@x.org", "k1", "h1")}, {{"k1", PriorKey{42, "h1"}}}, {});
  EXPECT_EQ(stored.admissions[0].prior_id, 42);
  EXPECT_FALSE(stored.admissions[0].same_batch_as);
  EXPECT_FALSE(stored.admissions[0].write());
  const auto batch = admit(open_event(5, 0), {req("b@x.org"), req("a@x.org", "k", "h"), req("a@x.org", "k", "h")}, {}, {});
  EXPECT_EQ(batch.admissions[2].same_batch_as, std::optional<std::size_t>(1));
  EXPECT_TRUE(batch.admissions[1].write());
  EXPECT_FALSE(batch.admissions[2].write());
}

TEST(Admission, ClosedFromTheStartTime) {
  const UnixSeconds start = 2'000'000'000;
  EXPECT_TRUE(registration_open(true, true, start, start - 1));
  EXPECT_FALSE(registration_open(true, true, start, start));
  EXPECT_FALSE(registration_open(true, true, start, start + 1));
  EXPECT_FALSE(registration_open(false, true, start, start - 1));
  EXPECT_FALSE(registration_open(true, false, start, start - 1));
  Event e;
  e.status = EventStatus::published;
  e.registration = true;
  e.starts_at = start;
  EXPECT_TRUE(registration_open(e, start - 60));
  e.status = EventStatus::cancelled;
  EXPECT_FALSE(registration_open(e, start - 60));
}

TEST(Admission, EveryResultHasItsStatusAndText) {
  struct Row {
    R result;
    int status;
    bool refusal;
  };
  for (const Row& row : {Row{R::confirmed, 201, false}, Row{R::waitlisted, 202, false}, Row{R::replayed, 0, false},
                         Row{R::full, 409, true}, Row{R::duplicate_email, 409, true},
                         Row{R::idempotency_mismatch, 422, true}, Row{R::event_not_found, 404, true},
                         Row{R::registration_closed, 409, true}}) {
    const auto& t = register_result_text(row.result);
    EXPECT_EQ(t.status, row.status);
    EXPECT_EQ(!t.problem_type.empty(), row.refusal);
    EXPECT_EQ(!t.page_message.empty(), row.refusal);
    EXPECT_EQ(!register_result_detail(row.result, "k", 3).empty(), row.refusal);
  }
  EXPECT_EQ(register_result_detail(R::full, "k", 12), "All 12 places are taken and this event has no waiting list.");
  EXPECT_EQ(register_result_detail(R::full, "k", std::nullopt), "All places are taken and this event has no waiting list.");
  EXPECT_EQ(register_result_detail(R::event_not_found, "hl27-001", std::nullopt), "No event has the key 'hl27-001'");
}

}  // namespace
}  // namespace marquee
