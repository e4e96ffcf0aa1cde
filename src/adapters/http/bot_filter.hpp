#pragma once
// Which requests analytics leaves out: bots, crawlers and headless browsers
// (by user agent: the npm isbot package's patterns, embedded at build time,
// plus a few headless markers) and prefetch/prerender requests (Sec-Purpose
// and Purpose headers, Fetch Metadata / Chromium speculation rules).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/http/http_types.hpp"

namespace marquee {

class BotFilter {
 public:
  /// Compiles the embedded patterns (PCRE2, case-insensitive, JIT when
  /// available). Throws std::runtime_error when they do not compile.
  BotFilter();
  ~BotFilter();
  BotFilter(const BotFilter&) = delete;
  BotFilter& operator=(const BotFilter&) = delete;

  /// True for a user agent of a bot, crawler, script or headless browser,
  /// and for an empty one. Answers are cached per thread and user agent (bounded).
  bool is_bot(std::string_view user_agent) const;
  /// True when the request is a prefetch or prerender: "Sec-Purpose:
  /// prefetch…" / "Purpose: prefetch" / "X-Purpose: preview" / "X-Moz: prefetch".
  static bool is_prefetch(const Request& req);
  /// True when the client asked not to be tracked: "DNT: 1" or "Sec-GPC: 1".
  static bool opted_out(const Request& req);

 private:
  struct Pattern;
  const std::uint64_t id_;  ///< names this filter in the per-thread caches
  std::unique_ptr<Pattern> pattern_;
};

}  // namespace marquee
