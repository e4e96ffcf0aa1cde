#include "adapters/store/stored_frames.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/store/changelog_lines.hpp"
#include "adapters/store/lz4_frame.hpp"

using namespace marquee;

// A changelog's frames read back as its lines, by a whole read and by one
// that stops at the lines it keeps; small and large (two halves) alike.
TEST(StoredFrames, ChangelogFramesHoldTheLinesOfEveryChange) {
  EXPECT_EQ(changelog_frames({}), "");
  for (const int count : {3, 50000}) {  // 50,000: two halves of more than one piece each
    std::vector<EventChange> changes;
    for (int i = 0; i < count; ++i)
      changes.push_back(EventChange{"ev-" + std::to_string(i), i % 3 ? ChangeKind::added : ChangeKind::changed,
                                    i % 3 ? std::vector<std::string>{} : std::vector<std::string>{"title"},
                                    {{"title", i % 3 ? "" : "Old", "Talk " + std::to_string(i) + " — Straße"}}});
    const std::string lines = encode_changelog_lines(changes);
    const std::string frames = changelog_frames(changes);
    EXPECT_EQ(lz4_frame_decompress(frames), lines) << count;
    EXPECT_EQ(decode_changelog_lines(lz4_frame_decompress_lines(frames, 2)),
              decode_changelog_lines(lines, 2))
        << count;
    // Past the first frames, and past the first half's.
    EXPECT_EQ(decode_changelog_lines(lz4_frame_decompress_lines(frames, 30000)), decode_changelog_lines(lines, 30000)) << count;
    EXPECT_LT(frames.size(), lines.size()) << count;
    std::size_t frame_count = 0;
    lz4_frame_for_each_content(frames, [&](std::string_view content) {
      ++frame_count;
      EXPECT_EQ(content.back(), '\n');
    });
    EXPECT_GE(frame_count, count < 4096 ? 1u : 3u) << count;
  }
}
