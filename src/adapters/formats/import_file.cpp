#include "adapters/formats/import_file.hpp"

#include <filesystem>
#include <fstream>
#include <string>

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
  // Read straight into a buffer of the file's size: the file is held once
  // (a string stream held it twice, at up to twice its size).
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (!in || static_cast<std::uintmax_t>(in.gcount()) != size) {
    ImportReport r;
    r.file = path;
    r.fatal = "cannot read '" + path + "'";
    return r;
  }
  if (in.peek() != std::ifstream::traits_type::eof()) {  // it grew since its size was read
    ImportReport r;
    r.file = path;
    r.fatal = "'" + path + "' changed while it was read; nothing was imported (import it again once it is complete)";
    return r;
  }
  return import_owned_bytes(source, store, std::move(bytes), path, opt, clock);
}

}  // namespace marquee
