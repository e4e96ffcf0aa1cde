// libFuzzer target: multipart/form-data bodies (the console's upload form).
// The first line of the input is the Content-Type, the rest the body.
#include <cstdint>
#include <string>

#include "adapters/http/multipart_form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const auto nl = in.find('\n');
  const std::string type = nl == std::string::npos ? "multipart/form-data; boundary=b" : in.substr(0, nl);
  const std::string body = nl == std::string::npos ? in : in.substr(nl + 1);
  marquee::parse_multipart_form(type, body);
  return 0;
}
