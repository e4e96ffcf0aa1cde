#include "adapters/backup/backup_file.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace marquee {
namespace {

constexpr const char* kFormat = "marquee-backup";

class Sha256 {
 public:
  Sha256() { crypto_hash_sha256_init(&st_); }
  void add(const std::string& s) {
    crypto_hash_sha256_update(&st_, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  }
  std::string hex() {
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st_, d);
    char out[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(out, sizeof out, d, sizeof d);
    return out;
  }

 private:
  crypto_hash_sha256_state st_;
};

constexpr char kMagic[] = "MQBENC1\n";  // an encrypted backup starts with these 8 bytes
constexpr std::size_t kChunk = 64 * 1024;

// gzip (RFC 1952) of `text`, compression level 6.
std::string gzip(const std::string& text) {
  if (text.size() > 0xFFFFFFFFu) throw BackupError("the backup is larger than 4 GiB before compression; not supported");
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw BackupError("zlib: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw BackupError("zlib: compression failed");
  return out;
}

std::string gunzip(const std::string& bytes, const std::string& path) {
  if (bytes.size() > 0xFFFFFFFFu) throw BackupError(path + ": larger than 4 GiB; not supported");
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) throw BackupError("zlib: inflateInit2 failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  const std::string why = z.msg ? z.msg : rc == Z_STREAM_END ? "" : "unexpected end of file";
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw BackupError(path + ": the compressed data is damaged or truncated (" + why + ")");
  return out;
}

// libsodium secretstream (XChaCha20-Poly1305): magic, stream header, then
// chunks of at most 64 KiB, each as a 4-byte big-endian length and the
// ciphertext; the last one carries TAG_FINAL, so truncation is detected.
std::string encrypt(const std::string& plain, const BackupKey& key) {
  crypto_secretstream_xchacha20poly1305_state st;
  unsigned char head[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&st, head, key.bytes.data());
  std::string out(kMagic, sizeof kMagic - 1);
  out.append(reinterpret_cast<const char*>(head), sizeof head);
  std::size_t pos = 0;
  do {
    const std::size_t n = std::min(kChunk, plain.size() - pos);
    const bool last = pos + n == plain.size();
    std::string c(n + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(&st, reinterpret_cast<unsigned char*>(c.data()), &clen,
                                               reinterpret_cast<const unsigned char*>(plain.data() + pos), n, nullptr, 0,
                                               last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    const auto len = static_cast<std::uint32_t>(clen);
    const char be[4] = {static_cast<char>(len >> 24), static_cast<char>(len >> 16), static_cast<char>(len >> 8),
                        static_cast<char>(len)};
    out.append(be, 4);
    out.append(c.data(), clen);
    pos += n;
  } while (pos < plain.size());
  return out;
}

std::string decrypt(const std::string& bytes, const BackupKey& key, const std::string& path) {
  const std::size_t head_at = sizeof kMagic - 1;
  if (bytes.size() < head_at + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    throw BackupError(path + ": the encrypted backup is truncated");
  crypto_secretstream_xchacha20poly1305_state st;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, reinterpret_cast<const unsigned char*>(bytes.data() + head_at),
                                                      key.bytes.data()) != 0)
    throw BackupError(path + ": the encrypted backup's header is invalid");
  std::size_t pos = head_at + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  std::string out;
  bool final = false;
  while (pos < bytes.size()) {
    if (final) throw BackupError(path + ": data after the end of the encrypted backup");
    if (bytes.size() - pos < 4) throw BackupError(path + ": the encrypted backup is truncated");
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + pos);
    const std::size_t len = (std::size_t{p[0]} << 24) | (std::size_t{p[1]} << 16) | (std::size_t{p[2]} << 8) | p[3];
    pos += 4;
    if (len < crypto_secretstream_xchacha20poly1305_ABYTES || len > kChunk + crypto_secretstream_xchacha20poly1305_ABYTES ||
        bytes.size() - pos < len)
      throw BackupError(path + ": the encrypted backup is truncated or damaged");
    std::string m(len, '\0');
    unsigned long long mlen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&st, reinterpret_cast<unsigned char*>(m.data()), &mlen, &tag,
                                                   reinterpret_cast<const unsigned char*>(bytes.data() + pos), len,
                                                   nullptr, 0) != 0)
      throw BackupError(path + ": the backup cannot be decrypted: wrong key, or the file is damaged");
    out.append(m.data(), mlen);
    pos += len;
    final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  }
  if (!final) throw BackupError(path + ": the encrypted backup is truncated (no final chunk)");
  return out;
}

void sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::uint64_t write_backup(const std::string& path, const BackupHeader& header, const std::vector<TableDump>& tables,
                           const BackupKey* key) {
  namespace fs = std::filesystem;
  const fs::path final_path(path);
  const fs::path tmp = final_path.parent_path() / ("." + final_path.filename().string() + ".tmp");
  // The whole file is built in memory (the tables already are): the plain
  // text of an encrypted backup never touches the disk.
  std::string text;
  Sha256 all;
  auto put = [&](const std::string& line) {
    const std::string l = line + "\n";
    all.add(l);
    text += l;
  };
  put(boost::json::serialize(boost::json::object{{"format", kFormat},
                                                 {"version", header.format_version},
                                                 {"created_at", header.created_at},
                                                 {"schema_version", header.schema_version},
                                                 {"source", header.source_backend}}));
  boost::json::array manifest;
  for (const auto& t : tables) {
    boost::json::array cols;
    for (const auto& c : t.columns) cols.emplace_back(c);
    put(boost::json::serialize(boost::json::object{{"table", t.name}, {"columns", cols}}));
    Sha256 table;
    for (const auto& row : t.rows) {
      boost::json::array values;
      for (const auto& v : row) {
        if (v) values.emplace_back(*v);
        else values.emplace_back(nullptr);
      }
      const std::string line = boost::json::serialize(values);
      table.add(line + "\n");
      put(line);
    }
    const std::string digest = table.hex();
    put(boost::json::serialize(boost::json::object{{"end_table", t.name}, {"rows", t.rows.size()}, {"sha256", digest}}));
    manifest.push_back({{"table", t.name}, {"rows", t.rows.size()}, {"sha256", digest}});
  }
  const std::string body_digest = all.hex();
  text += boost::json::serialize(boost::json::object{{"end", true}, {"tables", manifest}, {"sha256", body_digest}}) + "\n";
  std::string bytes = gzip(text);
  sodium_memzero(text.data(), text.size());
  if (key) bytes = encrypt(bytes, *key);

  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw BackupError("cannot create " + tmp.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    const std::string why = std::strerror(errno);
    fs::remove(tmp);
    throw BackupError("writing " + tmp.string() + " failed: " + why);
  }
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp);
    throw BackupError("cannot rename the backup into place: " + ec.message());
  }
  sync_path(final_path.parent_path().empty() ? "." : final_path.parent_path().string(), O_RDONLY | O_DIRECTORY);
  return fs::file_size(final_path);
}

bool is_encrypted_backup(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[sizeof kMagic - 1] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == static_cast<std::streamsize>(sizeof magic) && std::memcmp(magic, kMagic, sizeof magic) == 0;
}

std::vector<TableDump> read_backup(const std::string& path, BackupHeader* header, const BackupKey* key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BackupError("cannot open " + path);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.compare(0, sizeof kMagic - 1, kMagic) == 0) {
    if (!key) throw BackupError(path + ": the backup is encrypted; give its key (--backup-key-file)");
    raw = decrypt(raw, *key, path);
  }
  std::string data = gunzip(raw, path);

  std::vector<TableDump> tables;
  Sha256 all, table;
  TableDump* current = nullptr;
  std::size_t pos = 0;
  int line_no = 0;
  bool ended = false;
  while (pos < data.size()) {
    const auto e = data.find('\n', pos);
    if (e == std::string::npos) throw BackupError(path + ": truncated (the last line is incomplete)");
    const std::string line = data.substr(pos, e - pos);
    pos = e + 1;
    ++line_no;
    if (ended) throw BackupError(path + ": data after the end manifest");
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (ec) throw BackupError(path + ": line " + std::to_string(line_no) + " is not JSON");
    try {
      if (line_no == 1) {
        const auto& o = v.as_object();
        if (!o.contains("format") || o.at("format").as_string() != kFormat)
          throw BackupError(path + ": not a Marquee backup");
        header->format_version = static_cast<int>(o.at("version").as_int64());
        if (header->format_version != 1)
          throw BackupError(path + ": backup format version " + std::to_string(header->format_version) + " is newer than this Marquee");
        header->created_at = o.at("created_at").as_int64();
        header->schema_version = static_cast<int>(o.at("schema_version").as_int64());
        header->source_backend = std::string(o.at("source").as_string());
      } else if (v.is_array()) {
        if (!current) throw BackupError(path + ": line " + std::to_string(line_no) + ": a row outside a table");
        std::vector<std::optional<std::string>> row;
        for (const auto& x : v.as_array()) {
          if (x.is_null()) row.emplace_back(std::nullopt);
          else row.emplace_back(std::string(x.as_string()));
        }
        if (row.size() != current->columns.size())
          throw BackupError(path + ": line " + std::to_string(line_no) + ": row width differs from the column list");
        table.add(line + "\n");
        current->rows.push_back(std::move(row));
      } else if (v.as_object().contains("table")) {
        tables.push_back(TableDump{std::string(v.as_object().at("table").as_string()), {}, {}});
        for (const auto& c : v.as_object().at("columns").as_array()) tables.back().columns.emplace_back(c.as_string());
        current = &tables.back();
        table = Sha256();
      } else if (v.as_object().contains("end_table")) {
        const auto& o = v.as_object();
        if (!current || o.at("end_table").as_string() != current->name)
          throw BackupError(path + ": line " + std::to_string(line_no) + ": table trailer without its table");
        if (static_cast<std::size_t>(o.at("rows").as_int64()) != current->rows.size())
          throw BackupError(path + ": table " + current->name + " should have " + std::to_string(o.at("rows").as_int64()) +
                            " rows, found " + std::to_string(current->rows.size()));
        if (o.at("sha256").as_string() != table.hex()) throw BackupError(path + ": checksum mismatch in table " + current->name);
        current = nullptr;
      } else if (v.as_object().contains("end")) {
        if (v.as_object().at("sha256").as_string() != all.hex()) throw BackupError(path + ": checksum mismatch over the file");
        ended = true;
        continue;
      } else {
        throw BackupError(path + ": line " + std::to_string(line_no) + ": unexpected content");
      }
    } catch (const BackupError&) {
      throw;
    } catch (const std::exception& ex) {
      throw BackupError(path + ": line " + std::to_string(line_no) + ": " + ex.what());
    }
    all.add(line + "\n");
  }
  if (line_no == 0) throw BackupError(path + ": empty file");
  if (!ended || current) throw BackupError(path + ": truncated (no end manifest)");
  return tables;
}

}  // namespace marquee
