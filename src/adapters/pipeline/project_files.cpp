#include "adapters/pipeline/project_files.hpp"

#include "adapters/formats/file_bytes.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace marquee::pipeline {
namespace {

void write_file_pieces(const fs::path& path, const PieceSource& source) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path.string() + ": cannot be written");
  // A piece of 256 KiB is larger than the stream's buffer: it goes to the
  // file in one write, not copied first.
  source([&](std::string_view piece) {
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    if (!out) throw std::runtime_error(path.string() + ": cannot be written");
  });
  out.flush();
  if (!out) throw std::runtime_error(path.string() + ": cannot be written");
}

void write_file(const fs::path& path, const std::string& bytes) {
  write_file_pieces(path, [&bytes](const PieceWriter& write) { write(bytes); });
}

std::vector<std::string> list_files(const fs::path& folder) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(folder))
    if (entry.is_regular_file()) out.push_back(fs::relative(entry.path(), folder).generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

bool is_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

bool is_folder(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool has_entries(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && !fs::is_empty(path, ec);
}

void make_folders(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) throw std::runtime_error(path.string() + ": cannot be created: " + ec.message());
}

void remove_all(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) throw std::runtime_error(path.string() + ": cannot be removed: " + ec.message());
}

void rename(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) throw std::runtime_error(from.string() + " → " + to.string() + ": cannot be renamed: " + ec.message());
}

}  // namespace

ProjectFiles local_project_files() {
  return {read_file_bytes, read_file_pieces, write_file, write_file_pieces, list_files, is_file, exists, is_folder, has_entries, make_folders, remove_all, rename};
}

}  // namespace marquee::pipeline
