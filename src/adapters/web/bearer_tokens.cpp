#include "adapters/web/bearer_tokens.hpp"

#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "core/text.hpp"

namespace marquee {
namespace {
std::string digest(const std::string& token) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return out;
}
}  // namespace

BearerTokens::BearerTokens(const std::vector<std::string>& tokens) {
  for (const auto& t : tokens) {
    const std::string clean = trim(t);
    if (clean.size() >= 16) digests_.push_back(digest(clean));
  }
}

BearerTokens BearerTokens::from_environment(const char* env_name, const std::string& file) {
  std::vector<std::string> tokens;
  if (const char* env = std::getenv(env_name)) tokens = split_list(env, ',');
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read staff token file '" + file + "'");
    for (std::string line; std::getline(in, line);)
      if (!trim(line).empty() && trim(line)[0] != '#') tokens.push_back(line);
  }
  return BearerTokens(tokens);
}

bool BearerTokens::allows(const Request& req) const {
  const std::string auth = req.header("authorization");
  if (!ascii_lower(auth.substr(0, 7)).starts_with("bearer ")) return false;
  const std::string d = digest(trim(auth.substr(7)));
  bool ok = false;
  for (const auto& known : digests_)  // check all, so timing does not tell which matched
    ok |= sodium_memcmp(known.data(), d.data(), d.size()) == 0;
  return ok;
}

}  // namespace marquee
