#include "adapters/store/changelog_lines.hpp"

#include "core/huge_pages.hpp"
#include "core/line_pieces.hpp"
#include "core/text.hpp"
#include "ports/store.hpp"

namespace marquee {

namespace {

void append_line(std::string& out, const EventChange& c) {
  out += c.event_key;
  out += '\t';
  out += to_string(c.kind);
  out += '\t';
  out += join(c.fields, ",");
  for (const auto& d : c.details) {
    for (const std::string_view v : {d.field, d.before, d.after}) {
      out += '\t';
      append_collapsed_whitespace(out, v);
    }
  }
  out += '\n';
}

}  // namespace

std::string encode_changelog_lines(const std::vector<EventChange>& changes) {
  std::size_t estimate = 0;  // the bytes of the values and a separator each
  for (const auto& c : changes) {
    estimate += c.event_key.size() + 16 + 12 * c.fields.size();
    for (const auto& d : c.details) estimate += d.field.size() + d.before.size() + d.after.size() + 3;
  }
  std::string out;
  reserve_huge_pages(out, estimate + estimate / 64);  // sized once: no copies of a growing string
  for (const auto& c : changes) append_line(out, c);
  return out;
}

void encode_changelog_lines(const std::vector<EventChange>& changes, std::size_t begin, std::size_t end,
                            std::size_t piece_bytes, const std::function<void(std::string_view)>& piece) {
  LinePieces pieces(piece_bytes, piece);
  for (std::size_t i = begin; i < end && i < changes.size(); ++i) {
    append_line(pieces.text(), changes[i]);
    pieces.line_done();
  }
  pieces.finish();
}

std::string encode_change_details(const FieldValuesList& details) {
  std::string out;
  for (const auto& d : details) {
    for (const std::string_view v : {d.field, d.before, d.after}) {
      append_collapsed_whitespace(out, v);
      out += '\t';
    }
    out.back() = '\n';
  }
  return out;
}

std::vector<EventChange> decode_changelog_lines(std::string_view text, std::size_t limit) {
  std::vector<EventChange> out;
  std::size_t pos = 0, line = 0;
  while (pos < text.size() && out.size() < limit) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    std::vector<std::string_view> parts;
    for (std::size_t at = 0;;) {
      const std::size_t tab = l.find('\t', at);
      parts.push_back(l.substr(at, tab == std::string_view::npos ? std::string_view::npos : tab - at));
      if (tab == std::string_view::npos) break;
      at = tab + 1;
    }
    const auto bad = [&](const std::string& what) {
      return StoreError("snapshot changelog, line " + std::to_string(line) + ": " + what);
    };
    if (parts.size() < 3) throw bad("no change kind");
    if ((parts.size() - 3) % 3 != 0) throw bad("details not in threes");
    EventChange c;
    c.event_key = std::string(parts[0]);
    if (parts[1] == "added") c.kind = ChangeKind::added;
    else if (parts[1] == "removed") c.kind = ChangeKind::removed;
    else if (parts[1] == "changed") c.kind = ChangeKind::changed;
    else throw bad("unknown change '" + std::string(parts[1]) + "'");
    c.fields = split_list(parts[2], ',');
    for (std::size_t i = 3; i < parts.size(); i += 3) c.details.push_back(parts[i], parts[i + 1], parts[i + 2]);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace marquee
