// Festival settings on SQLite and PostgreSQL (issue 14): a save writes the
// values and its audit entry in one transaction, another instance reads them
// on reload, the logo survives the round trip, refused input writes nothing.
#include <gtest/gtest.h>

#include "core/time_zone.hpp"
#include "app/festival_settings_service.hpp"
#include "support/store_fixture.hpp"

using namespace marquee;
using namespace marquee::testing;

namespace {

const ManualClock kClock(1795000000);
const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01", 20);

FestivalSettingsService service(Store& store, FestivalSettings flags = {}) {
  return FestivalSettingsService(store, kClock, std::move(flags), [](std::string_view z) { return is_known_zone(z); });
}

}  // namespace

template <typename B>
using FestivalSettingsStore = StoreTest<B>;
TYPED_TEST_SUITE(FestivalSettingsStore, Backends, BackendNames);

TYPED_TEST(FestivalSettingsStore, SavedSettingsReachEveryInstanceWithTheirAuditEntry) {
  auto a = service(*this->store_);
  EXPECT_EQ(a.effective()->name, "Marquee");
  int changes = 0;
  a.on_change([&] { ++changes; });
  FestivalSettings next;
  next.name = "Harbour Lights";
  next.time_zone = "Europe/Lisbon";
  next.contact_email = "Info@Example.org";
  next.logo = FestivalLogo{"", kPng};
  EXPECT_EQ(a.update(next, "owner@example.org"),
            (std::vector<std::string>{"name", "time_zone", "contact_email", "logo"}));
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(a.effective()->contact_email, "info@example.org");
  ASSERT_TRUE(a.effective()->logo);
  EXPECT_EQ(a.effective()->logo->content_type, "image/png");

  const auto audit = this->store_->list_audit(5);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit[0].action, "settings");
  EXPECT_EQ(audit[0].actor, "owner@example.org");
  EXPECT_EQ(audit[0].target, "name, time_zone, contact_email, logo");
  EXPECT_NE(audit[0].after.find("logo: image/png, 20 bytes"), std::string::npos) << audit[0].after;

  // Another instance (a second service on the same store) sees it all, the logo byte for byte.
  auto b = service(*this->store_, FestivalSettings{"Flag name", "", "", "", std::nullopt});
  EXPECT_EQ(b.stored()->name, "Harbour Lights");
  EXPECT_EQ(b.effective()->name, "Flag name") << "a flag wins";
  ASSERT_TRUE(b.stored()->logo);
  EXPECT_EQ(b.stored()->logo->bytes, kPng);

  // Saving the same values again writes nothing and tells nobody.
  EXPECT_TRUE(a.update(next, "owner@example.org").empty());
  EXPECT_EQ(changes, 1);
  EXPECT_EQ(this->store_->list_audit(5).size(), audit.size());

  // Clearing a field deletes it; reload() picks it up elsewhere.
  next.logo.reset();
  next.contact_email.clear();
  EXPECT_EQ(a.update(next, "owner@example.org"), (std::vector<std::string>{"contact_email", "logo"}));
  b.reload();
  EXPECT_FALSE(b.stored()->logo);
  EXPECT_EQ(b.stored()->contact_email, "");
  EXPECT_EQ(this->store_->settings_with_prefix("festival.").count("festival.logo"), 0u);
}

TYPED_TEST(FestivalSettingsStore, RefusedInputWritesNothing) {
  auto s = service(*this->store_);
  const auto before = this->store_->dump_tables();
  FestivalSettings bad;
  bad.name = "Fine";
  bad.public_url = "javascript:alert(1)";
  try {
    s.update(bad, "owner@example.org");
    FAIL() << "accepted a javascript: URL";
  } catch (const FestivalSettingsRejected& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].first, "public_url");
  }
  EXPECT_EQ(this->store_->dump_tables(), before);
  EXPECT_EQ(s.effective()->name, "Marquee");
}

TYPED_TEST(FestivalSettingsStore, APrefixIsNotAPattern) {
  this->store_->set_setting("festivalXname", "not ours");
  this->store_->set_setting("festival.name", "ours");
  const auto m = this->store_->settings_with_prefix("festival.");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m.at("festival.name"), "ours");
  EXPECT_TRUE(this->store_->settings_with_prefix("festival_").empty());
}
