#include "cli/log_format.hpp"

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <boost/json/value.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "core/text.hpp"

namespace marquee {
namespace {

thread_local const std::string* current_request_id = nullptr;
bool json_format = false;

// Text as JSON may carry it: invalid UTF-8 (a client's path, say) becomes U+FFFD.
std::string valid_text(std::string_view s) {
  if (valid_utf8(s)) return std::string(s);
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n > 0 && i + n <= s.size() && valid_utf8(s.substr(i, n))) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// "2026-12-02T03:46:19.123Z"
std::string utc_time(spdlog::log_clock::time_point t) {
  const auto since = t.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since - seconds).count();
  const std::time_t tt = seconds.count();
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(millis));
  return buf;
}

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    boost::json::object line;
    line["time"] = utc_time(msg.time);
    const auto level = spdlog::level::to_string_view(msg.level);
    line["level"] = std::string_view(level.data(), level.size());
    line["msg"] = valid_text(std::string_view(msg.payload.data(), msg.payload.size()));
    line["pid"] = static_cast<std::int64_t>(pid_);
    if (current_request_id) line["request_id"] = *current_request_id;
    const std::string text = boost::json::serialize(line);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonLineFormatter>(); }

 private:
  pid_t pid_ = ::getpid();
};

}  // namespace

void set_log_format(std::string_view format) {
  if (format == "text") return;
  if (format != "json") throw std::invalid_argument("log format must be text or json, not " + std::string(format));
  spdlog::set_formatter(std::make_unique<JsonLineFormatter>());
  json_format = true;
}

void announce(const std::string& line) {
  if (json_format) {
    boost::json::object o;
    o["time"] = utc_time(spdlog::log_clock::now());
    o["level"] = "info";
    o["msg"] = valid_text(line);
    o["pid"] = static_cast<std::int64_t>(::getpid());
    std::printf("%s\n", boost::json::serialize(o).c_str());
  } else {
    std::printf("%s\n", line.c_str());
  }
  std::fflush(stdout);
}

LogRequestScope::LogRequestScope(const std::string& request_id) : previous_(current_request_id) {
  current_request_id = &request_id;
}

LogRequestScope::~LogRequestScope() { current_request_id = previous_; }

}  // namespace marquee
