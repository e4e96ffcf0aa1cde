#include "adapters/backup/local_snapshot_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/event_key.hpp"

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

}  // namespace

std::string local_snapshot_path(const std::string& dir, const std::string& store_id) {
  return (fs::path(dir) / ("live-snapshot-" + sha256_hex(store_id).substr(0, 12) + ".json")).string();
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
  const std::string tmp = (dir / ("." + target.filename().string() + "." + std::to_string(::getpid()) + ".tmp")).string();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot write", tmp);
    // The JSON object is written as it is serialized: the payload (tens of MB
    // for a large programme) is escaped in pieces, never copied whole.
    boost::json::object head{{"format", "marquee-live-snapshot-1"},
                             {"snapshot", number},
                             {"published_at", published_at},
                             {"content_hash", content_hash}};
    std::string text = boost::json::serialize(head);
    text.pop_back();  // the closing brace: the payload follows
    out << text << ",\"payload\":";
    boost::json::serializer sr;
    sr.reset(boost::json::string_view(payload.data(), payload.size()));
    char buffer[64 * 1024];
    while (!sr.done()) {
      const auto part = sr.read(buffer, sizeof buffer);
      out.write(part.data(), static_cast<std::streamsize>(part.size()));
    }
    out << "}";
    out.flush();
    if (!out) fail("cannot write", tmp);
  }
  fsync_path(tmp, O_RDONLY);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename over", path);
  fsync_path(dir.string(), O_RDONLY | O_DIRECTORY);
}

std::optional<LocalSnapshot> read_local_snapshot(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    const auto o = boost::json::parse(text.str()).as_object();
    if (o.at("format").as_string() != "marquee-live-snapshot-1") throw std::runtime_error("unknown format");
    LocalSnapshot s;
    s.number = o.at("snapshot").to_number<std::int64_t>();
    s.published_at = o.at("published_at").to_number<std::int64_t>();
    s.content_hash = std::string(o.at("content_hash").as_string());
    s.payload = std::string(o.at("payload").as_string());
    if (sha256_hex(s.payload) != s.content_hash) throw std::runtime_error("its content does not match its hash");
    return s;
  } catch (const std::exception& e) {
    throw std::runtime_error("local snapshot " + path + " is unreadable: " + e.what());
  }
}

}  // namespace marquee
