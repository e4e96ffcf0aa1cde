// Issue 13, item 17: a store failure becomes a 503 whose detail says what
// happened (disk full, unreachable) and names the request for the log.
#include <gtest/gtest.h>

#include "adapters/http/router.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

Response call(StoreError::Cause cause) {
  Router router;
  router.add(Route{"POST", "/x", Access::public_access,
                   [cause](const Request&, const PathParams&) -> Response { throw StoreError("SQLite: database or disk is full", cause); },
                   true});
  Request req;
  req.method = "POST";
  req.path = "/x";
  req.id = "abcd1234-7";
  return router.dispatch(req);
}

TEST(RouterStoreFailure, DiskFullIsSaid) {
  const Response r = call(StoreError::Cause::disk_full);
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.text().find("disk is full"), std::string::npos) << r.text();
  EXPECT_NE(r.text().find("nothing was changed"), std::string::npos) << r.text();
  EXPECT_NE(r.text().find("abcd1234-7"), std::string::npos) << r.text();
}

TEST(RouterStoreFailure, UnreachableIsSaid) {
  const Response r = call(StoreError::Cause::unreachable);
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.text().find("not reachable"), std::string::npos) << r.text();
  EXPECT_EQ(r.text().find("disk"), std::string::npos) << r.text();
}

}  // namespace
}  // namespace marquee
