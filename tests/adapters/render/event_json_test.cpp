// adapters/render/event_json: the event list's JSON made a piece at a time has
// the bytes of the whole document serialized at once (issue 22).
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <map>
#include <string>
#include <vector>

#include "adapters/render/event_json.hpp"
#include "support/event_builder.hpp"

namespace marquee {
namespace {

using testing::an_event;

std::vector<ProgrammeEntry> entries(int n) {
  std::vector<ProgrammeEntry> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    out[static_cast<std::size_t>(i)].event =
        an_event("ev-" + std::to_string(i)).title(i % 3 ? "Talk \"" + std::to_string(i) + "\" — Straße" : "Plain").tags({"a", "b"});
  return out;
}

QueryPage page_of(const std::vector<ProgrammeEntry>& e, std::optional<std::string> cursor = std::nullopt) {
  QueryPage p;
  for (const auto& x : e) p.items.push_back(&x);
  p.total = e.size() + (cursor ? 10 : 0);
  p.next_cursor = std::move(cursor);
  return p;
}

// The list as one document, serialized at once (what events_page_json made before it
// wrote pieces).
std::string whole_document(const QueryPage& page, std::int64_t generation, const std::map<std::string, PromotedMark>* promoted) {
  boost::json::array items;
  for (const auto* p : page.items) {
    boost::json::object item = event_json(*p);
    if (promoted) {
      auto it = promoted->find(p->event.key);
      if (it == promoted->end()) item["promoted"] = nullptr;
      else item["promoted"] = {{"slot", it->second.slot}, {"partner", it->second.partner}};
    }
    items.emplace_back(std::move(item));
  }
  boost::json::object o;
  o["events"] = std::move(items);
  o["total"] = page.total;
  if (page.next_cursor) o["next_cursor"] = *page.next_cursor;
  else o["next_cursor"] = nullptr;
  o["generation"] = generation;
  return boost::json::serialize(o);
}

TEST(EventsPageJson, PiecesOfAThousandEventsMakeTheWholeDocumentsBytes) {
  const auto e = entries(2500);
  const std::map<std::string, PromotedMark> promoted{{"ev-7", {"featured", "Café \"Nord\""}}, {"ev-2400", {"promoted", "P"}}};
  for (const auto* marks : {static_cast<const std::map<std::string, PromotedMark>*>(nullptr), &promoted}) {
    const QueryPage page = page_of(e);
    const std::string expected = whole_document(page, 42, marks);
    EXPECT_EQ(events_page_json(page, 42, marks), expected);
    auto pieces = events_page_json_pieces(page, 42, marks);
    std::string joined, piece;
    int calls = 0;
    for (;;) {
      piece.clear();
      if (!pieces(piece)) break;
      ++calls;
      joined += piece;
    }
    EXPECT_EQ(calls, 3) << "1,000 events a piece";
    EXPECT_EQ(joined, expected);
    std::string after;
    EXPECT_FALSE(pieces(after)) << "a source that has given everything stays done";
    EXPECT_TRUE(after.empty());
  }
}

TEST(EventsPageJson, AnEmptyPageAndACursor) {
  const std::vector<ProgrammeEntry> none;
  EXPECT_EQ(events_page_json(page_of(none), 7, nullptr), R"({"events":[],"total":0,"next_cursor":null,"generation":7})");
  const auto e = entries(3);
  const QueryPage page = page_of(e, "c\"1");
  EXPECT_EQ(events_page_json(page, 8, nullptr), whole_document(page, 8, nullptr));
  EXPECT_NE(events_page_json(page, 8, nullptr).find(R"("total":13,"next_cursor":"c\"1","generation":8})"), std::string::npos);
}

}  // namespace
}  // namespace marquee
