#include "adapters/backup/local_snapshot_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/event_key.hpp"
#include "core/huge_pages.hpp"

namespace marquee {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail("cannot fsync", path);
}

constexpr std::string_view kFormat = "marquee-live-snapshot-2";

// The name an older version kept a format-1 file under: `.json` for `.jsonl`.
std::optional<std::string> format1_path(const std::string& path) {
  constexpr std::string_view kExtension = ".jsonl";
  if (!std::string_view(path).ends_with(kExtension)) return std::nullopt;
  return path.substr(0, path.size() - 1);
}

LocalSnapshot checked(LocalSnapshot s) {
  if (sha256_hex(s.payload) != s.content_hash) throw std::runtime_error("its content does not match its hash");
  return s;
}

// Format 1: one JSON object, the payload a JSON string in it.
LocalSnapshot read_format1(const std::string& text) {
  const auto o = boost::json::parse(text).as_object();
  if (o.at("format").as_string() != "marquee-live-snapshot-1") throw std::runtime_error("unknown format");
  LocalSnapshot s;
  s.number = o.at("snapshot").to_number<std::int64_t>();
  s.published_at = o.at("published_at").to_number<std::int64_t>();
  s.content_hash = std::string(o.at("content_hash").as_string());
  s.payload = std::string(o.at("payload").as_string());
  return checked(std::move(s));
}

}  // namespace

std::string local_snapshot_path(const std::string& dir, const std::string& store_id) {
  return (fs::path(dir) / ("live-snapshot-" + sha256_hex(store_id).substr(0, 12) + ".jsonl")).string();
}

void write_local_snapshot(const std::string& path, const LocalSnapshot& s) {
  write_local_snapshot(path, s.number, s.published_at, s.content_hash, s.payload);
}

void write_local_snapshot(const std::string& path, std::int64_t number, UnixSeconds published_at,
                          const std::string& content_hash, std::string_view payload) {
  const fs::path target(path);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  // One temporary name per process: two instances on one machine never write
  // into each other's file.
  std::string name = ".";  // appended piece by piece: GCC 12 warns (-Wrestrict) on "." + string, wrongly
  name += target.filename().string();
  name += '.';
  name += std::to_string(::getpid());
  name += ".tmp";
  const std::string tmp = (dir / name).string();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot write", tmp);
    const boost::json::object head{{"format", kFormat},
                                   {"snapshot", number},
                                   {"published_at", published_at},
                                   {"content_hash", content_hash},
                                   {"payload_bytes", payload.size()}};
    out << boost::json::serialize(head) << '\n';
    out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
    out.flush();
    if (!out) fail("cannot write", tmp);
  }
  fsync_path(tmp, O_RDONLY);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename over", path);
  if (const auto old = format1_path(path)) fs::remove(*old, ec);  // the new file is in place: an older version's copy goes
  fsync_path(dir.string(), O_RDONLY | O_DIRECTORY);
}

std::optional<LocalSnapshot> read_local_snapshot(const std::string& path) {
  std::string from = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const auto old = format1_path(path);
    if (!old) return std::nullopt;
    in.clear();
    in.open(*old, std::ios::binary);
    if (!in) return std::nullopt;
    from = *old;
  }
  try {
    std::string head;
    std::getline(in, head);
    if (in.eof()) return read_format1(head);  // format 1 has no line break: its one JSON object is the whole file
    const auto o = boost::json::parse(head).as_object();
    if (o.at("format").as_string() != kFormat) throw std::runtime_error("unknown format");
    LocalSnapshot s;
    s.number = o.at("snapshot").to_number<std::int64_t>();
    s.published_at = o.at("published_at").to_number<std::int64_t>();
    s.content_hash = std::string(o.at("content_hash").as_string());
    const auto bytes = o.at("payload_bytes").to_number<std::uint64_t>();
    // Checked against the file's size before any memory is taken for it.
    const std::uint64_t held = fs::file_size(from) - (head.size() + 1);
    if (bytes != held)
      throw std::runtime_error("its head gives " + std::to_string(bytes) + " payload bytes, the file holds " + std::to_string(held));
    s.payload = huge_page_string(static_cast<std::size_t>(bytes));
    in.read(s.payload.data(), static_cast<std::streamsize>(bytes));
    if (static_cast<std::uint64_t>(in.gcount()) != bytes) throw std::runtime_error("the payload is cut short");
    return checked(std::move(s));
  } catch (const std::exception& e) {
    throw std::runtime_error("local snapshot " + from + " is unreadable: " + e.what());
  }
}

}  // namespace marquee
