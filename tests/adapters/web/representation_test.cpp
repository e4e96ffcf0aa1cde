// adapters/web/representation: RenderOnce, the feeds' and the event list's
// render-on-first-request (issue 22).
#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "adapters/web/representation.hpp"

namespace marquee {
namespace {

// At most `size` bytes inflated from the gzip `gz` in one call (a byte of room more, to see
// a body longer than expected).
std::string gunzip(const std::string& gz, std::size_t size) {
  std::string out(size + 1, '\0');
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, 15 + 16), Z_OK);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

std::string unbrotli(const std::string& br, std::size_t size) {
  std::string out(size, '\0');
  std::size_t decoded = size;
  EXPECT_EQ(BrotliDecoderDecompress(br.size(), reinterpret_cast<const std::uint8_t*>(br.data()), &decoded,
                                    reinterpret_cast<std::uint8_t*>(out.data())),
            BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(decoded);
  return out;
}

// A JSON-like text of `n` lines, given in pieces of `per_piece` lines.
std::string numbered_text(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "{\"line\":" + std::to_string(i) + ",\"text\":\"event number " + std::to_string(i * 7919 % 1000) + "\"}\n";
  return s;
}

PieceSource in_pieces(const std::string& whole, std::size_t piece_size, int* calls) {
  return [&whole, piece_size, calls, at = std::size_t{0}](std::string& out) mutable {
    if (at == whole.size()) return false;
    ++*calls;
    const std::size_t n = std::min(piece_size, whole.size() - at);
    out.append(whole, at, n);
    at += n;
    return true;
  };
}

Request asking(std::string accept_encoding, std::string if_none_match = "") {
  Request r;
  r.method = "GET";
  r.path = "/api/v1/events";
  r.accept_encoding = std::move(accept_encoding);
  r.if_none_match = std::move(if_none_match);
  return r;
}

TEST(RepresentationInPieces, KeepsOnlyCompressedFormsOfTheSameBytes) {
  const std::string whole = numbered_text(40000);  // about 1.6 MB
  int calls = 0;
  const Representation rep = make_representation_in_pieces(in_pieces(whole, 100000, &calls), "application/json", "public");
  EXPECT_GT(calls, 10);
  const Representation at_once = make_representation(whole, "application/json", "public");
  EXPECT_EQ(rep.etag, at_once.etag);
  EXPECT_EQ(rep.identity_size, whole.size());
  EXPECT_EQ(rep.identity, nullptr) << "the identity bytes are not kept";
  ASSERT_NE(rep.gzip, nullptr);
  ASSERT_NE(rep.brotli, nullptr);
  EXPECT_LT(rep.gzip->size(), whole.size() / 4);
  EXPECT_EQ(gunzip(*rep.gzip, whole.size()), whole);
  EXPECT_EQ(unbrotli(*rep.brotli, whole.size()), whole);
  EXPECT_EQ(rep.content_type, "application/json");
  EXPECT_EQ(rep.cache_control, "public");
}

TEST(RepresentationInPieces, SendsItsIdentityInflatedPieceByPiece) {
  const std::string whole = numbered_text(40000);
  int calls = 0;
  const Representation rep = make_representation_in_pieces(in_pieces(whole, 65536, &calls), "application/json", "public");

  const Response identity = respond_with(rep, asking(""));
  EXPECT_EQ(identity.body, nullptr);
  ASSERT_NE(identity.pieces, nullptr);
  EXPECT_EQ(identity.pieces->size, whole.size());
  std::string sent, piece;
  int pieces = 0;
  for (;;) {
    piece.clear();
    if (!identity.pieces->next(piece)) break;
    EXPECT_LE(piece.size(), 256u * 1024);
    sent += piece;
    ++pieces;
  }
  EXPECT_EQ(sent, whole);
  EXPECT_GT(pieces, 1);
  bool has_encoding = false;
  for (const auto& [k, v] : identity.headers) has_encoding = has_encoding || k == "Content-Encoding";
  EXPECT_FALSE(has_encoding);

  const Response gz = respond_with(rep, asking("gzip"));
  EXPECT_EQ(gz.body, rep.gzip);
  EXPECT_EQ(gz.pieces, nullptr);
  const Response br = respond_with(rep, asking("gzip, br"));
  EXPECT_EQ(br.body, rep.brotli);
  const Response not_modified = respond_with(rep, asking("", rep.etag));
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.pieces, nullptr);
}

TEST(RepresentationInPieces, AnEmptyBodyAndAFailingSource) {
  int calls = 0;
  const std::string empty;
  const Representation rep = make_representation_in_pieces(in_pieces(empty, 10, &calls), "text/plain", "no-store");
  EXPECT_EQ(rep.etag, make_representation("", "text/plain", "no-store").etag);
  EXPECT_EQ(rep.identity_size, 0u);
  EXPECT_EQ(gunzip(*rep.gzip, 0), "");
  const Response r = respond_with(rep, asking(""));
  ASSERT_NE(r.pieces, nullptr);
  std::string out;
  EXPECT_FALSE(r.pieces->next(out));
  EXPECT_THROW(make_representation_in_pieces([](std::string&) -> bool { throw std::runtime_error("programme gone"); },
                                             "text/plain", "no-store"),
               std::runtime_error);
}

TEST(RenderOnce, ConcurrentFirstRequestsShareOneRendering) {
  RenderOnce once;
  std::atomic<int> renders{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  std::vector<std::string> seen(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      seen[i] = *once.get([&] {
                       ++renders;
                       return make_representation(std::string(4096, 'x'), "text/plain", "public, max-age=60");
                     }).identity;
    });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(renders.load(), 1);
  for (const auto& s : seen) EXPECT_EQ(s, std::string(4096, 'x'));
}

TEST(RenderOnce, ARenderingThatThrowsIsTriedAgain) {
  RenderOnce once;
  EXPECT_THROW(once.get([]() -> Representation { throw std::runtime_error("store down"); }), std::runtime_error);
  const Representation& rep = once.get([] { return make_representation("ok", "text/plain", "no-store"); });
  EXPECT_EQ(*rep.identity, "ok");
  // Kept: a later call does not render again.
  EXPECT_EQ(&once.get([]() -> Representation { throw std::logic_error("not called"); }), &rep);
}

}  // namespace
}  // namespace marquee
