#include <gtest/gtest.h>

#include "adapters/http/bot_filter.hpp"

using namespace marquee;

namespace {
Request with(std::vector<std::pair<std::string, std::string>> headers) {
  Request r;
  r.method = "GET";
  r.headers = std::move(headers);
  return r;
}
}  // namespace

TEST(BotFilter, KnowsBotsScriptsAndHeadlessBrowsers) {
  BotFilter f;
  for (const char* ua : {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                         "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "curl/8.4.0",
                         "python-requests/2.31.0", "Wget/1.21.3",
                         "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
                         "facebookexternalhit/1.1", "", "   "})
    EXPECT_TRUE(f.is_bot(ua)) << ua;
}

TEST(BotFilter, LetsBrowsersThrough) {
  BotFilter f;
  for (const char* ua : {"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
                         "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
                         "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
                         "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"}) {
    EXPECT_FALSE(f.is_bot(ua)) << ua;
    EXPECT_FALSE(f.is_bot(ua)) << ua << " (cached)";
  }
}

TEST(BotFilter, PrefetchAndPrerenderAreNotVisits) {
  EXPECT_TRUE(BotFilter::is_prefetch(with({{"sec-purpose", "prefetch"}})));
  EXPECT_TRUE(BotFilter::is_prefetch(with({{"sec-purpose", "prefetch;prerender"}})));
  EXPECT_TRUE(BotFilter::is_prefetch(with({{"purpose", "prefetch"}})));
  EXPECT_TRUE(BotFilter::is_prefetch(with({{"x-moz", "prefetch"}})));
  EXPECT_FALSE(BotFilter::is_prefetch(with({{"accept", "text/html"}})));
}

TEST(BotFilter, DoNotTrackAndGlobalPrivacyControlOptOut) {
  EXPECT_TRUE(BotFilter::opted_out(with({{"dnt", "1"}})));
  EXPECT_TRUE(BotFilter::opted_out(with({{"sec-gpc", "1"}})));
  EXPECT_FALSE(BotFilter::opted_out(with({{"dnt", "0"}})));
  EXPECT_FALSE(BotFilter::opted_out(with({})));
}
