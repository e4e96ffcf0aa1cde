#include "adapters/pipeline/raw_manifest.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "adapters/pipeline/project_files.hpp"
#include "core/event_key.hpp"

namespace fs = std::filesystem;

namespace marquee::pipeline {
namespace {

std::string file_bytes(const fs::path& p) {
  std::string error;
  auto bytes = read_file(p, &error);
  if (!bytes) throw std::runtime_error(p.string() + ": " + error);
  return *bytes;
}

/// relative path → sha256 of the files now in raw/ (the manifest itself excluded).
std::map<std::string, std::string> current(const fs::path& raw) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  if (!fs::is_directory(raw, ec)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(raw)) {
    if (!entry.is_regular_file()) continue;
    const std::string rel = fs::relative(entry.path(), raw).generic_string();
    if (rel == kManifestName || rel.starts_with(".")) continue;
    out[rel] = sha256_hex(file_bytes(entry.path()));
  }
  return out;
}

std::map<std::string, std::string> listed(const fs::path& manifest) {
  std::map<std::string, std::string> out;
  std::istringstream in(file_bytes(manifest));
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 67 || line[64] != ' ') continue;
    out[line.substr(66)] = line.substr(0, 64);
  }
  return out;
}

}  // namespace

std::vector<std::string> verify_raw(const fs::path& dir) {
  const fs::path raw = dir / "raw";
  std::error_code ec;
  if (!fs::exists(raw / kManifestName, ec))
    return {"raw/SHA256SUMS is missing: run `marquee pipeline accept-raw` to record the raw exports"};
  std::vector<std::string> out;
  const auto now = current(raw);
  const auto was = listed(raw / kManifestName);
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

std::vector<std::string> accept_raw(const fs::path& dir) {
  const fs::path raw = dir / "raw";
  std::error_code ec;
  if (!fs::is_directory(raw, ec)) throw std::runtime_error(raw.string() + ": not a directory");
  const auto now = current(raw);
  std::map<std::string, std::string> was;
  if (fs::exists(raw / kManifestName, ec)) was = listed(raw / kManifestName);
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
  write_file(tmp, text);
  fs::rename(tmp, raw / kManifestName);
  return changes;
}

}  // namespace marquee::pipeline
