#include "core/sha256.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/event_key.hpp"

using namespace marquee;

// FIPS 180-4 test vectors (NIST's "abc" and the empty message), and the
// hash of content given in any pieces equals the hash of it all at once.
TEST(Sha256, GivesTheStandardDigestsInAnyPieces) {
  Sha256 abc;
  abc.update("a");
  abc.update("");
  abc.update("bc");
  EXPECT_EQ(abc.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256().hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  std::string content;
  for (int i = 0; content.size() < 300000; ++i) content += "line " + std::to_string(i * 7919) + "\n";
  for (std::size_t piece : {std::size_t{1}, std::size_t{63}, std::size_t{4096}, std::size_t{1} << 17, content.size()}) {
    Sha256 h;
    for (std::size_t at = 0; at < content.size(); at += piece) h.update(std::string_view(content).substr(at, piece));
    EXPECT_EQ(h.hex(), sha256_hex(content)) << piece;
  }
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // libsodium's path
  // FIPS 180-4's long message: a million 'a', in pieces of 1,000.
  Sha256 million;
  const std::string a(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.update(a);
  EXPECT_EQ(million.hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, RefusesUseAfterTheHashIsFinished) {
  Sha256 h;
  h.update("x");
  EXPECT_EQ(h.hex().size(), 64u);
  EXPECT_THROW(h.update("y"), std::logic_error);
  EXPECT_THROW(h.hex(), std::logic_error);
  Sha256 fresh;
  fresh.update("ab");
  Sha256 moved = std::move(fresh);
  EXPECT_THROW(fresh.update("c"), std::logic_error);  // NOLINT(bugprone-use-after-move): moved from on purpose
  moved.update("c");
  EXPECT_EQ(moved.hex(), sha256_hex("abc"));
  EXPECT_EQ(lower_hex(std::string("\x00\x0f\xf0\xff", 4)), "000ff0ff");
}
