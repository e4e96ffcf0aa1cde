#include "adapters/backup/local_snapshot_file.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <unistd.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/event_key.hpp"

namespace fs = std::filesystem;
using namespace marquee;

namespace {

fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / ("marquee-local-snapshot-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Lines as a snapshot payload holds them: quotes, escapes, a control
// character's escape and a four-byte UTF-8 character in each.
std::string sample_payload(int lines) {
  std::string payload;
  for (int i = 0; i < lines; ++i)
    payload += "{\"key\":\"k" + std::to_string(i) + "\",\"title\":\"Fado à Noite \\\"" + std::to_string(i) +
               "\\\" \\u0001 \xF0\x9F\x8E\xB6\"}\n";
  return payload;
}

}  // namespace

// Every byte of the payload comes back, and the file is its head line and
// then the payload as it is, nothing escaped (format 2, issue 22).
TEST(LocalSnapshotFile, ThePayloadRoundTripsByteForByte) {
  const fs::path dir = scratch_dir();
  const std::string payload = sample_payload(20000);
  const std::string path = (dir / "live-snapshot-test.jsonl").string();
  write_local_snapshot(path, 7, 1'900'000'000, sha256_hex(payload), payload);
  const auto back = read_local_snapshot(path);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->number, 7);
  EXPECT_EQ(back->published_at, 1'900'000'000);
  EXPECT_EQ(back->content_hash, sha256_hex(payload));
  EXPECT_EQ(back->payload, payload);
  const std::string text = file_text(path);
  const std::size_t line_end = text.find('\n');
  ASSERT_NE(line_end, std::string::npos);
  const auto head = boost::json::parse(text.substr(0, line_end)).as_object();
  EXPECT_EQ(head.at("format").as_string(), "marquee-live-snapshot-2");
  EXPECT_EQ(head.at("payload_bytes").to_number<std::uint64_t>(), payload.size());
  EXPECT_EQ(text.substr(line_end + 1), payload);
  // The struct form writes the same file.
  write_local_snapshot(path + ".2", LocalSnapshot{7, 1'900'000'000, sha256_hex(payload), payload});
  std::ifstream a(path, std::ios::binary), b(path + ".2", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}), std::string(std::istreambuf_iterator<char>(b), {}));
  // A payload that does not match its hash is refused on reading.
  write_local_snapshot(path, 8, 1'900'000'000, sha256_hex("other"), payload);
  EXPECT_THROW(read_local_snapshot(path), std::runtime_error);
  fs::remove_all(dir);
}

// A payload given piece by piece (as a server makes a large snapshot's
// pieces again) writes the same file; pieces that come to another size than
// announced, or a piece that cannot be made, leave the file that was there
// and no temporary file.
TEST(LocalSnapshotFile, APayloadWrittenPieceByPieceIsTheSameFile) {
  const fs::path dir = scratch_dir();
  const std::string payload = sample_payload(20000);
  const std::string whole = (dir / "whole.jsonl").string(), pieced = (dir / "live-snapshot-test.jsonl").string();
  write_local_snapshot(whole, 7, 1'900'000'000, sha256_hex(payload), payload);
  const auto in_pieces = [&](std::size_t bytes) {
    return [&payload, bytes](const std::function<void(std::string_view)>& sink) {
      for (std::size_t at = 0; at < payload.size(); at += bytes) sink(std::string_view(payload).substr(at, bytes));
    };
  };
  write_local_snapshot(pieced, 7, 1'900'000'000, sha256_hex(payload), payload.size(), in_pieces(4096));
  EXPECT_EQ(file_text(pieced), file_text(whole));
  ASSERT_TRUE(read_local_snapshot(pieced));
  EXPECT_EQ(read_local_snapshot(pieced)->payload, payload);
  const std::string kept = file_text(pieced);
  const auto no_temporary_left = [&] {
    for (const auto& entry : fs::directory_iterator(dir))
      EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  };
  for (const std::size_t announced : {payload.size() + 1, payload.size() - 1}) {
    EXPECT_THROW(write_local_snapshot(pieced, 8, 1'900'000'000, sha256_hex(payload), announced, in_pieces(4096)),
                 std::runtime_error)
        << announced;
    EXPECT_EQ(file_text(pieced), kept);
    no_temporary_left();
  }
  EXPECT_THROW(write_local_snapshot(pieced, 8, 1'900'000'000, sha256_hex(payload), payload.size(),
                                    [](const std::function<void(std::string_view)>& sink) {
                                      sink("{\"key\":");
                                      throw std::logic_error("a damaged piece");
                                    }),
               std::logic_error);
  EXPECT_EQ(file_text(pieced), kept);
  no_temporary_left();
  fs::remove_all(dir);
}

// A file cut short, one with bytes after its payload, and one whose head is
// not the format's are refused, naming the file.
TEST(LocalSnapshotFile, ADamagedFileIsRefused) {
  const fs::path dir = scratch_dir();
  const std::string payload = sample_payload(100);
  const std::string path = (dir / "live-snapshot-test.jsonl").string();
  write_local_snapshot(path, 3, 1'900'000'000, sha256_hex(payload), payload);
  const std::string whole = file_text(path);
  const auto refused = [&](const std::string& text, const std::string& why) {
    write_text(path, text);
    try {
      read_local_snapshot(path);
      ADD_FAILURE() << "read: " << why;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  refused(whole.substr(0, whole.size() - 10), "the file holds");
  refused(whole + "more", "the file holds");
  std::string other = whole;
  other.replace(other.find("snapshot-2"), 10, "snapshot-9");
  refused(other, "unknown format");
  std::string changed = whole;
  changed[changed.size() - 5] = 'X';
  refused(changed, "does not match its hash");
  refused(whole.substr(0, whole.find('\n')), "no line end");
  fs::remove_all(dir);
}

// An older version's file (format 1: one JSON object, the payload a JSON
// string, named .json) is still read when there is no new file, and goes
// once the new file is written.
TEST(LocalSnapshotFile, AnOlderVersionsFileIsReadThenReplaced) {
  const fs::path dir = scratch_dir();
  fs::create_directories(dir);
  const std::string payload = sample_payload(1000);
  const std::string path = (dir / "live-snapshot-test.jsonl").string();
  const std::string old_path = (dir / "live-snapshot-test.json").string();
  EXPECT_FALSE(read_local_snapshot(path).has_value());
  write_text(old_path, boost::json::serialize(boost::json::object{{"format", "marquee-live-snapshot-1"},
                                                                  {"snapshot", 5},
                                                                  {"published_at", 1'800'000'000},
                                                                  {"content_hash", sha256_hex(payload)},
                                                                  {"payload", payload}}));
  const auto old = read_local_snapshot(path);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->number, 5);
  EXPECT_EQ(old->published_at, 1'800'000'000);
  EXPECT_EQ(old->payload, payload);
  write_local_snapshot(path, 6, 1'800'000'100, sha256_hex("new\n"), "new\n");
  EXPECT_FALSE(fs::exists(old_path));
  const auto now = read_local_snapshot(path);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->number, 6);
  EXPECT_EQ(now->payload, "new\n");
  // Both files (an older version ran after this one): the higher snapshot wins.
  const auto format1 = [&](std::int64_t number, const std::string& text) {
    write_text(old_path, boost::json::serialize(boost::json::object{{"format", "marquee-live-snapshot-1"},
                                                                    {"snapshot", number},
                                                                    {"published_at", 1'800'000'200},
                                                                    {"content_hash", sha256_hex(text)},
                                                                    {"payload", text}}) +
                             "\n");  // a line end after the object, as an editor may leave, is read too
  };
  format1(7, "older version\n");
  EXPECT_EQ(read_local_snapshot(path)->payload, "older version\n");
  format1(5, "older version\n");
  EXPECT_EQ(read_local_snapshot(path)->payload, "new\n");
  write_text(old_path, "{\"format\":");
  EXPECT_EQ(read_local_snapshot(path)->payload, "new\n") << "a damaged older file does not hide the new one";
  // A damaged old file alone is named in the error.
  fs::remove(path);
  write_text(old_path, "{\"format\":\"marquee-live-snapshot-1\",\"snapshot\":");
  try {
    read_local_snapshot(path);
    ADD_FAILURE() << "a damaged file was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(old_path), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}
