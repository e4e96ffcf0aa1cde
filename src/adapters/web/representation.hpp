#pragma once
// A pre-rendered response body with its gzip and brotli forms and a strong
// ETag (RFC 9110 §8.8.3), built once per programme and shared by all requests.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "adapters/http/http_types.hpp"

namespace marquee {

struct Representation {
  /// `identity` is null for a representation made in pieces (make_representation_in_pieces):
  /// its bytes are then sent inflated from `gzip`, a piece at a time.
  std::shared_ptr<const std::string> identity, gzip, brotli;
  std::uint64_t identity_size = 0;  ///< bytes of the identity form (also when `identity` is null)
  std::string etag;           ///< quoted, e.g. "\"3f2a…\"", from the identity bytes
  std::string content_type;
  std::string cache_control;  ///< e.g. "public, max-age=60"
};

/// Gives the next piece of a body being made: appends it to `out` (emptied by
/// the caller) and returns true, or returns false when the body is complete.
using PieceSource = std::function<bool(std::string& out)>;

/// The strong ETag of `data`, quoted: BLAKE2b-128 of the bytes in hex (RFC 9110 §8.8.3).
std::string etag_of(const std::string& data);

/// Compresses `body` (gzip level 6 via zlib, brotli quality 5) unless it is
/// shorter than 256 bytes, and computes the ETag (BLAKE2b-128 of the bytes).
Representation make_representation(std::string body, std::string content_type, std::string cache_control);

/// The same representation as make_representation() of the concatenated
/// pieces (the same ETag; gzip and brotli forms that inflate to the same
/// bytes), made without ever holding those bytes whole: each piece goes
/// through BLAKE2b, zlib's deflate (level 6) and brotli's stream encoder
/// (quality 5) as it comes, and only the compressed forms are kept. For a body
/// of tens of MB (the full event list at 100,000 events, 62 MB, keeps 2.8 and
/// 1.8 MB). Throws std::runtime_error when a compressor fails, and whatever
/// `pieces` throws.
Representation make_representation_in_pieces(const PieceSource& pieces, std::string content_type,
                                             std::string cache_control);

/// Picks the best encoding `accept_encoding` allows (br > gzip > identity,
/// honouring q=0), answers 304 when `if_none_match` matches the ETag, and
/// sets ETag, Cache-Control, Vary and Content-Encoding. A representation made
/// in pieces sends its identity form as Response::pieces, inflated from its
/// gzip form 256 KiB at a time. Throws std::runtime_error when zlib cannot
/// start inflating.
Response respond_with(const Representation& rep, const Request& req);

/// gzip (RFC 1952) of `data` at zlib level `level`; "" when zlib fails. Used for
/// responses built on demand and for the representations made at once.
std::string gzip_compress(const std::string& data, int level);

/// A filtered or rare answer built per request: not cached by us,
/// "Cache-Control: public, max-age=10", gzip (level 1) when accepted and larger than 1 KiB.
Response on_demand(std::string body, const char* content_type, const Request& req);

/// One representation rendered on its first request and kept (for one
/// programme): concurrent first requests wait for a single rendering; a
/// rendering that throws is tried again by the next request.
class RenderOnce {
 public:
  /// Whether get() returns at once (rendered already).
  bool ready() const { return done_.load(std::memory_order_acquire); }

  template <typename Render>
  const Representation& get(Render render) const {
    if (done_.load(std::memory_order_acquire)) return rep_;
    std::lock_guard lock(mutex_);
    if (!done_.load(std::memory_order_relaxed)) {
      rep_ = render();
      done_.store(true, std::memory_order_release);
    }
    return rep_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::atomic<bool> done_{false};
  mutable Representation rep_;
};

/// Representations rendered on first request and kept for one programme.
struct LazyCache {
  mutable std::shared_mutex mutex;
  mutable std::unordered_map<std::string, Representation> map;
};

/// The cached representation for `key`, rendered by `render()` on first use.
template <typename Render>
Representation cached(const LazyCache& lazy, const std::string& key, Render render) {
  {
    std::shared_lock lock(lazy.mutex);
    auto it = lazy.map.find(key);
    if (it != lazy.map.end()) return it->second;
  }
  Representation rep = render();
  std::unique_lock lock(lazy.mutex);
  return lazy.map.emplace(key, std::move(rep)).first->second;
}

/// As cached(), keeping at most `limit` representations: when full, a new
/// key's representation is rendered and returned without being kept.
template <typename Render>
Representation cached_up_to(const LazyCache& lazy, const std::string& key, std::size_t limit, Render render) {
  {
    std::shared_lock lock(lazy.mutex);
    auto it = lazy.map.find(key);
    if (it != lazy.map.end()) return it->second;
  }
  Representation rep = render();
  std::unique_lock lock(lazy.mutex);
  if (lazy.map.size() >= limit) return rep;
  return lazy.map.emplace(key, std::move(rep)).first->second;
}

}  // namespace marquee
