// XLSX workbooks (adapters/export/xlsx_workbook): what libxlsxwriter wrote,
// read back from the archive. Each sheet's rows pass through a 64 KiB buffer
// on the way to libxlsxwriter's temporary file; these sheets fill it many
// times over, and a row that cannot be made fails the workbook. A finished
// workbook is read back in pieces (XlsxFile), as often as asked. Workbooks
// made at once on several threads each keep their own times.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <iterator>
#include <memory>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/export/xlsx_workbook.hpp"
#include "support/zip_entries.hpp"

using namespace marquee;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST(XlsxWorkbook, SheetsOfManyBuffersHoldEveryRowInOrder) {
  XlsxSheet held{"Held", {"key", "name", "seats"}, {}, {2}, 0, {}};
  for (int i = 0; i < 4000; ++i)  // about 400 KB of sheet XML
    held.rows.push_back({"k-" + std::to_string(i), "Name <" + std::to_string(i) + "> & co", std::to_string(i % 7)});
  XlsxSheet made{"Made", {"line"}, {{"first"}}, {}, 3000, [](std::size_t i, std::vector<std::string>& row) {
                   row.assign(1, "made row " + std::to_string(i) + std::string(40, 'x'));
                 }};
  const auto files = test::zip_entries(xlsx_workbook({held, made}, 1'780'000'000));

  const std::string& one = files.at("xl/worksheets/sheet1.xml");
  EXPECT_EQ(count_of(one, "<row "), 4001u) << "the header and every row";
  EXPECT_NE(one.find("<t>Name &lt;0&gt; &amp; co</t>"), std::string::npos) << "the first row, escaped";
  EXPECT_NE(one.find("<t>k-3999</t>"), std::string::npos) << "the last row";
  EXPECT_LT(one.find("<t>k-1999</t>"), one.find("<t>k-2000</t>")) << "rows in order";
  EXPECT_TRUE(std::regex_search(one, std::regex(R"(<c r="C4001"[^>]*><v>2</v></c>)"))) << "3999 % 7 as a number";

  const std::string& two = files.at("xl/worksheets/sheet2.xml");
  EXPECT_EQ(count_of(two, "<row "), 3002u) << "the header, the held row and the 3,000 made";
  EXPECT_NE(two.find("<t>first</t>"), std::string::npos);
  EXPECT_NE(two.find("<t>made row 2999" + std::string(40, 'x') + "</t>"), std::string::npos);
  EXPECT_NE(files.at("xl/workbook.xml").find(R"(name="Made")"), std::string::npos);
}

// The row buffers outlive the files libxlsxwriter closes on the way out.
TEST(XlsxWorkbook, ARowThatCannotBeMadeIsTheWorkbooksError) {
  XlsxSheet sheet{"Broken", {"n"}, {}, {}, 5000, [](std::size_t i, std::vector<std::string>& row) {
                    if (i == 4000) throw std::runtime_error("row 4000 cannot be made");
                    row.assign(1, std::string(100, 'n'));
                  }};
  try {
    xlsx_workbook({sheet});
    ADD_FAILURE() << "a workbook was made";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "row 4000 cannot be made");
  }
}

namespace {

/// Random text deflates little: a workbook of several pieces (about 650 KB).
XlsxSheet noise_sheet(std::size_t rows) {
  auto random = std::make_shared<std::mt19937>(7);
  return XlsxSheet{"Noise", {"text"}, {}, {}, rows, [random](std::size_t, std::vector<std::string>& row) {
                     std::string text(64, ' ');
                     for (char& c : text) c = static_cast<char>('!' + (*random)() % 90);
                     row.assign(1, text);
                   }};
}

std::size_t open_descriptors() {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"), {}));
}

}  // namespace

TEST(XlsxWorkbook, AFinishedWorkbookIsReadBackInPiecesAsOftenAsAsked) {
  const XlsxFile file = xlsx_workbook_file({noise_sheet(12000)}, 1'780'000'000);
  std::vector<std::size_t> sizes;
  std::string joined;
  file.each_piece([&](std::string_view piece) {
    sizes.push_back(piece.size());
    joined += piece;
  });
  ASSERT_GE(sizes.size(), 3u) << "a workbook of " << joined.size() << " bytes";
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) EXPECT_EQ(sizes[i], XlsxFile::kPiece) << "piece " << i;
  EXPECT_GT(sizes.back(), 0u);
  EXPECT_LE(sizes.back(), XlsxFile::kPiece);

  {
    const XlsxFile copy = file;
    EXPECT_EQ(copy.bytes(), joined) << "read again, from a copy";
  }
  EXPECT_EQ(file.bytes(), joined) << "a copy gone, the file is still there";
  const auto files = test::zip_entries(joined);
  EXPECT_EQ(count_of(files.at("xl/worksheets/sheet1.xml"), "<row "), 12001u);
}

TEST(XlsxWorkbook, WhatTheReaderThrowsEndsTheReading) {
  const XlsxFile file = xlsx_workbook_file({noise_sheet(12000)});
  const std::size_t descriptors = open_descriptors();
  int calls = 0;
  try {
    file.each_piece([&](std::string_view) {
      if (++calls == 2) throw std::runtime_error("disk full");
    });
    ADD_FAILURE() << "the reading went on";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "disk full");
  }
  EXPECT_EQ(calls, 2) << "no piece after the one that threw";
  EXPECT_EQ(open_descriptors(), descriptors) << "the workbook's file closed";
  EXPECT_GT(file.bytes().size(), 2 * XlsxFile::kPiece) << "the file is still there to read";
}

// libxlsxwriter writes a workbook's times with gmtime(3), whose result glibc
// keeps in one struct tm for the process: two workbooks closed at once raced
// on it (ThreadSanitizer, a pipeline build's two workbooks). The gmtime the
// dynamic linker gives every library is xlsx_workbook's, a result per thread.
TEST(XlsxWorkbook, TheGmtimeLibrariesAreGivenKeepsAResultPerThread) {
  const auto process_gmtime = reinterpret_cast<decltype(&::gmtime)>(::dlsym(RTLD_DEFAULT, "gmtime"));
  ASSERT_NE(process_gmtime, nullptr);
  const std::time_t epoch = 0, billennium = 1'000'000'000;  // 1970-01-01, 2001-09-09T01:46:40Z
  const std::tm* mine = process_gmtime(&epoch);
  ASSERT_NE(mine, nullptr);
  std::uintptr_t theirs_at = 0;
  int their_year = 0;
  std::thread([&] {
    const std::tm* theirs = process_gmtime(&billennium);
    theirs_at = reinterpret_cast<std::uintptr_t>(theirs);
    their_year = theirs ? theirs->tm_year : -1;
  }).join();
  EXPECT_EQ(their_year, 101);
  EXPECT_NE(theirs_at, reinterpret_cast<std::uintptr_t>(mine));
  EXPECT_EQ(mine->tm_year, 70) << "another thread's call overwrote this thread's result";
  EXPECT_EQ(mine->tm_mday, 1);
}

// Workbooks made at once on four threads, each with its own creation time:
// each workbook's properties hold its own time, created and modified. The
// race it guards against is a few instructions wide: an ordinary build
// rarely shows it, ThreadSanitizer does (scripts/sanitize.sh runs this).
TEST(XlsxWorkbook, WorkbooksMadeAtOnceEachKeepTheirOwnTimes) {
  constexpr int kThreads = 4, kEach = 6;
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < kEach; ++i) {
        // 2026-01-01T00:00:00Z plus t years' worth of days and i hours, minutes and seconds
        const std::time_t created = 1'767'225'600 + t * 366 * 86'400 + i * 3'661;
        std::tm expected{};
        ::gmtime_r(&created, &expected);
        char iso[32];
        std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &expected);
        const auto files = test::zip_entries(xlsx_workbook({noise_sheet(200)}, created));
        const std::string& core = files.at("docProps/core.xml");
        for (const char* element : {"dcterms:created", "dcterms:modified"})
          if (core.find(std::string(">") + iso + "</" + element + ">") == std::string::npos)
            failures[t] += std::string(element) + " is not " + iso + " in " + core + "\n";
      }
    });
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], "") << "thread " << t;
}
