#include "cli/config_file.hpp"

#include "adapters/formats/toml_file.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <toml.hpp>
#include <vector>

namespace marquee {
namespace {

bool skipped(const CLI::Option& o) {
  const auto name = o.get_single_name();
  return name == "help" || name == "config" || name == "check-config" || o.get_lnames().empty();
}

// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string where(const std::string& path, const toml::value& v) {
  return path + " line " + std::to_string(v.location().line());
}

// One TOML scalar as the text a flag would carry.
std::string scalar_text(const std::string& path, const std::string& key, const toml::value& v) {
  if (v.is_string()) return v.as_string().str;
  if (v.is_integer()) return std::to_string(v.as_integer());
  if (v.is_boolean()) return v.as_boolean() ? "true" : "false";
  throw std::runtime_error(toml::format_error(
      "[error] " + where(path, v) + ": " + key + " must be a string, an integer or a boolean", v, "here"));
}

CLI::Option* option_for(CLI::App& cmd, const std::string& key) {
  for (auto* o : cmd.get_options())
    if (!skipped(*o) && config_key(*o) == key) return o;
  return nullptr;
}

std::string nearest_key(CLI::App& cmd, const std::string& key) {
  std::string best;
  std::size_t best_distance = 4;  // farther than three edits is no suggestion
  for (auto* o : cmd.get_options()) {
    if (skipped(*o)) continue;
    const auto k = config_key(*o);
    if (const auto d = distance(key, k); d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace

std::string config_key(const CLI::Option& option) {
  std::string key = option.get_single_name();
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

std::string environment_name(const CLI::Option& option) {
  std::string env = "MARQUEE_" + config_key(option);
  std::transform(env.begin(), env.end(), env.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return env;
}

void apply_environment(CLI::App& cmd) {
  for (auto* o : cmd.get_options()) {
    if (skipped(*o) || o->count() > 0) continue;
    const std::string name = environment_name(*o);
    const char* value = std::getenv(name.c_str());
    if (!value || !*value) continue;
    try {
      const bool flag = o->get_type_size() == 0;
      o->add_result(flag ? o->get_flag_value(o->get_single_name(), value) : std::string(value));
      o->run_callback();
    } catch (const CLI::Error& e) {
      throw std::runtime_error(name + ": " + e.what());
    }
  }
}

void add_credential_paths(CLI::App& cmd) {
  for (auto* o : cmd.get_options()) {
    if (skipped(*o)) continue;
    if (o->get_single_name().ends_with("-file"))
      o->transform(
          [](std::string value) {
            const std::string prefix = "credential:";
            if (!value.starts_with(prefix)) return value;
            const std::string name = value.substr(prefix.size());
            if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
              throw CLI::ValidationError("'" + value + "' does not name a credential (credential:NAME, no '/')");
            const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
            if (!dir || !*dir)
              throw CLI::ValidationError("'" + value + "' needs systemd's CREDENTIALS_DIRECTORY (LoadCredential=" + name +
                                         ":… in the unit)");
            return std::string(dir) + "/" + name;
          },
          "credential");
  }
}

void apply_config_file(CLI::App& cmd, const std::string& path) {
  toml::value root;
  try {
    root = parse_toml_file(path);
  } catch (const toml::syntax_error& e) {
    throw std::runtime_error(std::string("configuration file ") + e.what());
  } catch (const std::exception& e) {
    throw std::runtime_error("configuration file " + path + ": " + e.what());
  }
  // In file order, so the first problem reported is the first in the file.
  std::vector<std::pair<std::string, const toml::value*>> entries;
  for (const auto& [key, value] : root.as_table()) entries.emplace_back(key, &value);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second->location().line() < b.second->location().line();
  });
  for (const auto& [key, value] : entries) {
    CLI::Option* option = option_for(cmd, key);
    if (!option) {
      const auto near = nearest_key(cmd, key);
      throw std::runtime_error(toml::format_error(
          "[error] " + where(path, *value) + ": unknown key '" + key + "'" +
              (value->is_table() ? " (tables are not used: every key stands at the top level)" : "") +
              (near.empty() ? "" : " (did you mean '" + near + "'?)"),
          *value, "not a setting of marquee serve"));
    }
    if (option->count() > 0) continue;  // a flag or the environment set it: they win
    std::vector<std::string> texts;
    if (value->is_array()) {
      for (const auto& item : value->as_array()) texts.push_back(scalar_text(path, key, item));
    } else {
      texts.push_back(scalar_text(path, key, *value));
    }
    const bool flag = option->get_type_size() == 0;
    if (texts.size() > 1 && option->get_items_expected_max() <= 1 && !flag)
      throw std::runtime_error(toml::format_error("[error] " + where(path, *value) + ": " + key + " takes one value",
                                                  *value, "here"));
    try {
      for (const auto& t : texts) option->add_result(flag ? option->get_flag_value(option->get_single_name(), t) : t);
      option->run_callback();
    } catch (const CLI::Error& e) {
      throw std::runtime_error(toml::format_error("[error] " + where(path, *value) + ": " + key + ": " + e.what(),
                                                  *value, "here"));
    }
  }
}

}  // namespace marquee
