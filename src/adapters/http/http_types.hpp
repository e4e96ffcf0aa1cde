#pragma once
// Marquee's own request and response types: handlers never see Beast.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace marquee {

/// A request body the server wrote to a temporary file instead of memory
/// (large uploads); the file is removed when the last reference goes.
struct SpooledBody {
  std::string path;
  std::uint64_t size = 0;  ///< bytes
  explicit SpooledBody(std::string p) : path(std::move(p)) {}
  SpooledBody(const SpooledBody&) = delete;
  SpooledBody& operator=(const SpooledBody&) = delete;
  ~SpooledBody() { std::remove(path.c_str()); }
};

/// Where a request's handler runs (see adapters/http/server.hpp): on the I/O
/// thread (never blocks), the store pool, or the bulk pool (imports).
enum class Lane { io, store, bulk };

struct Request {
  std::string method;                         ///< "GET", "HEAD", "POST", …
  std::string path;                           ///< percent-decoded path, e.g. "/events/abc"
  std::multimap<std::string, std::string> query;  ///< decoded query parameters
  std::string accept_encoding;                ///< Accept-Encoding header, as sent
  std::string if_none_match;                  ///< If-None-Match header, as sent
  std::vector<std::pair<std::string, std::string>> headers;  ///< all headers, names lower-cased
  /// The client's IP address, e.g. "127.0.0.1": the TCP peer, or — when the
  /// peer is a --trusted-proxy — the address it reports in X-Forwarded-For.
  /// Every per-client limit keys on this.
  std::string remote_address;
  std::string peer_address;                   ///< the TCP peer's IP address
  /// Names this request in the log and in the X-Request-Id response header
  /// (an incoming X-Request-Id from a trusted proxy is kept), e.g. "3f9a1c02-17".
  std::string id;
  std::string actor;                          ///< who passed the route's access check ("" on public routes)
  std::string actor_role;                     ///< their console role ("owner", …; "" for tokens and public routes)
  std::string csrf_token;                     ///< their console session's CSRF token ("" without a session)
  std::string body;
  /// Set instead of `body` for a large upload the server spooled to disk
  /// (routes with a larger body_limit, once the caller was admitted).
  std::shared_ptr<const SpooledBody> body_file;

  /// Value of cookie `name` from the Cookie header (RFC 6265 §5.4), or "".
  std::string cookie(const std::string& name) const {
    const std::string all = header("cookie");
    std::size_t pos = 0;
    while (pos < all.size()) {
      auto end = all.find(';', pos);
      if (end == std::string::npos) end = all.size();
      std::string part = all.substr(pos, end - pos);
      const auto first = part.find_first_not_of(' ');
      part = first == std::string::npos ? "" : part.substr(first);
      if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 && part[name.size()] == '=')
        return part.substr(name.size() + 1);
      pos = end + 1;
    }
    return {};
  }

  /// First value of a header (name in lower case), or "".
  std::string header(const std::string& lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return v;
    return {};
  }

  /// First value of a query parameter, or "".
  std::string param(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

/// A response body made in pieces while the connection sends it, for a body
/// too large to hold whole (the full event list of a large programme, kept
/// compressed: representation.hpp). Its size is known before the first piece
/// and sent as Content-Length.
struct BodyPieces {
  std::uint64_t size = 0;  ///< bytes in all the pieces together
  /// Appends the next piece (at most a few hundred KiB) to `out`, which the
  /// caller has emptied; returns false once every piece was given. Runs on the
  /// connection's I/O thread, so a piece must be cheap to make. A source that
  /// fails or gives more or fewer than `size` bytes has the connection closed
  /// (the client sees a short body) and is logged.
  std::function<bool(std::string& out)> next;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::shared_ptr<const std::string> body;  ///< shared with the pre-rendered cache; may be null
  std::shared_ptr<BodyPieces> pieces;       ///< instead of `body`: a body sent in pieces
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers (ETag, Cache-Control, …)

  const std::string& text() const {
    static const std::string empty;
    return body ? *body : empty;
  }
};

}  // namespace marquee
