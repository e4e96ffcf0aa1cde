#pragma once
// A file's bytes for one import, without copying a regular file: mapped
// read-only from the page cache (POSIX mmap), so a 50 MB CSV costs no new
// memory and no copy before its first record is parsed. Anything else (a
// pipe, a character device) is read into memory.
#include <cstddef>
#include <string>
#include <string_view>

namespace marquee {

class MappedFile {
 public:
  /// Opens `path`. A regular file of at most `max_bytes` is mapped; a
  /// larger one is neither mapped nor read (size() says how large it is).
  /// Anything else is read up to `max_bytes + 1` bytes. Throws
  /// std::runtime_error ("cannot read 'x.csv': No such file or directory")
  /// when it cannot be opened, inspected, mapped or read.
  MappedFile(const std::string& path, std::size_t max_bytes);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  /// The file's size in bytes: a regular file's as it was opened, else how
  /// much was read.
  std::size_t size() const { return size_; }

  /// The bytes (empty for a regular file over the limit, and once
  /// released). A mapped file truncated by another process while it is
  /// read ends this process (SIGBUS), as any mapped read does; an import's
  /// transaction is then rolled back, so nothing is written.
  std::string_view bytes() const { return bytes_; }

  /// Lets the bytes go (unmaps or frees them) and says whether a regular
  /// file changed since it was opened, by its size and its modification
  /// time (nanoseconds): "" when it did not, else a sentence for the
  /// import report ("'x.csv' changed while it was read; nothing was
  /// imported …"). Later calls return "".
  std::string release();

 private:
  std::string path_;
  int fd_ = -1;
  bool regular_ = false;
  void* map_ = nullptr;
  std::size_t size_ = 0;
  long long mtime_ns_ = 0;
  std::string read_;  // a file that is not mapped
  std::string_view bytes_;
};

}  // namespace marquee
