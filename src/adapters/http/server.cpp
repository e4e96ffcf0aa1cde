#include "adapters/http/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace marquee {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

Request to_request(const http::request<http::string_body>& in, const std::string& remote) {
  Request r;
  r.method = std::string(in.method_string());
  // HTML forms send spaces as '+' (application/x-www-form-urlencoded); a
  // literal '+' arrives as %2B, so '+' in the query can be read as a space.
  std::string target(in.target());
  if (auto qpos = target.find('?'); qpos != std::string::npos)
    for (std::size_t i = qpos; i < target.size(); ++i)
      if (target[i] == '+') target.replace(i, 1, "%20");
  auto url = boost::urls::parse_origin_form(target);
  if (url) {
    r.path = url->path();
    for (auto param : url->params()) r.query.emplace(param.key, param.value);
  } else {
    r.path = std::string(target.substr(0, target.find('?')));
  }
  if (r.path.empty()) r.path = "/";
  r.accept_encoding = std::string(in[http::field::accept_encoding]);
  r.if_none_match = std::string(in[http::field::if_none_match]);
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  r.body = in.body();
  r.remote_address = remote;
  return r;
}

class Session;

struct Registry {
  std::mutex mutex;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;
  std::atomic<bool> stopping{false};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerOptions& opt, const RequestHandler& handler,
          const BlockingPredicate& blocking, asio::thread_pool& pool, Registry& reg)
      : stream_(std::move(socket)), opt_(opt), handler_(handler), blocking_(blocking), pool_(pool), registry_(reg) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }

  void start() {
    {
      std::lock_guard lock(registry_.mutex);
      registry_.sessions.insert(weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // Called on stop: closes the connection now if it waits for a request.
  void close_if_idle() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

  ~Session() {
    std::lock_guard lock(registry_.mutex);
    registry_.sessions.erase(weak_from_this());
  }

 private:
  void read() {
    busy_ = false;
    if (registry_.stopping) return close();
    parser_.emplace();
    parser_->body_limit(opt_.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(opt_.header_limit));
    stream_.expires_after(std::chrono::seconds(opt_.idle_timeout_seconds));
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->on_read(ec);
      if (self->opt_.body_limit_for) {
        const std::string target(self->parser_->get().target());
        if (const std::size_t limit = self->opt_.body_limit_for(target.substr(0, target.find('?'))))
          self->parser_->body_limit(limit);
      }
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
    });
  }

  void on_read(beast::error_code ec) {
    busy_ = true;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted)
      return close();
    if (ec == http::error::body_limit) return fail_fast(413, "Request body too large");
    if (ec == http::error::header_limit) return fail_fast(431, "Request headers too large");
    if (ec) {
      if (ec != asio::error::connection_reset && ec != asio::error::eof) fail_fast(400, "Malformed HTTP request");
      else close();
      return;
    }
    const auto& req = parser_->get();
    auto request = std::make_shared<Request>(to_request(req, remote_));
    ++served_;
    const bool keep_alive = req.keep_alive() && !registry_.stopping && served_ < opt_.max_requests_per_connection;
    const bool head = req.method() == http::verb::head;
    const unsigned version = req.version();
    if (blocking_ && blocking_(*request)) {
      // Store calls block: run them on the worker pool, then resume on this connection's strand.
      asio::post(pool_, [self = shared_from_this(), request, head, version, keep_alive] {
        Response resp = self->call_handler(*request);
        asio::dispatch(self->stream_.get_executor(), [self, resp = std::move(resp), head, version, keep_alive]() mutable {
          self->write(std::move(resp), head, version, keep_alive);
        });
      });
      return;
    }
    write(call_handler(*request), head, version, keep_alive);
  }

  Response call_handler(const Request& request) {
    try {
      return handler_(request);
    } catch (const std::exception& e) {
      spdlog::error("handler failed for {} {}: {}", request.method, request.path, e.what());
      Response resp;
      resp.status = 500;
      resp.content_type = "application/problem+json";
      resp.body = std::make_shared<const std::string>(
          R"({"type":"/problems/internal","title":"Internal Server Error","status":500,"detail":"The server could not answer; the error was logged."})");
      return resp;
    }
  }

  void write(Response resp, bool head, unsigned version, bool keep_alive) {
    body_ = resp.body;
    auto res = std::make_shared<http::response<http::span_body<const char>>>();
    res->version(version);
    res->result(static_cast<unsigned>(resp.status));
    res->set(http::field::server, "marquee");
    res->set(http::field::content_type, resp.content_type);
    for (const auto& [k, v] : resp.headers) res->insert(k, v);
    const std::size_t size = body_ ? body_->size() : 0;
    if (!head && body_) res->body() = boost::span<const char>(body_->data(), body_->size());
    res->keep_alive(keep_alive);
    if (resp.status != 304 && resp.status != 204) res->content_length(size);
    stream_.expires_after(std::chrono::seconds(opt_.idle_timeout_seconds));
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
      self->body_.reset();
      if (ec || !keep_alive) return self->close();
      self->read();
    });
  }

  void fail_fast(int status, const char* title) {
    Response r;
    r.status = status;
    r.content_type = "application/problem+json";
    r.body = std::make_shared<const std::string>(std::string(R"({"type":"about:blank","title":")") + title +
                                                 R"(","status":)" + std::to_string(status) + "}");
    write(std::move(r), false, 11, false);
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<const std::string> body_;
  const ServerOptions& opt_;
  const RequestHandler& handler_;
  const BlockingPredicate& blocking_;
  asio::thread_pool& pool_;
  Registry& registry_;
  std::string remote_;
  int served_ = 0;
  bool busy_ = false;
};

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  RequestHandler handler;
  BlockingPredicate blocking;
  asio::io_context ioc;
  std::unique_ptr<asio::thread_pool> workers;
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  Registry registry;

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;
        spdlog::warn("accept: {}", ec.message());
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket), options, handler, blocking, *workers, registry)->start();
      }
      accept();
    });
  }

  void shutdown() {
    if (registry.stopping.exchange(true)) return;
    spdlog::info("stopping: finishing in-flight requests");
    asio::dispatch(acceptor.get_executor(), [this] {
      beast::error_code ec;
      acceptor.close(ec);
    });
    signals.cancel();
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(registry.mutex);
      for (auto& w : registry.sessions)
        if (auto s = w.lock()) live.push_back(s);
    }
    for (auto& s : live) s->close_if_idle();
  }
};

HttpServer::HttpServer(const ServerOptions& options, RequestHandler handler, BlockingPredicate blocking)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  impl_->handler = std::move(handler);
  impl_->blocking = std::move(blocking);
  impl_->workers = std::make_unique<asio::thread_pool>(options.worker_threads > 0 ? options.worker_threads : 16);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) throw std::runtime_error("invalid listen address '" + options.host + "': " + ec.message());
  const tcp::endpoint endpoint{address, options.port};
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                             ec.message());
}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::run() {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->shutdown();
  });
  impl_->accept();
  int n = impl_->options.threads > 0 ? impl_->options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (n < 1) n = 1;
  std::vector<std::thread> pool;
  for (int i = 1; i < n; ++i) pool.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : pool) t.join();
  impl_->workers->join();
}

void HttpServer::stop() {
  asio::post(impl_->ioc, [this] { impl_->shutdown(); });
}

}  // namespace marquee
