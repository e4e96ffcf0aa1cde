#pragma once
// Large response bodies kept as sealed in-memory files (memfd_create(2)), so
// the server can send them with sendfile(2) as nginx sends its files: the
// kernel hands the file's pages to the socket instead of copying the body
// from the process into it (`perf` of the server under `wrk -t1` on the
// bundled programme's event list, 171 KB: 37% of its samples in that copy).
//
// A body gets a file the second time the same body object (the same
// shared_ptr'd string, alive) is sent: bodies made for one request are never
// copied into a file, cached ones (the event list, pages) are after their
// first request. The files follow their bodies: a file whose body has been
// freed (a new programme installed) is closed once no send holds it. Files
// and bytes are capped; past a cap a body is written as before.
// Thread-safe. Linux only (memfd_create, file seals).
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace marquee {

/// A sealed in-memory file holding a copy of one body; closed when the last
/// holder lets go. `fd` is readable from offset 0 to `size` (bytes).
class BodyFile {
 public:
  BodyFile(int fd, std::size_t size) : fd_(fd), size_(size) {}
  ~BodyFile();
  BodyFile(const BodyFile&) = delete;
  BodyFile& operator=(const BodyFile&) = delete;
  int fd() const { return fd_; }
  std::size_t size() const { return size_; }

 private:
  int fd_;
  std::size_t size_;
};

class BodyFiles {
 public:
  /// `min_bytes`: smaller bodies are never kept (their copy costs less than a
  /// file). `max_files`, `max_bytes`: caps on what is kept at once.
  BodyFiles(std::size_t min_bytes = 64 * 1024, std::size_t max_files = 64, std::size_t max_bytes = 64u << 20);

  /// The file for `body`, or null when `body` should be written from memory:
  /// null or smaller than min_bytes, seen for the first time, over a cap, or
  /// the file could not be made (memfd_create or write failed; logged once). A body refused
  /// for a cap or a failure is not tried again: a new programme's bodies are.
  std::shared_ptr<const BodyFile> find(const std::shared_ptr<const std::string>& body);

  /// Files kept now (for tests and metrics).
  std::size_t files() const;
  /// Bytes in the files kept now.
  std::size_t bytes() const;

 private:
  struct Entry {
    std::weak_ptr<const std::string> body;
    std::shared_ptr<const BodyFile> file;  ///< null: seen once, no file yet
    bool refused = false;  ///< over a cap, or its file could not be made: written from memory for its life
  };
  void forget_freed_bodies();  // under mutex_

  const std::size_t min_bytes_, max_files_, max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<const std::string*, Entry> entries_;  ///< by the body's address
  std::size_t files_ = 0;  ///< entries with a file
  std::size_t bytes_ = 0;  ///< bytes in those files
  bool failure_logged_ = false;
};

}  // namespace marquee
