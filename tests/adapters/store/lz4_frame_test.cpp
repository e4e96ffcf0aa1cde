#include "adapters/store/lz4_frame.hpp"

#include <gtest/gtest.h>

#include <string>

#include "ports/store.hpp"

using namespace marquee;

namespace {

std::string json_lines(std::size_t bytes) {
  std::string out;
  for (int i = 0; out.size() < bytes; ++i)
    out += "{\"key\":\"ev-" + std::to_string(i) + "\",\"title\":\"Straße " + std::to_string(i * 7919 % 1000) + "\"}\n";
  return out;
}

}  // namespace

// LZ4 Frame Format: the magic number 0x184D2204 (little-endian) first; the
// content comes back byte for byte, empty and large alike.
TEST(Lz4Frame, RoundTripsAnyContent) {
  for (const std::string& content : {std::string(), std::string("x"), std::string("\0\xff\x80 binary", 10), json_lines(5 << 20)}) {
    const std::string frame = lz4_frame_compress(content);
    ASSERT_GE(frame.size(), 4u);
    EXPECT_EQ(frame.substr(0, 4), std::string("\x04\x22\x4d\x18", 4));
    EXPECT_EQ(lz4_frame_decompress(frame), content) << content.size();
  }
  const std::string lines = json_lines(5 << 20);
  EXPECT_LT(lz4_frame_compress(lines).size(), lines.size() / 4);  // JSON Lines compress well
}

// Damage is refused with StoreError, never read as other content.
TEST(Lz4Frame, RefusesDamagedOrCutFrames) {
  const std::string content = json_lines(300000);
  const std::string frame = lz4_frame_compress(content);
  EXPECT_THROW(lz4_frame_decompress(frame.substr(0, frame.size() - 1)), StoreError);  // the checksum cut
  EXPECT_THROW(lz4_frame_decompress(frame.substr(0, frame.size() / 2)), StoreError);  // half
  EXPECT_THROW(lz4_frame_decompress(frame + "x"), StoreError);                         // bytes after the end
  EXPECT_THROW(lz4_frame_decompress("not a frame"), StoreError);
  EXPECT_THROW(lz4_frame_decompress(""), StoreError);
  std::string flipped = frame;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x20);  // a byte inside a block
  EXPECT_THROW(lz4_frame_decompress(flipped), StoreError);
  EXPECT_THROW(lz4_frame_decompress(frame, content.size() - 1), StoreError);  // over the size allowed
  EXPECT_EQ(lz4_frame_decompress(frame, content.size()), content);
}

// Frames one after the other are one content, in order (the format's
// concatenated frames); content from kLz4SplitAt bytes on is written so, as
// two frames compressed and decompressed on two threads.
TEST(Lz4Frame, ReadsFramesOneAfterTheOtherAsOneContent) {
  const std::string a = json_lines(200000), b = "second part\n" + json_lines(100000);
  EXPECT_EQ(lz4_frame_decompress(lz4_frame_compress(a) + lz4_frame_compress(b)), a + b);
  EXPECT_EQ(lz4_frame_decompress(lz4_frame_compress(a) + lz4_frame_compress("") + lz4_frame_compress(b)), a + b);
  const std::string large = json_lines(kLz4SplitAt + 12345);
  const std::string frames = lz4_frame_compress(large);
  const std::string whole_first = lz4_frame_compress(large.substr(0, large.size() / 2));
  EXPECT_EQ(frames.substr(0, whole_first.size()), whole_first);  // the first half's frame, then the second's
  EXPECT_EQ(frames.substr(whole_first.size()), lz4_frame_compress(large.substr(large.size() / 2)));
  EXPECT_EQ(lz4_frame_decompress(frames), large);
  EXPECT_EQ(lz4_frame_decompress(frames, large.size()), large);
  EXPECT_THROW(lz4_frame_decompress(frames, large.size() - 1), StoreError);  // the sum of both over the size allowed
}

// Damage in any frame of several is refused.
TEST(Lz4Frame, RefusesDamageInALaterFrame) {
  const std::string first = lz4_frame_compress(json_lines(300000)), second = lz4_frame_compress(json_lines(200000));
  const std::string both = first + second;
  EXPECT_THROW(lz4_frame_decompress(both.substr(0, both.size() - 1)), StoreError);              // its checksum cut
  EXPECT_THROW(lz4_frame_decompress(both.substr(0, first.size() + 5)), StoreError);             // its header cut
  EXPECT_THROW(lz4_frame_decompress(both + "x"), StoreError);                                   // bytes that are no frame
  EXPECT_THROW(lz4_frame_decompress(first + "not a frame at all"), StoreError);
  std::string flipped = both;
  flipped[first.size() + second.size() / 2] = static_cast<char>(flipped[first.size() + second.size() / 2] ^ 0x20);
  EXPECT_THROW(lz4_frame_decompress(flipped), StoreError);
}
