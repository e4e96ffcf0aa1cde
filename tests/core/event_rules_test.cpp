#include <gtest/gtest.h>

#include "core/event_key.hpp"
#include "core/event_query.hpp"
#include "core/validation.hpp"

using namespace marquee;

namespace {
Event ok_event() {
  Event e;
  e.key = "k";
  e.title = "Concert";
  e.starts_at = 2000000000;
  e.ends_at = 2000003600;
  e.time_zone = "Europe/Berlin";
  e.url = "https://example.org";
  return e;
}
bool has(const std::vector<RowIssue>& v, const std::string& field, Severity s) {
  for (const auto& i : v)
    if (i.field == field && i.severity == s) return true;
  return false;
}
}  // namespace

TEST(EventKey, StableAcrossCallsAndDistinctPerSource) {
  const auto a = derive_event_key("frab:36c3", "11223", "Opening Ceremony");
  EXPECT_EQ(a, derive_event_key("frab:36c3", "11223", "Opening Ceremony"));
  EXPECT_EQ(a.rfind("opening-ceremony-", 0), 0u);
  EXPECT_EQ(a.size(), std::string("opening-ceremony-").size() + 10);
  EXPECT_NE(a, derive_event_key("frab:35c3", "11223", "Opening Ceremony"));
  EXPECT_EQ(derive_event_key("ns", "1", "日本").rfind("event-", 0), 0u);
}

// FIPS 180-4 SHA-256, checked against NIST's examples; derived keys (which
// re-imports find events by) stay what they were.
TEST(EventKey, Sha256HexGivesTheStandardDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Either side of the length where OpenSSL takes over from libsodium (the same digests as Python's hashlib).
  const auto bytes = [](std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7) % 256);
    return s;
  };
  EXPECT_EQ(sha256_hex(bytes(65535)), "e5e7f7bb9e9de7a43126e80d57dc8ec6facc88cb8f17d6075b2dad558f12916d");
  EXPECT_EQ(sha256_hex(bytes(65536)), "d790e413479d16f4eab89ec0d18e3565e0982bd4788c26736a76d20ea781c901");
  EXPECT_EQ(derive_event_key("frab:36c3", "11223", "Opening Ceremony"), "opening-ceremony-2233d9fa84");
}

TEST(EventKey, ExplicitKeys) {
  EXPECT_EQ(normalize_explicit_key(" HL27-001 "), "hl27-001");
  EXPECT_FALSE(normalize_explicit_key("-leading"));
  EXPECT_FALSE(normalize_explicit_key("has space"));
  EXPECT_FALSE(normalize_explicit_key(std::string(81, 'a')));
  EXPECT_FALSE(normalize_explicit_key(""));
}

TEST(Validation, ErrorsRejectAndWarningsKeep) {
  EXPECT_TRUE(validate_event(ok_event(), true, 0, 2).empty());
  Event e = ok_event();
  e.title = "";
  e.ends_at = e.starts_at - 1;
  e.capacity = -1;
  auto issues = validate_event(e, true, 0, 7);
  EXPECT_TRUE(has(issues, "title", Severity::error));
  EXPECT_TRUE(has(issues, "ends_at", Severity::error));
  EXPECT_TRUE(has(issues, "capacity", Severity::error));
  EXPECT_EQ(issues.front().line, 7);

  Event w = ok_event();
  w.title = "OPEN AIR CONCERT";
  w.url = "www.example.org";
  auto warnings = validate_event(w, false, w.ends_at + 10, 3);
  EXPECT_TRUE(has(warnings, "title", Severity::warning));
  EXPECT_TRUE(has(warnings, "url", Severity::warning));
  EXPECT_TRUE(has(warnings, "ends_at", Severity::warning));    // no end given
  EXPECT_TRUE(has(warnings, "starts_at", Severity::warning));  // in the past
  for (const auto& i : warnings) EXPECT_EQ(i.severity, Severity::warning);
}

TEST(Validation, BatchDuplicateKeysAndSlots) {
  Event other = ok_event();
  other.key = "other";
  std::vector<std::pair<Event, std::int64_t>> records{{ok_event(), 2}, {ok_event(), 3}, {other, 4}};
  BatchChecker checker;
  std::vector<RowIssue> issues;
  std::vector<Event> batch;
  for (auto& [e, line] : records)
    if (checker.admit(e, line, issues)) batch.push_back(e);
  ASSERT_EQ(batch.size(), 2u);
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].line, 3);
  EXPECT_EQ(issues[0].severity, Severity::error);
  EXPECT_NE(issues[0].message.find("line 2"), std::string::npos);
  EXPECT_EQ(issues[1].severity, Severity::warning);  // same title, start, venue as line 2
  EXPECT_EQ(batch[1].warnings.size(), 1u);
}

namespace {
ProgrammePtr programme() {
  std::vector<ProgrammeEntry> entries;
  const char* dates[] = {"2027-06-11", "2027-06-11", "2027-06-12", "2027-06-13"};
  for (int i = 0; i < 4; ++i) {
    ProgrammeEntry p;
    p.event = ok_event();
    p.event.key = "e" + std::to_string(i);
    p.event.starts_at = 1000 + i * 100;
    p.event.category = i % 2 ? "Talks" : "Music";
    p.event.tags = {i == 3 ? "Outdoor" : "indoor"};
    p.event.title = i == 2 ? "Café Müller" : "Event " + std::to_string(i);
    p.local_date = dates[i];
    entries.push_back(p);
  }
  Event draft = ok_event();
  draft.key = "draft";
  draft.status = EventStatus::draft;
  entries.push_back(ProgrammeEntry{draft});
  return std::make_shared<const Programme>(std::move(entries), 7);
}
std::vector<std::string> keys(const QueryPage& p) {
  std::vector<std::string> out;
  for (auto* e : p.items) out.push_back(e->event.key);
  return out;
}
}  // namespace

TEST(EventQuery, FiltersAndDraftsHidden) {
  auto p = programme();
  EXPECT_EQ(p->entries().size(), 4u);
  EXPECT_EQ(p->find("draft"), nullptr);
  EventQuery q;
  q.category = "music";
  EXPECT_EQ(keys(*run_query(*p, q)), (std::vector<std::string>{"e0", "e2"}));
  q = {};
  q.from_date = "2027-06-12";
  EXPECT_EQ(keys(*run_query(*p, q)), (std::vector<std::string>{"e2", "e3"}));
  q = {};
  q.to_date = "2027-06-11";
  EXPECT_EQ(run_query(*p, q)->total, 2u);
  q = {};
  q.q = "cafe MULLER";
  EXPECT_EQ(keys(*run_query(*p, q)), (std::vector<std::string>{"e2"}));
  q = {};
  q.tag = "OUTDOOR";
  EXPECT_EQ(keys(*run_query(*p, q)), (std::vector<std::string>{"e3"}));
}

TEST(EventQuery, CursorPagination) {
  auto p = programme();
  EventQuery q;
  q.limit = 3;
  auto first = *run_query(*p, q);
  EXPECT_EQ(keys(first), (std::vector<std::string>{"e0", "e1", "e2"}));
  ASSERT_TRUE(first.next_cursor);
  EXPECT_EQ(first.total, 4u);
  q.cursor = *first.next_cursor;
  auto second = *run_query(*p, q);
  EXPECT_EQ(keys(second), (std::vector<std::string>{"e3"}));
  EXPECT_FALSE(second.next_cursor);
  q.cursor = "garbage";
  EXPECT_FALSE(run_query(*p, q));
}

#include "core/registration.hpp"

// The registration rate limit moved into the store (tests/store/accounts_test.cpp, AddressLimit).

TEST(AttendeeStates, AllowedMoves) {
  using S = AttendeeState;
  EXPECT_TRUE(can_move(S::confirmed, S::cancelled));
  EXPECT_TRUE(can_move(S::confirmed, S::checked_in));
  EXPECT_TRUE(can_move(S::waitlisted, S::confirmed));
  EXPECT_TRUE(can_move(S::waitlisted, S::cancelled));
  EXPECT_FALSE(can_move(S::waitlisted, S::checked_in));
  EXPECT_FALSE(can_move(S::cancelled, S::confirmed));
  EXPECT_FALSE(can_move(S::checked_in, S::cancelled));
  EXPECT_FALSE(can_move(S::confirmed, S::waitlisted));
}

TEST(Attendee, EmailsAndNames) {
  EXPECT_EQ(normalize_email(" Ann.Lee+tag@Example.ORG "), "ann.lee+tag@example.org");
  for (const char* bad : {"ann", "ann@", "@example.org", "ann@example", "a..b@example.org", "ann@exa mple.org",
                          "ann@.example.org", "ann@example.org."})
    EXPECT_FALSE(normalize_email(bad)) << bad;
  EXPECT_EQ(check_attendee("", "x@example.org").size(), 1u);
  EXPECT_EQ(check_attendee(std::string(201, 'a'), "x@example.org").size(), 1u);
  EXPECT_TRUE(check_attendee("Ann", "ann@example.org").empty());
}

TEST(Questions, ParseFormatAndCheck) {
  std::string error;
  auto qs = parse_questions("dietary | choice | required | Dietary | None; Vegan\nok | yes_no | optional | OK?", &error);
  ASSERT_TRUE(qs) << error;
  ASSERT_EQ(qs->size(), 2u);
  EXPECT_EQ(*parse_questions(format_questions(*qs), &error), *qs);
  EXPECT_FALSE(parse_questions("x | colour | required | X", &error));
  EXPECT_NE(error.find("unknown kind"), std::string::npos);
  EXPECT_FALSE(parse_questions("x | choice | required | X | only-one", &error));
  EXPECT_FALSE(parse_questions("a | text | optional | A\na | text | optional | B", &error));
  std::vector<std::pair<std::string, std::string>> errors;
  auto answers = check_answers(*qs, {{"dietary", "vegan"}, {"ok", "TRUE"}}, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(answers, (Answers{{"dietary", "Vegan"}, {"ok", "yes"}}));
  check_answers(*qs, {{"ok", "maybe"}, {"extra", "x"}}, &errors);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.first);
  EXPECT_EQ(fields, (std::vector<std::string>{"answers.extra", "answers.dietary", "answers.ok"}));
}

#include "core/roles.hpp"

TEST(Roles, Matrix) {
  EXPECT_TRUE(role_can(Role::owner, Capability::users, true));
  EXPECT_TRUE(role_can(Role::editor, Capability::content, true));
  EXPECT_FALSE(role_can(Role::editor, Capability::operate, true));
  EXPECT_TRUE(role_can(Role::operations, Capability::operate, true));
  EXPECT_FALSE(role_can(Role::operations, Capability::content, true));
  EXPECT_TRUE(role_can(Role::door, Capability::check_in, true));
  EXPECT_FALSE(role_can(Role::door, Capability::view, false));
  EXPECT_FALSE(role_can(Role::door, Capability::attendees, false));
  EXPECT_TRUE(role_can(Role::viewer, Capability::view, false));
  EXPECT_FALSE(role_can(Role::viewer, Capability::view, true));
  EXPECT_FALSE(role_can(Role::viewer, Capability::check_in, true));
  // Issue 13, item 4: personal data needs the attendees capability.
  EXPECT_FALSE(role_can(Role::viewer, Capability::attendees, false));
  EXPECT_TRUE(role_can(Role::operations, Capability::attendees, false));
  for (Role r : {Role::owner, Role::editor, Role::operations, Role::door, Role::viewer})
    EXPECT_TRUE(role_can(r, Capability::signed_in, true));
  EXPECT_EQ(parse_role("door"), Role::door);
  EXPECT_FALSE(parse_role("admin"));
}
