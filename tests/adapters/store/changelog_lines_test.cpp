#include "adapters/store/changelog_lines.hpp"

#include <gtest/gtest.h>

#include "ports/store.hpp"

using namespace marquee;

namespace {

std::vector<EventChange> sample_changes() {
  return {
      EventChange{"opening-night", ChangeKind::added, {}, {{"title", "", "Opening night"}, {"starts_at", "", "2027-06-11 19:00"}}},
      EventChange{"talk-2", ChangeKind::changed, {"room", "title"},
                  {{"title", "Old title", "New\ttitle\nwith  breaks "}, {"room", "", "Hall 2"}}},
      EventChange{"gone", ChangeKind::removed, {}, {{"title", "Gone — Straße", ""}}},
      EventChange{"bare", ChangeKind::changed, {"price"}, {}},
  };
}

}  // namespace

// Lines round-trip every change, in order; values lose their tabs and line
// breaks as the changelog's rows always did (whitespace collapsed).
TEST(ChangelogLines, RoundTripsChangesInOrder) {
  const auto changes = sample_changes();
  const std::string text = encode_changelog_lines(changes);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
  auto want = changes;
  want[1].details = {{"title", "Old title", "New title with breaks"}, {"room", "", "Hall 2"}};
  EXPECT_EQ(decode_changelog_lines(text), want);
  EXPECT_EQ(decode_changelog_lines(text, 2), std::vector<EventChange>(want.begin(), want.begin() + 2));
  EXPECT_EQ(decode_changelog_lines(text, 0), std::vector<EventChange>{});
  EXPECT_EQ(decode_changelog_lines(""), std::vector<EventChange>{});
  EXPECT_EQ(encode_changelog_lines({}), "");
  EXPECT_EQ(encode_change_details(changes[1].details), "title\tOld title\tNew title with breaks\nroom\t\tHall 2\n");
}

TEST(ChangelogLines, MalformedLinesNameTheirLine) {
  const std::string good = encode_changelog_lines(sample_changes());
  try {
    decode_changelog_lines(good + "key\tmoved\t\n");
    FAIL() << "an unknown change kind was read";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("line 5: unknown change 'moved'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(decode_changelog_lines("key only\n"), StoreError);
  EXPECT_THROW(decode_changelog_lines("k\tchanged\ttitle\ttitle\tbefore\n"), StoreError);  // a detail cut short
}

// In pieces: each ends at a line end, about the size asked for, and together
// they are the lines of the range asked for.
TEST(ChangelogLines, EncodesARangeInPiecesEndingAtLineEnds) {
  std::vector<EventChange> changes;
  for (int i = 0; i < 3000; ++i)
    changes.push_back(EventChange{"ev-" + std::to_string(i), ChangeKind::added, {}, {{"title", "", "Talk " + std::to_string(i)}}});
  const std::string all = encode_changelog_lines(changes);
  std::string joined;
  int pieces = 0;
  encode_changelog_lines(changes, 0, changes.size(), 4096, [&](std::string_view piece) {
    ++pieces;
    EXPECT_EQ(piece.back(), '\n');
    EXPECT_LT(piece.size(), 4096u + 200u);
    joined += piece;
  });
  EXPECT_EQ(joined, all);
  EXPECT_GT(pieces, static_cast<int>(all.size() / 4096) - 1);
  std::string middle;
  encode_changelog_lines(changes, 1000, 1002, 4096, [&](std::string_view piece) { middle += piece; });
  EXPECT_EQ(middle, encode_changelog_lines({changes[1000], changes[1001]}));
  int none = 0;
  encode_changelog_lines(changes, 5, 5, 4096, [&](std::string_view) { ++none; });
  encode_changelog_lines(changes, 2999, 4000, 4096, [&](std::string_view piece) { EXPECT_EQ(piece, encode_changelog_lines({changes[2999]})); });
  EXPECT_EQ(none, 0);
}
