// The project folder on the local file system (adapters/pipeline/project_files):
// a file written in pieces is their bytes in order, in a new folder or over a
// longer file; a path that cannot be written, or a source that fails, is an
// error the build sees.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "adapters/pipeline/project_files.hpp"

namespace fs = std::filesystem;
using namespace marquee;
using namespace marquee::pipeline;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("marquee-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

}  // namespace

TEST(ProjectFiles, AFileWrittenInPiecesIsTheirBytesInOrder) {
  const ProjectFiles files = local_project_files();
  const fs::path dir = scratch("pieces");
  const fs::path path = dir / "out.tmp/private/rosters.csv";
  files.write_pieces(path, [](const PieceWriter& write) {
    write("a,b\r\n");
    write(std::string(300 * 1024, 'x'));  // larger than the stream's buffer
    write("");
    write("\r\nlast\r\n");
  });
  std::string error;
  EXPECT_EQ(files.read(path, &error), "a,b\r\n" + std::string(300 * 1024, 'x') + "\r\nlast\r\n") << error;

  files.write_pieces(path, [](const PieceWriter& write) { write("shorter\r\n"); });
  EXPECT_EQ(files.read(path, &error), "shorter\r\n") << "the longer file replaced, not overwritten in place";
  fs::remove_all(dir);
}

TEST(ProjectFiles, APathThatCannotBeWrittenIsAnErrorNamingIt) {
  const ProjectFiles files = local_project_files();
  const fs::path dir = scratch("pieces-unwritable");
  fs::create_directories(dir / "out.tmp");
  const fs::path folder_as_file = dir / "out.tmp/private";
  files.write_pieces(folder_as_file / "x.csv", [](const PieceWriter& write) { write("x\r\n"); });
  bool called = false;
  // A folder in the way of the file: it cannot be opened for writing.
  try {
    files.write_pieces(folder_as_file, [&](const PieceWriter& write) {
      called = true;
      write("never\r\n");
    });
    ADD_FAILURE() << "a folder was written as a file";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), folder_as_file.string() + ": cannot be written");
  }
  EXPECT_FALSE(called) << "nothing made for a file that cannot be opened";
  fs::remove_all(dir);
}

TEST(ProjectFiles, WhatTheSourceThrowsIsPassedOn) {
  const ProjectFiles files = local_project_files();
  const fs::path dir = scratch("pieces-failing");
  try {
    files.write_pieces(dir / "registrants.csv", [](const PieceWriter& write) {
      write("key\r\n");
      throw std::length_error("a row could not be made");
    });
    ADD_FAILURE() << "the failure was lost";
  } catch (const std::length_error& e) {
    EXPECT_STREQ(e.what(), "a row could not be made");
  }
  fs::remove_all(dir);
}

TEST(ProjectFiles, AFileIsReadInPiecesOfAtMost256KiB) {
  const ProjectFiles files = local_project_files();
  const fs::path dir = scratch("read-pieces");
  std::string bytes;
  for (int i = 0; bytes.size() < 600 * 1024; ++i) bytes += "line " + std::to_string(i) + "\r\n";
  files.write(dir / "raw/forms.csv", bytes);
  std::vector<std::size_t> sizes;
  std::string joined, error;
  ASSERT_TRUE(files.read_pieces(dir / "raw/forms.csv", [&](std::string_view piece) {
    sizes.push_back(piece.size());
    joined += piece;
  }, &error)) << error;
  EXPECT_EQ(joined, bytes);
  ASSERT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes[0], 256u << 10);
  EXPECT_EQ(sizes[1], 256u << 10);

  files.write(dir / "raw/empty.csv", "");
  bool called = false;
  EXPECT_TRUE(files.read_pieces(dir / "raw/empty.csv", [&](std::string_view) { called = true; }, &error)) << error;
  EXPECT_FALSE(called) << "an empty file has no piece";
  fs::remove_all(dir);
}

TEST(ProjectFiles, AFileThatCannotBeReadInPiecesSaysWhy) {
  const ProjectFiles files = local_project_files();
  const fs::path dir = scratch("read-pieces-missing");
  std::string error;
  EXPECT_FALSE(files.read_pieces(dir / "raw/gone.csv", [](std::string_view) {}, &error));
  EXPECT_EQ(error, "cannot be read: No such file or directory");
  fs::create_directories(dir / "raw/folder.csv");
  error.clear();
  EXPECT_FALSE(files.read_pieces(dir / "raw/folder.csv", [](std::string_view) {}, &error)) << "a folder is not a file";
  EXPECT_EQ(error, "cannot be read: I/O error");
  fs::remove_all(dir);
}
