// adapters/formats/csv_reader (read_csv_each) and FormatReaders::read_each:
// the streaming read an import uses (issue 22: one record in memory at a time).
#include <gtest/gtest.h>

#include "adapters/formats/csv_reader.hpp"
#include "adapters/formats/event_sources.hpp"
#include "adapters/formats/mapping.hpp"

namespace marquee {
namespace {

TEST(CsvStream, HandsOnEachRecordInOrderWithTheLineItStartsOn) {
  std::vector<CsvRecord> seen;
  const std::string error =
      read_csv_each("\xEF\xBB\xBFkey,title\r\na,\"two\nlines\"\r\nb,plain\r\n", ',', [&](CsvRecord&& r) { seen.push_back(std::move(r)); });
  EXPECT_EQ(error, "");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].fields, (std::vector<std::string>{"key", "title"}));  // the header, BOM removed
  EXPECT_EQ(seen[1].line, 2);
  EXPECT_EQ(seen[1].fields, (std::vector<std::string>{"a", "two\nlines"}));
  EXPECT_EQ(seen[2].line, 4);
  EXPECT_EQ(seen[2].fields, (std::vector<std::string>{"b", "plain"}));
}

TEST(CsvStream, LinesEndAtCrLfCrOrLfAndRecordsOfEveryWidthKeepTheirFields) {
  std::vector<CsvRecord> seen;
  const std::string error = read_csv_each("k,t\ra,1\r\nb,\"x\ry\r\nz\"\nc\rwide,1,2,3,4,5,6,7,8,9,10,11,12\n\nd,4\r",
                                          ',', [&](CsvRecord&& r) { seen.push_back(std::move(r)); });
  EXPECT_EQ(error, "");
  ASSERT_EQ(seen.size(), 6u);  // the blank line 8 is no record
  const std::vector<std::int64_t> lines = {1, 2, 3, 6, 7, 9};
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i].line, lines[i]) << i;
  EXPECT_EQ(seen[1].fields, (std::vector<std::string>{"a", "1"}));
  EXPECT_EQ(seen[2].fields, (std::vector<std::string>{"b", "x\ry\r\nz"}));  // line ends inside quotes are kept as they are
  EXPECT_EQ(seen[3].fields, (std::vector<std::string>{"c"}));
  EXPECT_EQ(seen[4].fields.size(), 13u);
  EXPECT_EQ(seen[4].fields.back(), "12");
  EXPECT_EQ(seen[5].fields, (std::vector<std::string>{"d", "4"}));
}

// A file whose lines end in CR alone (Excel for Mac's "CSV (Macintosh)"):
// every line is found, each with its number. The reader looks for the next
// LF once, not once a line (a search to the file's end for each of these
// 300,000 lines would scan some 10^11 bytes: the test would run into its
// timeout).
TEST(CsvStream, AFileOfCarriageReturnLinesIsReadWhole) {
  std::string file = "k,n\r";
  for (int i = 0; i < 300000; ++i) file += "r" + std::to_string(i) + "," + std::to_string(i % 10) + "\r";
  file += "last,9\n";
  std::int64_t records = 0, last_line = 0, misnumbered = 0;
  std::string last_key;
  const std::string error = read_csv_each(file, ',', [&](CsvRecord&& r) {
    ++records;
    if (r.line != records) ++misnumbered;
    last_line = r.line;
    last_key = r.fields.at(0);
  });
  EXPECT_EQ(error, "");
  EXPECT_EQ(records, 300002);
  EXPECT_EQ(misnumbered, 0);
  EXPECT_EQ(last_line, 300002);
  EXPECT_EQ(last_key, "last");
}

TEST(CsvStream, AMalformedLineStopsTheReadAfterTheRecordsBeforeIt) {
  int records = 0;
  const std::string error = read_csv_each("k,t\nx,1\ny,a\"b\"c\"\nz,3\n", ',', [&](CsvRecord&&) { ++records; });
  EXPECT_EQ(records, 2);  // the header and x
  EXPECT_TRUE(error.starts_with("line 3: malformed CSV")) << error;
  // read_csv says the same.
  EXPECT_EQ(read_csv("k,t\nx,1\ny,a\"b\"c\"\nz,3\n", ',').error, error);
}

TEST(CsvStream, FormatReadersStreamTheMappedRecordsAndKeepRowProblems) {
  SourceReadOptions opt;
  opt.format = "csv";
  std::vector<SourceRecord> seen;
  const SourceRead read = format_readers().read_each(
      "key,title,starts_at\na,First,2027-01-01 10:00\nb,Second\nc,Third,2027-01-02 10:00\n", opt,
      [&](SourceRecord&& r, const SourceRead&) { seen.push_back(std::move(r)); });
  EXPECT_EQ(read.fatal, "");
  EXPECT_TRUE(read.records.empty());  // handed on, not kept
  EXPECT_EQ(read.rows, 3);
  ASSERT_EQ(seen.size(), 2u);  // b has too few fields
  EXPECT_EQ(seen[0].values.get(ImportField::title), "First");
  EXPECT_EQ(seen[1].line, 4);
  ASSERT_EQ(read.issues.size(), 1u);
  EXPECT_EQ(read.issues[0].line, 3);

  // read() gives the same records, kept.
  const SourceRead whole = format_readers().read(
      "key,title,starts_at\na,First,2027-01-01 10:00\nb,Second\nc,Third,2027-01-02 10:00\n", opt);
  ASSERT_EQ(whole.records.size(), 2u);
  EXPECT_EQ(whole.records[1].values, seen[1].values);
}

TEST(CsvStream, AMissingColumnIsFatalBeforeAnyRecord) {
  SourceReadOptions opt;
  opt.format = "csv";
  int records = 0;
  const SourceRead read =
      format_readers().read_each("key,name\na,First\n", opt, [&](SourceRecord&&, const SourceRead&) { ++records; });
  EXPECT_EQ(records, 0);
  EXPECT_TRUE(read.fatal.starts_with("missing required column 'title'")) << read.fatal;
  EXPECT_TRUE(format_readers().read_each("", opt, [&](SourceRecord&&, const SourceRead&) { ++records; })
                  .fatal.starts_with("missing required column"));
}

// A mapping made in code is held to the same field names as one read from
// TOML: an unknown field is fatal, not a value assembly never reads.
TEST(CsvStream, AMappingOfAnUnknownFieldIsFatal) {
  Mapping m = default_mapping();
  m.columns["colour"] = {"title"};
  const RecordMapper columns({"title", "starts_at"}, m, 1024);
  EXPECT_NE(columns.fatal().find("unknown event field 'colour'"), std::string::npos) << columns.fatal();
  Mapping d = default_mapping();
  d.defaults["colour"] = "red";
  const RecordMapper defaults({"title", "starts_at"}, d, 1024);
  EXPECT_NE(defaults.fatal().find("unknown event field 'colour'"), std::string::npos) << defaults.fatal();
  const RecordMapper plain({"title", "starts_at"}, default_mapping(), 1024);
  EXPECT_EQ(plain.fatal(), "");
}

// Defaults come first and a mapped column's value replaces them; a value
// map named as its field and a transform apply to that field alone; a
// description from two columns is joined by a blank line.
TEST(CsvStream, MappedValuesLandInTheirFields) {
  Mapping m;
  m.columns["title"] = {"Name"};
  m.columns["starts_at"] = {"When"};
  m.columns["description"] = {"Intro", "More"};
  m.columns["category"] = {"Kind"};
  m.columns["venue"] = {"Place"};
  m.defaults["category"] = "Other";
  m.defaults["room"] = "Hall";
  m.value_maps["category"] = {{"talk", "Talks"}};
  m.transforms["venue"] = {"lower"};
  const RecordMapper mapper({"Name", "When", "Intro", "More", "Kind", "Place"}, m, 1024);
  ASSERT_EQ(mapper.fatal(), "");
  std::vector<RowIssue> issues;
  auto r = mapper.map(CsvRecord{7, {"Opening", "2031-06-11 10:00", "First.", "Second.", "TALK", "Big HALL"}}, &issues);
  ASSERT_TRUE(r);
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(r->values.get(ImportField::title), "Opening");
  EXPECT_EQ(r->values.get(ImportField::description), "First.\n\nSecond.");
  EXPECT_EQ(r->values.get(ImportField::category), "Talks");
  EXPECT_EQ(r->values.get(ImportField::venue), "big hall");
  EXPECT_EQ(r->values.get(ImportField::room), "Hall");
  EXPECT_FALSE(r->values.contains(ImportField::key));
  auto empty_kind = mapper.map(CsvRecord{8, {"B", "2031-06-11 10:00", "", "", " ", "x"}}, &issues);
  ASSERT_TRUE(empty_kind);
  EXPECT_EQ(empty_kind->values.get(ImportField::category), "Other");  // an empty cell leaves the default
  EXPECT_FALSE(empty_kind->values.contains(ImportField::description));
}

}  // namespace
}  // namespace marquee
