// adapters/http/router: which pool a request runs on (Router::lane), including
// a route that runs on the worker pool only while it would be slow
// (Route::blocking_when: a feed not rendered yet, issue 22).
#include <gtest/gtest.h>

#include <atomic>

#include "adapters/http/router.hpp"

namespace marquee {
namespace {

Request get(const std::string& path, const std::string& query_name = "") {
  Request r;
  r.method = "GET";
  r.path = path;
  if (!query_name.empty()) r.query.emplace(query_name, "x");
  return r;
}

TEST(RouterLane, BlockingWhenDecidesPerRequest) {
  std::atomic<bool> rendered{false};
  Router router;
  const Handler ok = [](const Request&, const PathParams&) { return Response{}; };
  router.add({"GET", "/plain", Access::public_access, ok});
  router.add({"GET", "/store", Access::public_access, ok, true});
  Route feed{"GET", "/feed", Access::public_access, ok};
  feed.blocking_when = [&](const Request& r) { return !rendered.load() || r.query.count("category") > 0; };
  router.add(feed);

  EXPECT_EQ(router.lane(get("/plain")), Lane::io);
  EXPECT_EQ(router.lane(get("/store")), Lane::store);
  EXPECT_EQ(router.lane(get("/feed")), Lane::store);  // not rendered yet
  rendered = true;
  EXPECT_EQ(router.lane(get("/feed")), Lane::io);
  EXPECT_EQ(router.lane(get("/feed", "category")), Lane::store);  // filtered: made per request
  EXPECT_EQ(router.lane(get("/nowhere")), Lane::io);
}

TEST(RouterLane, BulkWhenSendsALongAnswerToTheBulkPool) {
  Router router;
  const Handler ok = [](const Request&, const PathParams&) { return Response{}; };
  Route list{"GET", "/list", Access::public_access, ok};
  list.blocking_when = [](const Request& r) { return r.query.count("pending") > 0; };
  list.bulk_when = [](const Request& r) { return r.query.count("q") > 0 && r.query.count("limit") == 0; };
  router.add(list);
  EXPECT_EQ(router.lane(get("/list")), Lane::io);
  EXPECT_EQ(router.lane(get("/list", "pending")), Lane::store);
  EXPECT_EQ(router.lane(get("/list", "q")), Lane::bulk);
  Request limited = get("/list", "q");
  limited.query.emplace("limit", "10");
  EXPECT_EQ(router.lane(limited), Lane::io);
}

}  // namespace
}  // namespace marquee
