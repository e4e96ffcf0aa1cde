#include "adapters/web/representation.hpp"

#include <brotli/encode.h>
#include <sodium.h>
#include <zlib.h>

#include "core/text.hpp"

namespace marquee {

std::string gzip_compress(const std::string& data, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

namespace {

std::string brotli_compress(const std::string& data, int quality) {
  std::size_t size = BrotliEncoderMaxCompressedSize(data.size());
  if (size == 0) return {};
  std::string out(size, '\0');
  if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, data.size(),
                             reinterpret_cast<const uint8_t*>(data.data()), &size,
                             reinterpret_cast<uint8_t*>(out.data())))
    return {};
  out.resize(size);
  return out;
}


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

}  // namespace

std::string etag_of(const std::string& data) {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char b : h) {
    out.push_back(hex[b >> 4]);
    out.push_back(hex[b & 15]);
  }
  return out + "\"";
}

Representation make_representation(std::string body, std::string content_type, std::string cache_control) {
  Representation rep;
  rep.etag = etag_of(body);
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
  } else {
    r.body = rep.identity;
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
