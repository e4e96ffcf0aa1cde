#include "app/pipeline/raw_manifest.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "core/sha256.hpp"

namespace fs = std::filesystem;

namespace marquee::pipeline {
namespace {

std::string file_bytes(const ProjectFiles& files, const fs::path& p) {
  std::string error;
  auto bytes = files.read(p, &error);
  if (!bytes) throw std::runtime_error(p.string() + ": " + error);
  return std::move(*bytes);
}

/// The lower-case hex SHA-256 of the file at `p`, read in pieces (a build
/// checks the raw exports while it reads them whole: no second copy of them).
std::string file_sha256(const ProjectFiles& files, const fs::path& p) {
  Sha256 hash;
  std::string error;
  if (!files.read_pieces(p, [&hash](std::string_view piece) { hash.update(piece); }, &error))
    throw std::runtime_error(p.string() + ": " + error);
  return hash.hex();
}

/// relative path → sha256 of the files now in raw/ (the manifest itself excluded).
std::map<std::string, std::string> current(const ProjectFiles& files, const fs::path& raw) {
  std::map<std::string, std::string> out;
  for (const auto& rel : files.list(raw)) {
    if (rel == kManifestName || rel.starts_with(".")) continue;
    out[rel] = file_sha256(files, raw / rel);
  }
  return out;
}

std::map<std::string, std::string> listed(const ProjectFiles& files, const fs::path& manifest) {
  std::map<std::string, std::string> out;
  std::istringstream in(file_bytes(files, manifest));
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 67 || line[64] != ' ') continue;
    out[line.substr(66)] = line.substr(0, 64);
  }
  return out;
}

}  // namespace

std::vector<std::string> verify_raw(const fs::path& dir, const ProjectFiles& files) {
  const fs::path raw = dir / "raw";
  if (!files.is_file(raw / kManifestName))
    return {"raw/SHA256SUMS is missing: run `marquee pipeline accept-raw` to record the raw exports"};
  std::vector<std::string> out;
  const auto now = current(files, raw);
  const auto was = listed(files, raw / kManifestName);
  for (const auto& [name, hash] : now) {
    auto it = was.find(name);
    if (it == was.end())
      out.push_back("raw/" + name + " is not in raw/SHA256SUMS (a new export? run `marquee pipeline accept-raw`)");
    else if (it->second != hash)
      out.push_back("raw/" + name + " changed since it was accepted: raw exports are never edited; if this is a new "
                    "export on purpose, run `marquee pipeline accept-raw`");
  }
  for (const auto& [name, hash] : was)
    if (!now.contains(name)) out.push_back("raw/" + name + " is listed in raw/SHA256SUMS but missing");
  return out;
}

std::vector<std::string> accept_raw(const fs::path& dir, const ProjectFiles& files) {
  const fs::path raw = dir / "raw";
  if (!files.is_folder(raw)) throw std::runtime_error(raw.string() + ": not a directory");
  const auto now = current(files, raw);
  std::map<std::string, std::string> was;
  if (files.is_file(raw / kManifestName)) was = listed(files, raw / kManifestName);
  std::vector<std::string> changes;
  for (const auto& [name, hash] : now) {
    auto it = was.find(name);
    if (it == was.end()) changes.push_back("accepted raw/" + name + " (new)");
    else if (it->second != hash) changes.push_back("accepted raw/" + name + " (changed)");
  }
  for (const auto& [name, hash] : was)
    if (!now.contains(name)) changes.push_back("removed raw/" + name + " from the manifest (file gone)");
  std::string text;
  for (const auto& [name, hash] : now) text += hash + "  " + name + "\n";
  const fs::path tmp = raw / ".SHA256SUMS.tmp";
  files.write(tmp, text);
  files.rename(tmp, raw / kManifestName);
  return changes;
}

}  // namespace marquee::pipeline
