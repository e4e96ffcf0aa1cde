#include "adapters/store/payload_frames.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/store/lz4_frame.hpp"
#include "core/event_key.hpp"

using namespace marquee;

namespace {

std::string lines(int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i) out += "{\"key\":\"ev-" + std::to_string(i) + "\",\"title\":\"Käse " + std::to_string(i * 31 % 977) + "\"}\n";
  return out;
}

}  // namespace

// The parts one after the other, part 0 first, whatever thread finishes
// first: the frames read back as that content, the hash and size are its own.
TEST(PayloadFrames, FramesAndHashesThePartsInOrder) {
  const std::vector<std::string> parts{lines(0, 20000), lines(20000, 15000), lines(35000, 5000)};
  std::atomic<int> on_other_threads{0};
  const auto caller = std::this_thread::get_id();
  const FramedPayload framed = frame_payload_parts(parts.size(), [&](std::size_t part, const PayloadSink& sink) {
    if (std::this_thread::get_id() != caller) ++on_other_threads;
    const std::string& text = parts.at(part);
    for (std::size_t at = 0; at < text.size(); at += 70000) sink(std::string_view(text).substr(at, 70000));
  });
  const std::string whole = parts[0] + parts[1] + parts[2];
  EXPECT_EQ(lz4_frame_decompress(framed.frames), whole);
  EXPECT_EQ(framed.content_hash, sha256_hex(whole));
  EXPECT_EQ(framed.content_bytes, whole.size());
  EXPECT_EQ(on_other_threads.load(), 2);  // parts 1 and 2 each on a thread of its own
  EXPECT_LT(framed.frames.size(), whole.size() / 3);

  // The same content as bytes: the same hash and content (frames cut elsewhere).
  const FramedPayload bytes = frame_payload_bytes(whole);
  EXPECT_EQ(bytes.content_hash, framed.content_hash);
  EXPECT_EQ(lz4_frame_decompress(bytes.frames), whole);
  EXPECT_EQ(frame_payload_bytes("{}\n").content_hash, sha256_hex("{}\n"));
}

// No content is still one frame (every stored payload has one), of nothing.
TEST(PayloadFrames, EmptyContentIsOneEmptyFrame) {
  const FramedPayload framed = frame_payload_parts(1, [](std::size_t, const PayloadSink&) {});
  EXPECT_FALSE(framed.frames.empty());
  EXPECT_EQ(lz4_frame_decompress(framed.frames), "");
  EXPECT_EQ(framed.content_hash, sha256_hex(""));
  EXPECT_EQ(framed.content_bytes, 0u);
  EXPECT_EQ(framed.frames, lz4_frame_compress(""));
  EXPECT_EQ(frame_payload_bytes("").frames, framed.frames);
  // A later part with nothing in it, between others or last: the others' content.
  for (const std::size_t empty_part : {1u, 2u}) {
    const FramedPayload some = frame_payload_parts(3, [&](std::size_t part, const PayloadSink& sink) {
      if (part != empty_part) sink("part " + std::to_string(part) + "\n");
    });
    const std::string want = empty_part == 1 ? "part 0\npart 2\n" : "part 0\npart 1\n";
    EXPECT_EQ(lz4_frame_decompress(some.frames), want) << empty_part;
    EXPECT_EQ(some.content_hash, sha256_hex(want)) << empty_part;
  }
}

// Bytes framed as a publish frames them (a rollback, a restore): each frame
// whole lines, in two parts from kLz4SplitAt bytes on.
TEST(PayloadFrames, BytesAreFramedAtLineEnds) {
  const std::string text = lines(0, 250000);
  ASSERT_GT(text.size(), kLz4SplitAt);
  const FramedPayload framed = frame_payload_bytes(text);
  std::string back;
  std::size_t frames = 0, short_frames = 0;
  lz4_frame_for_each_content(framed.frames, [&](std::string_view content) {
    ++frames;
    EXPECT_EQ(content.back(), '\n') << frames;
    if (content.size() < (std::size_t{1} << 20)) ++short_frames;  // the last of each part only
    back += content;
  });
  EXPECT_EQ(back, text);
  EXPECT_GT(frames, 4u);
  EXPECT_LE(short_frames, 2u);
  EXPECT_EQ(framed.content_hash, sha256_hex(text));
}

// What the writer throws is thrown, from any part, and the other parts stop
// (never write all their pieces); no parts is refused. The other parts write
// only once the failing part has failed, so whenever their writers see the
// stop, it is after the failure: how soon depends on the throw's unwinding,
// so they are given far more pieces than that can take.
TEST(PayloadFrames, ThrowsWhatTheWriterThrows) {
  EXPECT_THROW(frame_payload_parts(0, [](std::size_t, const PayloadSink&) {}), std::invalid_argument);
  constexpr int kPieces = 1000000;
  for (std::size_t failing : {0u, 1u, 2u}) {
    std::atomic<bool> failed{false};
    std::atomic<int> finished{0};  // other parts that wrote all their pieces
    try {
      frame_payload_parts(3, [&](std::size_t part, const PayloadSink& sink) {
        if (part == failing) {
          for (int i = 0; i < 10; ++i) sink("a line\n");
          failed = true;
          throw std::runtime_error("part " + std::to_string(part) + " failed");
        }
        while (!failed) std::this_thread::yield();
        for (int i = 0; i < kPieces; ++i) sink("a line\n");
        ++finished;
      });
      ADD_FAILURE() << "no error from part " << failing;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "part " + std::to_string(failing) + " failed");
    }
    EXPECT_EQ(finished.load(), 0) << failing;
  }
}
