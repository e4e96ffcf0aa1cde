#include "adapters/postgres/copy_text.hpp"

#include <gtest/gtest.h>

namespace marquee {
namespace {

Row decoded(std::string_view line) {
  Row out{std::string("left over")};
  decode_copy_text_row(line, out);
  return out;
}

TEST(CopyText, SplitsAtTabsAndDropsTheNewline) {
  EXPECT_EQ(decoded("a\tbc\t\t42\n"), (Row{"a", "bc", "", "42"}));
  EXPECT_EQ(decoded("only"), (Row{"only"}));
  EXPECT_EQ(decoded("\n"), (Row{""}));
}

TEST(CopyText, BackslashNAloneIsNullAndNothingElseIs) {
  EXPECT_EQ(decoded("\\N\tx\t\\N\n"), (Row{std::nullopt, "x", std::nullopt}));
  // A backslash before a letter without a meaning stands for the letter: "\N" inside text is "N".
  EXPECT_EQ(decoded("a\\Nb\t\\\\N\n"), (Row{"aNb", "\\N"}));
}

TEST(CopyText, DecodesEveryEscapeTheServerWritesAndTheOnesItReads) {
  EXPECT_EQ(decoded("tab\\there\tline\\nbreak\\r\tback\\\\slash\n"), (Row{"tab\there", "line\nbreak\r", "back\\slash"}));
  EXPECT_EQ(decoded("\\b\\f\\v\n"), (Row{"\b\f\v"}));
  EXPECT_EQ(decoded("\\101\\0619\\7\\x41\\x4a\\xZ\n"), (Row{"A19\aAJxZ"}));
  EXPECT_EQ(decoded("ends with\\"), (Row{"ends with\\"}));
}

TEST(CopyText, KeepsUtf8AsItIs) {
  EXPECT_EQ(decoded("Caf\xC3\xA9\t\xE2\x80\x94 \xF0\x9F\x8E\xAB\n"), (Row{"Caf\xC3\xA9", "\xE2\x80\x94 \xF0\x9F\x8E\xAB"}));
}

}  // namespace
}  // namespace marquee
