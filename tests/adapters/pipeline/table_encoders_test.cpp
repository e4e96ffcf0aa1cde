// The table encoders (adapters/pipeline/table_encoders): a large table's CSV
// text handed on in pieces of whole records is, concatenated, the same text
// as the whole encoding; what the writer throws stops the encoding.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/pipeline/table_encoders.hpp"

using namespace marquee;

namespace {

/// 3,000 made rows of about 230 bytes (about 700 KB of text: two full pieces
/// and a short last one), with a quote, a comma and a formula trigger; the
/// number of rows made is counted.
OutputTable made_table(std::size_t* made) {
  OutputTable t;
  t.header = {"key", "name", "notes"};
  t.rows = {{"r-held", "Held, first", "=SUM(A1)"}};
  t.more_rows = 3000;
  t.make_row = [made](std::size_t i, std::vector<std::string>& row) {
    ++*made;
    row = {"r-" + std::to_string(i), "Name \"" + std::to_string(i) + "\"", std::string(200 + i % 17, 'x')};
  };
  return t;
}

}  // namespace

TEST(TableEncoders, CsvPiecesAreTheCsvTextInPiecesOfWholeRecords) {
  const TableEncoders encode = pipeline::table_encoders();
  std::size_t made = 0;
  const OutputTable table = made_table(&made);
  const std::string whole = encode.csv(table);
  ASSERT_EQ(made, 3000u);

  std::vector<std::string> pieces;
  encode.csv_pieces(table, [&](std::string_view piece) { pieces.emplace_back(piece); });
  EXPECT_EQ(made, 6000u) << "each row made once per encoding";
  ASSERT_GE(pieces.size(), 2u) << whole.size() << " bytes";
  std::string joined;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const std::string& p = pieces[i];
    ASSERT_TRUE(p.ends_with("\r\n")) << "piece " << i << " ends a record";
    if (i + 1 < pieces.size()) {
      EXPECT_GE(p.size(), kCsvPiece) << "piece " << i;
      EXPECT_LT(p.size(), kCsvPiece + 300) << "piece " << i << " ends at the record that reached the size";
    }
    joined += p;
  }
  EXPECT_EQ(joined, whole);
  EXPECT_TRUE(whole.starts_with(R"c("key","name","notes")c" "\r\n" R"c("r-held","Held, first","'=SUM(A1)")c" "\r\n"
                                R"c("r-0","Name ""0""","xxx)c"))
      << whole.substr(0, 80);
  EXPECT_TRUE(whole.ends_with(R"c("r-2999","Name ""2999""",")c" + std::string(200 + 2999 % 17, 'x') + "\"\r\n"));
}

TEST(TableEncoders, ASmallTableIsOnePiece) {
  const TableEncoders encode = pipeline::table_encoders();
  OutputTable t;
  t.header = {"session", "seats"};
  t.rows = {{"opening", "120"}};
  std::vector<std::string> pieces;
  encode.csv_pieces(t, [&](std::string_view piece) { pieces.emplace_back(piece); });
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0], "\"session\",\"seats\"\r\n\"opening\",\"120\"\r\n");
  EXPECT_EQ(pieces[0], encode.csv(t));
}

TEST(TableEncoders, WhatTheWriterThrowsEndsTheEncoding) {
  const TableEncoders encode = pipeline::table_encoders();
  std::size_t made = 0;
  const OutputTable table = made_table(&made);
  std::size_t pieces = 0;
  try {
    encode.csv_pieces(table, [&](std::string_view) {
      if (++pieces == 2) throw std::runtime_error("out.tmp/private/rosters.csv: cannot be written");
    });
    ADD_FAILURE() << "the encoding went on";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "out.tmp/private/rosters.csv: cannot be written");
  }
  EXPECT_EQ(pieces, 2u);
  EXPECT_LT(made, 3000u) << "no row made after the failed write";
}
