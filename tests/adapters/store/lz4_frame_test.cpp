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
