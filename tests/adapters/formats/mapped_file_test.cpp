// MappedFile: a regular file's bytes mapped (not copied) for an import, other
// files read, and a file that changes before its bytes are let go reported.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

#include "adapters/formats/mapped_file.hpp"

using namespace marquee;

namespace {

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / ("marquee-mapped-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

TEST(MappedFile, ARegularFileIsMappedWholeAndLetGo) {
  const std::string content = "key,title\n" + std::string(100000, 'x') + "\n";
  const auto path = temp_file("whole.csv", content);
  MappedFile file(path.string(), 1 << 20);
  EXPECT_EQ(file.size(), content.size());
  EXPECT_EQ(file.bytes(), content);
  EXPECT_EQ(file.release(), "");
  EXPECT_TRUE(file.bytes().empty());
  EXPECT_EQ(file.release(), "") << "a second release has nothing to say";
  std::filesystem::remove(path);
}

TEST(MappedFile, AFileOverTheLimitIsMeasuredNotRead) {
  const auto path = temp_file("big.csv", std::string(5000, 'y'));
  MappedFile file(path.string(), 4999);
  EXPECT_EQ(file.size(), 5000u);
  EXPECT_TRUE(file.bytes().empty());
  const auto empty_path = temp_file("empty.csv", "");
  {
    MappedFile empty_file(empty_path.string(), 10);
    EXPECT_EQ(empty_file.size(), 0u);
    EXPECT_TRUE(empty_file.bytes().empty());
  }
  std::filesystem::remove(path);
  std::filesystem::remove(empty_path);
}

TEST(MappedFile, AMissingFileThrowsWithTheSystemsReason) {
  try {
    MappedFile file("/nonexistent/marquee/none.csv", 10);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read '/nonexistent/marquee/none.csv': No such file"), std::string::npos)
        << e.what();
  }
}

TEST(MappedFile, AFileWrittenBeforeItsBytesAreLetGoIsReported) {
  const auto path = temp_file("grows.csv", "key,title\na,One\n");
  MappedFile file(path.string(), 1 << 20);
  EXPECT_EQ(file.bytes(), "key,title\na,One\n");
  std::ofstream(path, std::ios::binary | std::ios::app) << "b,Two\n";
  const std::string problem = file.release();
  EXPECT_NE(problem.find("'" + path.string() + "' changed while it was read; nothing was imported"), std::string::npos)
      << problem;
  std::filesystem::remove(path);
}

// A pipe has no size to map: it is read to its end (or just past the limit),
// and its writes are not "changes". A FIFO no one writes to reads as empty
// instead of waiting for a writer that may never come.
TEST(MappedFile, APipeIsReadToItsEnd) {
  const auto path = std::filesystem::temp_directory_path() / ("marquee-mapped-" + std::to_string(::getpid()) + ".fifo");
  std::filesystem::remove(path);
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  {
    MappedFile nobody(path.string(), 1 << 20);
    EXPECT_EQ(nobody.size(), 0u);
  }
  // A reader held open here lets the writer open at once; the writer says so
  // before it writes, so the file's reader finds it there.
  const int held = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(held, 0);
  const auto write_all = [&](const std::string& content, std::promise<void>& opened) {
    const int w = ::open(path.c_str(), O_WRONLY);
    opened.set_value();
    for (std::size_t done = 0; w >= 0 && done < content.size();) {
      const ssize_t n = ::write(w, content.data() + done, content.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    if (w >= 0) ::close(w);
  };
  const std::string content(200000, 'z');
  std::promise<void> opened;
  std::thread writer(write_all, std::cref(content), std::ref(opened));
  opened.get_future().wait();
  {
    MappedFile file(path.string(), 1 << 20);
    writer.join();
    EXPECT_EQ(file.size(), content.size());
    EXPECT_EQ(file.bytes(), content);
    EXPECT_EQ(file.release(), "");
  }
  const std::string small(50000, 'w');  // within the pipe's buffer: written whole even when read in part
  std::promise<void> opened_again;
  std::thread again(write_all, std::cref(small), std::ref(opened_again));
  opened_again.get_future().wait();
  {
    MappedFile file(path.string(), 1000);
    again.join();
    EXPECT_GT(file.size(), 1000u) << "read just past the limit, so the caller can refuse it";
    EXPECT_LE(file.size(), small.size());
  }
  ::close(held);
  std::filesystem::remove(path);
}
