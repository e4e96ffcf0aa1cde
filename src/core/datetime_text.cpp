#include "core/datetime_text.hpp"

#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "core/text.hpp"

namespace marquee {
namespace {

// Digits to a number that never throws: a run of digits too long for any
// date, time or duration (outside input: "2027-06-111111111111…") becomes a
// value every later range check refuses.
long long to_long(const std::string& digits) {
  constexpr long long kTooBig = 1000000000;  // 10^9: no field of a date, time or duration reaches it
  long long v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') break;
    v = v * 10 + (c - '0');
    if (v >= kTooBig) return kTooBig;
  }
  return v;
}
int to_int(const std::string& digits) { return static_cast<int>(to_long(digits)); }


// Tokens: numbers, words, and single punctuation characters; spaces dropped.
struct Token {
  enum Kind { number, word, punct } kind;
  std::string text;
  int digits = 0;
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  out.reserve(16);  // a date and time is 5 to 14 tokens: one allocation, not five
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isspace(c)) { ++i; continue; }
    if (std::isdigit(c)) {
      std::size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Token::number, std::string(s.substr(i, j - i)), static_cast<int>(j - i)});
      i = j;
    } else if (std::isalpha(c)) {
      std::size_t j = i;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      out.push_back({Token::word, ascii_lower(s.substr(i, j - i)), 0});
      i = j;
    } else {
      out.push_back({Token::punct, std::string(1, static_cast<char>(c)), 0});
      ++i;
    }
  }
  return out;
}

int month_from_word(const std::string& w) {
  static const std::array<const char*, 12> names = {"january", "february", "march", "april", "may", "june",
                                                    "july", "august", "september", "october", "november", "december"};
  for (int m = 0; m < 12; ++m) {
    const std::string full = names[static_cast<std::size_t>(m)];
    if (w == full || (w.size() >= 3 && full.starts_with(w)) || (w == "sept" && m == 8)) return m + 1;
  }
  return 0;
}

bool is_weekday(const std::string& w) {
  static const std::array<const char*, 7> days = {"monday", "tuesday", "wednesday", "thursday",
                                                  "friday", "saturday", "sunday"};
  for (const char* d : days)
    if (w.size() >= 2 && std::string(d).starts_with(w)) return true;
  return false;
}

class Cursor {
 public:
  explicit Cursor(std::vector<Token> t) : t_(std::move(t)) {}
  bool done() const { return i_ >= t_.size(); }
  const Token* peek(std::size_t ahead = 0) const { return i_ + ahead < t_.size() ? &t_[i_ + ahead] : nullptr; }
  bool is_punct(const char* p, std::size_t ahead = 0) const {
    auto* t = peek(ahead);
    return t && t->kind == Token::punct && t->text == p;
  }
  bool is_word(std::size_t ahead = 0) const { auto* t = peek(ahead); return t && t->kind == Token::word; }
  bool is_number(std::size_t ahead = 0) const { auto* t = peek(ahead); return t && t->kind == Token::number; }
  const Token& take() { return t_[i_++]; }
  void skip_punct(const char* p) { if (is_punct(p)) ++i_; }
  std::size_t pos() const { return i_; }
  void reset(std::size_t p) { i_ = p; }

 private:
  std::vector<Token> t_;
  std::size_t i_ = 0;
};

// Time after a date or alone: H[:MM[:SS[.fff]]] [am|pm] | H am|pm | HHMMSS (iCalendar) | H.MM | Hh[MM]
bool parse_time(Cursor& c, TimeOfDay* out, bool allow_dot) {
  if (!c.is_number()) return false;
  const Token& h = c.take();
  int hour = to_int(h.text), minute = 0, second = 0;
  if (h.digits == 6 || h.digits == 4) {  // 190000 or 1900
    hour = to_int(h.text.substr(0, 2));
    minute = to_int(h.text.substr(2, 2));
    if (h.digits == 6) second = to_int(h.text.substr(4, 2));
  } else if (h.digits > 2) {
    return false;
  } else if ((c.is_punct(":") || (allow_dot && c.is_punct("."))) && c.is_number(1)) {
    c.take();
    const Token& m = c.take();
    if (m.digits != 2) return false;
    minute = to_int(m.text);
    if (c.is_punct(":") && c.is_number(1)) {
      c.take();
      const Token& s = c.take();
      if (s.digits != 2) return false;
      second = to_int(s.text);
      if (c.is_punct(".") && c.is_number(1)) { c.take(); c.take(); }  // fractions dropped
    }
  } else if (c.is_word() && c.peek()->text == "h") {
    c.take();
    if (c.is_number() && c.peek()->digits == 2) minute = to_int(c.take().text);
  } else if (!(c.is_word() && (c.peek()->text == "am" || c.peek()->text == "pm" || c.peek()->text == "a" ||
                              c.peek()->text == "p"))) {
    return false;  // a bare number is not a time
  }
  if (c.is_word()) {
    std::string w = c.peek()->text;
    bool dotted = false;
    if ((w == "a" || w == "p") && c.is_punct(".", 1) && c.is_word(2) && c.peek(2)->text == "m") dotted = true;
    if (w == "am" || w == "pm" || dotted) {
      const bool pm = w[0] == 'p';
      if (hour < 1 || hour > 12) return false;
      c.take();
      if (dotted) { c.take(); c.take(); c.skip_punct("."); }
      hour = (hour % 12) + (pm ? 12 : 0);
    }
  }
  if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute || second))) return false;
  *out = TimeOfDay{hour, minute, second};
  return true;
}

// Z | +HH:MM | +HHMM | -HH | UTC | GMT
bool parse_offset(Cursor& c, std::optional<int>* out) {
  if (c.is_word() && (c.peek()->text == "z" || c.peek()->text == "utc" || c.peek()->text == "gmt")) {
    c.take();
    *out = 0;
    if (!(c.is_punct("+") || c.is_punct("-"))) return true;  // "GMT+2" continues below
  }
  if ((c.is_punct("+") || c.is_punct("-")) && c.is_number(1)) {
    const int sign = c.take().text == "-" ? -1 : 1;
    const Token& hh = c.take();
    int h = 0, m = 0;
    if (hh.digits == 4) { h = to_int(hh.text.substr(0, 2)); m = to_int(hh.text.substr(2)); }
    else if (hh.digits <= 2) {
      h = to_int(hh.text);
      if (c.is_punct(":") && c.is_number(1)) { c.take(); m = to_int(c.take().text); }
    } else return false;
    if (h > 14 || m > 59) return false;
    *out = sign * (h * 60 + m);
    return true;
  }
  return false;
}

bool parse_date(Cursor& c, DateOrder order, DateTimeText* d) {
  if (c.is_word() && is_weekday(c.peek()->text) && !month_from_word(c.peek()->text)) {
    c.take();
    c.skip_punct(",");
  }
  if (c.is_number() && c.peek()->digits == 8) {  // 20260303 (iCalendar basic form)
    const std::string t = c.take().text;
    d->year = to_int(t.substr(0, 4)); d->month = to_int(t.substr(4, 2)); d->day = to_int(t.substr(6, 2));
    if (c.is_word() && c.peek()->text.starts_with("t")) {
      // "T190000" tokenizes as word "t" then number
      if (c.peek()->text != "t") return false;
      c.take();
    }
    return true;
  }
  if (c.is_number()) {
    const Token a = c.take();
    if (!(c.is_punct("-") || c.is_punct("/") || c.is_punct("."))) {
      // "3 March 2026" / "3. März" style: day then month word
      c.skip_punct(".");
      if (!c.is_word() || !month_from_word(c.peek()->text)) return false;
      d->day = to_int(a.text);
      d->month = month_from_word(c.take().text);
      c.skip_punct(".");
      c.skip_punct(",");
      if (!c.is_number() || c.peek()->digits != 4) return false;
      d->year = to_int(c.take().text);
      return true;
    }
    const std::string sep = c.take().text;
    if (!c.is_number()) return false;
    const Token b = c.take();
    if (!c.is_punct(sep.c_str()) || !c.is_number(1)) return false;
    c.take();
    const Token y = c.take();
    if (a.digits == 4) {  // yyyy-mm-dd, yyyy/mm/dd
      d->year = to_int(a.text); d->month = to_int(b.text); d->day = to_int(y.text);
    } else {
      int year = to_int(y.text);
      if (y.digits == 2) year += 2000;
      else if (y.digits != 4) return false;
      d->year = year;
      if (order == DateOrder::mdy) { d->month = to_int(a.text); d->day = to_int(b.text); }
      else { d->day = to_int(a.text); d->month = to_int(b.text); }
    }
    if (c.is_word() && c.peek()->text == "t") c.take();  // ISO 8601 'T'
    return true;
  }
  if (c.is_word() && month_from_word(c.peek()->text)) {  // "March 3, 2026" / "Mar 3rd 2026"
    d->month = month_from_word(c.take().text);
    c.skip_punct(".");
    if (!c.is_number()) return false;
    d->day = to_int(c.take().text);
    if (c.is_word() && (c.peek()->text == "st" || c.peek()->text == "nd" || c.peek()->text == "rd" ||
                        c.peek()->text == "th"))
      c.take();
    c.skip_punct(",");
    if (!c.is_number() || c.peek()->digits != 4) return false;
    d->year = to_int(c.take().text);
    return true;
  }
  return false;
}

}  // namespace

bool valid_date(int y, int m, int d) {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + ((m == 2 && leap) ? 1 : 0);
}

std::optional<DateTimeText> parse_datetime_text(std::string_view text, DateOrder order) {
  Cursor c(tokenize(text));
  if (c.done()) return std::nullopt;
  DateTimeText d;
  if (!parse_date(c, order, &d) || !valid_date(d.year, d.month, d.day)) return std::nullopt;
  c.skip_punct(",");
  if (c.is_word() && c.peek()->text == "at") c.take();
  if (!c.done() && c.is_number()) {
    TimeOfDay t;
    if (!parse_time(c, &t, true)) return std::nullopt;
    d.hour = t.hour; d.minute = t.minute; d.second = t.second;
    d.has_time = true;
    if (d.hour == 24) { d.hour = 23; d.minute = 59; d.second = 59; }
  }
  if (!c.done() && !parse_offset(c, &d.offset_minutes)) return std::nullopt;
  if (!c.done()) return std::nullopt;
  return d;
}

std::optional<TimeOfDay> parse_time_of_day(std::string_view text) {
  Cursor c(tokenize(text));
  TimeOfDay t;
  if (!parse_time(c, &t, true) || !c.done()) return std::nullopt;
  return t;
}

// A duration's number of units, and its total in days, must stay below this:
// nothing an event lasts comes near, and the sums cannot overflow.
constexpr long long kTooLong = 1000000000;

std::optional<long long> parse_duration_seconds(std::string_view text) {
  const std::string s = ascii_lower(trim(text));
  if (s.empty()) return std::nullopt;
  if (s[0] == 'p') {  // ISO 8601 duration: PnDTnHnMnS / PnW
    long long total = 0, n = 0;
    bool in_time = false, any = false, digits = false;
    for (std::size_t i = 1; i < s.size(); ++i) {
      const char ch = s[i];
      if (std::isdigit(static_cast<unsigned char>(ch))) {
        n = n * 10 + (ch - '0');
        if (n >= kTooLong) return std::nullopt;  // no overflow below, however many digits or parts
        digits = true;
        continue;
      }
      if (ch == 't') { in_time = true; continue; }
      if (!digits) return std::nullopt;
      if (ch == 'w') total += n * 7 * 86400;
      else if (ch == 'd') total += n * 86400;
      else if (ch == 'h' && in_time) total += n * 3600;
      else if (ch == 'm' && in_time) total += n * 60;
      else if (ch == 's' && in_time) total += n;
      else return std::nullopt;
      if (total >= kTooLong * 86400) return std::nullopt;
      n = 0; digits = false; any = true;
    }
    if (!any || digits) return std::nullopt;
    return total;
  }
  Cursor c(tokenize(s));
  if (!c.is_number()) return std::nullopt;
  const Token first = c.take();
  if (c.done()) return to_long(first.text) * 60;  // bare number: minutes
  if (c.is_punct(":")) {  // h:mm[:ss]
    c.take();
    if (!c.is_number()) return std::nullopt;
    const Token m = c.take();
    long long secs = 0;
    if (c.is_punct(":") && c.is_number(1)) { c.take(); secs = to_long(c.take().text); }
    if (!c.done() || m.digits != 2 || to_long(m.text) > 59 || secs > 59) return std::nullopt;
    return to_long(first.text) * 3600 + to_long(m.text) * 60 + secs;
  }
  long long total = 0;
  c.reset(0);
  while (!c.done()) {
    if (!c.is_number() || !c.is_word(1)) {
      // "1h30": trailing minutes without unit after hours
      if (c.is_number() && c.pos() > 0 && c.peek(1) == nullptr) { total += to_long(c.take().text) * 60; continue; }
      return std::nullopt;
    }
    const long long n = to_long(c.take().text);
    const std::string unit = c.take().text;
    if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") total += n * 3600;
    else if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes") total += n * 60;
    else if (unit == "d" || unit == "day" || unit == "days") total += n * 86400;
    else return std::nullopt;
    if (total >= kTooLong * 86400) return std::nullopt;
  }
  return total;
}

}  // namespace marquee
