// Strict request framing (issue 13, item 9: smuggling risks) and the response
// header check (item 7: header injection).
#include <gtest/gtest.h>

#include "adapters/http/request_framing.hpp"

namespace marquee {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

int status(unsigned version, const Headers& h) {
  auto e = check_framing(version, h);
  return e ? e->status : 0;
}

TEST(RequestFraming, HostMustAppearExactlyOnceInHttp11) {
  EXPECT_EQ(status(11, {{"host", "a"}}), 0);
  EXPECT_EQ(status(11, {}), 400);
  EXPECT_EQ(status(11, {{"host", "a"}, {"host", "b"}}), 400);
  EXPECT_EQ(status(10, {}), 0);
  EXPECT_EQ(status(10, {{"host", "a"}, {"host", "a"}}), 400);
}

TEST(RequestFraming, FinalTransferCodingMustBeChunked) {
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", "chunked"}}), 0);
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", " Chunked "}}), 0);
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", "gzip"}}), 400);
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", "chunked, identity"}}), 400);
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", "xchunked"}}), 400);
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", "chunked"}, {"transfer-encoding", "chunked"}}), 400);
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", "chunked,"}}), 400);
  // A coding we do not implement before the final chunked: 501.
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", "gzip, chunked"}}), 501);
}

TEST(RequestFraming, TransferEncodingWithContentLengthIsRefused) {
  EXPECT_EQ(status(11, {{"host", "a"}, {"transfer-encoding", "xchunked"}, {"content-length", "5"}}), 400);
  EXPECT_EQ(status(11, {{"host", "a"}, {"content-length", "5"}, {"transfer-encoding", "chunked"}}), 400);
  EXPECT_EQ(status(10, {{"transfer-encoding", "chunked"}}), 400);
  EXPECT_EQ(status(11, {{"host", "a"}, {"content-length", "5"}}), 0);
}

TEST(ResponseHeaders, ValuesWithLineBreaksOrNulAreRefused) {
  EXPECT_TRUE(valid_field_value("/admin/attendees/hl27-007?notice=checked-in"));
  EXPECT_FALSE(valid_field_value("/admin/attendees/hl27-007\r\nSet-Cookie: injected=1"));
  EXPECT_FALSE(valid_field_value("a\nb"));
  EXPECT_FALSE(valid_field_value(std::string("a\0b", 3)));
  EXPECT_FALSE(valid_field_value("trailing CR\r"));
  EXPECT_TRUE(valid_field_value("tab\tand UTF-8 \xc3\xa9 pass"));
  EXPECT_TRUE(valid_field_name("Content-Security-Policy"));
  EXPECT_FALSE(valid_field_name("Bad Name"));
  EXPECT_FALSE(valid_field_name(""));
  EXPECT_TRUE(valid_field_name("X-Token_1!#$%&'*+.^`|~"));
  EXPECT_FALSE(valid_field_name("Name:"));
  EXPECT_FALSE(valid_field_name("Caf\xc3\xa9"));
  EXPECT_FALSE(valid_field_name("a\"b"));
}

}  // namespace
}  // namespace marquee
