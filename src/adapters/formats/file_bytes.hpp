#pragma once
// Reading a whole file into memory, once.
#include <filesystem>
#include <optional>
#include <string>

namespace marquee {

/// The bytes of the file at `path`, read straight into one string of the
/// file's size (a string stream would grow by doubling and copy the whole
/// file once more at the end); a file that grows meanwhile is still read to
/// its end. Returns nullopt and sets `*error` to "cannot be read: <reason>"
/// when it cannot be opened or a read fails (e.g. a directory). Throws only
/// std::bad_alloc.
std::optional<std::string> read_file_bytes(const std::filesystem::path& path, std::string* error);

}  // namespace marquee
