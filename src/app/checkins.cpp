#include "app/checkins.hpp"

#include <algorithm>
#include <set>

#include "core/registration.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"

namespace marquee {

std::variant<CheckinList, FieldErrors> CheckinService::checked(const CheckinListInput& in) {
  FieldErrors errors;
  const std::string name = trim(in.name);
  if (name.empty() || name.size() > 200) errors.emplace_back("name", "must be 1 to 200 characters");
  std::set<std::string> keys;
  const auto all = events_.list_events();
  std::set<std::string> known;
  for (const auto& e : all) known.insert(e.key);
  for (const auto& k : in.events) {
    if (known.count(k)) keys.insert(k);
    else errors.emplace_back("events", "there is no event " + k);
  }
  for (const auto& e : all) {
    if (!in.venue.empty() && e.venue == in.venue) keys.insert(e.key);
    if (!in.day.empty() && to_local(e.starts_at, e.time_zone).date == in.day) keys.insert(e.key);
  }
  if (keys.empty() && errors.empty()) errors.emplace_back("events", "select at least one event (events, venue or day)");
  if (in.opens_at && in.closes_at && *in.closes_at <= *in.opens_at)
    errors.emplace_back("closes_at", "must be after opens_at");
  if (in.room_capacity && *in.room_capacity < 1) errors.emplace_back("room_capacity", "must be at least 1");
  if (in.alarm_percent < 1 || in.alarm_percent > 100) errors.emplace_back("alarm_percent", "must be 1 to 100");
  std::set<std::string> users;
  for (const auto& typed : in.door_users) {
    const std::string email = ascii_lower(trim(typed));
    if (email.empty()) continue;
    const auto user = accounts_.find_user_by_email(email);
    if (!user || user->disabled) errors.emplace_back("door_users", "there is no console user " + email);
    else if (!role_can(user->role, Capability::check_in, true))
      errors.emplace_back("door_users", email + " cannot check tickets in (role " + std::string(to_string(user->role)) + ")");
    else users.insert(email);
  }
  if (!errors.empty()) return errors;
  CheckinList list;
  list.name = name;
  list.event_keys = {keys.begin(), keys.end()};
  list.allow_reentry = in.allow_reentry;
  list.opens_at = in.opens_at;
  list.closes_at = in.closes_at;
  list.room_capacity = in.room_capacity;
  list.alarm_percent = in.alarm_percent;
  list.door_users = {users.begin(), users.end()};
  return list;
}

std::variant<std::int64_t, FieldErrors> CheckinService::create_list(const CheckinListInput& in, const std::string& actor) {
  auto list = checked(in);
  if (auto* e = std::get_if<FieldErrors>(&list)) return *e;
  return store_.add_checkin_list(std::get<CheckinList>(list), ChangeBy{actor, clock_.now(), ""});
}

std::variant<bool, FieldErrors> CheckinService::update_list(std::int64_t id, const CheckinListInput& in,
                                                            const std::string& actor) {
  auto list = checked(in);
  if (auto* e = std::get_if<FieldErrors>(&list)) return *e;
  std::get<CheckinList>(list).id = id;
  return store_.update_checkin_list(std::get<CheckinList>(list), ChangeBy{actor, clock_.now(), ""});
}

std::vector<CheckinList> CheckinService::lists_for(const std::string& email, std::optional<Role> role) {
  auto all = store_.list_checkin_lists();
  if (role != Role::door) return all;
  std::vector<CheckinList> mine;
  for (const auto& l : all)
    if (std::find(l.door_users.begin(), l.door_users.end(), email) != l.door_users.end()) mine.push_back(l);
  return mine.empty() ? all : mine;
}

bool CheckinService::may_use(std::int64_t id, const std::string& email, std::optional<Role> role) {
  if (role != Role::door) return true;  // owners, operations staff and staff tokens use every list
  for (const auto& l : lists_for(email, role))
    if (l.id == id) return true;
  return false;
}

std::variant<std::vector<ScanResult>, FieldErrors> CheckinService::scan(std::int64_t list_id,
                                                                        const std::vector<ScanInputText>& scans) {
  FieldErrors errors;
  if (scans.empty() || scans.size() > 500) errors.emplace_back("scans", "send 1 to 500 scans");
  const UnixSeconds now = clock_.now();
  std::vector<ScanRequest> requests;
  for (std::size_t i = 0; i < scans.size(); ++i) {
    const auto& s = scans[i];
    const std::string at = "scans[" + std::to_string(i) + "].";
    if (s.device.empty() || s.device.size() > 100) errors.emplace_back(at + "device", "must be 1 to 100 characters");
    if (s.scan_id.empty() || s.scan_id.size() > 100) errors.emplace_back(at + "scan_id", "must be 1 to 100 characters");
    std::string code;
    if (is_signed_ticket(s.code)) {
      // A QR code from a ticket: its code when the signature holds; a forged one matches no ticket.
      const auto claim = signer_ && s.code.size() <= 400 ? signer_->verify(s.code) : std::nullopt;
      if (s.code.size() <= 400) code = claim ? normalize_ticket_code(claim->code) : "FORGED:" + s.code.substr(5, 20);
    } else if (s.code.size() <= 200) {
      code = normalize_ticket_code(s.code);
    }
    if (code.empty()) errors.emplace_back(at + "code", "must be a ticket code (1 to 200 characters) or a signed ticket (up to 400)");
    const auto direction = s.direction.empty() ? std::optional<ScanDirection>(ScanDirection::entry)
                                               : parse_scan_direction(s.direction);
    if (!direction) errors.emplace_back(at + "direction", "must be entry or exit");
    if (!errors.empty()) continue;
    requests.push_back(ScanRequest{s.device, s.scan_id, code, *direction, s.at.value_or(now), s.decided_offline});
  }
  if (!errors.empty()) return errors;
  return batcher_.record(list_id, std::move(requests), now);
}

}  // namespace marquee
