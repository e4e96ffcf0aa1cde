#pragma once
// The files of a ZIP archive (an XLSX workbook), read through its central
// directory (APPNOTE.TXT 6.3 §4.3.12, §4.3.16) and inflated with zlib: for
// tests that look inside what libxlsxwriter wrote. Stored and deflated
// entries only, no ZIP64, no encryption; throws std::runtime_error on
// anything else or on a damaged archive.
#include <zlib.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace marquee::test {

inline std::map<std::string, std::string> zip_entries(const std::string& zip) {
  auto u16 = [&](std::size_t at) -> std::uint32_t {
    if (at + 2 > zip.size()) throw std::runtime_error("zip: truncated");
    return static_cast<unsigned char>(zip[at]) | static_cast<unsigned char>(zip[at + 1]) << 8;
  };
  auto u32 = [&](std::size_t at) -> std::uint32_t { return u16(at) | u16(at + 2) << 16; };
  // The end of central directory record: 22 bytes, no archive comment.
  if (zip.size() < 22) throw std::runtime_error("zip: too short");
  const std::size_t end = zip.size() - 22;
  if (u32(end) != 0x06054b50) throw std::runtime_error("zip: no end of central directory record");
  const std::uint32_t count = u16(end + 10);
  std::size_t at = u32(end + 16);
  std::map<std::string, std::string> files;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (u32(at) != 0x02014b50) throw std::runtime_error("zip: bad central directory entry");
    const std::uint32_t method = u16(at + 10), crc = u32(at + 16), packed = u32(at + 20), size = u32(at + 24);
    const std::uint32_t name_len = u16(at + 28), extra_len = u16(at + 30), comment_len = u16(at + 32);
    const std::size_t local = u32(at + 42);
    if (at + 46 + name_len + extra_len + comment_len > end) throw std::runtime_error("zip: a name runs past the directory");
    std::string name = zip.substr(at + 46, name_len);
    at += 46 + name_len + extra_len + comment_len;
    if (u32(local) != 0x04034b50) throw std::runtime_error("zip: bad local header for " + name);
    const std::size_t data = local + 30 + u16(local + 26) + u16(local + 28);
    if (data + packed > zip.size()) throw std::runtime_error("zip: " + name + " runs past the end");
    std::string out;
    if (method == 0) {
      if (packed != size) throw std::runtime_error("zip: stored " + name + " has two sizes");
      out = zip.substr(data, packed);
    } else if (method == 8) {
      // A deflate stream inflates to at most about 1,032 times its size (RFC 1951: 258-byte matches).
      if (size > 1032ull * packed + 64) throw std::runtime_error("zip: " + name + " claims an impossible size");
      out.assign(size, '\0');
      z_stream z{};
      if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw std::runtime_error("zip: inflateInit2 failed");
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      z.avail_in = packed;
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = size;
      const int rc = inflate(&z, Z_FINISH);
      inflateEnd(&z);
      if (rc != Z_STREAM_END || z.total_out != size) throw std::runtime_error("zip: " + name + " does not inflate");
    } else {
      throw std::runtime_error("zip: " + name + " uses method " + std::to_string(method));
    }
    if (crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size())) != crc)
      throw std::runtime_error("zip: " + name + " fails its CRC-32");
    files.emplace(std::move(name), std::move(out));
  }
  return files;
}

}  // namespace marquee::test
