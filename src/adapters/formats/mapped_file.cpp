#include "adapters/formats/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace marquee {
namespace {

long long mtime_ns(const struct stat& st) {
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

}  // namespace

MappedFile::MappedFile(const std::string& path, std::size_t max_bytes) : path_(path) {
  const auto fail = [&](const char* what) {
    const std::string reason = std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("cannot " + std::string(what) + " '" + path + "': " + reason);
  };
  // Not blocking on a FIFO that no one writes to (it reads as empty instead).
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0) fail("read");
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail("read");
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK) < 0) fail("read");  // reads wait for data again
  regular_ = S_ISREG(st.st_mode);
  if (regular_) {
    size_ = static_cast<std::size_t>(st.st_size);
    mtime_ns_ = mtime_ns(st);
    if (size_ == 0 || size_ > max_bytes) return;  // nothing to map, or refused unread
    // Private and read-only: nothing is written through it; the pages are the cache's own.
    if (void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0); p != MAP_FAILED) {
      ::madvise(p, size_, MADV_SEQUENTIAL);  // read ahead of the parser; an advice only
      map_ = p;
      bytes_ = std::string_view(static_cast<const char*>(p), size_);
      return;
    }
    // A file system that cannot map it: read like any other file.
  }
  char buf[1 << 16];
  while (read_.size() <= max_bytes) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read");
    if (n == 0) break;
    read_.append(buf, static_cast<std::size_t>(n));
  }
  if (!regular_) size_ = read_.size();
  bytes_ = read_;
}

MappedFile::~MappedFile() {
  release();
  if (fd_ >= 0) ::close(fd_);
}

std::string MappedFile::release() {
  bytes_ = {};
  if (map_) ::munmap(map_, size_);
  map_ = nullptr;
  std::string().swap(read_);
  if (fd_ < 0) return "";
  struct stat st {};
  const bool changed = regular_ && (::fstat(fd_, &st) != 0 || static_cast<std::size_t>(st.st_size) != size_ ||
                                    mtime_ns(st) != mtime_ns_);
  ::close(fd_);
  fd_ = -1;
  if (!changed) return "";
  return "'" + path_ + "' changed while it was read; nothing was imported (import it again once it is complete)";
}

}  // namespace marquee
