#include "adapters/http/request_framing.hpp"

#include <array>
#include <cctype>

namespace marquee {
namespace {

std::string trimmed_lower(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  std::string out(s.substr(b, e - b + 1));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The transfer codings of every Transfer-Encoding field, in order, without
// parameters ("gzip;q=1" → "gzip"). An empty list element is kept as "".
std::vector<std::string> codings(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::size_t pos = 0;
    while (pos <= v.size()) {
      auto end = v.find(',', pos);
      if (end == std::string::npos) end = v.size();
      std::string_view item(v.data() + pos, end - pos);
      item = item.substr(0, item.find(';'));
      out.push_back(trimmed_lower(item));
      pos = end + 1;
    }
  }
  return out;
}

}  // namespace

std::optional<FramingError> check_framing(unsigned version,
                                          const std::vector<std::pair<std::string, std::string>>& headers) {
  int hosts = 0;
  bool content_length = false;
  std::vector<std::string> te;
  for (const auto& [name, value] : headers) {
    if (name == "host") ++hosts;
    else if (name == "content-length") content_length = true;
    else if (name == "transfer-encoding") te.push_back(value);
  }
  if (hosts > 1) return FramingError{400, "The request has more than one Host header (RFC 9112 §3.2)."};
  if (version >= 11 && hosts == 0) return FramingError{400, "An HTTP/1.1 request needs a Host header (RFC 9112 §3.2)."};
  if (te.empty()) return std::nullopt;
  if (version < 11)
    return FramingError{400, "Transfer-Encoding is not allowed in an HTTP/1.0 request (RFC 9112 §6.1)."};
  if (content_length)
    return FramingError{400, "The request has both Transfer-Encoding and Content-Length (RFC 9112 §6.1); send one."};
  const auto list = codings(te);
  int chunked = 0;
  for (const auto& c : list) {
    if (c.empty()) return FramingError{400, "The Transfer-Encoding header has an empty coding."};
    if (c == "chunked") ++chunked;
  }
  if (list.back() != "chunked")
    return FramingError{400, "The final transfer coding must be chunked (RFC 9112 §6.3); got '" + list.back() + "'."};
  if (chunked > 1) return FramingError{400, "The chunked transfer coding is applied more than once (RFC 9112 §6.1)."};
  for (const auto& c : list)
    if (c != "chunked")
      return FramingError{501, "The transfer coding '" + c + "' is not supported; send the body with chunked only."};
  return std::nullopt;
}

// Both run for every header of every response: one pass over the bytes
// (find_first_of with a set calls memchr once per byte).
bool valid_field_value(std::string_view value) {
  for (const char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

bool valid_field_name(std::string_view name) {
  static constexpr auto token = [] {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 'a' + 'A'] = true;
    for (const char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  if (name.empty()) return false;
  for (const unsigned char c : name)
    if (!token[c]) return false;
  return true;
}

}  // namespace marquee
