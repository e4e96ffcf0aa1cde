// libFuzzer target: HTTP/1.1 request heads as the server reads them (Beast's
// parser with Marquee's limits), then Marquee's framing rules (RFC 9112).
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/http/request_framing.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < size && !ec && !parser.is_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) return 0;
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& f : parser.get()) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers.emplace_back(std::move(name), std::string(f.value()));
  }
  marquee::check_framing(parser.get().version(), headers);
  return 0;
}
