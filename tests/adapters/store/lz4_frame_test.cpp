#include "adapters/store/lz4_frame.hpp"

#include <gtest/gtest.h>
#include <lz4frame.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

namespace {

// A frame made by liblz4 with options lz4_frame_compress does not use.
std::string frame_with(std::string_view content, LZ4F_blockChecksum_t block_checksum, LZ4F_blockSizeID_t block_size) {
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.contentSize = content.size();
  prefs.frameInfo.blockChecksumFlag = block_checksum;
  prefs.frameInfo.blockSizeID = block_size;
  std::string out(LZ4F_compressFrameBound(content.size(), &prefs), '\0');
  const std::size_t n = LZ4F_compressFrame(out.data(), out.size(), content.data(), content.size(), &prefs);
  EXPECT_FALSE(LZ4F_isError(n));
  out.resize(n);
  return out;
}

}  // namespace

// Frames of other makers: block checksums (stepped over when finding a
// frame's end), small blocks, and a skippable frame between two frames.
TEST(Lz4Frame, ReadsBlockChecksumsAndSkippableFrames) {
  const std::string a = json_lines(300000), b = json_lines(150000);
  const std::string checked = frame_with(a, LZ4F_blockChecksumEnabled, LZ4F_max64KB);
  EXPECT_EQ(lz4_frame_decompress(checked), a);
  const std::string skippable = std::string("\x51\x2a\x4d\x18\x05\x00\x00\x00hello", 13);  // magic 0x184D2A51, 5 bytes
  EXPECT_EQ(lz4_frame_decompress(checked + skippable + frame_with(b, LZ4F_noBlockChecksum, LZ4F_max256KB)), a + b);
  EXPECT_THROW(lz4_frame_decompress(checked + skippable.substr(0, 10)), StoreError);  // a skippable frame cut short
}

// Content sizes that a damaged or forged second frame declares cannot add up
// past max_bytes by wrapping around: whichever header checksum byte makes
// the forged header acceptable, the call throws StoreError and writes nothing
// out of bounds (the sanitizer builds run this too).
TEST(Lz4Frame, RefusesContentSizesThatWouldWrap) {
  const std::string first = lz4_frame_compress("first frame content");
  const std::string second = lz4_frame_compress("second");
  ASSERT_EQ(static_cast<unsigned char>(second[4]) & 0x08, 0x08);  // FLG: the content size follows BD, 8 bytes
  for (int checksum = 0; checksum < 256; ++checksum) {
    std::string forged = second;
    const std::uint64_t size = ~std::uint64_t{0} - 10;  // with the first's 19 bytes: past 2^64
    for (int i = 0; i < 8; ++i) forged[6 + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
    forged[14] = static_cast<char>(checksum);  // the header checksum byte
    EXPECT_THROW(lz4_frame_decompress(first + forged), StoreError) << checksum;
  }
}

namespace {

// The content through its `lines`-th "\n", or all of it.
std::string first_lines(const std::string& content, std::size_t lines) {
  std::size_t at = 0;
  for (; lines > 0; --lines) {
    const std::size_t end = content.find('\n', at);
    if (end == std::string::npos) return content;
    at = end + 1;
  }
  return content.substr(0, at);
}

}  // namespace

// The first lines of frames with block checksums, of one frame or of two
// (kLz4SplitAt), and of frames without them (decompressed whole): always
// the content's first lines, or all of it.
TEST(Lz4Frame, DecompressesTheFirstLinesOnly) {
  const std::string small = json_lines(300000) + "no line end at the end";
  const std::string large = json_lines(kLz4SplitAt + 12345);
  for (const auto checksums : {Lz4Checksums::content, Lz4Checksums::content_and_blocks})
    for (const std::string* content : {&small, &large}) {
      const std::string frames = lz4_frame_compress_checked(*content, checksums);
      EXPECT_EQ(lz4_frame_decompress(frames), *content);
      const std::size_t total = static_cast<std::size_t>(std::count(content->begin(), content->end(), '\n'));
      for (const std::size_t lines : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{1000}, std::size_t{4567},
                                      total / 2, total / 2 + 1, total - 1, total, total + 1, total + 1000})
        EXPECT_EQ(lz4_frame_decompress_lines(frames, lines), first_lines(*content, lines)) << lines << " of " << total;
    }
  EXPECT_EQ(lz4_frame_decompress_lines(lz4_frame_compress(""), 5), "");
  EXPECT_EQ(lz4_frame_decompress_lines(lz4_frame_compress_checked("", Lz4Checksums::content_and_blocks), 5), "");
  EXPECT_EQ(lz4_frame_decompress_lines(lz4_frame_compress("a\nb\n"), 5, 4), "a\nb\n");
  EXPECT_THROW(lz4_frame_decompress_lines(lz4_frame_compress("a\nb\n"), 5, 3), StoreError);  // over the size allowed
}

// With block checksums, a damaged block among those read is refused; one
// after the lines asked for is not read. Without them, damage anywhere in
// the frame is refused, since it is read whole.
TEST(Lz4Frame, ChecksWhatItDecompressesForTheFirstLines) {
  const std::string content = json_lines(2 << 20);
  const std::string blocks = lz4_frame_compress_checked(content, Lz4Checksums::content_and_blocks);
  ASSERT_NE(static_cast<unsigned char>(blocks[4]) & 0x10, 0);  // FLG: block checksums
  std::string early = blocks;
  early[30] = static_cast<char>(early[30] ^ 0x20);  // in the first block
  EXPECT_THROW(lz4_frame_decompress_lines(early, 1), StoreError);
  std::string late = blocks;
  late[late.size() - 100] = static_cast<char>(late[late.size() - 100] ^ 0x20);  // in the last block
  EXPECT_EQ(lz4_frame_decompress_lines(late, 10), first_lines(content, 10));
  EXPECT_THROW(lz4_frame_decompress_lines(late, 1'000'000), StoreError);
  EXPECT_THROW(lz4_frame_decompress(late), StoreError);
  const std::string plain = lz4_frame_compress(content);
  std::string plain_late = plain;
  plain_late[plain_late.size() - 100] = static_cast<char>(plain_late[plain_late.size() - 100] ^ 0x20);
  EXPECT_THROW(lz4_frame_decompress_lines(plain_late, 10), StoreError);
  EXPECT_THROW(lz4_frame_decompress_lines(blocks.substr(0, blocks.size() / 2), 1'000'000), StoreError);  // cut short
  // A block header's "uncompressed" bit flipped (the block checksum covers the data only): the first
  // block's compressed bytes would be taken as its content, shorter than a block; the whole frame is
  // then read, and its content checksum refuses it.
  std::string flag = blocks;
  ASSERT_EQ(static_cast<unsigned char>(flag[4]) & 0x08, 0x08);  // the content size: the first block's header at 15
  flag[18] = static_cast<char>(flag[18] ^ 0x80);
  EXPECT_THROW(lz4_frame_decompress_lines(flag, 1), StoreError);
}

// Incompressible content is stored as uncompressed blocks, which liblz4
// copies out before it checks their checksum: one block a call, so what
// comes back was checked all the same.
TEST(Lz4Frame, ChecksUncompressedBlocksBeforeTheirLines) {
  std::string content;
  std::uint32_t x = 12345;
  while (content.size() < (std::size_t{1} << 20)) {
    x = x * 1664525u + 1013904223u;
    content.push_back((x >> 24) % 97 == 0 ? '\n' : static_cast<char>('!' + (x >> 24) % 90));
  }
  const std::string frames = lz4_frame_compress_checked(content, Lz4Checksums::content_and_blocks);
  ASSERT_GT(frames.size(), content.size());  // nothing compressed: stored as it is
  const std::size_t total = static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n'));
  for (const std::size_t lines : {std::size_t{1}, std::size_t{700}, std::size_t{701}, total / 2, total, total + 1})
    EXPECT_EQ(lz4_frame_decompress_lines(frames, lines), first_lines(content, lines)) << lines;
  std::string damaged = frames;
  damaged[100] = static_cast<char>(damaged[100] ^ 0x01);  // in the first block's data
  EXPECT_THROW(lz4_frame_decompress_lines(damaged, 1), StoreError);
}

// Pieces appended as frames of their own read back as one content, by every
// reader; each frame's content comes back in turn.
TEST(Lz4Frame, AppendsPiecesAsFramesReadAsOneContent) {
  const std::string content = json_lines(600000);
  for (const Lz4Checksums checksums : {Lz4Checksums::content, Lz4Checksums::content_and_blocks}) {
    Lz4FrameAppender appender(checksums);
    std::vector<std::string> pieces;
    for (std::size_t at = 0; at < content.size(); at += 100000) pieces.push_back(content.substr(at, 100000));
    pieces.insert(pieces.begin() + 2, std::string());  // an empty piece is an empty frame
    for (const auto& piece : pieces) appender.append(piece);
    const std::string frames = appender.frames();
    EXPECT_EQ(frames.substr(0, lz4_frame_compress_checked(pieces[0], checksums).size()),
              lz4_frame_compress_checked(pieces[0], checksums));  // the first piece's frame, as one alone
    EXPECT_EQ(lz4_frame_decompress(frames), content);
    EXPECT_EQ(lz4_frame_decompress_lines(frames, 3), content.substr(0, content.find('\n', content.find('\n', content.find('\n') + 1) + 1) + 1));
    EXPECT_EQ(lz4_frame_decompress_lines(frames, 1000000), content);
    EXPECT_LT(frames.size(), content.size() / 4);
    std::vector<std::string> back;
    lz4_frame_for_each_content(frames, [&](std::string_view c) { back.emplace_back(c); });
    EXPECT_EQ(back, pieces);
    EXPECT_THROW(lz4_frame_for_each_content(frames.substr(0, frames.size() - 1), [](std::string_view) {}), StoreError);
    EXPECT_THROW(lz4_frame_for_each_content(frames, [](std::string_view) {}, content.size() - 1), StoreError);
  }
}

// lz4_frame_spans cuts frames one after the other (skippable ones too) into
// each frame's bytes without decompressing them; lz4_frame_decompress_runs
// reads frames held in several buffers as one content, as a payload stored a
// frame a row is read. Cut, damaged or empty input is refused.
TEST(Lz4Frame, CutsFramesIntoSpansAndReadsThemBackFromSeveralBuffers) {
  const std::string content = json_lines(900000);
  Lz4FrameAppender appender;
  for (std::size_t at = 0; at < content.size(); at += 200000) appender.append(std::string_view(content).substr(at, 200000));
  const std::string skippable = std::string("\x51\x2a\x4d\x18\x05\x00\x00\x00hello", 13);
  const std::string frames = appender.frames() + skippable;
  const std::vector<std::string_view> spans = lz4_frame_spans(frames);
  ASSERT_EQ(spans.size(), 6u);  // five pieces of 200,000 bytes or less, then the skippable frame
  EXPECT_EQ(spans.back(), skippable);
  std::size_t at = 0;
  for (const std::string_view span : spans) {
    EXPECT_EQ(span.data(), frames.data() + at);  // views of `frames`, in order, end to end
    at += span.size();
  }
  EXPECT_EQ(at, frames.size());
  EXPECT_EQ(lz4_frame_decompress(spans[1]), content.substr(200000, 200000));
  // Held apart, one buffer a frame or several frames a buffer: the same content.
  std::vector<std::string> held(spans.begin(), spans.end());
  EXPECT_EQ(lz4_frame_decompress_runs(std::vector<std::string_view>(held.begin(), held.end())), content);
  EXPECT_EQ(lz4_frame_decompress_runs({std::string_view(frames).substr(0, spans[0].size() + spans[1].size()),
                                       std::string_view(frames).substr(spans[0].size() + spans[1].size())}),
            content);
  EXPECT_THROW(lz4_frame_decompress_runs({spans[0], std::string_view(held[1]).substr(0, held[1].size() - 1), spans[2]}),
               StoreError);
  EXPECT_THROW(lz4_frame_decompress_runs({spans[0], std::string_view()}), StoreError);
  EXPECT_THROW(lz4_frame_decompress_runs({}), StoreError);
  EXPECT_THROW(lz4_frame_decompress_runs({spans[0], spans[1]}, 399999), StoreError);  // over max_bytes across buffers
  EXPECT_EQ(lz4_frame_decompress_runs({spans[0], spans[1]}, 400000), content.substr(0, 400000));
  // Into a buffer made for it: each span's content in place, nothing past the room given.
  std::string into(content.size() + 8, '#');
  std::size_t put = 0;
  for (const std::string_view span : spans) put += lz4_frame_decompress_into(span, into.data() + put, content.size() - put);
  EXPECT_EQ(put, content.size());
  EXPECT_EQ(into, content + "########");
  std::string small(199999 + 4, '#');
  EXPECT_THROW(lz4_frame_decompress_into(spans[0], small.data(), 199999), StoreError);
  EXPECT_EQ(small, std::string(199999 + 4, '#'));  // nothing written when it does not fit
  EXPECT_EQ(lz4_frame_decompress_into(skippable, nullptr, 0), 0u);
  EXPECT_THROW(lz4_frame_spans(frames.substr(0, frames.size() - 1)), StoreError);
  EXPECT_THROW(lz4_frame_spans(""), StoreError);
  EXPECT_THROW(lz4_frame_spans(appender.frames() + "junk"), StoreError);
  // Their content's size from their headers alone, within a limit.
  EXPECT_EQ(lz4_frame_content_bytes(frames), content.size());
  EXPECT_EQ(lz4_frame_content_bytes(spans[1]), 200000u);
  EXPECT_EQ(lz4_frame_content_bytes(skippable), 0u);
  EXPECT_EQ(lz4_frame_content_bytes(frames, content.size()), content.size());
  EXPECT_THROW(lz4_frame_content_bytes(frames, content.size() - 1), StoreError);
  EXPECT_THROW(lz4_frame_content_bytes(frames.substr(0, frames.size() - 1)), StoreError);
  EXPECT_THROW(lz4_frame_content_bytes(""), StoreError);
}
