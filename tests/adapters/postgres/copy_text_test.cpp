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

std::string encoded(const Row& row) {
  std::string out = "before|";
  append_copy_text_row(row, out);
  return out;
}

TEST(CopyText, WritesTabsBetweenValuesNullAsBackslashNAndANewlineAfter) {
  EXPECT_EQ(encoded(Row{"a", "bc", "", "42"}), "before|a\tbc\t\t42\n");
  EXPECT_EQ(encoded(Row{std::nullopt, "x", std::nullopt}), "before|\\N\tx\t\\N\n");
  EXPECT_EQ(encoded(Row{""}), "before|\n");
  // "\N" as text is not NULL: its backslash is escaped.
  EXPECT_EQ(encoded(Row{"\\N"}), "before|\\\\N\n");
}

TEST(CopyText, EscapesTheFourBytesTheFormatCannotCarryWhereverTheyAre) {
  EXPECT_EQ(encoded(Row{"tab\there", "line\nbreak\r", "back\\slash"}),
            "before|tab\\there\tline\\nbreak\\r\tback\\\\slash\n");
  EXPECT_EQ(encoded(Row{"\\", "\t\r\n\\", "\n\nend", "start\t"}),
            "before|\\\\\t\\t\\r\\n\\\\\t\\n\\nend\tstart\\t\n");
  // A NUL inside a value does not end it (the server refuses it, not this encoder).
  EXPECT_EQ(encoded(Row{std::string("a\0b\tc", 5), std::string(1, '\0')}), std::string("before|a\0b\\tc\t\0\n", 16));
  // Other control bytes and UTF-8 pass through as they are.
  EXPECT_EQ(encoded(Row{"\b\f\v Caf\xC3\xA9 \xF0\x9F\x8E\xAB"}), "before|\b\f\v Caf\xC3\xA9 \xF0\x9F\x8E\xAB\n");
}

TEST(CopyText, WhatIsWrittenReadsBackAsTheSameRow) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte.push_back(static_cast<char>(b));
  const Row rows[] = {Row{every_byte, std::nullopt, ""}, Row{"\\.", "\\", "a\tb\\c\nd\r\n"}, Row{std::string(100000, 'x') + "\t"}};
  for (const Row& row : rows) {
    std::string line;
    append_copy_text_row(row, line);
    ASSERT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1) << "a newline inside a value must be escaped";
    EXPECT_EQ(decoded(line), row);
  }
}

}  // namespace
}  // namespace marquee
