// Domain rules of `marquee pipeline`: normalization, patches, the programme
// lock, allocation, suppression of small counts and the privacy guard.
#include <gtest/gtest.h>

#include "core/pipeline/disclosure.hpp"
#include "core/pipeline/duplicates.hpp"
#include "core/pipeline/patch.hpp"
#include "core/pipeline/privacy_guard.hpp"
#include "core/pipeline/registrant.hpp"
#include "core/pipeline/schedule.hpp"

using namespace marquee;
using namespace marquee::pipeline;

TEST(PipelineNormalize, EmailsAreTrimmedAndCaseFolded) {
  EXPECT_EQ(normalize_email("  Anna.Schmidt@Example.ORG ").value, "anna.schmidt@example.org");
  EXPECT_EQ(normalize_email("Jürgen@Example.org").value, "jürgen@example.org");
  EXPECT_FALSE(normalize_email("anna at example").note.empty());
  EXPECT_TRUE(normalize_email("").value.empty());
}

TEST(PipelineNormalize, PhonesBecomeInternational) {
  EXPECT_EQ(normalize_phone("0151 2345678", "49").value, "+491512345678");
  EXPECT_EQ(normalize_phone("+49 151-234 5678", "49").value, "+491512345678");
  EXPECT_EQ(normalize_phone("0049 151 2345678", "49").value, "+491512345678");
  EXPECT_EQ(normalize_phone("+351 912 345 678", "49").value, "+351912345678");
  const auto short_number = normalize_phone("12 34", "49");
  EXPECT_EQ(short_number.value, "1234");
  EXPECT_FALSE(short_number.note.empty());
}

TEST(PipelineNormalize, NamesAreCollapsedAndCapitalizedWhenShouted) {
  EXPECT_EQ(normalize_name("  ANNA   SCHMIDT ").value, "Anna Schmidt");
  EXPECT_EQ(normalize_name("jürgen müller").value, "Jürgen Müller");
  EXPECT_EQ(normalize_name("Anna\xE3\x80\x80van der Berg").value, "Anna van der Berg");  // U+3000, mixed case kept
}

TEST(PipelineNormalize, YesNoListsChoicesAndStatus) {
  EXPECT_EQ(normalize_yes_no(" Y ", nullptr).value, "yes");
  EXPECT_EQ(normalize_yes_no("nein", nullptr).value, "no");
  EXPECT_FALSE(normalize_yes_no("maybe", nullptr).note.empty());
  ValueMap diet{{{"none", "none"}, {"vegetarian", "vegetarian"}, {"vegan", "vegan"}}, std::string("other")};
  EXPECT_EQ(map_list("Vegetarian, VEGAN;  Vegetarian", &diet).value, "vegan; vegetarian");
  const auto odd = map_list("Vegan, Paleo", &diet);
  EXPECT_EQ(odd.value, "other; vegan");
  EXPECT_NE(odd.note.find("Paleo"), std::string::npos);
  ValueMap regions{{{"hh", "Hamburg"}}, std::nullopt};
  EXPECT_EQ(map_choice(" hh ", &regions).value, "Hamburg");
  EXPECT_EQ(map_choice("Kiel", &regions).value, "Kiel");  // no fallback: kept as written, with a note
  EXPECT_FALSE(map_choice("Kiel", &regions).note.empty());
  ValueMap statuses{{{"refunded", "cancelled"}}, std::nullopt};
  EXPECT_EQ(normalize_status("Refunded", &statuses).value, "cancelled");
  EXPECT_EQ(normalize_status("", &statuses).value, "active");
}

TEST(PipelineKeys, StableAndSourceScoped) {
  EXPECT_EQ(registrant_key("forms", {"8/1/2026 10:00:00", "a@example.org"}),
            registrant_key("forms", {"8/1/2026 10:00:00", "a@example.org"}));
  EXPECT_NE(registrant_key("forms", {"1"}), registrant_key("pretix", {"1"}));
  EXPECT_EQ(registrant_key("forms", {"1"}).size(), 14u);
}

namespace {

struct PatchFixture : ::testing::Test {
  std::map<std::string, FieldSpec> fields = {
      {"region", {"region", FieldKind::choice, false, true, "", ""}},
      {"email", {"email", FieldKind::email, true, false, "", ""}},
  };
  std::vector<Registrant> people;
  PatchContext ctx;
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      Registrant r;
      r.key = "r-" + std::to_string(i);
      r.source = "forms";
      r.row_index = static_cast<std::size_t>(i);
      r.values = {{"region", i == 2 ? "Hamburg" : "Other"}, {"email", "p" + std::to_string(i) + "@example.org"}};
      people.push_back(r);
    }
    ctx.fields = &fields;
    ctx.normalize = [](const FieldSpec& spec, std::string_view text) -> Normalized {
      if (spec.kind == FieldKind::email) return normalize_email(text);
      return {std::string(text), ""};
    };
    ctx.raw_column = [](const Registrant& r, std::string_view column) -> std::optional<std::string> {
      if (column != "Order code") return std::nullopt;
      return r.row_index == 0 ? "ABC" : "XYZ";  // rows 1 and 2 share a code
    };
  }
  Patch patch(std::string record, std::string field, std::string old_value, std::string new_value, int line) {
    Patch p;
    p.file = "config/patches/a.toml";
    p.line = line;
    p.record = std::move(record);
    p.field = std::move(field);
    p.old_value = std::move(old_value);
    p.new_value = std::move(new_value);
    p.reason = "typo";
    p.author = "mk";
    p.date = "2026-08-03";
    return p;
  }
};

}  // namespace

TEST_F(PatchFixture, AppliesAndTraces) {
  std::vector<std::string> errors;
  std::vector<Patch> patches = {patch("r-0", "region", "Other", "Hamburg", 3),
                                patch("r-1", "email", "P1@Example.org", "new@example.org", 12)};
  auto applied = apply_patches(people, patches, ctx, &errors);
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(people[0].value("region"), "Hamburg");
  EXPECT_EQ(applied[0].before, "Other");
  ASSERT_EQ(people[0].trace["region"].size(), 1u);
  EXPECT_EQ(people[0].trace["region"][0].where, "config/patches/a.toml:3");
  EXPECT_EQ(people[1].value("email"), "new@example.org");  // old compared after normalization
}

// A patch finds its record by key whether the registrants are in key order
// (a build's: a binary search) or not (a map of their keys).
TEST_F(PatchFixture, RecordsAreFoundInAnyOrder) {
  for (const bool reversed : {false, true}) {
    people.clear();
    SetUp();
    if (reversed) std::reverse(people.begin(), people.end());
    std::vector<std::string> errors;
    const std::vector<Patch> patches = {patch("r-2", "region", "Hamburg", "Bremen", 3),
                                        patch("r-0", "region", "Other", "Kiel", 4),
                                        patch("r-9", "region", "Other", "Kiel", 5),
                                        patch("r-05", "region", "Other", "Kiel", 6)};  // between r-0 and r-1
    const auto applied = apply_patches(people, patches, ctx, &errors);
    ASSERT_EQ(applied.size(), 2u) << reversed;
    for (const auto& r : people) {
      const std::string want = r.key == "r-2" ? "Bremen" : r.key == "r-0" ? "Kiel" : "Other";
      EXPECT_EQ(r.value("region"), want) << r.key << (reversed ? " (reversed)" : "");
    }
    EXPECT_EQ(errors, (std::vector<std::string>{"config/patches/a.toml:5: no registrant has the key r-9",
                                                "config/patches/a.toml:6: no registrant has the key r-05"}));
  }
}

TEST_F(PatchFixture, EveryErrorNamesFileAndLine) {
  std::vector<std::string> errors;
  Patch by_match = patch("", "region", "Other", "Berlin", 30);
  by_match.match = {{"Order code", "XYZ"}};
  Patch no_match = by_match;
  no_match.line = 40;
  no_match.match = {{"Order code", "NOPE"}};
  std::vector<Patch> patches = {patch("r-9", "region", "Other", "Hamburg", 3),       // no target
                                patch("r-0", "colour", "", "red", 8),               // unknown field
                                patch("r-2", "region", "Other", "Berlin", 13),      // old value differs
                                patch("r-0", "region", "Other", "Kiel", 18),        // applies
                                patch("r-0", "region", "Kiel", "Lübeck", 23),       // conflict with line 18
                                patch("r-1", "email", "p1@example.org", "not an address", 27),  // bad new value
                                by_match, no_match};
  auto applied = apply_patches(people, patches, ctx, &errors);
  ASSERT_EQ(applied.size(), 1u);
  ASSERT_EQ(errors.size(), 7u);
  EXPECT_EQ(errors[0], "config/patches/a.toml:3: no registrant has the key r-9");
  EXPECT_NE(errors[1].find("a.toml:8: unknown field \"colour\""), std::string::npos);
  EXPECT_NE(errors[2].find("a.toml:13: expected region of r-2 to be \"Other\" but it is \"Hamburg\""), std::string::npos);
  EXPECT_NE(errors[3].find("a.toml:23: conflicts with the patch at config/patches/a.toml:18"), std::string::npos);
  EXPECT_NE(errors[4].find("a.toml:27: new value for email is not usable"), std::string::npos);
  EXPECT_NE(errors[5].find("a.toml:30: 2 rows match Order code = \"XYZ\" (r-1, r-2)"), std::string::npos);
  EXPECT_NE(errors[6].find("a.toml:40: no row matches Order code = \"NOPE\""), std::string::npos);
  EXPECT_EQ(people[0].value("region"), "Kiel");
  EXPECT_EQ(people[1].value("email"), "p1@example.org");  // failed patches change nothing
}

namespace {

Event session(const std::string& key, UnixSeconds start, UnixSeconds end, std::optional<std::int64_t> capacity = {}) {
  Event e;
  e.key = key;
  e.title = key;
  e.starts_at = start;
  e.ends_at = end;
  e.time_zone = "Europe/Berlin";
  e.room = "Saal 1";
  e.capacity = capacity;
  return e;
}

Registrant person(const std::string& key, std::int64_t when, const std::string& sessions) {
  Registrant r;
  r.key = key;
  r.registered_at = when;
  r.values = {{"sessions", sessions}, {"status", "active"}};
  return r;
}

}  // namespace

TEST(PipelineSchedule, OverridesAndTheLock) {
  std::vector<Event> baseline = {session("talk", 1000, 2000), session("walk", 3000, 4000)};
  std::vector<Event> current = baseline;
  current[0].room = "Saal 2";  // changed in the programme file after the lock
  Override cancel;
  cancel.file = "config/overrides.toml";
  cancel.line = 3;
  cancel.session = "walk";
  cancel.cancelled = true;
  std::vector<Override> overrides = {cancel};
  std::vector<std::string> errors;
  auto applied = apply_overrides(current, overrides, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(current[1].status, EventStatus::cancelled);
  auto changed = check_lock(baseline, current, overrides, "2026-08-15", &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("session talk: room changed from \"Saal 1\" to \"Saal 2\" after the programme lock on 2026-08-15"),
            std::string::npos);
  Override room;
  room.file = "config/overrides.toml";
  room.line = 9;
  room.session = "talk";
  room.room = "Saal 2";
  overrides.push_back(room);
  errors.clear();
  changed = check_lock(baseline, current, overrides, "2026-08-15", &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(changed, (std::vector<std::string>{"talk", "walk"}));
  Override twice = room;
  twice.line = 15;
  std::vector<Override> clash = {room, twice};
  errors.clear();
  apply_overrides(current, clash, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("overrides.toml:15: conflicts with the override at config/overrides.toml:9"), std::string::npos);
}

TEST(PipelineSchedule, FirstComeFirstServedWithWaitingListAndConflicts) {
  std::vector<Event> sessions = {session("a", 1000, 2000, 2), session("b", 1500, 2500), session("c", 5000, 6000)};
  sessions[2].status = EventStatus::cancelled;
  std::vector<Registrant> people = {person("r-1", 30, "a; b"), person("r-2", 10, "a"), person("r-3", 20, "a; c"),
                                    person("r-4", 0, "a")};  // unknown time: last
  auto alloc = allocate(sessions, people, {}, std::nullopt);
  EXPECT_EQ(alloc.sessions[0].confirmed, (std::vector<std::size_t>{1, 2}));   // r-2, r-3
  EXPECT_EQ(alloc.sessions[0].waitlisted, (std::vector<std::size_t>{0, 3}));  // r-1, r-4
  EXPECT_EQ(alloc.sessions[2].affected, (std::vector<std::size_t>{2}));
  EXPECT_TRUE(alloc.conflicts.empty());  // r-1 waits for a, so no overlap
  auto roomy = allocate(sessions, people, {{"a", 10}}, std::nullopt);
  ASSERT_EQ(roomy.conflicts.size(), 1u);
  EXPECT_EQ(people[roomy.conflicts[0].registrant].key, "r-1");
  EXPECT_EQ(roomy.conflicts[0].first, "a");
  EXPECT_EQ(roomy.conflicts[0].second, "b");
}

// Registrants at the same time are seated by key, whether they come in key
// order (a build's, where the index stands for the key) or not.
TEST(PipelineSchedule, TiesGoByKeyInAnyOrder) {
  const std::vector<Event> sessions = {session("a", 1000, 2000, 2), session("b", 1500, 2500)};
  auto seated = [&](const std::vector<Registrant>& people) {
    const auto alloc = allocate(sessions, people, {}, std::nullopt);
    std::vector<std::string> confirmed, waiting, conflicts;
    for (auto i : alloc.sessions[0].confirmed) confirmed.push_back(people[i].key);
    for (auto i : alloc.sessions[0].waitlisted) waiting.push_back(people[i].key);
    for (const auto& c : alloc.conflicts) conflicts.push_back(people[c.registrant].key);
    return std::vector<std::vector<std::string>>{confirmed, waiting, conflicts};
  };
  const std::vector<std::vector<std::string>> expected = {{"r-1", "r-2"}, {"r-3", "r-4"}, {"r-1", "r-2"}};
  std::vector<Registrant> sorted = {person("r-1", 10, "a; b"), person("r-2", 10, "a; b"), person("r-3", 10, "a"),
                                    person("r-4", 0, "a")};
  EXPECT_EQ(seated(sorted), expected);
  std::vector<Registrant> shuffled = {sorted[3], sorted[2], sorted[0], sorted[1]};
  EXPECT_EQ(seated(shuffled), expected);
  std::vector<Registrant> reversed(sorted.rbegin(), sorted.rend());
  EXPECT_EQ(seated(reversed), expected);
}

TEST(PipelineSchedule, AssignRulesAddSessions) {
  std::vector<Event> sessions = {session("briefing", 0, 100)};
  std::vector<Registrant> people = {person("r-1", 1, ""), person("r-2", 2, "")};
  people[0].values["category"] = "Volunteer";
  AssignRule rule{"config/schedule-rules.toml", 12, {{"category", "volunteer"}}, {"briefing"}};
  std::vector<std::string> errors;
  apply_assign_rules(people, {rule}, sessions, &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(people[0].value("sessions"), "briefing");
  EXPECT_EQ(people[1].value("sessions"), "");
  EXPECT_EQ(people[0].trace["sessions"].at(0).kind, "rule");
  AssignRule bad{"config/schedule-rules.toml", 20, {}, {"nope"}};
  apply_assign_rules(people, {bad}, sessions, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("schedule-rules.toml:20: no session has the key \"nope\""), std::string::npos);
}

TEST(PipelineDuplicates, SameEmailOrSameNameAndPhoneAreReportedNotMerged) {
  std::vector<Registrant> people(4);
  for (int i = 0; i < 4; ++i) people[i].key = "r-" + std::to_string(i);
  people[0].values = {{"email", "a@x.org"}, {"name", "Anna S"}, {"phone", "+491"}};
  people[1].values = {{"email", "a@x.org"}};
  people[2].values = {{"email", "b@x.org"}, {"name", "ANNA S"}, {"phone", "+491"}};
  people[3].values = {{"email", "a@x.org"}, {"status", "duplicate"}};  // already resolved
  auto groups = find_duplicates(people);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].reason, "same e-mail");
  EXPECT_EQ(groups[0].members, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(groups[1].reason, "same name and phone");
  EXPECT_EQ(groups[1].members, (std::vector<std::size_t>{0, 2}));
}

TEST(PipelineDuplicates, GroupsAndMembersAreInKeyOrderWhateverTheIndexOrder) {
  // Indexes and keys in different orders; three e-mail groups, one name-and-phone group.
  const std::vector<std::string> keys = {"r-f", "r-b", "r-e", "r-a", "r-d", "r-c", "r-g"};
  const std::vector<std::string> emails = {"z@x.org", "y@x.org", "z@x.org", "y@x.org", "w@x.org", "w@x.org", ""};
  std::vector<Registrant> people(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    people[i].key = keys[i];
    people[i].values = {{"email", emails[i]}};
  }
  people[6].values = {{"name", "Öz Ada"}, {"phone", "+4940"}};
  people[0].values = {{"email", "z@x.org"}, {"name", "oz  ada"}, {"phone", "+4940"}};
  auto groups = find_duplicates(people);
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].members, (std::vector<std::size_t>{3, 1}));  // r-a, r-b (y@)
  EXPECT_EQ(groups[1].members, (std::vector<std::size_t>{5, 4}));  // r-c, r-d (w@)
  EXPECT_EQ(groups[2].members, (std::vector<std::size_t>{2, 0}));  // r-e, r-f (z@)
  EXPECT_EQ(groups[3].reason, "same name and phone");
  EXPECT_EQ(groups[3].members, (std::vector<std::size_t>{0, 6}));  // r-f, r-g
}

TEST(PipelineDisclosure, SmallCountsAndTheirComplementAreSuppressed) {
  std::vector<CountCell> cells = {{"Hamburg", 40}, {"Kiel", 7}, {"Denmark", 3}, {"Berlin", 0}};
  suppress_small_counts(cells, 5);
  EXPECT_FALSE(cells[0].suppressed);
  EXPECT_TRUE(cells[1].suppressed);  // secondary: else 3 = total - 40 - 7
  EXPECT_TRUE(cells[2].suppressed);
  EXPECT_FALSE(cells[3].suppressed);  // zero discloses nobody
  std::vector<CountCell> two_small = {{"a", 40}, {"b", 2}, {"c", 1}};
  suppress_small_counts(two_small, 5);
  EXPECT_FALSE(two_small[0].suppressed);
}

TEST(PipelinePrivacyGuard, FindsWordSequencesNotSubstrings) {
  using Found = std::vector<PersonalValues::Origin>;
  enum : PersonalValues::Origin { name_of_r1 = 7, email_of_r1 = 3, notes_of_r2 = 9 };
  PersonalValues values(5);
  values.add("Anna Schmidt", name_of_r1);
  values.add("anna.schmidt@example.org", email_of_r1);
  values.add("No", notes_of_r2);  // too short to identify anyone
  EXPECT_EQ(values.size(), 2u);
  EXPECT_TRUE(values.find_in("Annabelle Schmidtke and anna schmidtova").empty());
  EXPECT_EQ(values.find_in("<td>ANNA&nbsp;Schmidt</td>"), Found{});  // entities are decoded by the caller
  EXPECT_EQ(values.find_in("Speaker: anna  SCHMIDT."), Found{name_of_r1});
  EXPECT_EQ(values.find_in("mail anna.schmidt@example.org or anna-schmidt"),
            (Found{name_of_r1, email_of_r1}));  // the address starts with the name
  values.allow("Anna Schmidt");
  EXPECT_EQ(values.find_in("Anna Schmidt"), Found{});
  EXPECT_EQ(values.size(), 1u);
}

TEST(PipelinePrivacyGuard, FirstOriginWinsAndAllowHoldsForLaterValues) {
  using Found = std::vector<PersonalValues::Origin>;
  PersonalValues values(5);
  values.allow("Jonas Weber");
  values.add("JONAS  weber", 1);          // allowed before it was added
  values.add("Mehmet Wagner", 2);
  values.add("mehmet-wagner", 3);         // the same words: the first origin stays
  EXPECT_EQ(values.find_in("Jonas Weber met Mehmet Wagner"), Found{2});
  // Many values: each is found by itself, none by a neighbour's words.
  for (PersonalValues::Origin i = 0; i < 20000; ++i) values.add("person" + std::to_string(i) + " example", 100 + i);
  EXPECT_EQ(values.find_in("hello person12345 example and person1 examples"), Found{100 + 12345});
  // A value added after a search is found by the next one.
  values.add("Late Addition", 7);
  EXPECT_EQ(values.find_in("a late addition"), Found{7});
}

TEST(PipelinePrivacyGuard, AtOneWordLongerValuesAddedFirstAreReportedFirst) {
  using Found = std::vector<PersonalValues::Origin>;
  PersonalValues values(5);
  values.add("anna.schmidt@example.org", 1);  // four words, added first
  values.add("Anna Schmidt", 2);              // two words
  EXPECT_EQ(values.find_in("write to anna.schmidt@example.org"), (Found{1, 2}));
}

TEST(PipelineNormalize, CanonicalValuesMapToThemselves) {
  ValueMap regions{{{"lisboa", "Portugal"}, {"hh", "Hamburg"}}, std::string("Other")};
  EXPECT_EQ(map_choice("portugal", &regions).value, "Portugal");
  EXPECT_TRUE(map_choice("portugal", &regions).note.empty());
  EXPECT_EQ(map_choice("Other", &regions).value, "Other");
  EXPECT_TRUE(map_choice("Other", &regions).note.empty());
  EXPECT_EQ(map_choice(map_choice("Lisboa", &regions).value, &regions).value, "Portugal");
}
