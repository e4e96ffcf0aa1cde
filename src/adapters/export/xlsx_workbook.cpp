#include "adapters/export/xlsx_workbook.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>

// libxlsxwriter (1.1.4, Debian 12) writes a workbook's times into
// docProps/core.xml with gmtime(3), and glibc's gmtime keeps its result in
// one struct tm for the whole process. Two workbooks closed at once (a
// pipeline build's two, two console exports) wrote it together: a data race
// (ThreadSanitizer reports it) that can put one workbook's time, or part of
// it, into the other's properties. This gmtime, the executable's own, comes
// first in the dynamic linker's lookup, so libxlsxwriter (and every other
// caller in the process) is given it: the same conversion, gmtime_r(3) into
// a struct tm of the calling thread's. POSIX leaves the result's storage to
// the implementation ("may be overwritten by a subsequent call to" the
// date and time functions). It lives here, in the one file that calls
// libxlsxwriter, so that every executable calling xlsx_workbook*() has it.
// Defining a C library name relies on ELF symbol interposition (the C++
// standard reserves the name); a fully static link against libc.a would
// find it defined twice and fail.
extern "C" __attribute__((visibility("default"))) std::tm* gmtime(const std::time_t* time) noexcept {
  thread_local std::tm result;
  return ::gmtime_r(time, &result);
}

namespace marquee {

/// The workbook's file, removed with the last XlsxFile that holds it.
struct XlsxFile::TemporaryFile {
  std::filesystem::path path;
  explicit TemporaryFile(std::filesystem::path p) : path(std::move(p)) {}
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

void XlsxFile::each_piece(const std::function<void(std::string_view piece)>& write) const {
  // One buffer of a piece, read into again and again: a 5 MB workbook is
  // about 20 reads, not a string of its size zeroed in new memory.
  auto cannot_read = [](int error) {
    return std::runtime_error(std::string("XLSX export failed: the workbook cannot be read: ") + std::strerror(error));
  };
  const int fd = ::open(file_->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw cannot_read(errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  const auto buffer = std::make_unique_for_overwrite<char[]>(kPiece);
  std::size_t have = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.get() + have, kPiece - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw cannot_read(errno);
    have += static_cast<std::size_t>(n);
    if (have == kPiece || (n == 0 && have > 0)) {
      write(std::string_view(buffer.get(), have));
      have = 0;
    }
    if (n == 0) return;
  }
}

std::string XlsxFile::bytes() const {
  std::string out;
  each_piece([&out](std::string_view piece) { out += piece; });
  return out;
}

std::string xlsx_workbook(const std::vector<XlsxSheet>& sheets, std::optional<std::time_t> created) {
  return xlsx_workbook_file(sheets, created).bytes();
}

XlsxFile xlsx_workbook_file(const std::vector<XlsxSheet>& sheets, std::optional<std::time_t> created) {
  // libxlsxwriter writes to a file; use a private temporary one, removed
  // with the last XlsxFile that holds it (or here, when the workbook fails).
  char path[] = "/tmp/marquee-xlsx-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for an XLSX workbook");
  close(fd);
  std::shared_ptr<const XlsxFile::TemporaryFile> file;
  try {
    file = std::make_shared<const XlsxFile::TemporaryFile>(path);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    throw;
  }
  // Constant-memory mode: each row goes to a temporary file once written
  // (rows are written in order), strings are stored inline rather than in a
  // shared-string table; a 50,000-row sheet no longer sits in memory twice.
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path, &options);
  if (!wb) throw std::runtime_error("libxlsxwriter could not create a workbook");
  lxw_doc_properties props{};
  if (created) {
    props.created = *created;
    workbook_set_properties(wb, &props);
  }
  // Each sheet's rows go to libxlsxwriter's temporary file (the worksheet's
  // optimize_tmpfile, public in worksheet.h) through stdio, whose buffer is
  // the file's block size: 4 KiB a system call. A buffer of ours, set before
  // the sheet's first row, takes 64 KiB a call (a pipeline build: 46,063
  // writes and 28,785 reads → 24,679 and 7,386; docs/performance.md,
  // "Workbooks").
  constexpr std::size_t kRowBuffer = 64 << 10;
  std::vector<std::unique_ptr<char[]>> row_buffers;
  // workbook_close closes the row files once it has copied them into the
  // package (a sheet without a cell keeps its file open, never written, its
  // buffer never touched). Where it fails before, libxlsxwriter leaves them
  // open (its own leak), rows still waiting in our buffers: those are left
  // to them too, never freed under a stream that stdio flushes at exit.
  auto close_workbook = [&] {
    const lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR)
      for (auto& buffer : row_buffers) static_cast<void>(buffer.release());
    return err;
  };
  try {
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (const auto& sheet : sheets) {
      lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
      if (!ws) throw std::runtime_error("XLSX: unusable sheet name \"" + sheet.name + "\"");
      if (ws->optimize_tmpfile) {
        row_buffers.emplace_back(std::make_unique_for_overwrite<char[]>(kRowBuffer));
        std::setvbuf(ws->optimize_tmpfile, row_buffers.back().get(), _IOFBF, kRowBuffer);
      }
      for (std::size_t c = 0; c < sheet.header.size(); ++c)
        worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
      auto write_row = [&](std::size_t r, const std::vector<std::string>& cells) {
        for (std::size_t c = 0; c < cells.size(); ++c) {
          const std::string& v = cells[c];
          if (v.empty()) continue;
          const auto row = static_cast<lxw_row_t>(r + 1);
          const auto col = static_cast<lxw_col_t>(c);
          if (sheet.numeric_columns.contains(c)) worksheet_write_number(ws, row, col, std::strtod(v.c_str(), nullptr), nullptr);
          else worksheet_write_string(ws, row, col, v.c_str(), nullptr);
        }
      };
      for (std::size_t r = 0; r < sheet.rows.size(); ++r) write_row(r, sheet.rows[r]);
      std::vector<std::string> made;
      for (std::size_t i = 0; i < sheet.more_rows; ++i) {
        sheet.make_row(i, made);
        write_row(sheet.rows.size() + i, made);
      }
      worksheet_freeze_panes(ws, 1, 0);
      worksheet_set_column(ws, 0, static_cast<lxw_col_t>(sheet.header.size() ? sheet.header.size() - 1 : 0), 18, nullptr);
    }
  } catch (...) {  // a bad sheet name, a row that could not be made: no workbook, no temporary file left
    close_workbook();
    throw;
  }
  const lxw_error err = close_workbook();
  if (err != LXW_NO_ERROR) throw std::runtime_error(std::string("XLSX export failed: ") + lxw_strerror(err));
  return XlsxFile(std::move(file));
}

std::string xlsx_sheet_name(const std::string& wanted, std::set<std::string>& taken) {
  std::string base;
  for (char c : wanted) base += std::string("[]:*?/\\").find(c) == std::string::npos ? c : '-';
  if (base.empty()) base = "Sheet";
  auto cut = [](std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    s.resize(max);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();  // continuation bytes
    if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80)) s.pop_back();             // a lead byte
    return s;
  };
  std::string name = cut(base, 31);
  for (int n = 2; taken.contains(name); ++n) {
    const std::string suffix = " (" + std::to_string(n) + ")";
    name = cut(base, 31 - suffix.size()) + suffix;
  }
  taken.insert(name);
  return name;
}

}  // namespace marquee
