#include "adapters/backup/backup_file.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>

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

void sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::uint64_t write_backup(const std::string& path, const BackupHeader& header, const std::vector<TableDump>& tables) {
  namespace fs = std::filesystem;
  const fs::path final_path(path);
  const fs::path tmp = final_path.parent_path() / ("." + final_path.filename().string() + ".tmp");
  gzFile gz = gzopen(tmp.c_str(), "wb6");
  if (!gz) throw BackupError("cannot create " + tmp.string());
  Sha256 all;
  bool ok = true;
  auto put = [&](const std::string& line) {
    const std::string l = line + "\n";
    all.add(l);
    ok = ok && gzwrite(gz, l.data(), static_cast<unsigned>(l.size())) == static_cast<int>(l.size());
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
  const std::string end = boost::json::serialize(
                              boost::json::object{{"end", true}, {"tables", manifest}, {"sha256", body_digest}}) + "\n";
  ok = ok && gzwrite(gz, end.data(), static_cast<unsigned>(end.size())) == static_cast<int>(end.size());
  ok = (gzclose(gz) == Z_OK) && ok;
  if (!ok) {
    fs::remove(tmp);
    throw BackupError("writing " + tmp.string() + " failed (disk full?)");
  }
  sync_path(tmp.string(), O_RDONLY);
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp);
    throw BackupError("cannot rename the backup into place: " + ec.message());
  }
  sync_path(final_path.parent_path().empty() ? "." : final_path.parent_path().string(), O_RDONLY | O_DIRECTORY);
  return fs::file_size(final_path);
}

std::vector<TableDump> read_backup(const std::string& path, BackupHeader* header) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) throw BackupError("cannot open " + path);
  std::string data;
  char buf[1 << 16];
  int n;
  while ((n = gzread(gz, buf, sizeof buf)) > 0) data.append(buf, static_cast<std::size_t>(n));
  int err = Z_OK;
  const char* msg = gzerror(gz, &err);
  const bool read_error = n < 0 || (err != Z_OK && err != Z_BUF_ERROR);
  const std::string why = msg ? msg : "";
  gzclose(gz);
  if (read_error) throw BackupError(path + ": the compressed data is damaged or truncated (" + why + ")");

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
