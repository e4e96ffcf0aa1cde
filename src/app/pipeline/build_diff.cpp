// `marquee pipeline diff`: a reviewer's view of what changed between two builds.
#include <map>

#include <boost/json.hpp>

#include "app/pipeline/pipeline_ports.hpp"
#include "app/pipeline/pipeline_service.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;

namespace marquee::pipeline {
namespace {

fs::path summary_of(const fs::path& p, const ProjectFiles& files) {
  for (const fs::path& candidate : {p, p / "public/summary.json", p / "out/public/summary.json", p / "summary.json"})
    if (files.is_file(candidate)) return candidate;
  throw std::runtime_error(p.string() + ": no public/summary.json there (build first, with summary.json among the public outputs)");
}

json::object load(const fs::path& p, const ProjectFiles& files) {
  std::string error;
  const std::string bytes = files.read(p, &error).value_or("");  // unreadable: "not a summary.json" below
  boost::system::error_code ec;
  json::value v = json::parse(bytes, ec);
  if (ec || !v.is_object()) throw std::runtime_error(p.string() + ": not a summary.json");
  return v.as_object();
}

std::string text(const json::value* v) {
  if (!v || v->is_null()) return "suppressed";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64()) return std::to_string(v->as_int64());
  if (v->is_bool()) return v->as_bool() ? "yes" : "no";
  return json::serialize(*v);
}

std::map<std::string, json::object> by(const json::object& root, const char* list, const char* key) {
  std::map<std::string, json::object> out;
  if (auto* a = root.if_contains(list); a && a->is_array())
    for (const auto& item : a->as_array())
      if (item.is_object()) out[std::string(item.as_object().at(key).as_string())] = item.as_object();
  return out;
}

}  // namespace

std::string diff_builds(const fs::path& dir, const fs::path& against, const PipelinePorts& ports) {
  if (!ports.files.exists(dir / "out"))
    throw std::runtime_error(dir.string() + " has not been built yet: run `marquee pipeline build " + dir.string() +
                             "` first, then diff after the next build");
  const fs::path now_path = summary_of(dir / "out", ports.files);
  if (against.empty() && !ports.files.exists(dir / "out.prev"))
    throw std::runtime_error("nothing to compare with yet: " + (dir / "out").string() +
                             " is the first build. Each build keeps the one before it in " + (dir / "out.prev").string() +
                             ", so `pipeline diff` shows changes from the second build on; to compare with another "
                             "build now, pass --against FOLDER (a project, its out/ folder or a summary.json)");
  const fs::path ref_path = summary_of(against.empty() ? dir / "out.prev" : against, ports.files);
  const json::object now = load(now_path, ports.files), ref = load(ref_path, ports.files);
  std::string out = "--- " + ref_path.string() + "\n+++ " + now_path.string() + "\n";
  std::size_t changes = 0;
  auto line = [&](const std::string& s) {
    out += s + "\n";
    ++changes;
  };
  const auto a = by(ref, "sessions", "key"), b = by(now, "sessions", "key");
  for (const auto& [key, s] : a)
    if (!b.contains(key)) line("session removed: " + key + " (" + text(s.if_contains("title")) + ")");
  for (const auto& entry : b) {
    const auto& key = entry.first;  // plain names: clang 14 cannot capture structured bindings
    const auto& s = entry.second;
    auto it = a.find(key);
    if (it == a.end()) {
      line("session added: " + key + " (" + text(s.if_contains("title")) + ", " + text(s.if_contains("starts_at")) + ")");
      continue;
    }
    const json::object& was = it->second;
    auto field = [&](const char* name, const char* label) {
      const std::string x = text(was.if_contains(name)), y = text(s.if_contains(name));
      if (x != y) line("session " + key + ": " + label + " " + x + " → " + y);
    };
    field("starts_at", "moved:");
    field("ends_at", "ends:");
    field("venue", "venue");
    field("room", "room");
    field("status", "status");
    field("capacity", "capacity");
    field("registered", "registered");
    field("waitlisted", "waiting list");
  }
  auto totals = [&](const json::object& root) {
    std::map<std::string, std::string> m;
    if (auto* t = root.if_contains("totals"); t && t->is_object())
      for (const auto& [k, v] : t->as_object()) m["totals/" + std::string(k)] = text(&v);
    if (auto* d = root.if_contains("summaries"); d && d->is_array())
      for (const auto& dim : d->as_array())
        for (const auto& cell : dim.at("values").as_array())
          m[std::string(dim.at("field").as_string()) + "/" + std::string(cell.at("value").as_string())] =
              text(cell.as_object().if_contains("count"));
    if (auto* d = root.if_contains("days"); d && d->is_array())
      for (const auto& day : d->as_array())
        m["day/" + std::string(day.at("day").as_string())] = text(day.as_object().if_contains("attendees"));
    return m;
  };
  const auto ta = totals(ref), tb = totals(now);
  for (const auto& [k, v] : tb) {
    auto it = ta.find(k);
    const std::string was = it == ta.end() ? "absent" : it->second;
    if (was != v) line("count " + k + ": " + was + " → " + v);
  }
  for (const auto& [k, v] : ta)
    if (!tb.contains(k)) line("count " + k + ": " + v + " → absent");
  const auto ca = by(ref, "corrections", "where"), cb = by(now, "corrections", "where");
  for (const auto& [where, c] : cb)
    if (!ca.contains(where)) line("correction added: " + where + " (" + text(c.if_contains("effect")) + ")");
  for (const auto& [where, c] : ca)
    if (!cb.contains(where)) line("correction removed: " + where);
  if (changes == 0) out += "no differences\n";
  return out;
}

}  // namespace marquee::pipeline
