#pragma once
// The festival's own settings, kept in the store and edited by an owner on
// the console's Settings page: the name shown on every page and signing every
// message, the default time zone of new events and host submissions, the
// public URL that links in feeds and e-mail start with, a contact address
// and a logo. Server flags (--site-name, --public-url, …) take precedence.
// No I/O.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marquee {

/// A logo image: `bytes` as uploaded, `content_type` sniffed from them.
struct FestivalLogo {
  std::string content_type;  ///< "image/png", "image/jpeg", "image/gif" or "image/webp"
  std::string bytes;
  friend bool operator==(const FestivalLogo&, const FestivalLogo&) = default;
};

/// Every field may be empty ("not set"): the effective value then comes from
/// a flag or a built-in default (name "Marquee", zone: the one most events use).
struct FestivalSettings {
  std::string name;           ///< 1..120 characters, one line
  std::string time_zone;      ///< IANA name, e.g. "Europe/Berlin"
  std::string public_url;     ///< absolute http(s) URL without a trailing '/', e.g. "https://programme.example.org"
  std::string contact_email;  ///< lower-cased e-mail address shown in the footer and as Reply-To
  std::optional<FestivalLogo> logo;
  friend bool operator==(const FestivalSettings&, const FestivalSettings&) = default;
};

/// The largest logo accepted, in bytes (256 KiB).
inline constexpr std::size_t kMaxLogoBytes = 256 * 1024;
/// The name used when neither the settings nor a flag give one.
inline constexpr std::string_view kDefaultFestivalName = "Marquee";

/// The image type of `bytes` from its signature (PNG, JPEG, GIF, WebP), or
/// nullopt. SVG is refused on purpose: it can carry scripts.
std::optional<std::string> sniff_logo_type(std::string_view bytes);

/// Cleans what a person typed: trims every text field, strips a trailing '/'
/// from the public URL, lower-cases the e-mail address. The logo is kept.
FestivalSettings normalize_festival_settings(FestivalSettings s);

/// Field errors as (field, message), in form order; empty when valid.
/// Fields: "name", "time_zone", "public_url", "contact_email", "logo".
/// `zone_known` tells whether an IANA zone name exists (the caller owns the
/// time zone database).
std::vector<std::pair<std::string, std::string>> check_festival_settings(
    const FestivalSettings& s, const std::function<bool(std::string_view)>& zone_known);

/// `stored` with every non-empty field of `flags` put over it (flags win),
/// and the name defaulting to kDefaultFestivalName.
FestivalSettings effective_festival_settings(FestivalSettings stored, const FestivalSettings& flags);

/// The fields that differ between `before` and `after`, by name, for the
/// audit entry ("logo" when the image changed).
std::vector<std::string> changed_festival_fields(const FestivalSettings& before, const FestivalSettings& after);

}  // namespace marquee
