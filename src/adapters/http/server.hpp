#pragma once
// The HTTP/1.1 server (Boost.Beast on Asio). This header hides Beast: callers
// pass a handler over Marquee's own Request/Response types.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/http/http_types.hpp"

namespace marquee {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;        ///< 0 = any free port (see HttpServer::port())
  /// I/O threads; 0 = hardware concurrency. Each runs an event loop of its
  /// own; accepted connections are spread over them round robin and stay on
  /// theirs, so a handler on Lane::io must not block (it holds up that
  /// thread's other connections).
  int threads = 0;
  std::size_t body_limit = 1 << 20;  ///< request body bytes for every request not admitted to more; larger → 413
  /// Fast and non-blocking, from the request head alone (no body, no
  /// credentials checked): the largest body this request's route accepts, in
  /// bytes; 0 or ≤ body_limit = body_limit.
  std::function<std::size_t(const Request& head)> largest_body_for;
  /// May block (runs on the store pool): the body limit this request gets
  /// once its credentials (session, token) are checked from the head; an
  /// anonymous or unauthorised request gets body_limit. Called only when
  /// largest_body_for exceeds body_limit.
  std::function<std::size_t(const Request& head)> admit_body;
  /// Body bytes all requests together may hold in memory at once, counted as
  /// they arrive; a request that would pass it is answered 503 with Retry-After.
  std::size_t max_body_bytes_in_flight = std::size_t{256} << 20;
  /// Folder for uploads admitted to a larger limit than body_limit: they are
  /// written to a temporary file there as they arrive, not held in memory.
  /// "" = the system's temporary folder.
  std::string spool_dir;
  /// The share of that one client address may hold (its uploads together).
  std::size_t max_body_bytes_per_client = std::size_t{64} << 20;
  int header_limit = 16 * 1024;      ///< request header bytes; larger → 431
  int idle_timeout_seconds = 30;     ///< a keep-alive connection idle this long is closed
  int max_requests_per_connection = 10000;
  int worker_threads = 16;           ///< threads for handlers that block on the store (Lane::store)
  int bulk_threads = 2;              ///< threads for long jobs such as imports (Lane::bulk)
  /// Open connections at once; 0 = the file-descriptor limit less fd_reserve.
  /// Never more than that. When full, the oldest idle connection is closed.
  std::size_t max_connections = 0;
  /// Open connections from one client address; when full, that client's
  /// oldest idle connection is closed, else the new one is refused.
  std::size_t max_connections_per_client = 256;
  /// File descriptors kept free of connections for the store, backups and logs.
  std::size_t fd_reserve = 128;
  /// Addresses of reverse proxies (e.g. nginx) whose X-Forwarded-For is
  /// believed: a request from one of them gets as its client address the
  /// rightmost X-Forwarded-For entry that is not itself a trusted proxy.
  /// They are also exempt from max_connections_per_client. Exact IPv4/IPv6
  /// addresses; an invalid one makes the constructor throw.
  std::vector<std::string> trusted_proxies;
  /// After SIGTERM/stop(): seconds in-flight requests may take before the
  /// process exits anyway (exit status 1, logged).
  int drain_seconds = 30;
  /// Called once when a stop begins (SIGTERM, SIGINT or stop()), before the
  /// drain; e.g. to tell systemd "STOPPING=1". Must not block.
  std::function<void()> on_stopping;
  /// Stop on SIGINT/SIGTERM (the main server); false for a helper server
  /// that its owner stops with stop().
  bool handle_signals = true;
};

using RequestHandler = std::function<Response(const Request&)>;
/// Where a request's handler runs: Lane::io for handlers that never block,
/// Lane::store for store calls (worker pool), Lane::bulk for long jobs
/// (their own small pool, so they never starve the store lane).
using LaneSelector = std::function<Lane(const Request&)>;

class HttpServer {
 public:
  /// Raises the soft RLIMIT_NOFILE to the hard limit, then binds and listens.
  /// Throws std::runtime_error naming the address when the port cannot be
  /// bound (the CLI then exits non-zero).
  HttpServer(const ServerOptions& options, RequestHandler handler, LaneSelector lanes = {});
  ~HttpServer();

  /// The bound port (useful with port 0).
  unsigned short port() const;
  /// The connection cap in force (after the file-descriptor limit).
  std::size_t max_connections() const;

  /// Serves until stop() or (handle_signals) SIGINT/SIGTERM; on either, stops accepting,
  /// finishes in-flight requests, closes idle connections, then returns.
  /// When in-flight requests outlast drain_seconds the process exits (1).
  void run();
  /// Thread-safe; may be called from a signal-free context or a test.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace marquee
