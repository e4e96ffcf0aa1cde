#include "adapters/sqlite/sqlite_live_signal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
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

bool signal_live_change(const std::string& database_path) {
  const std::string path = live_signal_path(database_path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  static constexpr std::string_view kText = "live snapshot changed\n";
  const bool written = ::write(fd, kText.data(), kText.size()) == static_cast<ssize_t>(kText.size());
  return ::close(fd) == 0 && written;  // the close is what wakes the listeners (IN_CLOSE_WRITE)
}

std::unique_ptr<LiveListener> open_sqlite_listener(const std::string& database_path) {
  const std::filesystem::path signal(live_signal_path(database_path));
  std::filesystem::path folder = signal.parent_path();
  if (folder.empty()) folder = ".";
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return nullptr;
  if (::inotify_add_watch(fd, folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<SqliteListener>(fd, signal.filename().string());
}

}  // namespace marquee
