#pragma once
// The project-files port: the bytes of the files in a pipeline project folder
// (raw exports, the programme, templates, outputs), read and written whole
// or in pieces.
// Implementation: adapters/pipeline/project_files (the local file system).
// The folder moves the use cases make (a new project, out/ swapped for
// out.tmp, the raw manifest renamed into place) go through it too.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ports/byte_pieces.hpp"

namespace marquee::pipeline {

/// Paths are as the use cases build them from the project folder (absolute or
/// relative to the working directory). A build calls these functions from
/// several threads at once (raw exports are read in parallel, also while
/// their checksums are checked; private files are written while public ones
/// are made); a path being written is not read meanwhile.
struct ProjectFiles {
  /// The bytes of the file at `path`, or nullopt with `*error` set to e.g.
  /// "cannot be read: No such file or directory".
  std::function<std::optional<std::string>(const std::filesystem::path& path, std::string* error)> read;
  /// Hands the bytes of the file at `path` to `write` in order, in pieces
  /// (the local adapter's at most 256 KiB each), never holding the file whole: a raw
  /// export's checksum. Returns false with `*error` set as read() sets it
  /// when the file cannot be opened or read (the pieces handed on before
  /// stand); passes on what `write` throws.
  std::function<bool(const std::filesystem::path& path, const PieceWriter& write, std::string* error)> read_pieces;
  /// Writes `bytes` to `path`, replacing the file and creating its parent
  /// folders. Throws std::runtime_error naming the path on failure.
  std::function<void(const std::filesystem::path& path, const std::string& bytes)> write;
  /// Writes to `path` the pieces `source` hands on, in order, as it makes
  /// them (replacing the file, creating its parent folders): a large output
  /// is never held whole. Throws std::runtime_error naming the path when it
  /// cannot be written; passes on what `source` throws, the file then left
  /// partial (a build writes into out.tmp, which it removes on failure).
  std::function<void(const std::filesystem::path& path, const PieceSource& source)> write_pieces;
  /// The regular files below `folder`, at any depth, as paths relative to it
  /// with '/' separators ("a.csv", "sub/b.csv"), sorted; empty when `folder`
  /// is not a folder. Throws std::runtime_error when it cannot be listed.
  std::function<std::vector<std::string>(const std::filesystem::path& folder)> list;
  /// Whether a regular file (or a link to one) is at `path`. Never throws.
  std::function<bool(const std::filesystem::path& path)> is_file;
  /// Whether anything (file or folder) is at `path`. Never throws.
  std::function<bool(const std::filesystem::path& path)> exists;
  /// Whether a folder is at `path`. Never throws.
  std::function<bool(const std::filesystem::path& path)> is_folder;
  /// Whether the folder at `path` holds anything (files or folders). Never throws.
  std::function<bool(const std::filesystem::path& path)> has_entries;
  /// Creates the folder `path` and its parents. Throws std::runtime_error naming the path.
  std::function<void(const std::filesystem::path& path)> make_folders;
  /// Removes `path` and everything below it (nothing when absent). Throws std::runtime_error.
  std::function<void(const std::filesystem::path& path)> remove_all;
  /// Renames `from` to `to` (atomic within one file system; replaces a file
  /// at `to`). Throws std::runtime_error naming both.
  std::function<void(const std::filesystem::path& from, const std::filesystem::path& to)> rename;
};

}  // namespace marquee::pipeline
