#include "adapters/postgres/copy_text.hpp"

#include <cstring>

namespace marquee {
namespace {

int digit_value(char c, int base) {
  if (c >= '0' && c <= '7') return c - '0';
  if (base == 8) return -1;
  if (c >= '8' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of one column's raw text, its escapes decoded.
std::string unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c != '\\' || i + 1 == raw.size()) {
      out.push_back(c);
      continue;
    }
    const char e = raw[++i];
    switch (e) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case 'x':
        if (i + 1 < raw.size() && digit_value(raw[i + 1], 16) >= 0) {
          int v = digit_value(raw[++i], 16);
          if (i + 1 < raw.size() && digit_value(raw[i + 1], 16) >= 0) v = v * 16 + digit_value(raw[++i], 16);
          out.push_back(static_cast<char>(v));
        } else {
          out.push_back('x');
        }
        break;
      default:
        if (digit_value(e, 8) >= 0) {
          int v = digit_value(e, 8);
          for (int n = 1; n < 3 && i + 1 < raw.size() && digit_value(raw[i + 1], 8) >= 0; ++n)
            v = v * 8 + digit_value(raw[++i], 8);
          out.push_back(static_cast<char>(v & 0xFF));
        } else {
          out.push_back(e);
        }
    }
  }
  return out;
}

}  // namespace

void decode_copy_text_row(std::string_view line, Row& out) {
  out.clear();
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  std::size_t start = 0;
  while (true) {
    const char* tab = static_cast<const char*>(std::memchr(line.data() + start, '\t', line.size() - start));
    const std::size_t end = tab ? static_cast<std::size_t>(tab - line.data()) : line.size();
    const std::string_view raw = line.substr(start, end - start);
    if (raw == "\\N") out.emplace_back(std::nullopt);
    else if (raw.find('\\') == std::string_view::npos) out.emplace_back(std::in_place, raw);
    else out.emplace_back(unescape(raw));
    if (!tab) return;
    start = end + 1;
  }
}

void append_copy_text_row(const Row& row, std::string& out) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) out.push_back('\t');
    if (!row[i]) {
      out += "\\N";
      continue;
    }
    // The runs between the bytes to escape found by strcspn(3) (glibc's is
    // vectorized; a 100,000-event import sent 58 MB, and a loop over every
    // byte was 5.5% of its samples, the runs 2.2%: docs/performance.md). It
    // also stops at a NUL, which is passed on as it is: the server refuses it.
    const std::string& v = *row[i];
    const char* p = v.c_str();
    const char* const end = p + v.size();
    while (true) {
      const char* const q = p + std::strcspn(p, "\\\t\n\r");
      if (q >= end) {
        out.append(p, end);
        break;
      }
      out.append(p, q);
      switch (*q) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out.push_back(*q);  // a NUL inside the value
      }
      p = q + 1;
    }
  }
  out.push_back('\n');
}

}  // namespace marquee
