#include "adapters/http/bot_filter.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "adapters/assets/embedded.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

constexpr std::size_t kCacheEntries = 4096;
constexpr std::size_t kLongestUserAgent = 1024;  // longer ones are looked at up to here
constexpr std::uint32_t kMatchLimit = 100000;     // PCRE2 match steps per user agent
// Headless and automation markers isbot's list may not carry.
constexpr const char* kExtraPatterns[] = {"headlesschrome", "puppeteer", "electron/", "jsdom", "httpclient", "okhttp"};

// isbot's patterns are JavaScript regular expressions. JavaScript reads a
// '-' right after a class escape inside [...] ("[\w\d-.]") as a literal
// '-', PCRE2 as an invalid range: escape such a '-'.
std::string pcre_from_javascript(std::string_view js) {
  std::string out;
  bool in_class = false;
  bool after_class_escape = false;
  for (std::size_t i = 0; i < js.size(); ++i) {
    const char c = js[i];
    if (c == '\\' && i + 1 < js.size()) {
      const char n = js[i + 1];
      out += c;
      out += n;
      ++i;
      after_class_escape = in_class && std::string_view("wdsWDS").find(n) != std::string_view::npos;
      continue;
    }
    if (in_class && c == '-' && after_class_escape) out += "\\-";
    else out += c;
    if (!in_class && c == '[') in_class = true;
    else if (in_class && c == ']') in_class = false;
    after_class_escape = false;
  }
  return out;
}

}  // namespace

struct BotFilter::Pattern {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  ~Pattern() {
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

namespace {
std::atomic<std::uint64_t> next_filter_id{1};
}  // namespace

BotFilter::BotFilter() : id_(next_filter_id.fetch_add(1)), pattern_(std::make_unique<Pattern>()) {
  std::string alternatives;
  const std::string_view list = embedded_asset("data/isbot-patterns.txt");
  for (std::size_t b = 0; b < list.size();) {
    auto e = list.find('\n', b);
    if (e == std::string_view::npos) e = list.size();
    // Lines are kept as written: some patterns start with a space (" daum[ /]").
    if (e > b) alternatives += (alternatives.empty() ? "" : "|") + std::string("(?:") + pcre_from_javascript(list.substr(b, e - b)) + ")";
    b = e + 1;
  }
  for (const char* extra : kExtraPatterns) alternatives += std::string("|(?:") + extra + ")";
  if (alternatives.empty()) throw std::runtime_error("bot filter: no user-agent patterns were embedded");
  int error = 0;
  PCRE2_SIZE offset = 0;
  pattern_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(alternatives.data()), alternatives.size(),
                                 PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &error, &offset, nullptr);
  if (!pattern_->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    throw std::runtime_error("bot filter: pattern does not compile at " + std::to_string(offset) + ": " +
                             reinterpret_cast<const char*>(message));
  }
  pcre2_jit_compile(pattern_->code, PCRE2_JIT_COMPLETE);  // without JIT the interpreter still matches
  pattern_->context = pcre2_match_context_create(nullptr);
  if (!pattern_->context) throw std::runtime_error("bot filter: out of memory");
  pcre2_set_match_limit(pattern_->context, kMatchLimit);
}

BotFilter::~BotFilter() = default;

bool BotFilter::is_bot(std::string_view user_agent) const {
  if (trim(user_agent).empty()) return true;
  const std::string_view ua = user_agent.substr(0, kLongestUserAgent);
  // Each thread keeps its own answers: no lock shared between request threads.
  thread_local std::uint64_t cache_owner = 0;
  thread_local std::unordered_map<std::string, bool> cache;
  if (cache_owner != id_) {
    cache.clear();
    cache_owner = id_;
  }
  if (auto it = cache.find(std::string(ua)); it != cache.end()) return it->second;
  // One match block per thread; a bounded match (a user agent that makes the
  // patterns backtrack past the limit, or any other failure) counts as a bot.
  thread_local std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(nullptr, pcre2_match_data_free);
  if (!data) data.reset(pcre2_match_data_create(1, nullptr));
  if (!data) return true;
  const int rc = pcre2_match(pattern_->code, reinterpret_cast<PCRE2_SPTR>(ua.data()), ua.size(), 0, 0, data.get(),
                             pattern_->context);
  const bool bot = rc != PCRE2_ERROR_NOMATCH;
  if (cache.size() >= kCacheEntries) cache.clear();
  cache.emplace(ua, bot);
  return bot;
}

bool BotFilter::is_prefetch(const Request& req) {
  const std::string sec = ascii_lower(req.header("sec-purpose"));
  const std::string purpose = ascii_lower(req.header("purpose"));
  const std::string x_purpose = ascii_lower(req.header("x-purpose"));
  const std::string moz = ascii_lower(req.header("x-moz"));
  return sec.find("prefetch") != std::string::npos || sec.find("prerender") != std::string::npos ||
         purpose.find("prefetch") != std::string::npos || purpose.find("prerender") != std::string::npos ||
         x_purpose.find("preview") != std::string::npos || moz.find("prefetch") != std::string::npos;
}

bool BotFilter::opted_out(const Request& req) {
  return trim(req.header("dnt")) == "1" || trim(req.header("sec-gpc")) == "1";
}

}  // namespace marquee
