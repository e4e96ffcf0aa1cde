#include "adapters/sqlite/sqlite_live_signal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ports/store.hpp"

namespace marquee {
namespace {

class SqliteListener final : public LiveListener {
 public:
  SqliteListener(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~SqliteListener() override { ::close(fd_); }
  SqliteListener(const SqliteListener&) = delete;
  SqliteListener& operator=(const SqliteListener&) = delete;

  bool wait(int timeout_ms) override {
    if (drain()) return true;
    pollfd p{fd_, POLLIN, 0};
    const int n = ::poll(&p, 1, timeout_ms);
    if (n <= 0) return false;  // timed out, or interrupted: the caller re-reads the live pointer either way
    return drain();
  }

 private:
  // Reads every queued event; true when one names the signal file.
  bool drain() {
    bool any = false;
    alignas(inotify_event) std::array<char, 8192> buffer;
    for (;;) {
      const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return any;  // EAGAIN: nothing more queued
      for (ssize_t at = 0; at < got;) {
        const auto* e = reinterpret_cast<const inotify_event*>(buffer.data() + at);
        if (e->mask & IN_Q_OVERFLOW) any = true;  // events were dropped: one of them may have been ours
        if (e->len > 0 && std::string_view(e->name) == name_) any = true;
        if (e->mask & IN_IGNORED) throw StoreError("SQLite live listener: the database's folder is no longer watched");
        at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      }
    }
  }

  int fd_;
  std::string name_;
};

}  // namespace

std::string live_signal_path(const std::string& database_path) { return database_path + "-live"; }

std::optional<std::string> signal_live_change(const std::string& database_path) {
  // Written under a name of its own, then renamed over the signal file: a rename needs write
  // access to the folder only (as SQLite's own files do), not to a signal file that another
  // user (root running a publish by hand) created first.
  static std::atomic<std::uint64_t> written{0};
  const std::string path = live_signal_path(database_path);
  const std::string temporary =
      path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(written.fetch_add(1, std::memory_order_relaxed));
  const auto failed = [](const std::string& what) { return what + ": " + std::strerror(errno); };
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return failed("cannot create " + temporary);
  static constexpr std::string_view kText = "live snapshot changed\n";
  const bool complete = ::write(fd, kText.data(), kText.size()) == static_cast<ssize_t>(kText.size());
  if (!complete || ::close(fd) != 0) {
    auto error = failed("cannot write " + temporary);
    if (!complete) ::close(fd);  // not closed above
    ::unlink(temporary.c_str());
    return error;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {  // IN_MOVED_TO wakes the listeners
    auto error = failed("cannot rename " + temporary + " to " + path);
    ::unlink(temporary.c_str());
    return error;
  }
  return std::nullopt;
}

std::unique_ptr<LiveListener> open_sqlite_listener(const std::string& database_path) {
  const std::filesystem::path signal(live_signal_path(database_path));
  std::filesystem::path folder = signal.parent_path();
  if (folder.empty()) folder = ".";
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return nullptr;
  if (::inotify_add_watch(fd, folder.c_str(), IN_MOVED_TO) < 0) {  // signal_live_change renames
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<SqliteListener>(fd, signal.filename().string());
}

}  // namespace marquee
