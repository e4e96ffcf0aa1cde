#include "core/pipeline/registrant.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <set>

#include <utf8proc.h>

#include "core/event_key.hpp"
#include "core/text.hpp"

namespace marquee::pipeline {
namespace {

constexpr std::array<std::string_view, 10> kKindNames = {"text", "name", "email", "phone", "yes_no",
                                                         "choice", "list", "datetime", "sessions", "status"};

/// U+3000 IDEOGRAPHIC SPACE (between name parts in Japanese exports) → ' '.
std::string ideographic_spaces_to_ascii(std::string_view s) {
  static constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s.substr(i, kIdeographicSpace.size()) == kIdeographicSpace) {
      out += ' ';
      i += kIdeographicSpace.size();
    } else {
      out += s[i++];
    }
  }
  return out;
}

/// True when `s` has letters and none of them is upper or title case.
bool all_lower(std::string_view s) {
  bool letters = false;
  for (std::size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return false;
    i += static_cast<std::size_t>(n);
    const auto category = utf8proc_category(cp);
    if (category == UTF8PROC_CATEGORY_LU || category == UTF8PROC_CATEGORY_LT) return false;
    letters = letters || category == UTF8PROC_CATEGORY_LL;
  }
  return letters;
}

/// Unicode case folding (NFC, marks kept: "Jürgen" → "jürgen").
std::string casefold(std::string_view s) {
  utf8proc_uint8_t* out = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
                              &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD));
  if (n < 0) return ascii_lower(s);
  std::string folded(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
  std::free(out);
  return folded;
}

}  // namespace

std::string_view to_string(FieldKind k) { return kKindNames[static_cast<std::size_t>(k)]; }

std::optional<FieldKind> parse_field_kind(std::string_view s) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == s) return static_cast<FieldKind>(i);
  return std::nullopt;
}

std::string fold_key(std::string_view s) { return search_fold(collapse_whitespace(s)); }

Normalized normalize_email(std::string_view raw) {
  Normalized n;
  n.value = casefold(trim(raw));
  if (n.value.empty()) return n;
  const auto at = n.value.find('@');
  if (at == std::string::npos || at == 0 || n.value.find('.', at) == std::string::npos ||
      n.value.find(' ') != std::string::npos)
    n.note = "not an e-mail address";
  return n;
}

Normalized normalize_phone(std::string_view raw, std::string_view default_country) {
  Normalized n;
  const std::string t = trim(raw);
  if (t.empty()) return n;
  std::string digits;
  for (char c : t)
    if (c >= '0' && c <= '9') digits += c;
  bool international = !t.empty() && t.front() == '+';
  if (!international && digits.starts_with("00")) {
    digits.erase(0, 2);
    international = true;
  } else if (!international && digits.starts_with("0") && !default_country.empty()) {
    digits = std::string(default_country) + digits.substr(1);
    international = true;
  }
  if (digits.size() < 6 || digits.size() > 15) {
    n.value = digits;
    n.note = "not a phone number (" + std::to_string(digits.size()) + " digits)";
    return n;
  }
  n.value = (international ? "+" : "") + digits;
  if (!international) n.note = "no country code";
  return n;
}

Normalized normalize_name(std::string_view raw) {
  Normalized n;
  std::string s = ideographic_spaces_to_ascii(raw);
  s = nfc(collapse_whitespace(s));
  if (is_all_caps(s) || all_lower(s)) s = title_case(s);
  n.value = s;
  return n;
}

Normalized normalize_yes_no(std::string_view raw, const ValueMap* extra) {
  static const std::set<std::string, std::less<>> yes = {"yes", "y", "true", "1", "x", "ja", "si", "sí", "sim", "oui"};
  static const std::set<std::string, std::less<>> no = {"no", "n", "false", "0", "nein", "não", "nao", "non"};
  Normalized n;
  const std::string k = fold_key(raw);
  if (k.empty()) return n;
  if (extra) {
    if (auto it = extra->entries.find(k); it != extra->entries.end()) {
      const std::string v = fold_key(it->second);
      if (v == "yes" || v == "no") return {v, ""};
    }
  }
  if (yes.contains(k)) return {"yes", ""};
  if (no.contains(k)) return {"no", ""};
  n.note = "not a yes/no answer: \"" + trim(raw) + "\"";
  return n;
}

Normalized map_choice(std::string_view raw, const ValueMap* map) {
  Normalized n;
  const std::string t = collapse_whitespace(raw);
  if (t.empty() || !map) {
    n.value = t;
    return n;
  }
  const std::string folded = fold_key(t);
  if (auto it = map->entries.find(folded); it != map->entries.end()) {
    n.value = it->second;
    return n;
  }
  for (const auto& [from, to] : map->entries)  // a value that is already canonical maps to itself
    if (fold_key(to) == folded) {
      n.value = to;
      return n;
    }
  if (map->fallback && fold_key(*map->fallback) == folded) {
    n.value = *map->fallback;
    return n;
  }
  if (map->fallback) {
    n.value = *map->fallback;
    n.note = "no value map entry for \"" + t + "\"; \"" + *map->fallback + "\" used";
  } else {
    n.value = t;
    n.note = "no value map entry for \"" + t + "\"; kept as written";
  }
  return n;
}

Normalized map_list(std::string_view raw, const ValueMap* map) {
  Normalized n;
  const std::string t = collapse_whitespace(raw);
  if (t.empty()) return n;
  std::set<std::string> items;
  std::vector<std::string> notes;
  if (map && map->entries.contains(fold_key(t))) {
    for (auto& v : list_items(map->entries.at(fold_key(t)))) items.insert(v);
  } else {
    std::string cell = t;
    std::replace(cell.begin(), cell.end(), ';', ',');
    for (const auto& part : split_list(cell, ',')) {
      Normalized one = map_choice(part, map);
      if (!one.note.empty()) notes.push_back(one.note);
      for (auto& v : list_items(one.value)) items.insert(v);
    }
  }
  n.value = join(std::vector<std::string>(items.begin(), items.end()), "; ");
  n.note = join(notes, "; ");
  return n;
}

Normalized normalize_status(std::string_view raw, const ValueMap* map) {
  Normalized m = map_choice(raw, map);
  const std::string v = fold_key(m.value);
  if (v.empty()) return {"active", ""};
  if (v == "active" || v == "cancelled" || v == "duplicate") return {v, ""};
  return {"active", "unknown status \"" + collapse_whitespace(raw) + "\"; counted as active"};
}

std::vector<std::string> list_items(std::string_view value) { return split_list(value, ';'); }

std::string registrant_key(std::string_view source, const std::vector<std::string>& id_parts) {
  std::string material(source);
  for (const auto& p : id_parts) {
    material += '\x1f';
    material += p;
  }
  return "r-" + sha256_hex(material).substr(0, 12);
}

const std::string& Registrant::value(std::string_view field) const {
  static const std::string empty;
  const std::string* v = values.find(field);
  return v ? *v : empty;
}

const std::string& Registrant::value(const RegistrantValues::Slot& slot) const {
  static const std::string empty;
  const std::string* v = values.find(slot);
  return v ? *v : empty;
}

bool in_key_order_of(const std::vector<Registrant>& registrants) {
  return std::is_sorted(registrants.begin(), registrants.end(),
                        [](const Registrant& a, const Registrant& b) { return a.key < b.key; });
}

}  // namespace marquee::pipeline
