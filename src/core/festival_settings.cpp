#include "core/festival_settings.hpp"

#include "core/registration.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

std::optional<std::string> sniff_logo_type(std::string_view b) {
  if (b.starts_with("\x89PNG\r\n\x1a\n")) return "image/png";
  if (b.size() >= 3 && b.starts_with("\xff\xd8\xff")) return "image/jpeg";
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) return "image/gif";
  if (b.size() >= 12 && b.starts_with("RIFF") && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

FestivalSettings normalize_festival_settings(FestivalSettings s) {
  s.name = trim(s.name);
  s.time_zone = trim(s.time_zone);
  s.public_url = trim(s.public_url);
  while (!s.public_url.empty() && s.public_url.back() == '/') s.public_url.pop_back();
  s.contact_email = trim(s.contact_email);
  if (auto e = normalize_email(s.contact_email)) s.contact_email = *e;
  return s;
}

std::vector<std::pair<std::string, std::string>> check_festival_settings(
    const FestivalSettings& s, const std::function<bool(std::string_view)>& zone_known) {
  std::vector<std::pair<std::string, std::string>> out;
  if (has_control(s.name)) out.emplace_back("name", "The name must be one line of text.");
  else if (utf8_length(s.name) > 120) out.emplace_back("name", "The name may have at most 120 characters.");
  if (!s.time_zone.empty() && !zone_known(s.time_zone))
    out.emplace_back("time_zone", "Unknown time zone \"" + s.time_zone + "\": choose one from the list (IANA names such as Europe/Berlin).");
  if (!s.public_url.empty()) {
    const std::string scheme = url_scheme(s.public_url);
    const auto host_start = s.public_url.find("://");
    if ((scheme != "https" && scheme != "http") || host_start == std::string::npos ||
        host_start + 3 >= s.public_url.size() || has_control(s.public_url) ||
        s.public_url.find_first_of(" \"<>?#", host_start) != std::string::npos)
      out.emplace_back("public_url",
                       "The public URL must be an absolute http:// or https:// address without a query, e.g. https://programme.example.org.");
  }
  if (!s.contact_email.empty() && (!normalize_email(s.contact_email) || s.contact_email.size() > 254))
    out.emplace_back("contact_email", "The contact address is not a valid e-mail address, e.g. info@example.org.");
  if (s.logo) {
    if (s.logo->bytes.size() > kMaxLogoBytes)
      out.emplace_back("logo", "The logo may be at most 256 KiB; this file is " + std::to_string(s.logo->bytes.size() / 1024) + " KiB.");
    else if (!sniff_logo_type(s.logo->bytes))
      out.emplace_back("logo", "The logo must be a PNG, JPEG, GIF or WebP image.");
  }
  return out;
}

FestivalSettings effective_festival_settings(FestivalSettings stored, const FestivalSettings& flags) {
  if (!flags.name.empty()) stored.name = flags.name;
  if (!flags.time_zone.empty()) stored.time_zone = flags.time_zone;
  if (!flags.public_url.empty()) stored.public_url = flags.public_url;
  if (!flags.contact_email.empty()) stored.contact_email = flags.contact_email;
  if (flags.logo) stored.logo = flags.logo;
  if (stored.name.empty()) stored.name = std::string(kDefaultFestivalName);
  return stored;
}

std::vector<std::string> changed_festival_fields(const FestivalSettings& before, const FestivalSettings& after) {
  std::vector<std::string> out;
  if (before.name != after.name) out.push_back("name");
  if (before.time_zone != after.time_zone) out.push_back("time_zone");
  if (before.public_url != after.public_url) out.push_back("public_url");
  if (before.contact_email != after.contact_email) out.push_back("contact_email");
  if (before.logo != after.logo) out.push_back("logo");
  return out;
}

}  // namespace marquee
