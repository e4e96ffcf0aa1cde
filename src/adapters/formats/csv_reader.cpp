#include "adapters/formats/csv_reader.hpp"

#include "core/spreadsheet_cell.hpp"

#include <csv.h>

#include <cstring>

namespace marquee {
namespace {

struct ParseState {
  const std::function<void(CsvRecord&&)>* sink = nullptr;
  std::int64_t line = 1;        // physical line being fed
  std::int64_t record_line = 0; // line where the current record started
  std::vector<std::string> fields;
};

void on_field(void* data, std::size_t len, void* user) {
  auto* st = static_cast<ParseState*>(user);
  if (st->fields.empty() && st->record_line == 0) st->record_line = st->line;
  st->fields.emplace_back(static_cast<const char*>(data), len);
}

void on_record(int, void* user) {
  auto* st = static_cast<ParseState*>(user);
  const std::size_t width = st->fields.size();
  (*st->sink)(CsvRecord{st->record_line ? st->record_line : st->line, std::move(st->fields)});
  st->fields.clear();
  st->fields.reserve(width);  // the next record's fields, likely as many, without regrowing (4 times for 12)
  st->record_line = 0;
}

}  // namespace

std::string read_csv_each(std::string_view bytes, char delimiter, const std::function<void(CsvRecord&&)>& sink) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) return "out of memory";
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  ParseState st;
  st.sink = &sink;
  // Feed one physical line at a time so that records know their line number.
  std::size_t pos = 0;
  std::size_t next_lf = 0;  // the first LF at or after `pos` (bytes.size() when none): found once, not per line
  bool lf_found = false;
  while (pos < bytes.size()) {
    // The line's end: the first LF, or a CR before it, each found by memchr
    // (vectorized; libstdc++'s find_first_of looks each byte up in the set
    // with memchr, 11 % of a 100,000-row import's parse, and a loop over the
    // bytes took 1-2 %). The LF found is kept while lines end in CR before
    // it: a file of CR-only lines is searched for an LF once, not once a line.
    if (!lf_found || next_lf < pos) {
      const auto* lf = static_cast<const char*>(std::memchr(bytes.data() + pos, '\n', bytes.size() - pos));
      next_lf = lf ? static_cast<std::size_t>(lf - bytes.data()) : bytes.size();
      lf_found = true;
    }
    std::size_t end = next_lf;
    if (const auto* cr = static_cast<const char*>(std::memchr(bytes.data() + pos, '\r', end - pos)))
      end = static_cast<std::size_t>(cr - bytes.data());
    if (end < bytes.size()) end += bytes[end] == '\r' && end + 1 < bytes.size() && bytes[end + 1] == '\n' ? 2 : 1;
    const std::size_t n = end - pos;
    if (csv_parse(&parser, bytes.data() + pos, n, on_field, on_record, &st) != n) {
      std::string error = "line " + std::to_string(st.line) +
                          ": malformed CSV: a quote inside an unquoted field, or text after a closing quote (" +
                          csv_strerror(csv_error(&parser)) + ")";
      csv_free(&parser);
      return error;
    }
    ++st.line;
    pos = end;
  }
  std::string error;
  if (csv_fini(&parser, on_field, on_record, &st) != 0)
    error = "line " + std::to_string(st.record_line ? st.record_line : st.line - 1) +
            ": unbalanced quote: the quoted field is not closed before the end of the file";
  csv_free(&parser);
  return error;
}

CsvTable read_csv(std::string_view bytes, char delimiter) {
  CsvTable table;
  bool header_done = false;
  table.error = read_csv_each(bytes, delimiter, [&](CsvRecord&& r) {
    if (!header_done) {
      table.header = std::move(r.fields);
      header_done = true;
    } else {
      table.records.push_back(std::move(r));
    }
  });
  return table;
}

std::string csv_record(const std::vector<std::string>& fields) {
  std::string out;
  append_csv_record(out, fields);
  return out;
}

void append_csv_record(std::string& out, const std::vector<std::string>& fields) {
  // Each field is quoted into this thread's scratch buffer, then appended:
  // `out` is only ever copied into, never zero-filled ahead of csv_write.
  thread_local std::string quoted;
  std::string prefixed;  // only for a formula trigger's cell
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(',');
    std::string_view f = fields[i];
    if (spreadsheet_cell_prefixed(f)) {
      prefixed = spreadsheet_cell(f);
      f = prefixed;
    }
    // csv_write quotes the field and doubles its quotes: at most 2n + 2 bytes.
    if (quoted.size() < f.size() * 2 + 2) quoted.resize(f.size() * 2 + 2);
    out.append(quoted.data(), csv_write(quoted.data(), quoted.size(), f.data(), f.size()));
  }
  out += "\r\n";
  if (quoted.capacity() > 64 * 1024) std::string().swap(quoted);  // a long-lived thread keeps no huge field's room
}

}  // namespace marquee
