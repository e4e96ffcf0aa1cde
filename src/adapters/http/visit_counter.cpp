#include "adapters/http/visit_counter.hpp"

#include "core/search_term.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {
constexpr std::size_t kFilterValueBytes = 60;
}  // namespace

void VisitCounter::count(const Request& req, Signal s) const {
  if (!recorder_) return;
  // A listing with only a page size (?limit=) is no search.
  if (s.kind == SignalKind::search && s.search_term.empty() && s.search_filters.empty()) return;
  if (s.kind != SignalKind::registration) {
    if (req.method != "GET" || BotFilter::is_prefetch(req)) return;
  }
  const std::string user_agent = req.header("user-agent");
  if (s.kind != SignalKind::registration && bots_.is_bot(user_agent)) return;
  if (BotFilter::opted_out(req)) recorder_->record(s);  // counted, never told apart
  else recorder_->record(std::move(s), req.remote_address, user_agent);
}

void VisitCounter::count_unidentified(const Request& req, const std::vector<const Signal*>& clean) const {
  if (!recorder_ || clean.empty()) return;
  if (req.method != "GET" || BotFilter::is_prefetch(req) || bots_.is_bot(req.header("user-agent"))) return;
  recorder_->record_clean(clean);
}

Response count_if_served(const VisitCounter* counter, const Request& req, Response r, Signal s) {
  if (counter && ((r.status >= 200 && r.status < 300) || r.status == 304)) counter->count(req, std::move(s));
  return r;
}

Signal VisitCounter::search_signal(const Request& req, std::int64_t results) {
  Signal s;
  s.kind = SignalKind::search;
  s.search_term = normalize_search_term(req.param("q"));
  for (const char* name : {"category", "venue", "tag", "from", "to"}) {
    std::string value = trim(req.param(name));
    if (value.empty()) continue;
    value = utf8_prefix(value, kFilterValueBytes);
    s.search_filters += (s.search_filters.empty() ? "" : ";") + std::string(name) + "=" + value;
  }
  s.results = results;
  return s;
}

}  // namespace marquee
