// CSV injection (issue 13, item 5): OWASP's rule, and its exact inverse for
// Marquee's own CSV layout.
#include <gtest/gtest.h>

#include "adapters/formats/csv_reader.hpp"
#include "core/spreadsheet_cell.hpp"

namespace marquee {
namespace {

TEST(SpreadsheetCell, FormulaTriggersGetAnApostrophe) {
  EXPECT_EQ(spreadsheet_cell("=1+1"), "'=1+1");
  EXPECT_EQ(spreadsheet_cell("+49 40 123"), "'+49 40 123");
  EXPECT_EQ(spreadsheet_cell("-5 °C"), "'-5 °C");
  EXPECT_EQ(spreadsheet_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(spreadsheet_cell("\t=x"), "'\t=x");
  EXPECT_EQ(spreadsheet_cell("\r=x"), "'\r=x");
  EXPECT_EQ(spreadsheet_cell("'=x"), "''=x");
  EXPECT_EQ(spreadsheet_cell("'Tis the season"), "'Tis the season");
  EXPECT_EQ(spreadsheet_cell("Jazz = joy"), "Jazz = joy");
  EXPECT_EQ(spreadsheet_cell(""), "");
}

TEST(SpreadsheetCell, RoundTripIsExact) {
  for (const char* v : {"=1+1", "+", "-", "@", "'", "''", "'=", "''=x", "'Tis", "plain", "", "\t", "a=b", "'-'"}) {
    EXPECT_EQ(from_spreadsheet_cell(spreadsheet_cell(v)), v) << v;
  }
  // Hand-written cells without the escape keep their apostrophes.
  EXPECT_EQ(from_spreadsheet_cell("'Tis"), "'Tis");
  EXPECT_EQ(from_spreadsheet_cell("-5"), "-5");
}

TEST(SpreadsheetCell, UnprefixingInPlaceGivesWhatFromSpreadsheetCellGives) {
  for (const char* v : {"=1+1", "+", "-", "@", "'", "''", "'=", "''=x", "'Tis", "plain", "", "\t", "a=b", "'-'", "'@x", "'\r"}) {
    std::string cell = spreadsheet_cell(v);
    unprefix_spreadsheet_cell(cell);
    EXPECT_EQ(cell, v) << v;
    std::string hand_written = v;
    unprefix_spreadsheet_cell(hand_written);
    EXPECT_EQ(hand_written, from_spreadsheet_cell(v)) << v;
  }
}

TEST(SpreadsheetCell, EveryCsvRecordIsSafe) {
  EXPECT_EQ(csv_record({"=HYPERLINK(\"http://x\")", "ok"}), "\"'=HYPERLINK(\"\"http://x\"\")\",\"ok\"\r\n");
}

TEST(SpreadsheetCell, RecordsAppendedAsCsvRecordWritesThem) {
  const std::vector<std::vector<std::string>> rows = {
      {"key", "name"}, {"-1", "\"quoted\", and, commas"}, {"", "line\nbreak"}, {"'=x", "@"}, {}, {"plain"}};
  std::string whole, appended = "kept";
  for (const auto& row : rows) {
    whole += csv_record(row);
    append_csv_record(appended, row);
  }
  EXPECT_EQ(appended, "kept" + whole);
  EXPECT_EQ(csv_record(rows[1]), "\"'-1\",\"\"\"quoted\"\", and, commas\"\r\n");
  // Literal records: an empty field, a short field after a long one (the
  // quoting buffer reused), a formula cell with quotes, no fields at all.
  EXPECT_EQ(csv_record({"", "x"}), "\"\",\"x\"\r\n");
  std::string two;
  append_csv_record(two, {std::string(100, 'a')});
  append_csv_record(two, {"b"});
  EXPECT_EQ(two, "\"" + std::string(100, 'a') + "\"\r\n\"b\"\r\n");
  EXPECT_EQ(csv_record({"=\"x\""}), "\"'=\"\"x\"\"\"\r\n");
  EXPECT_EQ(csv_record({}), "\r\n");
  EXPECT_TRUE(spreadsheet_cell_prefixed("-1"));
  EXPECT_TRUE(spreadsheet_cell_prefixed("''+"));
  EXPECT_FALSE(spreadsheet_cell_prefixed("'Tis"));
  EXPECT_FALSE(spreadsheet_cell_prefixed(""));
}

}  // namespace
}  // namespace marquee
