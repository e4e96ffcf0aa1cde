// adapters/http/server: a response body sent in pieces (Response::pieces, issue 22):
// the head announces the whole length, the pieces follow on a kept-alive connection,
// and a source that fails or gives more or fewer bytes than announced closes the
// connection instead of leaving the client with a body framed wrong. A real server
// on a free loopback port, a raw client socket.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "adapters/http/server.hpp"

namespace marquee {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// `count` pieces of `piece_size` bytes ('a', 'b', …), announcing `announced` bytes; with
// `throw_at`, the source throws when asked for that piece (0-based).
std::shared_ptr<BodyPieces> pieces_of(std::uint64_t announced, std::size_t count, std::size_t piece_size,
                                      int throw_at = -1) {
  auto p = std::make_shared<BodyPieces>();
  p->size = announced;
  p->next = [n = std::size_t{0}, count, piece_size, throw_at](std::string& out) mutable {
    if (n == count) return false;
    if (static_cast<int>(n) == throw_at) throw std::runtime_error("the source failed");
    out.append(piece_size, static_cast<char>('a' + n % 26));
    ++n;
    return true;
  };
  return p;
}

class BodyInPieces : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions o;
    o.port = 0;
    o.threads = 1;
    o.worker_threads = 1;
    o.bulk_threads = 1;
    o.idle_timeout_seconds = 10;
    o.drain_seconds = 5;
    o.handle_signals = false;
    server_ = std::make_unique<HttpServer>(o, [](const Request& r) {
      Response resp;
      if (r.path == "/whole") resp.pieces = pieces_of(300000, 3, 100000);
      else if (r.path == "/short") resp.pieces = pieces_of(300000, 1, 100000);
      else if (r.path == "/long") resp.pieces = pieces_of(150000, 2, 100000);
      else if (r.path == "/throws") resp.pieces = pieces_of(300000, 3, 100000, 1);
      else resp.body = std::make_shared<const std::string>("plain");
      return resp;
    });
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }

  // Writes `raw` on one connection and reads until the server closes it.
  std::string exchange(const std::string& raw) {
    asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    asio::write(socket, asio::buffer(raw));
    std::string got;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(got), ec);  // to EOF (or a reset)
    return got;
  }

  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

// The body of the response at `at` (its head's Content-Length), or what is left when shorter.
std::string body_at(const std::string& got, std::size_t& at, std::size_t* announced = nullptr, bool head_only = false) {
  const auto end = got.find("\r\n\r\n", at);
  EXPECT_NE(end, std::string::npos);
  const auto cl = got.find("Content-Length: ", at);
  const std::size_t n = std::stoul(got.substr(cl + 16, got.find("\r\n", cl) - cl - 16));
  if (announced) *announced = n;
  const std::size_t start = end + 4;
  const std::size_t take = head_only ? 0 : std::min(n, got.size() - start);
  at = start + take;
  return got.substr(start, take);
}

TEST_F(BodyInPieces, PiecesFollowTheirHeadOnAKeptAliveConnection) {
  const std::string got = exchange(
      "GET /whole HTTP/1.1\r\nHost: t\r\n\r\n"
      "HEAD /whole HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /plain HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  std::size_t at = 0, announced = 0;
  EXPECT_EQ(body_at(got, at, &announced), std::string(100000, 'a') + std::string(100000, 'b') + std::string(100000, 'c'));
  EXPECT_EQ(announced, 300000u);
  EXPECT_EQ(got.compare(at, 9, "HTTP/1.1 "), 0) << "the next response starts right after the body";
  EXPECT_EQ(body_at(got, at, &announced, true), "");
  EXPECT_EQ(announced, 300000u) << "HEAD announces the length and sends no piece";
  EXPECT_EQ(body_at(got, at), "plain");
  EXPECT_EQ(at, got.size());
}

TEST_F(BodyInPieces, ASourceGivingFewerOrMoreBytesOrThrowingClosesTheConnection) {
  for (const char* path : {"/short", "/long", "/throws"}) {
    const std::string got = exchange(std::string("GET ") + path + " HTTP/1.1\r\nHost: t\r\n\r\nGET /plain HTTP/1.1\r\nHost: t\r\n\r\n");
    std::size_t at = 0, announced = 0;
    const std::string body = body_at(got, at, &announced);
    EXPECT_EQ(body, std::string(100000, 'a')) << path << ": the first piece only";
    EXPECT_GT(announced, body.size()) << path;
    EXPECT_EQ(at, got.size()) << path << ": closed, the next request not answered";
  }
}

}  // namespace
}  // namespace marquee
