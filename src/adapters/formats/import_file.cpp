#include "adapters/formats/import_file.hpp"

#include <optional>
#include <stdexcept>
#include <string>

#include "adapters/formats/mapped_file.hpp"

namespace marquee {

ImportReport import_file(const EventSource& source, Store* store, const std::string& path, const ImportOptions& opt,
                         const Clock& clock) {
  const auto refused = [&](std::string why) {
    ImportReport r;
    r.file = path;
    r.format = opt.format;
    r.fatal = std::move(why);
    return r;
  };
  std::optional<MappedFile> file;
  try {
    file.emplace(path, opt.max_bytes);
  } catch (const std::runtime_error& e) {
    return refused(e.what());
  }
  if (file->size() > opt.max_bytes)
    return refused("file is " + std::to_string(file->size()) + " bytes, over the import limit of " +
                   std::to_string(opt.max_bytes) + " bytes (--max-bytes)");
  // Mapped, not copied; let go once read, before the events are committed,
  // and refused then if the file changed meanwhile.
  return import_released_bytes(source, store, file->bytes(), [&] { return file->release(); }, path, opt, clock);
}

}  // namespace marquee
