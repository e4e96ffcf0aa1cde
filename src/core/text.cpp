#include "core/text.hpp"

#include <utf8proc.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace marquee {
namespace {

// The first byte of every space is_space_at() knows.
bool may_begin_space(char ch) {
  const unsigned char c = static_cast<unsigned char>(ch);
  return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xC2;
}

bool is_space_at(std::string_view s, std::size_t i, std::size_t* len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    *len = 1;
    return true;
  }
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    *len = 2;  // U+00A0 NO-BREAK SPACE
    return true;
  }
  return false;
}

// Every option used here (STABLE, COMPOSE, DECOMPOSE, COMPAT, CASEFOLD,
// STRIPMARK, IGNORE) leaves ASCII text as it is, except that CASEFOLD lowers
// A-Z: ASCII-only text (most of an import) skips the Unicode tables.
bool all_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

std::string utf8proc_apply(std::string_view s, int options) {
  if (all_ascii(s)) return (options & UTF8PROC_CASEFOLD) ? ascii_lower(s) : std::string(s);
  utf8proc_uint8_t* out = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                              static_cast<utf8proc_ssize_t>(s.size()), &out,
                              static_cast<utf8proc_option_t>(options));
  if (n < 0) return std::string(s);
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> guard(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

template <typename F>
void for_each_codepoint(std::string_view s, F f) {
  std::size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp = 0;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                              static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) { cp = 0xFFFD; n = 1; }
    f(cp);
    i += static_cast<std::size_t>(n);
  }
}

void append_codepoint(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

}  // namespace

std::string_view trimmed(std::string_view s) {
  std::size_t b = 0, e = s.size(), len = 0;
  while (b < e && is_space_at(s, b, &len)) b += len;
  while (e > b) {
    if (e >= 1 && is_space_at(s, e - 1, &len) && len == 1) { --e; continue; }
    if (e >= 2 && is_space_at(s, e - 2, &len) && len == 2) { e -= 2; continue; }
    break;
  }
  return s.substr(b, e - b);
}

std::string trim(std::string_view s) { return std::string(trimmed(s)); }

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_collapsed_whitespace(out, s);
  return out;
}

namespace {

// True when collapsing would leave `s` as it is: no space but single ASCII
// spaces between other characters (most values: one pass, no copy by parts).
bool collapsed_already(std::string_view s) {
  if (s.empty()) return true;
  if (s.front() == ' ' || s.back() == ' ') return false;
  bool after_space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ') {
      if (after_space) return false;
      after_space = true;
      continue;
    }
    after_space = false;
    if ((c >= '\t' && c <= '\r') || (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0))
      return false;
  }
  return true;
}

}  // namespace

void append_collapsed_whitespace(std::string& out, std::string_view s) {
  if (collapsed_already(s)) {
    out.append(s);
    return;
  }
  const std::size_t start = out.size();
  bool in_space = false;
  std::size_t i = 0, len = 0;
  while (i < s.size()) {
    if (is_space_at(s, i, &len)) {
      in_space = true;
      i += len;
      continue;
    }
    if (in_space && out.size() > start) out.push_back(' ');
    in_space = false;
    // The bytes up to the next one that may begin a space, appended at once.
    std::size_t end = i + 1;
    while (end < s.size() && !may_begin_space(s[end])) ++end;
    out.append(s, i, end - i);
    i = end;
  }
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string nfc(std::string_view s) { return utf8proc_apply(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE); }

std::string search_fold(std::string_view s) {
  return utf8proc_apply(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                               UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
}

std::string title_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool start = true;
  for_each_codepoint(s, [&](utf8proc_int32_t cp) {
    const auto cat = utf8proc_category(cp);
    const bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    if (letter) {
      append_codepoint(out, start ? utf8proc_totitle(cp) : utf8proc_tolower(cp));
      start = false;
    } else {
      append_codepoint(out, cp);
      start = !(cat == UTF8PROC_CATEGORY_ND || cp == '\'' || cp == 0x2019);
    }
  });
  return out;
}

bool is_all_caps(std::string_view s) {
  int letters = 0;
  bool any_lower = false;
  for_each_codepoint(s, [&](utf8proc_int32_t cp) {
    const auto cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_LU) ++letters;
    if (cat == UTF8PROC_CATEGORY_LL) { ++letters; any_lower = true; }
  });
  return letters >= 4 && !any_lower;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // ASCII (every byte below 0x80) is valid UTF-8: eight bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    if (i >= s.size()) break;
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return false;
    i += static_cast<std::size_t>(n);
  }
  return true;
}

std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) append_codepoint(out, static_cast<unsigned char>(ch));
  return out;
}

bool has_http_scheme(std::string_view s) {
  const std::string l = ascii_lower(s.substr(0, 8));
  return l.starts_with("http://") || l.starts_with("https://");
}

std::string normalize_url(std::string_view in) {
  std::string s = trim(in);
  if (s.empty()) return s;
  auto colon = s.find("://");
  if (colon == std::string::npos) {
    if (s.starts_with("//")) return "https:" + s;
    // "www.example.org/path" or "example.org": a host without a scheme.
    const auto slash = s.find('/');
    const std::string host = s.substr(0, slash);
    if (host.find('.') != std::string::npos && host.find(' ') == std::string::npos &&
        host.find('@') == std::string::npos)
      s = "https://" + s;
    else
      return s;
    colon = s.find("://");
  }
  const auto host_begin = colon + 3;
  auto host_end = s.find_first_of("/?#", host_begin);
  if (host_end == std::string::npos) host_end = s.size();
  return ascii_lower(s.substr(0, colon)) + "://" + ascii_lower(s.substr(host_begin, host_end - host_begin)) +
         s.substr(host_end);
}

std::string slugify(std::string_view s, std::size_t max_len) {
  const std::string plain = utf8proc_apply(s, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                                  UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
  std::string out;
  bool dash = false;
  for (char ch : plain) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(static_cast<char>(c));
    } else {  // punctuation, space or a letter with no ASCII form separates words
      dash = true;
    }
    if (out.size() >= max_len) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // s[cut] continues a character
  return std::string(s.substr(0, cut));
}

std::string prefix_successor(std::string_view prefix) {
  std::string out(prefix);
  while (!out.empty()) {
    std::size_t start = out.size() - 1;  // the last character's first byte
    while (start > 0 && out.size() - start < 4 && (static_cast<unsigned char>(out[start]) & 0xC0) == 0x80) --start;
    utf8proc_int32_t cp = -1;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(out.data() + start),
                                    static_cast<utf8proc_ssize_t>(out.size() - start), &cp);
    if (n <= 0 || static_cast<std::size_t>(n) != out.size() - start) {  // not UTF-8 at the end: by bytes
      while (!out.empty() && static_cast<unsigned char>(out.back()) == 0xFF) out.pop_back();
      if (!out.empty()) out.back() = static_cast<char>(static_cast<unsigned char>(out.back()) + 1);
      return out;
    }
    out.resize(start);
    if (cp < 0x10FFFF) {
      append_codepoint(out, cp + 1 == 0xD800 ? 0xE000 : cp + 1);
      return out;
    }
  }
  return out;
}

std::vector<std::string> split_list(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= s.size()) {
    auto e = s.find(sep, b);
    if (e == std::string_view::npos) e = s.size();
    std::string part = trim(s.substr(b, e - b));
    if (!part.empty()) out.push_back(std::move(part));
    b = e + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out.append(sep);
    out.append(parts[i]);
  }
  return out;
}

std::string url_scheme(std::string_view s) {
  std::string scheme;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20 || c == 0x7f) continue;  // browsers drop these
    if (c == ':') {
      if (scheme.empty() || !std::isalpha(static_cast<unsigned char>(scheme[0]))) return {};
      // "www.example.org:8080/x" is a host and port, not a scheme: a dotted
      // name followed by digits up to the end, '/', '?' or '#'.
      if (scheme.find('.') != std::string::npos) {
        std::size_t j = i + 1;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        if (j > i + 1 && (j == s.size() || s[j] == '/' || s[j] == '?' || s[j] == '#')) return {};
      }
      return scheme;
    }
    if (!(std::isalnum(c) || c == '+' || c == '-' || c == '.')) return {};
    scheme.push_back(static_cast<char>(std::tolower(c)));
  }
  return {};
}

std::string normalize_newlines(std::string_view s) {
  const std::size_t first = s.find('\r');
  if (first == std::string_view::npos) return std::string(s);  // the common case: one copy
  std::string out;
  out.reserve(s.size());
  out.append(s.substr(0, first));
  for (std::size_t i = first; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string count_of(std::int64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace marquee
