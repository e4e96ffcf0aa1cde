#include "adapters/http/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <condition_variable>
#include <cstdlib>
#include <thread>
#include <unordered_map>
#include <vector>

#include "adapters/http/problem.hpp"
#include "adapters/http/body_files.hpp"
#include "adapters/http/connection_table.hpp"
#include "adapters/http/file_limit.hpp"
#include "adapters/http/request_framing.hpp"
#include "app/log_throttle.hpp"
#include "core/redaction.hpp"

namespace marquee {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Proxies = std::vector<asio::ip::address>;

// "<8 hex of this process>-<counter>": unique per process, cheap, and the
// prefix tells instances apart in a shared log.
std::string next_request_id() {
  static const std::string prefix = [] {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(std::random_device{}()));
    return std::string(buf);
  }();
  static std::atomic<std::uint64_t> counter{0};
  return prefix + "-" + std::to_string(++counter);
}

bool is_proxy(const Proxies& proxies, const asio::ip::address& a) {
  for (const auto& p : proxies)
    if (p == a) return true;
  return false;
}

// An IPv4 client seen through an IPv6 socket is its IPv4 address.
asio::ip::address plain(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  return a;
}

// An address as X-Forwarded-For or --trusted-proxy write it: "1.2.3.4",
// "1.2.3.4:5678", "2001:db8::1", "[2001:db8::1]:5678".
std::optional<asio::ip::address> parse_address(std::string_view text) {
  const auto b = text.find_first_not_of(" \t");
  const auto e = text.find_last_not_of(" \t");
  if (b == std::string_view::npos) return std::nullopt;
  std::string s(text.substr(b, e - b + 1));
  if (s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string::npos) return std::nullopt;
    s = s.substr(1, close - 1);
  } else if (std::count(s.begin(), s.end(), ':') == 1) {
    s = s.substr(0, s.find(':'));  // IPv4 with a port
  }
  beast::error_code ec;
  auto a = asio::ip::make_address(s, ec);
  if (ec) return std::nullopt;
  return plain(a);
}

// The client behind trusted proxies: walk X-Forwarded-For from the right,
// skipping trusted proxies; stop at the first entry that is not an address.
std::string forwarded_client(const std::string& peer, const Request& r, const Proxies& proxies) {
  std::vector<std::string_view> entries;
  for (const auto& [k, v] : r.headers) {
    if (k != "x-forwarded-for") continue;
    std::string_view rest(v);
    while (true) {
      const auto comma = rest.find(',');
      entries.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  std::string client = peer;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    auto a = parse_address(*it);
    if (!a) break;
    client = a->to_string();
    if (!is_proxy(proxies, *a)) break;
  }
  return client;
}

Request to_request(const http::request<http::string_body>& in, const std::string& remote, const Proxies& proxies,
                   bool from_proxy) {
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
  r.peer_address = remote;
  r.remote_address = from_proxy ? forwarded_client(remote, r, proxies) : remote;
  if (from_proxy) r.id = r.header("x-request-id").substr(0, 64);
  if (r.id.empty() || !valid_field_value(r.id)) r.id = next_request_id();
  return r;
}

// What every connection shares: options, handler, pools, caps and counters.
struct Shared {
  const ServerOptions& opt;
  const Proxies& proxies;
  const RequestHandler& handler;
  const LaneSelector& lanes;
  asio::thread_pool& store_pool;
  asio::thread_pool& bulk_pool;
  ConnectionTable table;
  BodyFiles body_files;  ///< large cached bodies as files, sent with sendfile(2)
  std::atomic<bool> stopping{false};
  std::size_t body_bytes = 0;  ///< body bytes held by requests being read (under body_mutex)
  std::atomic<int> in_flight{0};           ///< handlers running now
  LogThrottle busy_log{std::chrono::seconds(10)};
  LogThrottle header_log{std::chrono::seconds(10)};

  std::mutex body_mutex;
  std::unordered_map<std::string, std::size_t> body_bytes_by_client;

  // Counts `n` more body bytes for `client`; false (nothing counted) when the
  // total or the client's share would pass its cap.
  bool reserve(const std::string& client, std::size_t n) {
    std::lock_guard lock(body_mutex);
    auto& mine = body_bytes_by_client[client];
    if (body_bytes + n > opt.max_body_bytes_in_flight || mine + n > opt.max_body_bytes_per_client) {
      if (mine == 0) body_bytes_by_client.erase(client);
      return false;
    }
    body_bytes += n;
    mine += n;
    return true;
  }
  void release(const std::string& client, std::size_t n) {
    if (n == 0) return;
    std::lock_guard lock(body_mutex);
    body_bytes -= n;
    auto it = body_bytes_by_client.find(client);
    if (it != body_bytes_by_client.end() && (it->second -= n) == 0) body_bytes_by_client.erase(it);
  }
};

// The completion condition of every response write: everything that is left, in one call.
// asio's transfer_all hands the socket at most 64 KiB a call (default_max_transfer_size), so a
// 170 KB body took three sendmsg calls, each with its own completion and deadline bookkeeping;
// the kernel takes what the socket's buffer holds and asio waits for the rest as before.
// Returns 0 (stop) on an error.
struct AllAtOnce {
  std::size_t operator()(const beast::error_code& ec, std::size_t) const {
    return ec ? 0 : std::size_t{1} << 30;  // at most 1 GiB a call (Linux sends at most about 2 GiB)
  }
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared, std::string remote, bool from_proxy)
      : stream_(std::move(socket)), shared_(shared), opt_(shared.opt), remote_(std::move(remote)), from_proxy_(from_proxy) {}

  void start(ConnectionTable::Id id) {
    id_ = id;
    beast::error_code ec;
    stream_.socket().native_non_blocking(true, ec);  // send(2) and sendfile(2) below never block the thread
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  /// Closes the connection now if it waits for a request head, else after
  /// the response being prepared (eviction by the connection caps, shutdown).
  void evict() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->evicted_ = true;
      if (self->waiting_) self->close();
    });
  }

  /// Closes a connection that was never started (refused by the caps).
  void refuse() { close(); }

  ~Session() {
    release_body();
    shared_.table.remove(id_);
  }

 private:
  void release_body() {
    shared_.release(body_client_, reserved_);
    reserved_ = 0;
  }

  void read() {
    release_body();
    head_.reset();
    if (shared_.stopping || evicted_) return close();
    waiting_ = true;
    shared_.table.set_idle(id_, true);
    file_parser_.reset();
    spooled_.reset();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(opt_.header_limit));
    // Any Content-Length up to the in-flight cap passes the head; the limit
    // this request really gets is decided once the head is read.
    parser_->body_limit(std::max<std::uint64_t>(opt_.max_body_bytes_in_flight, opt_.body_limit));
    stream_.expires_after(std::chrono::seconds(opt_.idle_timeout_seconds));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    waiting_ = false;
    // Evicted and closed while its read had completed but not yet run: the
    // request is dropped unseen (the client saw the connection close). Run,
    // it would change the store and lose its answer on the closed socket.
    if (closed_) return;
    shared_.table.set_idle(id_, false);
    if (ec) return on_read(ec);
    const auto& req = parser_->get();
    head_ = std::make_shared<Request>(to_request(req, remote_, shared_.proxies, from_proxy_));
    if (auto bad = check_framing(req.version(), head_->headers))
      return fail_fast(bad->status, bad->status == 501 ? "Not Implemented" : "Bad Request", bad->detail);
    if (opt_.largest_body_for && opt_.admit_body && !parser_->is_done() &&
        opt_.largest_body_for(*head_) > opt_.body_limit) {
      // Checking credentials may call the store: never on an I/O thread.
      auto work = asio::make_work_guard(stream_.get_executor());
      asio::post(shared_.store_pool, [self = shared_from_this(), work] {
        std::size_t limit = self->opt_.body_limit;
        try {
          limit = std::max(limit, self->opt_.admit_body(*self->head_));
        } catch (const std::exception& e) {
          spdlog::warn("body admission for {} failed: {}", self->head_->path, e.what());
        }
        asio::dispatch(self->stream_.get_executor(), [self, limit] { self->read_body(limit); });
      });
      return;
    }
    read_body(opt_.body_limit);
  }

  void read_body(std::size_t limit) {
    const auto length = parser_->content_length();
    if (length && *length > limit)
      return fail_fast(413, "Content Too Large",
                       "The request body is " + std::to_string(*length) + " bytes; at most " + std::to_string(limit) +
                           " are accepted here" + (limit == opt_.body_limit ? " without the right credentials." : "."));
    body_client_ = head_->remote_address;
    if (limit > opt_.body_limit) return spool_body(limit);
    parser_->body_limit(limit);
    read_body_some();
  }

  // A large upload from an admitted caller goes to a temporary file as it
  // arrives (Beast's file_body), never into memory.
  void spool_body(std::size_t limit) {
    namespace fs = std::filesystem;
    std::error_code fec;
    const fs::path dir = opt_.spool_dir.empty() ? fs::temp_directory_path(fec) : fs::path(opt_.spool_dir);
    std::string path = (dir / "marquee-upload-XXXXXX").string();
    const int fd = ::mkstemp(path.data());
    if (fd < 0) {
      spdlog::error("request {}: cannot create an upload file in {}: {}", head_->id, dir.string(), std::strerror(errno));
      return fail_fast(503, "Service Unavailable", "The upload cannot be stored right now; retry shortly.", true);
    }
    ::close(fd);
    spooled_ = std::make_shared<SpooledBody>(path);
    file_parser_.emplace(std::move(*parser_));
    parser_.reset();
    file_parser_->body_limit(limit);
    beast::error_code ec;
    file_parser_->get().body().open(path.c_str(), beast::file_mode::write, ec);
    if (ec) {
      spdlog::error("request {}: cannot open the upload file {}: {}", head_->id, path, ec.message());
      return fail_fast(503, "Service Unavailable", "The upload cannot be stored right now; retry shortly.", true);
    }
    read_file_some();
  }

  void read_file_some() {
    if (file_parser_->is_done()) {
      auto& req = file_parser_->get();
      req.body().close();
      std::error_code fec;
      const auto size = std::filesystem::file_size(spooled_->path, fec);
      std::const_pointer_cast<SpooledBody>(spooled_)->size = fec ? 0 : size;
      auto request = head_;
      request->body_file = std::move(spooled_);
      const bool keep_alive = req.keep_alive();
      const bool head = req.method() == http::verb::head;
      const unsigned version = req.version();
      file_parser_.reset();
      return dispatch(std::move(request), keep_alive, head, version);
    }
    stream_.expires_after(std::chrono::seconds(opt_.idle_timeout_seconds));
    http::async_read_some(stream_, buffer_, *file_parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->spooled_.reset();
        self->file_parser_.reset();
        return self->on_read(ec);
      }
      self->read_file_some();
    });
  }

  // The body is read piece by piece, and its bytes are counted against the
  // process-wide and per-client caps as they arrive (a declared length that
  // never comes holds nothing).
  void read_body_some() {
    if (parser_->is_done()) return on_read({});
    stream_.expires_after(std::chrono::seconds(opt_.idle_timeout_seconds));
    http::async_read_some(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->on_read(ec);
      const std::size_t have = self->parser_->get().body().size();
      if (have > self->reserved_) {
        if (!self->shared_.reserve(self->body_client_, have - self->reserved_)) {
          if (auto n = self->shared_.busy_log.tick())
            spdlog::warn("refused {} request bodies (latest from {}): --max-body-bytes-in-flight {} or "
                         "--max-body-bytes-per-client {} reached",
                         *n, self->body_client_, self->opt_.max_body_bytes_in_flight, self->opt_.max_body_bytes_per_client);
          return self->fail_fast(503, "Service Unavailable",
                                 "The server is receiving too many uploads at once; retry shortly.", true);
        }
        self->reserved_ = have;
      }
      self->read_body_some();
    });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted)
      return close();
    if (ec == http::error::body_limit) return fail_fast(413, "Content Too Large", "The request body is too large.");
    if (ec == http::error::header_limit) return fail_fast(431, "Request Header Fields Too Large", "The request head is too large.");
    if (ec) {
      if (ec != asio::error::connection_reset && ec != asio::error::eof)
        fail_fast(400, "Bad Request", "Malformed HTTP request: " + ec.message() + ".");
      else close();
      return;
    }
    auto& req = parser_->get();
    auto request = head_;
    request->body = std::move(req.body());
    dispatch(std::move(request), req.keep_alive(), req.method() == http::verb::head, req.version());
  }

  // A whole request (head and body) is here: run its handler on its lane.
  void dispatch(std::shared_ptr<Request> request, bool wants_keep_alive, bool head, unsigned version) {
    if (closed_) return;  // no one to answer (see on_header)
    ++served_;
    const bool keep_alive =
        wants_keep_alive && !shared_.stopping && !evicted_ && served_ < opt_.max_requests_per_connection;
    const Lane lane = shared_.lanes ? shared_.lanes(*request) : Lane::io;
    if (lane != Lane::io) {
      // Store calls and long jobs block: run them on their pool, then resume on
      // this connection's strand (the work guard keeps the I/O loop running).
      auto work = asio::make_work_guard(stream_.get_executor());
      auto& pool = lane == Lane::bulk ? shared_.bulk_pool : shared_.store_pool;
      asio::post(pool, [self = shared_from_this(), request, head, version, keep_alive, work] {
        Response resp = self->call_handler(*request);
        request->body_file.reset();  // a spooled upload is removed before the answer leaves
        asio::dispatch(self->stream_.get_executor(), [self, resp = std::move(resp), head, version, keep_alive]() mutable {
          self->write(std::move(resp), head, version, keep_alive);
        });
      });
      return;
    }
    Response resp = call_handler(*request);
    request->body_file.reset();
    write(std::move(resp), head, version, keep_alive);
  }

  Response call_handler(const Request& request) {
    ++shared_.in_flight;
    struct Done {
      std::atomic<int>& n;
      ~Done() { --n; }
    } done{shared_.in_flight};
    try {
      return shared_.handler(request);
    } catch (const std::exception& e) {
      spdlog::error("request {}: {} {} failed: {}", request.id, request.method, loggable_path(request.path), e.what());
      return internal_error();
    }
  }

  static Response internal_error() {
    Response resp;
    resp.status = 500;
    resp.content_type = "application/problem+json";
    resp.body = std::make_shared<const std::string>(
        R"({"type":"/problems/internal","title":"Internal Server Error","status":500,"detail":"The server could not answer; the error was logged."})");
    return resp;
  }

  // The one place every response head is built: a header value with CR, LF
  // or NUL (response splitting) never reaches the wire.
  static bool safe_headers(const Response& resp, const std::string& path, Shared& shared) {
    if (!valid_field_value(resp.content_type)) {
      if (shared.header_log.tick()) spdlog::error("response to {} refused: Content-Type holds CR, LF or NUL", path);
      return false;
    }
    for (const auto& [k, v] : resp.headers)
      if (!valid_field_name(k) || !valid_field_value(v)) {
        if (shared.header_log.tick())
          spdlog::error("response to {} refused: header '{}' holds CR, LF or NUL or is not a token", path, k);
        return false;
      }
    return true;
  }

  // The response head, written as Beast's serializer would write it (status
  // line with its standard reason, the fields in this order, Connection as
  // RFC 9112 §9.3 wants for the version), built in one string: the head and
  // the body leave in one gather write (sendmsg) without Beast's field list.
  static void build_head(std::string& out, const Response& resp, const std::string* request_id, std::size_t size,
                         unsigned version, bool keep_alive) {
    out.clear();
    out += "HTTP/";
    out += static_cast<char>('0' + version / 10);
    out += '.';
    out += static_cast<char>('0' + version % 10);
    out += ' ';
    out += std::to_string(resp.status);
    out += ' ';
    out += http::obsolete_reason(static_cast<http::status>(resp.status));
    out += "\r\nServer: marquee\r\n";
    if (request_id) {
      out += "X-Request-Id: ";
      out += *request_id;
      out += "\r\n";
    }
    out += "Content-Type: ";
    out += resp.content_type;
    out += "\r\n";
    for (const auto& [k, v] : resp.headers) {
      out += k;
      out += ": ";
      out += v;
      out += "\r\n";
    }
    if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
    if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
    if (resp.status != 304 && resp.status != 204) {
      out += "Content-Length: ";
      out += std::to_string(size);
      out += "\r\n";
    }
    out += "\r\n";
  }

  void write(Response resp, bool head, unsigned version, bool keep_alive) {
    if (!safe_headers(resp, head_ ? head_->path : std::string(), shared_)) resp = internal_error();
    if (resp.pieces && resp.pieces->next) return write_in_pieces(std::move(resp), head, version, keep_alive);
    body_ = resp.body;
    const std::size_t size = body_ ? body_->size() : 0;
    build_head(out_head_, resp, head_ ? &head_->id : nullptr, size, version, keep_alive);
    if (!head)
      if (auto file = shared_.body_files.find(body_)) return write_file(std::move(file), keep_alive);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(out_head_),
                                                    head || !body_ ? asio::const_buffer() : asio::buffer(*body_)};
    stream_.expires_after(std::chrono::seconds(opt_.idle_timeout_seconds));
    asio::async_write(stream_, buffers, AllAtOnce{}, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
      self->end_response(!ec, keep_alive);
    });
  }

  // A body kept as a file (BodyFiles): the head, then the file by sendfile(2), as nginx sends
  // its files, so the kernel does not copy the body from this process into the socket. When
  // the socket's buffer is full it waits for room under the same deadline as any write
  // (idle_timeout_seconds); most responses go in one send and one sendfile, with no wait.
  void write_file(std::shared_ptr<const BodyFile> file, bool keep_alive) {
    file_ = std::move(file);
    head_sent_ = 0;
    file_sent_ = 0;
    file_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(opt_.idle_timeout_seconds);
    send_file_part(keep_alive);
  }

  // What a non-blocking send(2) or sendfile(2) returned: `n` bytes added to `sent` and go on
  // (or EINTR: go on), wait for room (EAGAIN), or give up (an error, or 0 bytes: the sealed
  // file cannot be shorter than it was).
  enum class SendStep { more, wait, failed };
  static SendStep after_send(ssize_t n, std::size_t& sent) {
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      return SendStep::more;
    }
    if (n < 0 && errno == EINTR) return SendStep::more;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return SendStep::wait;
    return SendStep::failed;
  }

  void send_file_part(bool keep_alive) {
    const int sock = stream_.socket().native_handle();
    auto step = SendStep::more;
    while (step == SendStep::more && head_sent_ < out_head_.size())  // MSG_MORE: the head goes with the body
      step = after_send(::send(sock, out_head_.data() + head_sent_, out_head_.size() - head_sent_,
                               MSG_MORE | MSG_NOSIGNAL | MSG_DONTWAIT),
                        head_sent_);
    while (step == SendStep::more && file_sent_ < file_->size()) {
      auto offset = static_cast<off_t>(file_sent_);
      step = after_send(::sendfile(sock, file_->fd(), &offset, file_->size() - file_sent_), file_sent_);
    }
    if (step == SendStep::wait) return wait_writable(keep_alive);
    end_response(step == SendStep::more, keep_alive);
  }

  // Waits for room in the socket until the response's deadline (set once in write_file, as
  // one write's deadline covers the whole body); a stop ends the wait, as it ends a body in pieces.
  void wait_writable(bool keep_alive) {
    if (shared_.stopping) {
      spdlog::warn("request {}: a body cut short by the stop, {} bytes unsent", head_ ? head_->id : std::string(),
                   file_->size() - file_sent_);
      return end_response(false, keep_alive);
    }
    if (!send_deadline_) send_deadline_.emplace(stream_.get_executor());
    send_deadline_->expires_at(file_deadline_);
    send_deadline_->async_wait([self = shared_from_this()](beast::error_code ec) {
      // Past the deadline with the body still unsent (not a wait that ended as the socket freed).
      if (!ec && self->file_ && std::chrono::steady_clock::now() >= self->file_deadline_) self->close();
    });
    stream_.socket().async_wait(tcp::socket::wait_write, [self = shared_from_this(), keep_alive](beast::error_code ec) {
      self->send_deadline_->cancel();
      if (ec || self->closed_) return self->end_response(false, keep_alive);
      self->send_file_part(keep_alive);
    });
  }

  // After a response, however it was written. `whole`: every byte the head announced has left;
  // otherwise the connection closes. Lingers when the request's body was not read.
  void end_response(bool whole, bool keep_alive) {
    body_.reset();
    file_.reset();
    pieces_.reset();
    piece_ = std::string();
    if (!whole) return close();
    if (!keep_alive && parser_ && !parser_->is_done()) return linger();
    if (!keep_alive) return close();
    read();
  }

  // A body in pieces (BodyPieces): the head with its Content-Length, then each piece made
  // as the one before has left, so a slow client holds one piece, not the whole body. The
  // whole body has one deadline, as a body written at once has (idle_timeout_seconds), and a
  // stop ends it at the next piece: a slow download never outlasts the drain.
  void write_in_pieces(Response resp, bool head, unsigned version, bool keep_alive) {
    pieces_ = std::move(resp.pieces);
    pieces_left_ = head ? 0 : pieces_->size;
    build_head(out_head_, resp, head_ ? &head_->id : nullptr, static_cast<std::size_t>(pieces_->size), version,
               keep_alive);
    stream_.expires_after(std::chrono::seconds(opt_.idle_timeout_seconds));  // for the head and every piece
    asio::async_write(stream_, asio::buffer(out_head_), AllAtOnce{}, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
      if (ec) return self->end_response(false, keep_alive);
      self->write_next_piece(keep_alive);
    });
  }

  void write_next_piece(bool keep_alive) {
    if (pieces_left_ == 0) return end_response(true, keep_alive);
    if (shared_.stopping) {
      spdlog::warn("request {}: a body in pieces cut short by the stop, {} bytes unsent", head_ ? head_->id : std::string(),
                   pieces_left_);
      return end_response(false, keep_alive);
    }
    piece_.clear();
    bool more = false;
    try {
      more = pieces_->next(piece_);
    } catch (const std::exception& e) {
      spdlog::error("request {}: a body in pieces failed: {}", head_ ? head_->id : std::string(), e.what());
      return end_response(false, keep_alive);
    }
    if (!more || piece_.empty() || piece_.size() > pieces_left_) {
      spdlog::error("request {}: a body in pieces gave {} bytes where {} were left", head_ ? head_->id : std::string(),
                    piece_.size(), pieces_left_);
      return end_response(false, keep_alive);
    }
    pieces_left_ -= piece_.size();
    asio::async_write(stream_, asio::buffer(piece_), AllAtOnce{}, [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
      if (ec) return self->end_response(false, keep_alive);
      self->write_next_piece(keep_alive);
    });
  }

  void fail_fast(int status, const std::string& title, const std::string& detail, bool retry_later = false) {
    Response r = problem(status, "about:blank", title, detail, head_ ? head_->path : std::string());
    if (retry_later) r.headers.emplace_back("Retry-After", "5");
    write(std::move(r), false, 11, false);
  }

  // After answering a request whose body was not read (413, 400, 503): stop
  // sending, then read and drop what the client still sends (at most 1 MiB,
  // 2 s) before closing, so the kernel does not answer with a reset that
  // destroys the response before the client read it.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    drain(std::make_shared<std::array<char, 16384>>(), 0);
  }
  void drain(std::shared_ptr<std::array<char, 16384>> buf, std::size_t total) {
    stream_.async_read_some(asio::buffer(*buf), [self = shared_from_this(), buf, total](beast::error_code ec, std::size_t n) {
      if (ec || total + n > (std::size_t{1} << 20)) return self->close();
      self->drain(buf, total + n);
    });
  }

  void close() {
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request_parser<http::file_body>> file_parser_;  ///< while a large upload is spooled
  std::shared_ptr<SpooledBody> spooled_;
  std::shared_ptr<Request> head_;
  std::shared_ptr<const std::string> body_;
  std::shared_ptr<BodyPieces> pieces_;  ///< a body being written in pieces (write_in_pieces)
  std::uint64_t pieces_left_ = 0;       ///< its bytes not yet made
  std::string piece_;                   ///< the piece being written
  std::string out_head_;  ///< the response head being written
  std::shared_ptr<const BodyFile> file_;  ///< the body being sent from its file (write_file)
  std::size_t head_sent_ = 0;             ///< bytes of out_head_ sent before the file
  std::size_t file_sent_ = 0;             ///< bytes of the file sent
  std::optional<asio::steady_timer> send_deadline_;  ///< while write_file waits for the socket
  std::chrono::steady_clock::time_point file_deadline_;  ///< when write_file's whole body must have left
  Shared& shared_;
  const ServerOptions& opt_;
  std::string remote_;
  bool from_proxy_ = false;
  ConnectionTable::Id id_ = 0;
  std::size_t reserved_ = 0;
  std::string body_client_;
  int served_ = 0;
  bool waiting_ = false;
  bool evicted_ = false;
  bool closed_ = false;  ///< close() ran: nothing more is read, run or written
};

bool exhausted(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

std::size_t connection_cap(const ServerOptions& o) {
  const std::size_t fds = raise_file_limit();
  const std::size_t reserve = std::min(o.fd_reserve, fds / 2);
  const std::size_t cap = fds - reserve;
  return o.max_connections > 0 ? std::min(o.max_connections, cap) : cap;
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  RequestHandler handler;
  LaneSelector lanes;
  Proxies proxies;
  // Declared before the I/O context and the pools: sessions still queued
  // there when the server is destroyed remove themselves from its table.
  std::unique_ptr<Shared> shared;
  std::unique_ptr<asio::thread_pool> store_pool, bulk_pool;
  // One I/O context per I/O thread, each run by that thread alone (as nginx
  // has one event loop per worker): a connection stays on the context that
  // accepted it, so its handlers need no strand and the threads do not wake
  // each other for every completion. `ioc` (the acceptor, the signals) is
  // run by the thread that calls run(); `more` by the others.
  asio::io_context ioc{1};
  std::vector<std::unique_ptr<asio::io_context>> more;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;  ///< `more`, until shutdown
  std::size_t next_context = 0;  ///< round robin over ioc and `more` (the acceptor's thread only)
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  asio::steady_timer accept_pause{acceptor.get_executor()};
  asio::signal_set signals{ioc};  ///< SIGINT and SIGTERM when options.handle_signals
  LogThrottle accept_log{std::chrono::seconds(10)};
  LogThrottle refuse_log{std::chrono::seconds(10)};
  std::mutex drain_mutex;
  std::condition_variable drain_cv;
  bool drained = false;
  std::thread watchdog;

  asio::io_context& pick_context() {
    const std::size_t i = next_context++ % (more.size() + 1);
    return i == 0 ? ioc : *more[i - 1];
  }

  void accept() {
    acceptor.async_accept(pick_context(), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open() || shared->stopping) return;
        // Out of descriptors or memory: the pending connection stays in the
        // backlog; retrying at once would spin. Pause, and log once per 10 s.
        const auto pause = std::chrono::milliseconds(exhausted(ec) ? 100 : 10);
        if (auto n = accept_log.tick())
          spdlog::warn("accept: {} ({} times since the last such line); pausing accepts for {} ms each time",
                       ec.message(), *n, pause.count());
        accept_pause.expires_after(pause);
        accept_pause.async_wait([this](beast::error_code e) {
          if (!e && acceptor.is_open() && !shared->stopping) accept();
        });
        return;
      }
      admit(std::move(socket));
      accept();
    });
  }

  void admit(tcp::socket socket) {
    beast::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    const auto ep = socket.remote_endpoint(ec);
    const auto peer = ec ? asio::ip::address() : plain(ep.address());
    std::string remote = ec ? std::string() : peer.to_string();
    const bool from_proxy = !ec && is_proxy(proxies, peer);
    auto session = std::make_shared<Session>(std::move(socket), *shared, remote, from_proxy);
    std::weak_ptr<Session> weak = session;
    auto id = shared->table.admit(
        remote,
        [weak] {
          if (auto s = weak.lock()) s->evict();
        },
        !from_proxy);
    if (!id) {
      if (auto n = refuse_log.tick())
        spdlog::warn("refused {} connections (latest from {}): {} open of --max-connections {}, {} from that address "
                     "of --max-connections-per-client {}, none idle",
                     *n, remote, shared->table.size(), shared->table.max_total(), shared->table.client_count(remote),
                     shared->table.max_per_client());
      session->refuse();
      return;
    }
    session->start(*id);
  }

  void shutdown() {
    if (shared->stopping.exchange(true)) return;
    spdlog::info("stopping: finishing in-flight requests (at most {} s)", options.drain_seconds);
    if (options.on_stopping) options.on_stopping();
    asio::dispatch(acceptor.get_executor(), [this] {
      beast::error_code ec;
      acceptor.close(ec);
      accept_pause.cancel();
    });
    signals.cancel();
    keep_running.clear();  // each context's run() returns once its connections are gone
    for (auto& close : shared->table.closers()) close();
    watchdog = std::thread([this] {
      std::unique_lock lock(drain_mutex);
      if (drain_cv.wait_for(lock, std::chrono::seconds(options.drain_seconds), [this] { return drained; })) return;
      spdlog::error("stopping: {} requests still running after {} s; exiting without them", shared->in_flight.load(),
                    options.drain_seconds);
      spdlog::default_logger()->flush();
      std::_Exit(1);
    });
  }
};

HttpServer::HttpServer(const ServerOptions& options, RequestHandler handler, LaneSelector lanes)
    : impl_(std::make_unique<Impl>()) {
  // sendfile(2) has no MSG_NOSIGNAL: a client gone mid-body would raise SIGPIPE, whose default
  // ends the process. Ignored, as nginx does; the write then fails with EPIPE and that
  // connection closes.
  ::signal(SIGPIPE, SIG_IGN);
  impl_->options = options;
  if (options.handle_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
  }
  impl_->handler = std::move(handler);
  impl_->lanes = std::move(lanes);
  impl_->store_pool = std::make_unique<asio::thread_pool>(options.worker_threads > 0 ? options.worker_threads : 16);
  impl_->bulk_pool = std::make_unique<asio::thread_pool>(options.bulk_threads > 0 ? options.bulk_threads : 2);
  const int io_threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  for (int i = 1; i < io_threads; ++i) impl_->more.push_back(std::make_unique<asio::io_context>(1));
  for (const auto& p : options.trusted_proxies) {
    auto a = parse_address(p);
    if (!a) throw std::runtime_error("--trusted-proxy '" + p + "' is not an IP address");
    impl_->proxies.push_back(*a);
  }
  const std::size_t cap = connection_cap(options);
  impl_->shared.reset(new Shared{impl_->options, impl_->proxies, impl_->handler, impl_->lanes, *impl_->store_pool, *impl_->bulk_pool,
                                 ConnectionTable(cap, options.max_connections_per_client)});
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

HttpServer::~HttpServer() {
  if (impl_->watchdog.joinable()) {
    {
      std::lock_guard lock(impl_->drain_mutex);
      impl_->drained = true;
    }
    impl_->drain_cv.notify_all();
    impl_->watchdog.join();
  }
}

unsigned short HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::size_t HttpServer::max_connections() const { return impl_->shared->table.max_total(); }

void HttpServer::run() {
  if (impl_->options.handle_signals)
    impl_->signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) impl_->shutdown();
    });
  for (auto& c : impl_->more) impl_->keep_running.push_back(asio::make_work_guard(*c));
  impl_->accept();
  std::vector<std::thread> pool;
  for (auto& c : impl_->more) pool.emplace_back([&c] { c->run(); });
  impl_->ioc.run();
  for (auto& t : pool) t.join();
  impl_->store_pool->join();
  impl_->bulk_pool->join();
  {
    std::lock_guard lock(impl_->drain_mutex);
    impl_->drained = true;
  }
  impl_->drain_cv.notify_all();
  if (impl_->watchdog.joinable()) impl_->watchdog.join();
}

void HttpServer::stop() {
  asio::post(impl_->ioc, [this] { impl_->shutdown(); });
}

}  // namespace marquee
