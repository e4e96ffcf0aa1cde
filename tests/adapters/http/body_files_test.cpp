// BodyFiles: large cached bodies kept as sealed memfds for sendfile(2).
#include "adapters/http/body_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace marquee {
namespace {

std::shared_ptr<const std::string> body_of(std::size_t size, char fill = 'x') {
  auto s = std::make_shared<std::string>(size, fill);
  (*s)[0] = '[';
  (*s)[size - 1] = ']';
  return s;
}

std::string read_whole(const BodyFile& file) {
  std::string out(file.size(), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(file.fd(), out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

TEST(BodyFiles, ABodyGetsItsFileTheSecondTimeItIsSentAndTheFileHoldsItsBytes) {
  BodyFiles files(1024);
  const auto body = body_of(200'000);
  EXPECT_EQ(files.find(body), nullptr) << "the first send writes from memory";
  const auto file = files.find(body);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->size(), body->size());
  EXPECT_EQ(read_whole(*file), *body);
  EXPECT_EQ(files.find(body), file) << "later sends use the same file";
  EXPECT_EQ(files.files(), 1u);
  EXPECT_EQ(files.bytes(), body->size());
}

TEST(BodyFiles, TheFileIsSealedAgainstWritesAndResizing) {
  BodyFiles files(16);
  const auto body = body_of(4096);
  files.find(body);
  const auto file = files.find(body);
  ASSERT_NE(file, nullptr);
  const int seals = ::fcntl(file->fd(), F_GET_SEALS);
  EXPECT_NE(seals & F_SEAL_WRITE, 0);
  EXPECT_NE(seals & F_SEAL_SHRINK, 0);
  EXPECT_NE(seals & F_SEAL_GROW, 0);
  EXPECT_LT(::pwrite(file->fd(), "y", 1, 0), 0);
  EXPECT_LT(::ftruncate(file->fd(), 1), 0);
}

TEST(BodyFiles, SmallBodiesOneRequestBodiesAndNullAreNeverKept) {
  BodyFiles files(1024);
  const auto small = body_of(1023);
  EXPECT_EQ(files.find(small), nullptr);
  EXPECT_EQ(files.find(small), nullptr);
  EXPECT_EQ(files.find(nullptr), nullptr);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(files.find(body_of(2048, static_cast<char>('a' + i))), nullptr);
  EXPECT_EQ(files.files(), 0u);
}

TEST(BodyFiles, AFileGoesWithItsBodyOnceNoSendHoldsIt) {
  BodyFiles files(16, 4, 1 << 20);
  auto old_body = body_of(1000);
  files.find(old_body);
  auto held = files.find(old_body);  // a send in progress holds the file
  ASSERT_NE(held, nullptr);
  const int fd = held->fd();
  old_body.reset();  // a new programme replaced the body
  const auto new_body = body_of(3000);
  files.find(new_body);
  ASSERT_NE(files.find(new_body), nullptr);
  EXPECT_EQ(files.files(), 1u) << "the freed body's file is no longer kept";
  EXPECT_EQ(files.bytes(), 3000u);
  EXPECT_EQ(read_whole(*held).size(), 1000u) << "the send holding it can still finish";
  held.reset();
  EXPECT_LT(::fcntl(fd, F_GETFD), 0) << "closed once the last holder let go";
}

TEST(BodyFiles, ANewBodyWhereAFreedOneWasIsANewBody) {
  // Two bodies at one address, one after the other (aliasing pointers into one slot, as an
  // allocator reusing freed memory would give): the second is not sent from the first's file.
  BodyFiles files(16);
  auto slot = std::make_shared<std::string>(std::string(100, 'a'));
  auto first = std::shared_ptr<const std::string>(std::make_shared<int>(1), slot.get());
  files.find(first);
  ASSERT_NE(files.find(first), nullptr);
  first.reset();  // freed
  *slot = std::string(100, 'b');
  auto second = std::shared_ptr<const std::string>(std::make_shared<int>(2), slot.get());
  EXPECT_EQ(files.find(second), nullptr) << "seen for the first time";
  const auto file = files.find(second);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(read_whole(*file), std::string(100, 'b'));
  EXPECT_EQ(files.files(), 1u);
  EXPECT_EQ(files.bytes(), 100u);
}

TEST(BodyFiles, PastItsCapsABodyIsWrittenFromMemory) {
  BodyFiles by_count(16, 2, 1 << 20);
  std::vector<std::shared_ptr<const std::string>> bodies;
  for (int i = 0; i < 3; ++i) bodies.push_back(body_of(100));
  for (const auto& b : bodies) by_count.find(b);
  EXPECT_NE(by_count.find(bodies[0]), nullptr);
  EXPECT_NE(by_count.find(bodies[1]), nullptr);
  EXPECT_EQ(by_count.find(bodies[2]), nullptr) << "two files at most";
  bodies[0].reset();
  EXPECT_EQ(by_count.find(bodies[2]), nullptr) << "a refused body stays in memory for its life";
  const auto later = body_of(100);
  by_count.find(later);
  EXPECT_NE(by_count.find(later), nullptr) << "a new body takes the freed one's place";

  BodyFiles by_bytes(16, 10, 250);
  const auto a = body_of(200), b = body_of(100);
  by_bytes.find(a);
  by_bytes.find(b);
  EXPECT_NE(by_bytes.find(a), nullptr);
  EXPECT_EQ(by_bytes.find(b), nullptr) << "250 bytes at most";
  EXPECT_EQ(by_bytes.bytes(), 200u);
}

}  // namespace
}  // namespace marquee
