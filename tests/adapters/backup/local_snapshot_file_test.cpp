#include "adapters/backup/local_snapshot_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

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

}  // namespace

// The payload is escaped in pieces while the file is written (issue 22): every
// byte comes back, across the 64 KiB pieces, and the file is valid JSON.
TEST(LocalSnapshotFile, ThePayloadRoundTripsByteForByte) {
  const fs::path dir = scratch_dir();
  std::string payload;
  for (int i = 0; i < 20000; ++i)
    payload += "{\"key\":\"k" + std::to_string(i) + "\",\"title\":\"Fado à Noite \\\"" + std::to_string(i) +
               "\\\" \\u0001 \xF0\x9F\x8E\xB6\"}\n";
  const std::string path = (dir / "live-snapshot-test.json").string();
  write_local_snapshot(path, 7, 1'900'000'000, sha256_hex(payload), payload);
  const auto back = read_local_snapshot(path);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->number, 7);
  EXPECT_EQ(back->published_at, 1'900'000'000);
  EXPECT_EQ(back->content_hash, sha256_hex(payload));
  EXPECT_EQ(back->payload, payload);
  // The struct form writes the same file.
  write_local_snapshot(path + ".2", LocalSnapshot{7, 1'900'000'000, sha256_hex(payload), payload});
  std::ifstream a(path, std::ios::binary), b(path + ".2", std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}), std::string(std::istreambuf_iterator<char>(b), {}));
  // A payload that does not match its hash is refused on reading.
  write_local_snapshot(path, 8, 1'900'000'000, sha256_hex("other"), payload);
  EXPECT_THROW(read_local_snapshot(path), std::runtime_error);
  fs::remove_all(dir);
}
