#include "adapters/web/representation.hpp"

#include <brotli/encode.h>
#include <sodium.h>
#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/text.hpp"

namespace marquee {

namespace {

// q-value of `coding` in an Accept-Encoding header: -1 when absent.
double accept_q(const std::string& header, const std::string& coding) {
  double star = -1;
  for (const auto& part : split_list(header, ',')) {
    const auto semi = part.find(';');
    const std::string name = ascii_lower(trim(part.substr(0, semi)));
    double q = 1;
    if (semi != std::string::npos) {
      const auto qpos = part.find("q=", semi);
      if (qpos != std::string::npos) q = std::atof(part.c_str() + qpos + 2);
    }
    if (name == coding) return q;
    if (name == "*") star = q;
  }
  return star;
}

bool etag_matches(const std::string& header, const std::string& etag) {
  if (header.empty()) return false;
  if (trim(header) == "*") return true;
  for (auto tag : split_list(header, ',')) {
    if (tag.starts_with("W/")) tag = tag.substr(2);  // weak comparison (RFC 9110 §13.1.2)
    if (tag == etag) return true;
  }
  return false;
}

constexpr std::size_t kEtagBytes = 16;  // BLAKE2b-128

std::string quoted_hex(const unsigned char (&h)[kEtagBytes]) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char b : h) {
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
  return out + "\"";
}

// gzip (RFC 1952) made from pieces as they come: zlib's deflate, level `level`.
class GzipPieces {
 public:
  explicit GzipPieces(int level) : buf_(64 * 1024) {
    if (deflateInit2(&zs_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("zlib could not start a gzip stream");
  }
  ~GzipPieces() { deflateEnd(&zs_); }
  GzipPieces(const GzipPieces&) = delete;
  GzipPieces& operator=(const GzipPieces&) = delete;

  void add(std::string_view data, bool finish) {
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs_.avail_in = static_cast<uInt>(data.size());
    for (;;) {
      zs_.next_out = buf_.data();
      zs_.avail_out = static_cast<uInt>(buf_.size());
      const int rc = deflate(&zs_, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) throw std::runtime_error("zlib failed to deflate a piece");
      out_.append(reinterpret_cast<const char*>(buf_.data()), buf_.size() - zs_.avail_out);
      if (finish ? rc == Z_STREAM_END : zs_.avail_out != 0) return;
    }
  }
  std::string take() { return std::move(out_); }

 private:
  z_stream zs_{};
  std::vector<Bytef> buf_;
  std::string out_;
};

// Brotli (RFC 7932) made from pieces as they come, at `quality`, text mode.
class BrotliPieces {
 public:
  explicit BrotliPieces(int quality) : state_(BrotliEncoderCreateInstance(nullptr, nullptr, nullptr)) {
    if (!state_) throw std::runtime_error("brotli could not start a stream");
    BrotliEncoderSetParameter(state_, BROTLI_PARAM_QUALITY, static_cast<std::uint32_t>(quality));
    BrotliEncoderSetParameter(state_, BROTLI_PARAM_LGWIN, BROTLI_DEFAULT_WINDOW);
    BrotliEncoderSetParameter(state_, BROTLI_PARAM_MODE, BROTLI_MODE_TEXT);
  }
  ~BrotliPieces() { BrotliEncoderDestroyInstance(state_); }
  BrotliPieces(const BrotliPieces&) = delete;
  BrotliPieces& operator=(const BrotliPieces&) = delete;

  void add(std::string_view data, bool finish) {
    std::size_t avail_in = data.size();
    const auto* next_in = reinterpret_cast<const std::uint8_t*>(data.data());
    for (;;) {
      std::size_t avail_out = 0;  // the encoder's own buffer, taken below
      if (!BrotliEncoderCompressStream(state_, finish ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_PROCESS, &avail_in,
                                       &next_in, &avail_out, nullptr, nullptr))
        throw std::runtime_error("brotli failed to compress a piece");
      while (BrotliEncoderHasMoreOutput(state_)) {
        std::size_t n = 0;
        const std::uint8_t* bytes = BrotliEncoderTakeOutput(state_, &n);
        out_.append(reinterpret_cast<const char*>(bytes), n);
      }
      if (finish ? BrotliEncoderIsFinished(state_) : avail_in == 0) return;
    }
  }
  std::string take() { return std::move(out_); }

 private:
  BrotliEncoderState* state_;
  std::string out_;
};

// `data` through a compressor of the pieces above (GzipPieces, BrotliPieces) in one piece;
// "" when it fails.
template <typename Pieces>
std::string in_one_piece(const std::string& data, int setting) {
  try {
    Pieces compressor(setting);
    compressor.add(data, true);
    return compressor.take();
  } catch (const std::runtime_error&) {
    return {};
  }
}

std::string brotli_compress(const std::string& data, int quality) { return in_one_piece<BrotliPieces>(data, quality); }

// The identity bytes of `gzip` (`size` of them), inflated a piece at a time as the
// connection sends them: 256 KiB of output a call, about a third of a millisecond.
std::shared_ptr<BodyPieces> inflated(std::shared_ptr<const std::string> gzip, std::uint64_t size) {
  struct Inflater {
    std::shared_ptr<const std::string> source;
    z_stream zs{};
    bool started = false;
    ~Inflater() {
      if (started) inflateEnd(&zs);
    }
  };
  auto state = std::make_shared<Inflater>();
  state->source = std::move(gzip);
  if (inflateInit2(&state->zs, 15 + 16) != Z_OK) throw std::runtime_error("zlib could not start inflating");
  state->started = true;
  state->zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(state->source->data()));
  state->zs.avail_in = static_cast<uInt>(state->source->size());
  auto pieces = std::make_shared<BodyPieces>();
  pieces->size = size;
  pieces->next = [state](std::string& out) {
    constexpr std::size_t kPiece = 256 * 1024;
    out.resize(kPiece);
    state->zs.next_out = reinterpret_cast<Bytef*>(out.data());
    state->zs.avail_out = static_cast<uInt>(kPiece);
    const int rc = inflate(&state->zs, Z_NO_FLUSH);
    out.resize(kPiece - state->zs.avail_out);
    if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && out.empty()))
      throw std::runtime_error("zlib failed to inflate a kept gzip body");
    return !out.empty();
  };
  return pieces;
}

}  // namespace

std::string gzip_compress(const std::string& data, int level) { return in_one_piece<GzipPieces>(data, level); }

std::string etag_of(const std::string& data) {
  unsigned char h[kEtagBytes];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  return quoted_hex(h);
}

Representation make_representation_in_pieces(const PieceSource& pieces, std::string content_type,
                                             std::string cache_control) {
  crypto_generichash_state hash;
  crypto_generichash_init(&hash, nullptr, 0, kEtagBytes);
  GzipPieces gzip(6);
  BrotliPieces brotli(5);
  std::uint64_t size = 0;
  std::string piece;
  for (;;) {
    piece.clear();
    if (!pieces(piece)) break;
    crypto_generichash_update(&hash, reinterpret_cast<const unsigned char*>(piece.data()), piece.size());
    gzip.add(piece, false);
    brotli.add(piece, false);
    size += piece.size();
  }
  gzip.add({}, true);
  brotli.add({}, true);
  unsigned char h[kEtagBytes];
  crypto_generichash_final(&hash, h, sizeof h);
  Representation rep;
  rep.etag = quoted_hex(h);
  rep.identity_size = size;
  rep.gzip = std::make_shared<const std::string>(gzip.take());  // kept even when larger: identity is sent from it
  std::string br = brotli.take();
  if (br.size() < size) rep.brotli = std::make_shared<const std::string>(std::move(br));
  rep.content_type = std::move(content_type);
  rep.cache_control = std::move(cache_control);
  return rep;
}

Representation make_representation(std::string body, std::string content_type, std::string cache_control) {
  Representation rep;
  rep.etag = etag_of(body);
  rep.identity_size = body.size();
  if (body.size() >= 256) {
    std::string gz = gzip_compress(body, 6);
    if (!gz.empty() && gz.size() < body.size()) rep.gzip = std::make_shared<const std::string>(std::move(gz));
    std::string br = brotli_compress(body, 5);
    if (!br.empty() && br.size() < body.size()) rep.brotli = std::make_shared<const std::string>(std::move(br));
  }
  rep.identity = std::make_shared<const std::string>(std::move(body));
  rep.content_type = std::move(content_type);
  rep.cache_control = std::move(cache_control);
  return rep;
}

Response respond_with(const Representation& rep, const Request& req) {
  Response r;
  r.content_type = rep.content_type;
  r.headers.emplace_back("ETag", rep.etag);
  r.headers.emplace_back("Cache-Control", rep.cache_control);
  r.headers.emplace_back("Vary", "Accept-Encoding");
  if (etag_matches(req.if_none_match, rep.etag)) {
    r.status = 304;
    return r;
  }
  const double br = rep.brotli ? accept_q(req.accept_encoding, "br") : -1;
  const double gz = rep.gzip ? accept_q(req.accept_encoding, "gzip") : -1;
  if (br > 0 && br >= gz) {
    r.body = rep.brotli;
    r.headers.emplace_back("Content-Encoding", "br");
  } else if (gz > 0) {
    r.body = rep.gzip;
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else if (rep.identity) {
    r.body = rep.identity;
  } else if (rep.gzip) {
    r.pieces = inflated(rep.gzip, rep.identity_size);
  }
  return r;
}

Response on_demand(std::string body, const char* type, const Request& req) {
  Response r;
  r.content_type = type;
  r.headers.emplace_back("Cache-Control", "public, max-age=10");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  if (body.size() > 1024 && req.accept_encoding.find("gzip") != std::string::npos) {
    r.body = std::make_shared<const std::string>(gzip_compress(body, 1));
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.body = std::make_shared<const std::string>(std::move(body));
  }
  return r;
}

}  // namespace marquee
