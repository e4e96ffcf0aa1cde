// Festival settings (issue 14): validation, normalisation, flags over stored
// values, and the e-mail that the festival's name and contact sign.
#include <gtest/gtest.h>

#include "core/time_zone.hpp"
#include "adapters/mail/notice_composer.hpp"
#include "core/festival_settings.hpp"

using namespace marquee;

namespace {

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

bool zone_known(std::string_view z) { return is_known_zone(z); }

std::vector<std::string> fields_of(const std::vector<std::pair<std::string, std::string>>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.first);
  return out;
}

}  // namespace

TEST(FestivalSettings, LogoTypesAreSniffedFromTheBytesAndSvgIsRefused) {
  EXPECT_EQ(sniff_logo_type(kPng), "image/png");
  EXPECT_EQ(sniff_logo_type(std::string("\xff\xd8\xff\xe0", 4)), "image/jpeg");
  EXPECT_EQ(sniff_logo_type("GIF89a...."), "image/gif");
  EXPECT_EQ(sniff_logo_type("RIFF\x10\0\0\0WEBPVP8 "), std::nullopt) << "a short WebP header is read as written";
  EXPECT_EQ(sniff_logo_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(sniff_logo_type("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), std::nullopt);
  EXPECT_EQ(sniff_logo_type(""), std::nullopt);
}

TEST(FestivalSettings, TypedValuesAreCleanedBeforeTheyAreChecked) {
  FestivalSettings s;
  s.name = "  Harbour Lights \n";
  s.public_url = " https://programme.example.org// ";
  s.contact_email = " Info@Example.ORG ";
  s.time_zone = " Europe/Lisbon";
  const FestivalSettings n = normalize_festival_settings(s);
  EXPECT_EQ(n.name, "Harbour Lights");
  EXPECT_EQ(n.public_url, "https://programme.example.org");
  EXPECT_EQ(n.contact_email, "info@example.org");
  EXPECT_EQ(n.time_zone, "Europe/Lisbon");
  EXPECT_TRUE(check_festival_settings(n, zone_known).empty());
  EXPECT_TRUE(check_festival_settings(FestivalSettings{}, zone_known).empty()) << "nothing set is valid";
}

TEST(FestivalSettings, EveryBadFieldIsNamed) {
  FestivalSettings s;
  s.name = "Two\nlines";
  s.time_zone = "Mars/Base";
  s.public_url = "javascript:alert(1)";
  s.contact_email = "nope";
  s.logo = FestivalLogo{"", "<svg/>"};
  EXPECT_EQ(fields_of(check_festival_settings(s, zone_known)),
            (std::vector<std::string>{"name", "time_zone", "public_url", "contact_email", "logo"}));
  s = FestivalSettings{};
  for (const char* url : {"ftp://example.org", "https://", "https://example.org/?q=1", "https://exa mple.org", "example.org"}) {
    s.public_url = url;
    EXPECT_EQ(fields_of(check_festival_settings(s, zone_known)), std::vector<std::string>{"public_url"}) << url;
  }
  s = FestivalSettings{};
  s.name = std::string(121, 'x');
  EXPECT_EQ(fields_of(check_festival_settings(s, zone_known)), std::vector<std::string>{"name"});
  s.name = std::string(120, 'x');
  EXPECT_TRUE(check_festival_settings(s, zone_known).empty());
  s.logo = FestivalLogo{"", kPng + std::string(kMaxLogoBytes, '\0')};
  EXPECT_EQ(fields_of(check_festival_settings(s, zone_known)), std::vector<std::string>{"logo"});
}

TEST(FestivalSettings, FlagsWinAndTheNameDefaults) {
  FestivalSettings stored;
  stored.name = "Stored";
  stored.contact_email = "info@example.org";
  FestivalSettings flags;
  flags.name = "Flag";
  EXPECT_EQ(effective_festival_settings(stored, flags).name, "Flag");
  EXPECT_EQ(effective_festival_settings(stored, flags).contact_email, "info@example.org");
  EXPECT_EQ(effective_festival_settings(stored, {}).name, "Stored");
  EXPECT_EQ(effective_festival_settings({}, {}).name, "Marquee");
}

TEST(FestivalSettings, ChangedFieldsAreListedInFormOrder) {
  FestivalSettings a, b;
  EXPECT_TRUE(changed_festival_fields(a, b).empty());
  b.logo = FestivalLogo{"image/png", kPng};
  b.name = "x";
  EXPECT_EQ(changed_festival_fields(a, b), (std::vector<std::string>{"name", "logo"}));
}

TEST(FestivalSettings, TheFestivalSignsTheMailAndTakesTheReplies) {
  ComposerOptions o;
  o.from_address = "noreply@example.org";
  o.identity = [] { return std::pair<std::string, std::string>{"Harbour Lights", "info@example.org"}; };
  TemplateNoticeComposer composer(o);
  Notice n;
  n.kind = NoticeKind::registration_confirmed;
  n.dedup_key = "confirmed.1";
  n.date = 1795000000;
  n.name = "Ann";
  n.email = "ann@example.org";
  n.event.key = "e1";
  n.event.title = "Harbour talk";
  n.event.time_zone = "Europe/Berlin";
  n.event.starts_at = 1795000000;
  n.event.ends_at = 1795003600;
  const MailMessage m = composer.compose(n);
  EXPECT_NE(m.message.find("From: Harbour Lights <noreply@example.org>"), std::string::npos) << m.message;
  EXPECT_NE(m.message.find("Reply-To: info@example.org"), std::string::npos) << m.message;
  EXPECT_EQ(composer.render(n).subject, "Registered: Harbour talk – Harbour Lights") << "the festival signs the subject";

  ComposerOptions plain;
  plain.from_address = "noreply@example.org";
  const MailMessage m2 = TemplateNoticeComposer(plain).compose(n);
  EXPECT_NE(m2.message.find("From: Marquee <noreply@example.org>"), std::string::npos);
  EXPECT_EQ(m2.message.find("Reply-To:"), std::string::npos);
  EXPECT_EQ(TemplateNoticeComposer(plain).render(n).subject, "Registered: Harbour talk") << "no \"– Marquee\" in subjects";
}
