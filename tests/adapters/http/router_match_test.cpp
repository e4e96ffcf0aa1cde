// adapters/http/router: which route a path matches (patterns split once when
// added, issue 22), the path parameters it yields, 404 and 405 with Allow.
#include <gtest/gtest.h>

#include "adapters/http/router.hpp"

namespace marquee {
namespace {

Request request(const std::string& method, const std::string& path) {
  Request r;
  r.method = method;
  r.path = path;
  return r;
}

// Each handler answers with its name and the parameters it was given.
Handler named(const std::string& name) {
  return [name](const Request&, const PathParams& p) {
    std::string text = name;
    for (const auto& [k, v] : p) text += " " + k + "=" + v;
    Response r;
    r.body = std::make_shared<const std::string>(text);
    return r;
  };
}

class RouterMatch : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add({"GET", "/", Access::public_access, named("home")});
    router.add({"GET", "/events/{key}.ics", Access::public_access, named("ics")});
    router.add({"GET", "/events/{key}", Access::public_access, named("page")});
    router.add({"GET", "/events/{key}/register", Access::public_access, named("form")});
    router.add({"POST", "/events/{key}/register", Access::public_access, named("submit")});
    router.add({"DELETE", "/events/{key}/register", Access::public_access, named("cancel")});
    router.add({"GET", "/api/v1/events", Access::public_access, named("list")});
  }
  std::string answer(const std::string& method, const std::string& path) {
    const Response r = router.dispatch(request(method, path));
    return std::to_string(r.status) + " " + (r.status == 200 ? r.text() : "");
  }
  Router router;
};

TEST_F(RouterMatch, LiteralAndParameterSegments) {
  EXPECT_EQ(answer("GET", "/"), "200 home");
  EXPECT_EQ(answer("GET", "/api/v1/events"), "200 list");
  EXPECT_EQ(answer("GET", "/events/hl27-001"), "200 page key=hl27-001");
  EXPECT_EQ(answer("GET", "/events/hl27-001/register"), "200 form key=hl27-001");
  EXPECT_EQ(answer("POST", "/events/hl27-001/register"), "200 submit key=hl27-001");
  EXPECT_EQ(answer("HEAD", "/events/a"), "200 page key=a");  // HEAD is answered by GET routes
}

TEST_F(RouterMatch, ParameterWithSuffixNeedsANameBeforeIt) {
  EXPECT_EQ(answer("GET", "/events/hl27-001.ics"), "200 ics key=hl27-001");
  EXPECT_EQ(answer("GET", "/events/.ics"), "200 page key=.ics");  // no name before the suffix: the plain page route
  EXPECT_EQ(answer("GET", "/events/a.ics.ics"), "200 ics key=a.ics");
}

TEST_F(RouterMatch, UnknownPathsAndTrailingSlashesAre404) {
  EXPECT_EQ(answer("GET", "/events"), "404 ");
  EXPECT_EQ(answer("GET", "/events/a/b"), "404 ");
  EXPECT_EQ(answer("GET", "/events/a/"), "404 ");
  EXPECT_EQ(answer("GET", "/api/v1/events/"), "404 ");
  EXPECT_EQ(answer("GET", "/api/v1/event"), "404 ");
  EXPECT_EQ(answer("GET", "/api/v1/events/extra"), "404 ");
}

TEST_F(RouterMatch, EmptySegmentsAreDropped) {
  EXPECT_EQ(answer("GET", "//events//a"), "200 page key=a");
}

TEST_F(RouterMatch, KnownPathWithAnotherMethodIs405WithAllow) {
  const Response r = router.dispatch(request("PUT", "/events/a/register"));
  EXPECT_EQ(r.status, 405);
  std::string allow;
  for (const auto& [k, v] : r.headers)
    if (k == "Allow") allow = v;
  EXPECT_EQ(allow, "GET, POST, DELETE");
}

TEST_F(RouterMatch, RouteIndexNamesTheMatchedRoute) {
  std::size_t index = 99;
  router.dispatch(request("GET", "/events/a/register"), &index);
  EXPECT_EQ(index, 3u);
  router.dispatch(request("GET", "/nowhere"), &index);
  EXPECT_EQ(index, router.routes().size());
}

}  // namespace
}  // namespace marquee
