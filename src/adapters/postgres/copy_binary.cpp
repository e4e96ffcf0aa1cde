#include "adapters/postgres/copy_binary.hpp"

#include <cstdint>
#include <limits>
#include <string_view>

namespace marquee {
namespace {

void append_be(std::string& out, std::uint64_t v, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// The ASCII whitespace PostgreSQL's integer and boolean input skip (isspace in the C locale).
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view without_spaces(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

enum class IntegerText { ok, syntax, range };

// Decimal text within [min, max] into `out`.
IntegerText integer(std::string_view text, std::int64_t min, std::int64_t max, std::int64_t& out) {
  std::string_view s = without_spaces(text);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return IntegerText::syntax;
  // Accumulated as a negative number: the most negative value has no
  // positive twin. (floor + d) / 10 truncates toward zero, which for these
  // negative numbers is the least v whose v * 10 - d stays >= floor.
  std::int64_t v = 0;
  const std::int64_t floor = negative ? min : -max;
  bool out_of_range = false;
  for (char c : s) {
    if (c < '0' || c > '9') return IntegerText::syntax;
    const int d = c - '0';
    if (out_of_range || v < (floor + d) / 10) {
      out_of_range = true;  // the rest must still be digits: "99999999999x" is a syntax error
      continue;
    }
    v = v * 10 - d;
  }
  if (out_of_range) return IntegerText::range;
  out = negative ? v : -v;
  return IntegerText::ok;
}

bool same_letters(std::string_view s, std::string_view word) {  // s a case-insensitive prefix of word
  if (s.size() > word.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (c != word[i]) return false;
  }
  return true;
}

// PostgreSQL's parse_bool_with_len (boolin).
std::optional<bool> boolean(std::string_view text) {
  const std::string_view s = without_spaces(text);
  if (s.empty()) return std::nullopt;
  switch (s.front()) {
    case 't': case 'T': if (same_letters(s, "true")) return true; break;
    case 'y': case 'Y': if (same_letters(s, "yes")) return true; break;
    case 'f': case 'F': if (same_letters(s, "false")) return false; break;
    case 'n': case 'N': if (same_letters(s, "no")) return false; break;
    case 'o': case 'O':
      if (s.size() >= 2 && same_letters(s, "on")) return true;
      if (s.size() >= 2 && same_letters(s, "off")) return false;
      break;
    case '1': if (s.size() == 1) return true; break;
    case '0': if (s.size() == 1) return false; break;
    default: break;
  }
  return std::nullopt;
}

const char* type_name(CopyBinaryType t) {
  switch (t) {
    case CopyBinaryType::int8: return "bigint";
    case CopyBinaryType::int4: return "integer";
    case CopyBinaryType::int2: return "smallint";
    case CopyBinaryType::boolean: return "boolean";
    case CopyBinaryType::text: break;
  }
  return "text";
}

}  // namespace

std::optional<CopyBinaryType> copy_binary_type(unsigned type_oid) {
  switch (type_oid) {
    case 25: case 1043: return CopyBinaryType::text;
    case 20: return CopyBinaryType::int8;
    case 23: return CopyBinaryType::int4;
    case 21: return CopyBinaryType::int2;
    case 16: return CopyBinaryType::boolean;
    default: return std::nullopt;
  }
}

void append_copy_binary_header(std::string& out) {
  out.append("PGCOPY\n\xff\r\n\0", 11);
  append_be(out, 0, 4);  // flags: no OIDs
  append_be(out, 0, 4);  // header extension: none
}

void append_copy_binary_trailer(std::string& out) { append_be(out, 0xffff, 2); }

void append_copy_binary_row(const Row& row, const std::vector<CopyBinaryType>& types, std::string& out) {
  if (row.size() != types.size())
    throw std::invalid_argument("COPY binary: a row of " + std::to_string(row.size()) + " values for " +
                                std::to_string(types.size()) + " columns");
  const std::size_t start = out.size();
  append_be(out, row.size(), 2);
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (!row[i]) {
      append_be(out, 0xffffffff, 4);
      continue;
    }
    const std::string& v = *row[i];
    std::int64_t n = 0;
    IntegerText read = IntegerText::syntax;
    int bytes = 0;
    switch (types[i]) {
      case CopyBinaryType::text:
        if (v.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
          out.resize(start);  // its length does not fit the format's 32 bits (the server takes at most 1 GB anyway)
          throw CopyValueError(i, "a text value of " + std::to_string(v.size()) + " bytes, over COPY's 2,147,483,647");
        }
        append_be(out, v.size(), 4);
        out += v;
        continue;
      case CopyBinaryType::int8:
        read = integer(v, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), n);
        bytes = 8;
        break;
      case CopyBinaryType::int4:
        read = integer(v, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max(), n);
        bytes = 4;
        break;
      case CopyBinaryType::int2:
        read = integer(v, std::numeric_limits<std::int16_t>::min(), std::numeric_limits<std::int16_t>::max(), n);
        bytes = 2;
        break;
      case CopyBinaryType::boolean:
        if (const auto b = boolean(v)) {
          append_be(out, 1, 4);
          out.push_back(*b ? 1 : 0);
          continue;
        }
        break;
    }
    if (read != IntegerText::ok) {
      out.resize(start);
      const std::string type = type_name(types[i]);
      throw CopyValueError(i, read == IntegerText::range ? "value \"" + v + "\" is out of range for type " + type
                                                         : "invalid input syntax for type " + type + ": \"" + v + "\"");
    }
    append_be(out, static_cast<std::uint64_t>(bytes), 4);
    append_be(out, static_cast<std::uint64_t>(n), bytes);
  }
}

}  // namespace marquee
