// app/snapshot_line_parser: one snapshot line into an Event without a JSON
// document. The events must be those encode_snapshot wrote; a line with a
// field missing, of the wrong type or not JSON is refused with the reason.
#include <gtest/gtest.h>

#include <vector>

#include "app/snapshot_codec.hpp"
#include "app/snapshot_line_parser.hpp"
#include "support/event_builder.hpp"

using namespace marquee;
using marquee::testing::an_event;

namespace {

Event full() {
  Event e = an_event("fado-1")
                .title("Fado à Noite \"quoted\"\\ and a\nnew line \xF0\x9F\x8E\xB8")
                .tags({"music", "", "late \"night\""})
                .registration(40)
                .questions({Question{"diet", QuestionKind::choice, true, "Diet", {"None", "Vegan"}}});
  e.description = std::string(5000, 'x') + "\t\\u0041 is not an escape here";
  e.venue = "Casa";
  e.address = "Rua 1";
  e.room = "Sala";
  e.category = "Music";
  e.organizer = "Org";
  e.url = "https://example.org/a?b=1&c=2";
  e.image_url = "https://example.org/a.png";
  e.price = "€12";
  e.retention_days = 30;
  e.status = EventStatus::cancelled;
  e.all_day = true;
  return e;
}

// The line encode_snapshot writes for `e` (without its line end).
std::string line_of(const Event& e) {
  std::string s = encode_snapshot({e});
  s.pop_back();
  return s;
}

std::string problem_with(const std::string& line) {
  SnapshotLineParser parser;
  Event e;
  return parser.parse(line, e);
}

// `line_of(full())` with `field`'s value replaced by `value` (the JSON text).
std::string with(const std::string& field, const std::string& value) {
  std::string s = line_of(full());
  const std::string k = "\"" + field + "\":";
  const auto at = s.find(k);
  if (at == std::string::npos) return s;
  auto from = at + k.size(), to = from;
  int depth = 0;
  bool in_text = false;
  for (; to < s.size(); ++to) {  // the end of the value: a comma or brace at depth 0 outside a string
    const char c = s[to];
    if (in_text) {
      if (c == '\\') ++to;
      else if (c == '"') in_text = false;
      continue;
    }
    if (c == '"') in_text = true;
    else if (c == '[' || c == '{') ++depth;
    else if (c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) break;
  }
  return s.substr(0, from) + value + s.substr(to);
}

}  // namespace

TEST(SnapshotLineParser, GivesBackTheEventItsLineWasWrittenFrom) {
  SnapshotLineParser parser;
  for (const Event& e : std::vector<Event>{full(), an_event("plain").title("Plain")}) {
    Event got;
    got.title = "left over from before";
    got.tags = {"old"};
    ASSERT_EQ(parser.parse(line_of(e), got), "");
    EXPECT_EQ(got, e);
  }
  Event unlimited = full();
  unlimited.capacity.reset();
  unlimited.retention_days.reset();
  Event got;
  ASSERT_EQ(parser.parse(line_of(unlimited), got), "");
  EXPECT_EQ(got, unlimited);
  EXPECT_FALSE(got.capacity.has_value());
}

TEST(SnapshotLineParser, EscapesAndWhitespaceAreReadAsJson) {
  Event got;
  SnapshotLineParser parser;
  const std::string line = with("title", " \"A\\u00e9\\n\\\"B\\\" \\ud83c\\udfb8\" ");
  ASSERT_EQ(parser.parse(line + "  \r", got), "");
  EXPECT_EQ(got.title, "A\xC3\xA9\n\"B\" \xF0\x9F\x8E\xB8");
}

TEST(SnapshotLineParser, FieldsItDoesNotKnowAreSkippedWhateverTheirValue) {
  std::string line = line_of(full());
  line.insert(1, R"("later":{"title":"not this","tags":[1,{"a":[null]}]},"more":[["x"],{}],"n":1.5,"b":true,"z":null,)");
  Event got;
  SnapshotLineParser parser;
  ASSERT_EQ(parser.parse(line, got), "");
  EXPECT_EQ(got, full());
}

TEST(SnapshotLineParser, ARepeatedFieldKeepsItsLastValue) {
  std::string line = line_of(full());
  line.insert(1, R"("title":"first","tags":["a","b","c"],"capacity":7,)");
  Event got;
  SnapshotLineParser parser;
  ASSERT_EQ(parser.parse(line, got), "");
  EXPECT_EQ(got, full());
  // Each value given must be valid, the earlier ones too.
  std::string earlier_invalid = line_of(full());
  earlier_invalid.insert(1, R"("capacity":"seven",)");
  EXPECT_EQ(parser.parse(earlier_invalid, got), "\"capacity\" is not an integer or null");
}

TEST(SnapshotLineParser, EachMissingFieldIsNamed) {
  for (const char* field : {"key", "title", "starts_at", "all_day", "tags", "capacity", "status", "questions",
                            "retention_days", "waitlist"}) {
    std::string line = line_of(full());
    const std::string k = std::string("\"") + field + "\":";
    const auto at = line.find(k);
    ASSERT_NE(at, std::string::npos) << field;
    line.replace(at, k.size(), std::string("\"gone_") + field + "\":");
    EXPECT_EQ(problem_with(line), std::string("no field \"") + field + "\"") << line;
  }
}

TEST(SnapshotLineParser, AValueOfTheWrongTypeIsRefusedByName) {
  EXPECT_EQ(problem_with(with("title", "12")), "\"title\" is not a string");
  EXPECT_EQ(problem_with(with("title", "null")), "\"title\" is not a string");
  EXPECT_EQ(problem_with(with("title", "[\"a\"]")), "\"title\" is not a string");
  EXPECT_EQ(problem_with(with("title", "{\"a\":1}")), "\"title\" is not a string");
  EXPECT_EQ(problem_with(with("starts_at", "\"1795000000\"")), "\"starts_at\" is not an integer");
  EXPECT_EQ(problem_with(with("starts_at", "1.5")), "\"starts_at\" is not an integer");
  EXPECT_EQ(problem_with(with("starts_at", "18446744073709551615")), "\"starts_at\" is not an integer");
  EXPECT_EQ(problem_with(with("starts_at", "null")), "\"starts_at\" is not an integer");
  EXPECT_EQ(problem_with(with("capacity", "true")), "\"capacity\" is not an integer or null");
  EXPECT_EQ(problem_with(with("all_day", "1")), "\"all_day\" is not true or false");
  EXPECT_EQ(problem_with(with("tags", "\"music\"")), "\"tags\" is not a list of strings");
  EXPECT_EQ(problem_with(with("tags", "[\"a\",1]")), "\"tags\" is not a list of strings");
  EXPECT_EQ(problem_with(with("tags", "[[\"a\"]]")), "\"tags\" is not a list of strings");
  EXPECT_EQ(problem_with(with("tags", "[{}]")), "\"tags\" is not a list of strings");
  EXPECT_EQ(problem_with(with("status", "\"postponed-ish\"")), "unknown status \"postponed-ish\"");
  EXPECT_NE(problem_with(with("questions", "\"diet|nonsense\"")).find("\"questions\": "), std::string::npos);
}

TEST(SnapshotLineParser, ALineThatIsNotOneJsonObjectIsRefused) {
  EXPECT_EQ(problem_with("[1,2]"), "the line is not an object");
  EXPECT_EQ(problem_with("\"text\""), "the line is not an object");
  EXPECT_EQ(problem_with("12"), "the line is not an object");
  EXPECT_EQ(problem_with("null"), "the line is not an object");
  EXPECT_EQ(problem_with(line_of(full()) + " {}").rfind("not JSON: ", 0), 0u);
  EXPECT_EQ(problem_with("not json").rfind("not JSON: ", 0), 0u);
  EXPECT_EQ(problem_with(line_of(full()).substr(0, 200)).rfind("not JSON: ", 0), 0u);
  EXPECT_EQ(problem_with(with("title", "\"\xC3\x28\"")).rfind("not JSON: ", 0), 0u) << "invalid UTF-8";
  EXPECT_EQ(problem_with("{\"key\": 1}"), "\"key\" is not a string");
}

TEST(SnapshotLineParser, OneParserReadsLineAfterLineAfterAFailure) {
  SnapshotLineParser parser;
  Event got;
  EXPECT_NE(parser.parse("{\"key\":", got), "");
  EXPECT_NE(parser.parse(with("tags", "[1]"), got), "");
  ASSERT_EQ(parser.parse(line_of(full()), got), "");
  EXPECT_EQ(got, full());
}
