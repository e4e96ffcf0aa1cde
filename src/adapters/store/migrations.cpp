#include "adapters/store/migrations.hpp"

#include <algorithm>
#include <sstream>

#include "adapters/assets/embedded.hpp"

namespace marquee {

std::vector<Migration> migrations_for(const std::string& backend) {
  const std::string prefix = "migrations/" + backend + "/";
  std::vector<Migration> out;
  for (auto name : embedded_asset_names()) {
    if (!name.starts_with(prefix)) continue;
    std::string file(name.substr(prefix.size()));
    out.push_back(Migration{std::stoi(file.substr(0, file.find('_'))), file, std::string(embedded_asset(name))});
  }
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.number < b.number; });
  return out;
}

std::vector<std::string> split_statements(const std::string& sql) {
  std::vector<std::string> out;
  std::istringstream in(sql);
  std::string line, current;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line.compare(first, 2, "--") == 0) continue;
    current += line + "\n";
    const auto last = line.find_last_not_of(" \t\r");
    if (last != std::string::npos && line[last] == ';') {
      out.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

}  // namespace marquee
