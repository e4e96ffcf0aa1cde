#include "adapters/http/body_files.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

namespace marquee {

BodyFile::~BodyFile() { ::close(fd_); }

BodyFiles::BodyFiles(std::size_t min_bytes, std::size_t max_files, std::size_t max_bytes)
    : min_bytes_(min_bytes), max_files_(max_files), max_bytes_(max_bytes) {}

namespace {

// A sealed memfd holding `body`, or -1 (errno set).
int make_sealed_file(const std::string& body) {
  const int fd = ::memfd_create("marquee-body", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return -1;
  std::size_t done = 0;
  while (done < body.size()) {
    const ssize_t n = ::write(fd, body.data() + done, body.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = n < 0 ? errno : EIO;
      ::close(fd);
      errno = e;
      return -1;
    }
    done += static_cast<std::size_t>(n);
  }
  // Nothing can change or resize it now (memfd_create(2), "File sealing").
  if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

}  // namespace

void BodyFiles::forget_freed_bodies() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.body.expired()) {
      ++it;
      continue;
    }
    if (it->second.file) {
      bytes_ -= it->second.file->size();
      --files_;
    }
    it = entries_.erase(it);  // a send still holding the file keeps it open
  }
}

std::shared_ptr<const BodyFile> BodyFiles::find(const std::shared_ptr<const std::string>& body) {
  if (!body || body->size() < min_bytes_) return nullptr;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(body.get());
  // The same address with a freed body is a new body made where an old one was.
  if (it != entries_.end() && it->second.body.lock() != body) {
    forget_freed_bodies();
    it = entries_.end();
  }
  if (it == entries_.end()) {
    if (entries_.size() >= 2 * max_files_) forget_freed_bodies();
    if (entries_.size() < 2 * max_files_) entries_.emplace(body.get(), Entry{body, nullptr});
    return nullptr;
  }
  if (it->second.file || it->second.refused) return it->second.file;
  // Its second send: a file, if the caps allow one once the files of freed bodies are let go
  // (a new programme's bodies take the place of the old one's as they are first sent again).
  forget_freed_bodies();
  it = entries_.find(body.get());
  if (files_ >= max_files_ || bytes_ + body->size() > max_bytes_) {
    it->second.refused = true;
    return nullptr;
  }
  const int fd = make_sealed_file(*body);
  if (fd < 0) {
    if (!failure_logged_) spdlog::warn("a response body kept as a file failed ({}); bodies are written from memory", std::strerror(errno));
    failure_logged_ = true;
    it->second.refused = true;
    return nullptr;
  }
  it->second.file = std::make_shared<const BodyFile>(fd, body->size());
  bytes_ += body->size();
  ++files_;
  return it->second.file;
}

std::size_t BodyFiles::files() const {
  std::lock_guard lock(mutex_);
  return files_;
}

std::size_t BodyFiles::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace marquee
