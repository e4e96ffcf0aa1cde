// The audience rules of core/attendee_message: states and answer conditions
// (same question: alternatives; different questions: all), the text forms
// of states and conditions, and the checks of a message as typed.
#include <gtest/gtest.h>

#include "core/attendee_message.hpp"
#include "core/notification.hpp"

using namespace marquee;

namespace {

MessageAudience audience(std::vector<AttendeeState> states, std::vector<std::pair<std::string, std::string>> answers = {}) {
  MessageAudience a;
  a.event_keys = {"a"};
  a.states = std::move(states);
  a.answers = std::move(answers);
  return a;
}

AttendeeMessage message() {
  AttendeeMessage m;
  m.subject = "Doors open at 18:30";
  m.body = "See you **tonight**.";
  m.audience = audience({AttendeeState::confirmed});
  return m;
}

}  // namespace

TEST(InAudience, StatesChooseWhoAndCancelledNeverMatchesByDefault) {
  const auto a = audience({AttendeeState::confirmed, AttendeeState::checked_in});
  EXPECT_TRUE(in_audience(a, AttendeeState::confirmed, {}));
  EXPECT_TRUE(in_audience(a, AttendeeState::checked_in, {}));
  EXPECT_FALSE(in_audience(a, AttendeeState::waitlisted, {}));
  EXPECT_FALSE(in_audience(a, AttendeeState::cancelled, {}));
  EXPECT_TRUE(in_audience(audience({AttendeeState::checked_in}), AttendeeState::checked_in, {}));
  EXPECT_FALSE(in_audience(audience({AttendeeState::checked_in}), AttendeeState::confirmed, {}));
}

TEST(InAudience, SameQuestionIsAnyOfDifferentQuestionsAreAll) {
  const auto a = audience({AttendeeState::confirmed}, {{"diet", "Vegan"}, {"diet", "Vegetarian"}, {"access", "yes"}});
  EXPECT_TRUE(in_audience(a, AttendeeState::confirmed, {{"diet", "Vegan"}, {"access", "yes"}}));
  EXPECT_TRUE(in_audience(a, AttendeeState::confirmed, {{"access", "yes"}, {"diet", "Vegetarian"}}));
  EXPECT_FALSE(in_audience(a, AttendeeState::confirmed, {{"diet", "None"}, {"access", "yes"}}));
  EXPECT_FALSE(in_audience(a, AttendeeState::confirmed, {{"diet", "Vegan"}, {"access", "no"}}));
  EXPECT_FALSE(in_audience(a, AttendeeState::confirmed, {{"diet", "Vegan"}})) << "an unanswered question does not match";
  EXPECT_FALSE(in_audience(a, AttendeeState::confirmed, {{"diet", "vegan"}, {"access", "yes"}})) << "values compare exactly";
}

TEST(MessageText, StatesParseAndRefuseCancelled) {
  EXPECT_EQ(format_states({AttendeeState::confirmed, AttendeeState::waitlisted}), "confirmed, waitlisted");
  EXPECT_EQ(parse_states(" checked_in ,confirmed, checked_in"),
            (std::vector<AttendeeState>{AttendeeState::checked_in, AttendeeState::confirmed}));
  EXPECT_FALSE(parse_states("confirmed, cancelled"));
  EXPECT_FALSE(parse_states("everyone"));
  EXPECT_EQ(parse_states(""), std::vector<AttendeeState>{});
}

TEST(MessageText, AnswerConditionsRoundTripAndNameTheBadLine) {
  std::string error;
  auto parsed = parse_answer_conditions("diet = Vegan\r\n\r\naccess=yes\n", &error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(*parsed, (std::vector<std::pair<std::string, std::string>>{{"diet", "Vegan"}, {"access", "yes"}}));
  EXPECT_EQ(*parse_answer_conditions(format_answer_conditions(*parsed), &error), *parsed);
  EXPECT_FALSE(parse_answer_conditions("diet=Vegan\n\nVegan", &error));
  EXPECT_EQ(error, "line 3: write question=value, e.g. dietary=Vegan");
  EXPECT_FALSE(parse_answer_conditions("=x", &error));
}

TEST(CheckMessage, AcceptsAGoodMessageAndNamesEachBadField) {
  EXPECT_TRUE(check_message(message()).empty());
  AttendeeMessage m = message();
  m.subject = "Two\nlines";
  m.body = "  ";
  m.audience.event_keys.clear();
  m.audience.states.clear();
  const auto errors = check_message(m);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].first, "subject");
  EXPECT_EQ(errors[1].first, "body");
  EXPECT_EQ(errors[2].first, "events");
  EXPECT_EQ(errors[3].first, "states");
  m = message();
  m.subject = std::string(200, 'x');
  EXPECT_TRUE(check_message(m).empty());
  m.subject = std::string(199, 'x') + "é";  // 200 characters, 201 bytes
  EXPECT_TRUE(check_message(m).empty());
  m.subject += "x";
  EXPECT_EQ(check_message(m).at(0).second, "at most 200 characters");
  m = message();
  m.audience.states = {AttendeeState::cancelled};
  EXPECT_EQ(check_message(m).at(0).first, "states");
  m = message();
  m.body = std::string(20001, 'x');
  EXPECT_EQ(check_message(m).at(0).first, "body");
}

TEST(CheckMessage, DescribesTheAudienceForTheAuditLog) {
  const auto a = audience({AttendeeState::confirmed, AttendeeState::checked_in}, {{"diet", "Vegan"}});
  EXPECT_EQ(describe_audience(a), "events a; states confirmed, checked_in; answers diet=Vegan");
}

TEST(NoticeKinds, OnlyRemindersAndOperatorsMessagesMayBeOptedOutOf) {
  EXPECT_FALSE(is_essential(NoticeKind::reminder));
  EXPECT_FALSE(is_essential(NoticeKind::attendee_message));
  for (auto k : {NoticeKind::registration_confirmed, NoticeKind::registration_cancelled, NoticeKind::event_changed,
                 NoticeKind::event_cancelled, NoticeKind::place_offered, NoticeKind::transfer_received,
                 NoticeKind::waitlist_promoted, NoticeKind::registration_link})
    EXPECT_TRUE(is_essential(k)) << to_string(k);
  EXPECT_EQ(notice_kind("attendee_message"), NoticeKind::attendee_message);
  EXPECT_EQ(to_string(NoticeKind::attendee_message), "attendee_message");
}
