#pragma once
// Bearer tokens (staff: door and operators until user accounts exist;
// deploy: revalidation from CI/CD): configured outside the repository, kept
// only as SHA-256 digests, compared in constant time (sodium_memcmp).
#include <string>
#include <vector>

#include "adapters/http/http_types.hpp"

namespace marquee {

class BearerTokens {
 public:
  /// `tokens`: the accepted tokens; tokens shorter than 16 characters are ignored.
  explicit BearerTokens(const std::vector<std::string>& tokens);

  /// Reads the environment variable `env` (comma-separated tokens) and, when
  /// `file` is not empty, one token per line of that file ('#' comments).
  /// Throws std::runtime_error when the file cannot be read.
  static BearerTokens from_environment(const char* env, const std::string& file);

  /// True when the request carries "Authorization: Bearer <token>" with an accepted token.
  bool allows(const Request& req) const;
  bool empty() const { return digests_.empty(); }

 private:
  std::vector<std::string> digests_;  // raw 32-byte SHA-256 digests
};

}  // namespace marquee
