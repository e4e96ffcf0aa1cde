#pragma once
// How `marquee serve` writes its log: the default text lines, or one JSON
// object a line (--log-format json) for journald, Loki or jq, with the id of
// the request the line was written for.
#include <string>
#include <string_view>

namespace marquee {

/// Sets the default spdlog logger's format: "text" (spdlog's default pattern)
/// or "json": one object a line,
/// {"time":"2026-12-02T03:46:19.123Z","level":"info","msg":"…","pid":123,
///  "request_id":"1a2b3c4d-42"} (request_id only on lines written while a
/// request is handled on this thread; time in UTC, RFC 3339). Throws
/// std::invalid_argument for any other name.
void set_log_format(std::string_view format);

/// Writes `line` (e.g. "marquee: listening on http://127.0.0.1:8080") to
/// standard output and flushes: as it is in the text format, as a JSON
/// object {"time","level":"info","msg","pid"} in the json format, so that a
/// journal of a json-format instance holds JSON lines only.
void announce(const std::string& line);

/// While alive, log lines written on this thread carry `request_id`
/// (the X-Request-Id the server assigned or accepted from a trusted proxy).
class LogRequestScope {
 public:
  explicit LogRequestScope(const std::string& request_id);
  ~LogRequestScope();
  LogRequestScope(const LogRequestScope&) = delete;
  LogRequestScope& operator=(const LogRequestScope&) = delete;

 private:
  const std::string* previous_;
};

}  // namespace marquee
