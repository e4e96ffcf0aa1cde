#pragma once
// Reading a file: whole into memory, once, or in pieces.
#include <filesystem>
#include <optional>
#include <string>

#include "ports/byte_pieces.hpp"

namespace marquee {

/// The bytes of the file at `path`, read straight into one string of the
/// file's size (a string stream would grow by doubling and copy the whole
/// file once more at the end); a file that grows meanwhile is still read to
/// its end. Returns nullopt and sets `*error` to "cannot be read: <reason>"
/// when it cannot be opened or a read fails (e.g. a directory). Throws only
/// std::bad_alloc.
std::optional<std::string> read_file_bytes(const std::filesystem::path& path, std::string* error);

/// Hands the bytes of the file at `path` to `write` in order, in pieces of
/// at most 256 KiB read into one buffer (the file is never held whole: a
/// checksum of a 5 MB export needs no 5 MB of new memory). Returns false and
/// sets `*error` as read_file_bytes does when the file cannot be opened or a
/// read fails (the pieces handed on before stand). Passes on what `write`
/// throws; otherwise throws only std::bad_alloc.
bool read_file_pieces(const std::filesystem::path& path, const PieceWriter& write, std::string* error);

}  // namespace marquee
