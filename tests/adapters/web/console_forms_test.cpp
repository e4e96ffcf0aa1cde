// multipart/form-data parsing (RFC 7578) and editing events field by field from text.
#include <gtest/gtest.h>

#include "adapters/http/multipart_form.hpp"
#include "app/event_edit.hpp"

using namespace marquee;

TEST(MultipartForm, FilesKeepTheirBytesAndNames) {
  const std::string file = std::string("a,b\r\n1,\"x\r\ny\"\r\n\xff\x00\x01 end", 21);
  const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n"
                           "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my events.csv\"\r\n"
                           "Content-Type: text/csv\r\n\r\n" + file + "\r\n--XyZ--\r\n";
  auto parts = parse_multipart_form("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->at("csrf_token").value, "tok");
  EXPECT_EQ(parts->at("csrf_token").file_name, "");
  EXPECT_EQ(parts->at("file").file_name, "my events.csv");
  EXPECT_EQ(parts->at("file").value, file);
}

TEST(MultipartForm, RefusesWhatIsNotMultipart) {
  EXPECT_FALSE(parse_multipart_form("multipart/form-data", "--x\r\n\r\n--x--"));
  EXPECT_FALSE(parse_multipart_form("multipart/form-data; boundary=a\r\nX-Evil: 1", "--a--"));
  EXPECT_FALSE(parse_multipart_form("text/plain; boundary=a", "hello"));
}

TEST(EventEdit, TextRoundTripsInTheVenueZone) {
  Event e;
  e.key = "k";
  e.title = "T";
  e.time_zone = "Europe/Berlin";
  ASSERT_FALSE(set_field_text(e, "starts_at", "2027-06-11 19:00"));
  ASSERT_FALSE(set_field_text(e, "ends_at", "2027-06-11 21:30"));
  EXPECT_EQ(field_text(e, "starts_at"), "2027-06-11 19:00");
  EXPECT_EQ(e.ends_at - e.starts_at, 9000);
  // Moving the start keeps the duration; a zone change keeps the wall time.
  ASSERT_FALSE(set_field_text(e, "starts_at", "2027-06-12 10:00"));
  EXPECT_EQ(field_text(e, "ends_at"), "2027-06-12 12:30");
  const auto before = e.starts_at;
  ASSERT_FALSE(set_field_text(e, "time_zone", "Europe/Lisbon"));
  EXPECT_EQ(field_text(e, "starts_at"), "2027-06-12 10:00");
  EXPECT_EQ(e.starts_at - before, 3600);
  EXPECT_TRUE(set_field_text(e, "starts_at", "2027-02-30 10:00"));
  EXPECT_TRUE(set_field_text(e, "time_zone", "Mars/Base"));
  EXPECT_TRUE(set_field_text(e, "capacity", "-3"));
  EXPECT_TRUE(set_field_text(e, "status", "gone"));
  EXPECT_TRUE(set_field_text(e, "key", "x"));
  ASSERT_FALSE(set_field_text(e, "capacity", ""));
  EXPECT_FALSE(e.capacity);
  ASSERT_FALSE(set_field_text(e, "tags", " jazz,  late night ,,"));
  EXPECT_EQ(e.tags, (std::vector<std::string>{"jazz", "late night"}));
  ASSERT_FALSE(set_field_text(e, "all_day", "yes"));
  EXPECT_EQ(field_text(e, "starts_at"), "2027-06-12");
  EXPECT_EQ(field_text(e, "ends_at"), "2027-06-12");
  ASSERT_FALSE(set_field_text(e, "title", "  Two   spaces\n"));
  EXPECT_EQ(e.title, "Two spaces");
  EXPECT_TRUE(revalidate(e, 0).empty());
  ASSERT_FALSE(set_field_text(e, "title", ""));
  EXPECT_FALSE(revalidate(e, 0).empty());
}

// Issue 14: a description sent with CRLF (as every browser sends a textarea)
// is the same description; saving it changes nothing.
TEST(EventEdit, LineEndingsAloneAreNoChange) {
  marquee::Event e;
  e.description = "Line one\n**two**";
  ASSERT_FALSE(marquee::set_field_text(e, "description", "Line one\r\n**two**"));
  EXPECT_EQ(e.description, "Line one\n**two**");
  ASSERT_FALSE(marquee::set_field_text(e, "description", "Line one\r\n**three**"));
  EXPECT_EQ(e.description, "Line one\n**three**");
  e.description = "Old\r\nstored";  // stored before this fix: left alone when only the line ends differ
  ASSERT_FALSE(marquee::set_field_text(e, "description", "Old\nstored"));
  EXPECT_EQ(e.description, "Old\r\nstored");
}

// Issue 14: a time-only end, as the importer reads it (forms, cells, host submissions).
TEST(EventEdit, ATimeOnlyEndIsOnTheStartsDayOrTheNext) {
  Event e;
  e.key = "k";
  e.title = "T";
  e.time_zone = "Europe/Berlin";
  ASSERT_FALSE(set_field_text(e, "starts_at", "2027-06-11 19:00"));
  ASSERT_FALSE(set_field_text(e, "ends_at", "21:30"));
  EXPECT_EQ(field_text(e, "ends_at"), "2027-06-11 21:30");
  ASSERT_FALSE(set_field_text(e, "ends_at", "01:00"));
  EXPECT_EQ(field_text(e, "ends_at"), "2027-06-12 01:00") << "across midnight";
  const auto error = set_field_text(e, "ends_at", "half past nine");
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("or 21:00 for the start's day"), std::string::npos) << *error;
}
