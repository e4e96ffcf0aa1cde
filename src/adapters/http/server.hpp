#pragma once
// The HTTP/1.1 server (Boost.Beast on Asio). This header hides Beast: callers
// pass a handler over Marquee's own Request/Response types.
#include <functional>
#include <memory>
#include <string>

#include "adapters/web/http_types.hpp"

namespace marquee {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;        ///< 0 = any free port (see HttpServer::port())
  int threads = 0;                   ///< I/O threads; 0 = hardware concurrency
  std::size_t body_limit = 1 << 20;  ///< request body bytes; larger → 413
  /// A larger limit for some request targets (e.g. an upload form), in
  /// bytes; 0 = body_limit. Called with the request target once the header is read.
  std::function<std::size_t(const std::string& target)> body_limit_for;
  int header_limit = 16 * 1024;      ///< request header bytes; larger → 431
  int idle_timeout_seconds = 30;     ///< a keep-alive connection idle this long is closed
  int max_requests_per_connection = 10000;
  int worker_threads = 16;           ///< threads for handlers that block on the store
};

using RequestHandler = std::function<Response(const Request&)>;
/// True for requests whose handler blocks (store calls): they run on the
/// worker pool, never on an I/O thread.
using BlockingPredicate = std::function<bool(const Request&)>;

class HttpServer {
 public:
  /// Binds and listens at once. Throws std::runtime_error naming the address
  /// when the port cannot be bound (the CLI then exits non-zero).
  HttpServer(const ServerOptions& options, RequestHandler handler, BlockingPredicate blocking = {});
  ~HttpServer();

  /// The bound port (useful with port 0).
  unsigned short port() const;

  /// Serves until stop() or SIGINT/SIGTERM; on either, stops accepting,
  /// finishes in-flight requests, closes idle connections, then returns.
  void run();
  /// Thread-safe; may be called from a signal-free context or a test.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee
