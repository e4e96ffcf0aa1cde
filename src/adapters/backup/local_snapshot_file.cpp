#include "adapters/backup/local_snapshot_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
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

// The fields both formats' heads have.
LocalSnapshot from_head(const boost::json::object& o) {
  LocalSnapshot s;
  s.number = o.at("snapshot").to_number<std::int64_t>();
  s.published_at = o.at("published_at").to_number<std::int64_t>();
  s.content_hash = std::string(o.at("content_hash").as_string());
  return s;
}

// One file of either format: its first line is format 2's head, or format
// 1's whole JSON object (which has no line break), the payload a string in it.
LocalSnapshot read_file(std::ifstream& in) {
  std::string head;
  std::getline(in, head);
  const bool line_ended = !in.eof();
  const auto o = boost::json::parse(head).as_object();
  const auto& format = o.at("format").as_string();
  if (format == "marquee-live-snapshot-1") {
    LocalSnapshot s = from_head(o);
    s.payload = std::string(o.at("payload").as_string());
    return checked(std::move(s));
  }
  if (format != kFormat) throw std::runtime_error("unknown format");
  if (!line_ended) throw std::runtime_error("its head line has no line end");
  LocalSnapshot s = from_head(o);
  const auto bytes = o.at("payload_bytes").to_number<std::uint64_t>();
  // Checked against the open file's size before any memory is taken for it.
  const auto at = in.tellg();
  in.seekg(0, std::ios::end);
  const auto end = in.tellg();
  in.seekg(at);
  if (at < 0 || end < at || !in) throw std::runtime_error("its size cannot be read");
  const auto held = static_cast<std::uint64_t>(end - at);
  if (bytes != held)
    throw std::runtime_error("its head gives " + std::to_string(bytes) + " payload bytes, the file holds " + std::to_string(held));
  s.payload = huge_page_string(static_cast<std::size_t>(bytes));
  in.read(s.payload.data(), static_cast<std::streamsize>(bytes));
  if (static_cast<std::uint64_t>(in.gcount()) != bytes) throw std::runtime_error("the payload is cut short");
  return checked(std::move(s));
}

// The file at `path`, nullopt when there is none; errors name the file.
std::optional<LocalSnapshot> read_path(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  try {
    return read_file(in);
  } catch (const std::exception& e) {
    throw std::runtime_error("local snapshot " + path + " is unreadable: " + e.what());
  }
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
  write_local_snapshot(path, number, published_at, content_hash, payload.size(),
                       [payload](const std::function<void(std::string_view)>& sink) { sink(payload); });
}

void write_local_snapshot(const std::string& path, std::int64_t number, UnixSeconds published_at,
                          const std::string& content_hash, std::size_t payload_bytes,
                          const std::function<void(const std::function<void(std::string_view)>& sink)>& write) {
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
  try {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot write", tmp);
    const boost::json::object head{{"format", kFormat},
                                   {"snapshot", number},
                                   {"published_at", published_at},
                                   {"content_hash", content_hash},
                                   {"payload_bytes", payload_bytes}};
    out << boost::json::serialize(head) << '\n';
    std::size_t written = 0;
    write([&](std::string_view piece) {
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      written += piece.size();
    });
    out.flush();
    if (!out) fail("cannot write", tmp);
    if (written != payload_bytes)
      throw std::runtime_error(tmp + ": the payload came to " + std::to_string(written) + " bytes, not the " +
                               std::to_string(payload_bytes) + " announced");
    out.close();
    if (!out) fail("cannot write", tmp);
    fsync_path(tmp, O_RDONLY);
    if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename over", path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);  // never left for the next start to trip over; the old file stays
    throw;
  }
  if (const auto old = format1_path(path)) fs::remove(*old, ec);  // the new file is in place: an older version's copy goes
  fsync_path(dir.string(), O_RDONLY | O_DIRECTORY);
}

std::optional<LocalSnapshot> read_local_snapshot(const std::string& path) {
  auto current = read_path(path);
  const auto old = format1_path(path);
  if (!old) return current;
  if (!current) return read_path(*old);
  // Both files exist only after an older version wrote its file again (a
  // downgrade, or an older instance sharing the folder): the newer snapshot
  // wins, and a damaged older file does not hide a good new one.
  if (!fs::exists(*old)) return current;
  try {
    if (auto older = read_path(*old); older && older->number > current->number) return older;
  } catch (const std::runtime_error&) {
  }
  return current;
}

}  // namespace marquee
