#include "adapters/formats/import_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace marquee {

ImportReport import_file(const EventSource& source, Store* store, const std::string& path, const ImportOptions& opt,
                         const Clock& clock) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    ImportReport r;
    r.file = path;
    r.fatal = "cannot read '" + path + "': " + ec.message();
    return r;
  }
  if (size > opt.max_bytes) {
    ImportReport r;
    r.file = path;
    r.format = opt.format;
    r.fatal = "file is " + std::to_string(size) + " bytes, over the import limit of " + std::to_string(opt.max_bytes) +
              " bytes (--max-bytes)";
    return r;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in && !in.eof()) {
    ImportReport r;
    r.file = path;
    r.fatal = "cannot read '" + path + "'";
    return r;
  }
  return import_bytes(source, store, buf.str(), path, opt, clock);
}

}  // namespace marquee
