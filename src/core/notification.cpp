#include "core/notification.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/text.hpp"

namespace marquee {

const std::vector<std::string>& default_notify_fields() {
  static const std::vector<std::string> f{"starts_at", "ends_at", "time_zone", "all_day",
                                          "venue",     "room",    "address",   "status"};
  return f;
}

const std::vector<std::string>& notifiable_fields() {
  static const std::vector<std::string> f{"title",    "description", "starts_at", "ends_at",   "time_zone",
                                          "all_day",  "venue",       "address",   "room",      "category",
                                          "tags",     "organizer",   "url",       "image_url", "price",
                                          "capacity", "status",      "registration", "waitlist", "questions"};
  return f;
}

namespace {
UnixSeconds parse_seconds(std::string_view s, UnixSeconds fallback) {
  UnixSeconds v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return fallback;
  return v;
}
bool contains(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }
}  // namespace

NotifySettings parse_notify_settings(std::string_view fields, std::string_view quiet, std::string_view max_delay) {
  NotifySettings s;
  for (auto& f : split_list(fields, ','))
    if (contains(notifiable_fields(), f) && !contains(s.fields, f)) s.fields.push_back(f);
  s.quiet_seconds = parse_seconds(quiet, s.quiet_seconds);
  s.max_delay_seconds = parse_seconds(max_delay, s.max_delay_seconds);
  return s;
}

std::vector<std::string> notifying_events(const std::vector<EventChange>& changes, const std::vector<std::string>& fields) {
  std::vector<std::string> out;
  for (const auto& c : changes) {
    if (c.kind == ChangeKind::removed) out.push_back(c.event_key);
    else if (c.kind == ChangeKind::changed &&
             std::any_of(c.fields.begin(), c.fields.end(), [&](const std::string& f) { return contains(fields, f); }))
      out.push_back(c.event_key);
  }
  return out;
}

std::optional<NoticeKind> notice_kind(std::string_view k) {
  if (k == "registration_confirmed") return NoticeKind::registration_confirmed;
  if (k == "registration_waitlisted") return NoticeKind::registration_waitlisted;
  if (k == "registration_cancelled") return NoticeKind::registration_cancelled;
  if (k == "waitlist_promoted") return NoticeKind::waitlist_promoted;
  if (k == "registration_link") return NoticeKind::registration_link;
  if (k == "event_changed") return NoticeKind::event_changed;
  if (k == "alert_confirm") return NoticeKind::alert_confirm;
  if (k == "agenda_alert") return NoticeKind::agenda_alert;
  if (k == "reminder") return NoticeKind::reminder;
  if (k == "place_offered") return NoticeKind::place_offered;
  if (k == "offer_expired") return NoticeKind::offer_expired;
  if (k == "offer_withdrawn") return NoticeKind::offer_withdrawn;
  if (k == "transfer_sent") return NoticeKind::transfer_sent;
  if (k == "transfer_received") return NoticeKind::transfer_received;
  if (k == "attendee_message") return NoticeKind::attendee_message;
  if (k == "reconfirm_request") return NoticeKind::reconfirm_request;
  if (k == "reconfirm_released") return NoticeKind::reconfirm_released;
  return std::nullopt;
}

std::string_view to_string(NoticeKind k) {
  switch (k) {
    case NoticeKind::registration_confirmed: return "registration_confirmed";
    case NoticeKind::registration_waitlisted: return "registration_waitlisted";
    case NoticeKind::registration_cancelled: return "registration_cancelled";
    case NoticeKind::waitlist_promoted: return "waitlist_promoted";
    case NoticeKind::registration_link: return "registration_link";
    case NoticeKind::event_changed: return "event_changed";
    case NoticeKind::event_cancelled: return "event_cancelled";
    case NoticeKind::event_removed: return "event_removed";
    case NoticeKind::alert_confirm: return "alert_confirm";
    case NoticeKind::agenda_alert: return "agenda_alert";
    case NoticeKind::reminder: return "reminder";
    case NoticeKind::place_offered: return "place_offered";
    case NoticeKind::offer_expired: return "offer_expired";
    case NoticeKind::offer_withdrawn: return "offer_withdrawn";
    case NoticeKind::transfer_sent: return "transfer_sent";
    case NoticeKind::transfer_received: return "transfer_received";
    case NoticeKind::attendee_message: return "attendee_message";
    case NoticeKind::reconfirm_request: return "reconfirm_request";
    case NoticeKind::reconfirm_released: return "reconfirm_released";
  }
  return "event_changed";
}

bool is_essential(NoticeKind k) { return k != NoticeKind::reminder && k != NoticeKind::attendee_message; }

ChangeNotice make_change_notice(const std::optional<Event>& before, const std::optional<Event>& after,
                                const std::vector<std::string>& fields) {
  ChangeNotice n;
  if (!after) {
    n.kind = NoticeKind::event_removed;
    return n;
  }
  if (after->status == EventStatus::cancelled && (!before || before->status != EventStatus::cancelled)) {
    n.kind = NoticeKind::event_cancelled;
    return n;
  }
  if (!before) return n;
  std::vector<std::string> changed;
  for (const auto& c : diff_programmes({*before}, {*after}))
    for (const auto& f : c.fields)
      if (contains(fields, f)) changed.push_back(f);
  for (const auto& f : changed) n.changes.push_back({f, change_value(*before, f), change_value(*after, f)});
  return n;
}

UnixSeconds retry_delay(int attempt, UnixSeconds base, UnixSeconds cap, double unit) {
  double d = static_cast<double>(std::max<UnixSeconds>(base, 1));
  for (int i = 1; i < attempt && d < static_cast<double>(cap); ++i) d *= 2;
  d = std::min(d, static_cast<double>(std::max(cap, base)));
  const double factor = 0.5 + 0.5 * std::clamp(unit, 0.0, 1.0);
  return std::max<UnixSeconds>(1, static_cast<UnixSeconds>(std::llround(d * factor)));
}

bool is_permanent_smtp_failure(int code) { return code >= 500 && code <= 599; }

}  // namespace marquee
