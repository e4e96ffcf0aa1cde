#include "app/festival_settings_service.hpp"

#include <sodium.h>

#include <spdlog/spdlog.h>

#include "core/text.hpp"

namespace marquee {
namespace {

constexpr const char* kPrefix = "festival.";

std::string to_base64(const std::string& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::string> from_base64(const std::string& text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string value_of(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(kPrefix + key);
  return it == m.end() ? std::string() : it->second;
}

std::optional<std::string> text_or_delete(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// One line per changed text field and the logo's size: what the audit log shows.
std::string audit_text(const FestivalSettings& s, const std::vector<std::string>& fields) {
  std::vector<std::string> lines;
  for (const auto& f : fields) {
    if (f == "name") lines.push_back("name: " + s.name);
    else if (f == "time_zone") lines.push_back("time zone: " + s.time_zone);
    else if (f == "public_url") lines.push_back("public URL: " + s.public_url);
    else if (f == "contact_email") lines.push_back("contact: " + s.contact_email);
    else if (f == "logo")
      lines.push_back(s.logo ? "logo: " + s.logo->content_type + ", " + std::to_string(s.logo->bytes.size()) + " bytes"
                             : "logo: none");
  }
  return join(lines, "\n");
}

}  // namespace

FestivalSettingsRejected::FestivalSettingsRejected(std::vector<std::pair<std::string, std::string>> problems)
    : std::runtime_error(problems.empty() ? "invalid settings" : problems.front().second), problems_(std::move(problems)) {}

FestivalSettings load_festival_settings(Store& store) {
  const auto m = store.settings_with_prefix(kPrefix);
  FestivalSettings s;
  s.name = value_of(m, "name");
  s.time_zone = value_of(m, "time_zone");
  s.public_url = value_of(m, "public_url");
  s.contact_email = value_of(m, "contact_email");
  const std::string logo = value_of(m, "logo");
  if (!logo.empty()) {
    auto bytes = from_base64(logo);
    auto type = bytes ? sniff_logo_type(*bytes) : std::nullopt;
    if (type) s.logo = FestivalLogo{*type, std::move(*bytes)};
    else spdlog::error("the stored festival logo cannot be read; it is not shown");
  }
  return s;
}

FestivalSettingsService::FestivalSettingsService(Store& store, const Clock& clock, FestivalSettings flags,
                                                 ZoneKnown zone_known)
    : store_(store), clock_(clock), flags_(normalize_festival_settings(std::move(flags))), zone_known_(std::move(zone_known)) {
  install(FestivalSettings{});
  try {
    install(load_festival_settings(store_));
  } catch (const std::exception& e) {
    spdlog::warn("festival settings cannot be read yet ({}); the flags and defaults apply", e.what());
  }
}

void FestivalSettingsService::install(FestivalSettings stored) {
  auto effective = std::make_shared<const FestivalSettings>(effective_festival_settings(stored, flags_));
  std::vector<std::function<void()>> listeners;
  {
    std::lock_guard lock(mutex_);
    const bool changed = !effective_ || !(*effective_ == *effective);
    stored_ = std::make_shared<const FestivalSettings>(std::move(stored));
    effective_ = std::move(effective);
    if (changed) listeners = listeners_;
  }
  for (const auto& l : listeners) l();
}

void FestivalSettingsService::reload() { install(load_festival_settings(store_)); }

std::shared_ptr<const FestivalSettings> FestivalSettingsService::stored() const {
  std::lock_guard lock(mutex_);
  return stored_;
}

std::shared_ptr<const FestivalSettings> FestivalSettingsService::effective() const {
  std::lock_guard lock(mutex_);
  return effective_;
}

void FestivalSettingsService::on_change(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
}

std::vector<std::string> FestivalSettingsService::update(const FestivalSettings& input, const std::string& actor) {
  FestivalSettings next = normalize_festival_settings(input);
  if (next.logo) next.logo->content_type = sniff_logo_type(next.logo->bytes).value_or("");
  auto problems = check_festival_settings(next, zone_known_);
  if (!problems.empty()) throw FestivalSettingsRejected(std::move(problems));
  const FestivalSettings before = load_festival_settings(store_);
  const auto fields = changed_festival_fields(before, next);
  if (fields.empty()) return fields;
  std::map<std::string, std::optional<std::string>> values;
  for (const auto& f : fields) {
    const std::string key = kPrefix + f;
    if (f == "name") values[key] = text_or_delete(next.name);
    else if (f == "time_zone") values[key] = text_or_delete(next.time_zone);
    else if (f == "public_url") values[key] = text_or_delete(next.public_url);
    else if (f == "contact_email") values[key] = text_or_delete(next.contact_email);
    else if (f == "logo") values[key] = next.logo ? std::optional<std::string>(to_base64(next.logo->bytes)) : std::nullopt;
  }
  store_.save_settings(values, AuditEntry{0, clock_.now(), actor, "settings", join(fields, ", "),
                                          audit_text(before, fields), audit_text(next, fields)});
  install(std::move(next));
  return fields;
}

}  // namespace marquee
