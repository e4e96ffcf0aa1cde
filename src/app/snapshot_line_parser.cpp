#include "app/snapshot_line_parser.hpp"

#include <array>
#include <cstdint>

#include <boost/json/basic_parser_impl.hpp>

#include "core/question.hpp"

namespace marquee {
namespace {

using boost::json::error_code;
using JsonText = boost::json::string_view;

// The fields of a snapshot line, in the order encode_snapshot writes them.
enum class Field : std::uint8_t {
  key, title, description, starts_at, ends_at, time_zone, all_day, venue, address, room, category, tags,
  organizer, url, image_url, price, capacity, status, registration, waitlist, retention_days, questions,
  count, unknown = count
};
constexpr std::size_t kFields = static_cast<std::size_t>(Field::count);
constexpr std::array<std::string_view, kFields> kNames = {
    "key", "title", "description", "starts_at", "ends_at", "time_zone", "all_day", "venue",
    "address", "room", "category", "tags", "organizer", "url", "image_url", "price",
    "capacity", "status", "registration", "waitlist", "retention_days", "questions"};

enum class Kind : std::uint8_t { text, integer, optional_integer, boolean, text_list };

constexpr Kind kind_of(Field f) {
  switch (f) {
    case Field::starts_at:
    case Field::ends_at: return Kind::integer;
    case Field::capacity:
    case Field::retention_days: return Kind::optional_integer;
    case Field::all_day:
    case Field::registration:
    case Field::waitlist: return Kind::boolean;
    case Field::tags: return Kind::text_list;
    default: return Kind::text;
  }
}

constexpr const char* kind_name(Kind k) {
  switch (k) {
    case Kind::integer: return "an integer";
    case Kind::optional_integer: return "an integer or null";
    case Kind::boolean: return "true or false";
    case Kind::text_list: return "a list of strings";
    default: return "a string";
  }
}

// Handler of boost::json::basic_parser: writes one line's fields into `event`.
struct LineHandler {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  Event* event = nullptr;
  std::string problem;         // what is wrong, once something is
  int depth = 0;               // 1 inside the line's object
  Field field = Field::unknown;  // the field whose value comes next (depth 1)
  std::size_t expected = 0;    // the field the encoder writes next: looked at first
  std::uint32_t seen = 0;      // one bit per field given
  std::string key;             // a key given in parts
  std::string scratch;         // status and questions, before they are read
  std::string* target = nullptr;  // where the string being read goes (null: nowhere)
  bool in_string = false;      // a string's pieces are being read

  void start(Event& e) {
    e = Event{};
    event = &e;
    problem.clear();
    depth = 0;
    field = Field::unknown;
    expected = 0;
    seen = 0;
    key.clear();
    target = nullptr;
    in_string = false;
  }

  bool fail(error_code& ec, std::string what) {
    if (problem.empty()) problem = std::move(what);
    ec = boost::json::error::syntax;  // stops the parser; `problem` says why
    return false;
  }
  bool wrong_type(error_code& ec) {
    std::string what(1, '"');  // appended, not `"\"" + …`: GCC 12 warns (-Wrestrict) on that wrongly
    what.append(kNames[static_cast<std::size_t>(field)]).append("\" is not ").append(kind_name(kind_of(field)));
    return fail(ec, std::move(what));
  }
  bool skipped() const { return depth > 1 || field == Field::unknown; }
  void given() { seen |= 1u << static_cast<unsigned>(field); }

  Field lookup(std::string_view name) {
    if (expected < kFields && kNames[expected] == name) return static_cast<Field>(expected++);
    for (std::size_t i = 0; i < kFields; ++i)
      if (kNames[i] == name) {
        expected = i + 1;
        return static_cast<Field>(i);
      }
    return Field::unknown;
  }

  std::string* text_target() {
    Event& e = *event;
    switch (field) {
      case Field::key: return &e.key;
      case Field::title: return &e.title;
      case Field::description: return &e.description;
      case Field::time_zone: return &e.time_zone;
      case Field::venue: return &e.venue;
      case Field::address: return &e.address;
      case Field::room: return &e.room;
      case Field::category: return &e.category;
      case Field::organizer: return &e.organizer;
      case Field::url: return &e.url;
      case Field::image_url: return &e.image_url;
      case Field::price: return &e.price;
      default: return &scratch;  // status, questions
    }
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code& ec) {
    for (std::size_t i = 0; i < kFields; ++i)
      if (!(seen & (1u << i))) return fail(ec, "no field \"" + std::string(kNames[i]) + "\"");
    return true;
  }
  bool on_object_begin(error_code& ec) {
    if (depth == 1 && field != Field::unknown) return wrong_type(ec);
    if (depth == 2 && field == Field::tags) return fail(ec, "\"tags\" is not a list of strings");
    ++depth;
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    --depth;
    if (depth == 1) field = Field::unknown;  // an unknown field's object ends
    return true;
  }
  bool on_array_begin(error_code& ec) {
    if (depth == 0) return fail(ec, "the line is not an object");
    if (depth == 1 && field != Field::unknown) {
      if (kind_of(field) != Kind::text_list) return wrong_type(ec);
      event->tags.clear();
    } else if (depth == 2 && field == Field::tags) {
      return fail(ec, "\"tags\" is not a list of strings");
    }
    ++depth;
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth;
    if (depth == 1) {
      if (field == Field::tags) given();
      field = Field::unknown;
    }
    return true;
  }
  bool on_key_part(JsonText s, std::size_t, error_code&) {
    if (depth == 1) key.append(s.data(), s.size());
    return true;
  }
  bool on_key(JsonText s, std::size_t, error_code&) {
    if (depth != 1) return true;
    if (key.empty()) {
      field = lookup(std::string_view(s.data(), s.size()));
    } else {
      key.append(s.data(), s.size());
      field = lookup(key);
      key.clear();
    }
    return true;
  }
  // A scalar of the wrong kind for a known field, or any scalar as the whole line.
  bool scalar(error_code& ec, Kind k) {
    if (depth == 0) return fail(ec, "the line is not an object");
    if (depth == 2 && field == Field::tags && k != Kind::text) return fail(ec, "\"tags\" is not a list of strings");
    if (skipped()) return true;
    if (kind_of(field) != k && !(k == Kind::integer && kind_of(field) == Kind::optional_integer)) return wrong_type(ec);
    return true;
  }
  // A string's first piece: checks where it is and chooses where its text goes.
  bool begin_string(error_code& ec) {
    in_string = true;
    target = nullptr;
    if (!scalar(ec, Kind::text)) return false;
    if (depth == 2 && field == Field::tags) target = &event->tags.emplace_back();
    else if (!skipped()) (target = text_target())->clear();
    return true;
  }
  bool on_string_part(JsonText s, std::size_t, error_code& ec) {
    if (!in_string && !begin_string(ec)) return false;
    if (target) target->append(s.data(), s.size());
    return true;
  }
  bool on_string(JsonText s, std::size_t, error_code& ec) {
    if (!in_string && !begin_string(ec)) return false;
    in_string = false;
    if (target) target->append(s.data(), s.size());
    if (depth != 1 || field == Field::unknown) return true;  // a tag, or a field skipped
    return finish_text(ec);
  }
  bool finish_text(error_code& ec) {
    if (field == Field::status) {
      auto status = parse_event_status(scratch);
      if (!status) return fail(ec, "unknown status \"" + scratch + "\"");
      event->status = *status;
    } else if (field == Field::questions) {
      std::string why;
      auto questions = parse_questions(scratch, &why);
      if (!questions) return fail(ec, "\"questions\": " + why);
      event->questions = std::move(*questions);
    }
    given();
    field = Field::unknown;
    return true;
  }
  bool on_number_part(JsonText, error_code&) { return true; }
  bool on_int64(std::int64_t i, JsonText, error_code& ec) {
    if (!scalar(ec, Kind::integer)) return false;
    if (skipped()) return true;
    Event& e = *event;
    switch (field) {
      case Field::starts_at: e.starts_at = i; break;
      case Field::ends_at: e.ends_at = i; break;
      case Field::capacity: e.capacity = i; break;
      default: e.retention_days = i; break;
    }
    given();
    field = Field::unknown;
    return true;
  }
  bool on_uint64(std::uint64_t, JsonText, error_code& ec) { return not_integer(ec); }
  bool on_double(double, JsonText, error_code& ec) { return not_integer(ec); }
  bool not_integer(error_code& ec) {  // a number out of int64's range, or with a fraction or exponent
    if (depth == 0) return fail(ec, "the line is not an object");
    if (depth == 2 && field == Field::tags) return fail(ec, "\"tags\" is not a list of strings");
    if (skipped()) return true;
    return wrong_type(ec);
  }
  bool on_bool(bool b, error_code& ec) {
    if (!scalar(ec, Kind::boolean)) return false;
    if (skipped()) return true;
    Event& e = *event;
    if (field == Field::all_day) e.all_day = b;
    else if (field == Field::registration) e.registration = b;
    else e.waitlist = b;
    given();
    field = Field::unknown;
    return true;
  }
  bool on_null(error_code& ec) {
    if (depth == 0) return fail(ec, "the line is not an object");
    if (depth == 2 && field == Field::tags) return fail(ec, "\"tags\" is not a list of strings");
    if (skipped()) return true;
    if (kind_of(field) != Kind::optional_integer) return wrong_type(ec);
    if (field == Field::capacity) event->capacity.reset();
    else event->retention_days.reset();
    given();
    field = Field::unknown;
    return true;
  }
  bool on_comment_part(JsonText, error_code&) { return true; }
  bool on_comment(JsonText, error_code&) { return true; }
};

}  // namespace

struct SnapshotLineParser::Impl {
  boost::json::basic_parser<LineHandler> parser{boost::json::parse_options{}};
};

SnapshotLineParser::SnapshotLineParser() : impl_(std::make_unique<Impl>()) {}
SnapshotLineParser::~SnapshotLineParser() = default;

std::string SnapshotLineParser::parse(std::string_view line, Event& out) {
  auto& p = impl_->parser;
  p.reset();
  LineHandler& h = p.handler();
  h.start(out);
  error_code ec;
  const std::size_t used = p.write_some(false, line.data(), line.size(), ec);
  if (!h.problem.empty()) return h.problem;
  if (ec) return "not JSON: " + ec.message();
  if (line.substr(used).find_first_not_of(" \t\r\n") != std::string_view::npos) return "not JSON: text after the object";
  return "";
}

}  // namespace marquee
