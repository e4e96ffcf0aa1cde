#include "adapters/formats/toml_file.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "core/text.hpp"

namespace marquee {

toml::value parse_toml_text(const std::string& text, const std::string& name) {
  if (!valid_utf8(text)) throw std::runtime_error(name + ": not valid UTF-8 (TOML files are UTF-8)");
  std::istringstream in(text);
  return toml::parse(in, name);
}

toml::value parse_toml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error(path + ": cannot be read");
  return parse_toml_text(bytes, path);
}

}  // namespace marquee
