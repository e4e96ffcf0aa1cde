#include "core/pipeline/raw_rows.hpp"

#include <gtest/gtest.h>

namespace marquee::pipeline {

TEST(RawRows, CellsKeepTheirBytesLinesAndWidths) {
  RawRows rows;
  rows.add(2, {"Anna", "", "a@example.org"});
  rows.add(3, {});
  rows.add(5, {"multi\nline", "x\x1f;\"", std::string("nul\0byte", 8), "", ""});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows.line(0), 2);
  EXPECT_EQ(rows.line(2), 5);
  EXPECT_EQ(rows.width(0), 3u);
  EXPECT_EQ(rows.width(1), 0u);
  EXPECT_EQ(rows.width(2), 5u);
  EXPECT_EQ(rows.cell(0, 0), "Anna");
  EXPECT_EQ(rows.cell(0, 1), "");
  EXPECT_EQ(rows.cell(0, 2), "a@example.org");
  EXPECT_EQ(rows.cell(2, 0), "multi\nline");
  EXPECT_EQ(rows.cell(2, 1), "x\x1f;\"");
  EXPECT_EQ(rows.cell(2, 2), std::string_view("nul\0byte", 8));
  EXPECT_EQ(rows.cell(2, 4), "");
}

}  // namespace marquee::pipeline
