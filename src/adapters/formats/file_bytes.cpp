#include "adapters/formats/file_bytes.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace marquee {

std::optional<std::string> read_file_bytes(const std::filesystem::path& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::string("cannot be read: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  std::string bytes;
  std::size_t have = 0;
  std::size_t want = ec ? 0 : static_cast<std::size_t>(size);
  do {
    bytes.resize(have + want + 1);  // one byte more: the end is seen in the same read
    in.read(bytes.data() + have, static_cast<std::streamsize>(want + 1));
    have += static_cast<std::size_t>(in.gcount());
    want = 64 * 1024;
  } while (in);
  if (in.bad()) {
    *error = "cannot be read: I/O error";
    return std::nullopt;
  }
  bytes.resize(have);
  return bytes;
}

bool read_file_pieces(const std::filesystem::path& path, const PieceWriter& write, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::string("cannot be read: ") + std::strerror(errno);
    return false;
  }
  // A read larger than the stream's own buffer goes straight into this one.
  constexpr std::size_t kPiece = 256 << 10;
  const auto buffer = std::make_unique_for_overwrite<char[]>(kPiece);
  do {
    in.read(buffer.get(), static_cast<std::streamsize>(kPiece));
    if (const auto got = static_cast<std::size_t>(in.gcount()); got > 0) write(std::string_view(buffer.get(), got));
  } while (in);
  if (in.bad()) {
    *error = "cannot be read: I/O error";
    return false;
  }
  return true;
}

}  // namespace marquee
