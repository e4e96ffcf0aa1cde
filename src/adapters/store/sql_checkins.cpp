// Check-in list methods of SqlStore (migrations/<backend>/0011_checkin_lists.sql).
#include <algorithm>
#include <stdexcept>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"

namespace marquee {
namespace {

const std::string kListColumns =
    "id, name, allow_reentry, opens_at, closes_at, room_capacity, alarm_percent, created_at, updated_at";

std::int64_t number(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }
std::optional<std::string> maybe_text(const std::optional<std::int64_t>& v) {
  return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}
bool truth(const SqlConnection& db, const std::optional<std::string>& v) {
  return v && (*v == db.true_text() || *v == "1");
}

CheckinList list_from_row(const SqlConnection& db, const Row& r) {
  CheckinList l;
  l.id = number(r[0]);
  l.name = r[1].value_or("");
  l.allow_reentry = truth(db, r[2]);
  l.opens_at = opt_int(r[3]);
  l.closes_at = opt_int(r[4]);
  l.room_capacity = opt_int(r[5]);
  l.alarm_percent = static_cast<int>(number(r[6]));
  l.created_at = number(r[7]);
  l.updated_at = number(r[8]);
  return l;
}

std::vector<CheckinList> load_lists(SqlConnection& db, const std::string& where, const Row& params) {
  std::vector<CheckinList> out;
  for (const auto& r : db.query("SELECT " + kListColumns + " FROM checkin_lists " + where + " ORDER BY id", params))
    out.push_back(list_from_row(db, r));
  for (auto& l : out)
    for (const auto& r : db.query("SELECT event_key FROM checkin_list_events WHERE list_id = ? ORDER BY event_key",
                                  Row{std::to_string(l.id)}))
      l.event_keys.push_back(r[0].value_or(""));
  for (auto& l : out)
    for (const auto& r : db.query("SELECT u.email FROM checkin_list_users c JOIN users u ON u.id = c.user_id "
                                  "WHERE c.list_id = ? ORDER BY u.email",
                                  Row{std::to_string(l.id)}))
      l.door_users.push_back(r[0].value_or(""));
  return out;
}

std::vector<std::string> sorted_unique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Writes the list's events and door users (after deleting the old ones on an update).
void write_members(SqlConnection& db, const std::string& id, const CheckinList& l) {
  for (const auto& k : sorted_unique(l.event_keys))
    db.query("INSERT INTO checkin_list_events (list_id, event_key) VALUES (?, ?)", Row{id, k});
  for (const auto& email : sorted_unique(l.door_users)) {
    auto user = db.query("SELECT id FROM users WHERE email = ?", Row{email});
    if (user.empty()) throw std::invalid_argument("there is no console user " + email);
    db.query("INSERT INTO checkin_list_users (list_id, user_id) VALUES (?, ?)", Row{id, user[0][0]});
  }
}

std::string list_summary(const CheckinList& l) {
  return l.name + " (" + std::to_string(sorted_unique(l.event_keys).size()) + " events" + (l.allow_reentry ? ", re-entry" : "") +
         (l.door_users.empty() ? "" : ", " + std::to_string(l.door_users.size()) + " door users") + ")";
}

ScanOutcome outcome_from_text(const std::string& outcome) {
  return outcome == "admitted"    ? ScanOutcome::admitted
         : outcome == "exited"    ? ScanOutcome::exited
         : outcome == "duplicate" ? ScanOutcome::duplicate
                                  : ScanOutcome::refused;
}

ScanRefusal refusal_from_text(const std::string& refusal) {
  for (auto candidate : {ScanRefusal::unknown_code, ScanRefusal::other_event, ScanRefusal::cancelled, ScanRefusal::waitlisted,
                         ScanRefusal::already_inside, ScanRefusal::no_reentry, ScanRefusal::not_inside, ScanRefusal::list_closed})
    if (to_string(candidate) == refusal) return candidate;
  return ScanRefusal::none;
}

// The answer a recorded scan row gives (replays and fresh scans alike).
ScanResult result_from_scan_row(SqlConnection& db, const Row& r) {
  // r: device, scan_id, outcome, refusal, flagged, registration_id
  ScanResult s;
  s.device = r[0].value_or("");
  s.scan_id = r[1].value_or("");
  s.outcome = outcome_from_text(r[2].value_or("refused"));
  s.refusal = refusal_from_text(r[3].value_or(""));
  s.flagged = truth(db, r[4]);
  s.registration_id = opt_int(r[5]);
  return s;
}

Presence presence_of(SqlConnection& db, std::int64_t list_id, std::int64_t registration_id) {
  Presence p;
  auto rows = db.query("SELECT inside, entries, exits, entered_at, entered_device, exited_at FROM checkin_presence "
                       "WHERE list_id = ? AND registration_id = ?",
                       Row{std::to_string(list_id), std::to_string(registration_id)});
  if (rows.empty()) return p;
  const auto& r = rows[0];
  p.inside = truth(db, r[0]);
  p.entries = static_cast<int>(number(r[1]));
  p.exits = static_cast<int>(number(r[2]));
  p.entered_at = number(r[3]);
  p.entered_device = r[4].value_or("");
  p.exited_at = number(r[5]);
  return p;
}

}  // namespace

CheckinListRules CheckinList::rules() const {
  CheckinListRules r;
  r.event_keys = {event_keys.begin(), event_keys.end()};
  r.allow_reentry = allow_reentry;
  r.opens_at = opens_at;
  r.closes_at = closes_at;
  return r;
}

std::int64_t SqlStore::add_checkin_list(const CheckinList& l, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    const std::string at = std::to_string(by.at);
    const std::int64_t id = number(
        db->query("INSERT INTO checkin_lists (name, allow_reentry, opens_at, closes_at, room_capacity, alarm_percent, "
                  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                  Row{l.name, l.allow_reentry ? "1" : "0", maybe_text(l.opens_at), maybe_text(l.closes_at),
                      maybe_text(l.room_capacity), std::to_string(l.alarm_percent), at, at})
            .at(0)
            .at(0));
    write_members(*db, std::to_string(id), l);
    db->query("INSERT INTO checkin_occupancy (list_id) VALUES (?)", Row{std::to_string(id)});
    insert_audit(*db, AuditEntry{0, by.at, by.actor, "checkin_list_create", "checkin list " + std::to_string(id), "",
                                 list_summary(l)});
    return id;
  });
}

bool SqlStore::update_checkin_list(const CheckinList& l, const ChangeBy& by) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    const std::string id = std::to_string(l.id);
    auto before = load_lists(*db, "WHERE id = ?", Row{id});
    if (before.empty()) return false;
    db->query("UPDATE checkin_lists SET name = ?, allow_reentry = ?, opens_at = ?, closes_at = ?, room_capacity = ?, "
              "alarm_percent = ?, updated_at = ? WHERE id = ?",
              Row{l.name, l.allow_reentry ? "1" : "0", maybe_text(l.opens_at),
                  maybe_text(l.closes_at), maybe_text(l.room_capacity), std::to_string(l.alarm_percent),
                  std::to_string(by.at), id});
    db->query("DELETE FROM checkin_list_events WHERE list_id = ?", Row{id});
    db->query("DELETE FROM checkin_list_users WHERE list_id = ?", Row{id});
    write_members(*db, id, l);
    insert_audit(*db, AuditEntry{0, by.at, by.actor, "checkin_list_update", "checkin list " + id,
                                 list_summary(before.front()), list_summary(l)});
    return true;
  });
}

std::vector<ScanRecord> SqlStore::checkin_scans(std::int64_t list_id, bool flagged_only, std::size_t limit) {
  auto db = pool_.acquire();
  std::vector<ScanRecord> out;
  const auto rows = db->query(
      "SELECT s.id, s.device, s.scan_id, s.code, s.registration_id, r.name, r.event_key, s.direction, s.scanned_at, "
      "s.received_at, s.decided_offline, s.outcome, s.refusal, s.flagged FROM checkin_scans s "
      "LEFT JOIN registrations r ON r.id = s.registration_id WHERE s.list_id = ?" +
          std::string(flagged_only ? " AND s.flagged = ?" : "") + " ORDER BY s.id DESC LIMIT ?",
      flagged_only ? Row{std::to_string(list_id), db->true_text(), std::to_string(limit)}
                   : Row{std::to_string(list_id), std::to_string(limit)});
  for (const auto& r : rows) {
    ScanRecord s;
    s.id = number(r[0]);
    s.device = r[1].value_or("");
    s.scan_id = r[2].value_or("");
    s.code = r[3].value_or("");
    s.registration_id = opt_int(r[4]);
    s.attendee_name = r[5].value_or("");
    s.event_key = r[6].value_or("");
    s.direction = parse_scan_direction(r[7].value_or("")).value_or(ScanDirection::entry);
    s.scanned_at = number(r[8]);
    s.received_at = number(r[9]);
    s.decided_offline = truth(*db, r[10]);
    s.outcome = outcome_from_text(r[11].value_or(""));
    s.refusal = refusal_from_text(r[12].value_or(""));
    s.flagged = truth(*db, r[13]);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<DoorTicket> SqlStore::door_tickets(std::int64_t list_id) {
  auto db = pool_.acquire();
  std::vector<DoorTicket> out;
  const auto rows = db->query(
      "SELECT r.id, r.ticket_code, r.name, r.event_key, r.state, p.inside, p.entries, p.exits, p.entered_at, "
      "p.entered_device, p.exited_at FROM checkin_list_events e JOIN registrations r ON r.event_key = e.event_key "
      "LEFT JOIN checkin_presence p ON p.list_id = e.list_id AND p.registration_id = r.id "
      "WHERE e.list_id = ? AND r.erased_at IS NULL ORDER BY r.name, r.ticket_code",
      Row{std::to_string(list_id)});
  for (const auto& r : rows) {
    DoorTicket t;
    t.registration_id = number(r[0]);
    t.ticket_code = r[1].value_or("");
    t.name = r[2].value_or("");
    t.event_key = r[3].value_or("");
    t.state = parse_attendee_state(r[4].value_or("")).value_or(AttendeeState::cancelled);
    t.presence.inside = truth(*db, r[5]);
    t.presence.entries = static_cast<int>(number(r[6]));
    t.presence.exits = static_cast<int>(number(r[7]));
    t.presence.entered_at = number(r[8]);
    t.presence.entered_device = r[9].value_or("");
    t.presence.exited_at = number(r[10]);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<CheckinList> SqlStore::list_checkin_lists() {
  auto db = pool_.acquire();
  return load_lists(*db, "", {});
}

std::optional<CheckinList> SqlStore::find_checkin_list(std::int64_t id) {
  auto db = pool_.acquire();
  auto lists = load_lists(*db, "WHERE id = ?", Row{std::to_string(id)});
  if (lists.empty()) return std::nullopt;
  return lists.front();
}

std::vector<ScanResult> SqlStore::record_scans(std::int64_t list_id, const std::vector<ScanRequest>& scans,
                                               UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        const std::string list = std::to_string(list_id);
        // The list's occupancy row orders the scans of one list across instances.
        if (db->query("SELECT inside FROM checkin_occupancy WHERE list_id = ?" + std::string(db->row_lock()), Row{list})
                .empty())
          throw std::invalid_argument("there is no check-in list " + list);
        auto lists = load_lists(*db, "WHERE id = ?", Row{list});
        const CheckinListRules rules = lists.at(0).rules();
        std::vector<ScanResult> out;
        out.reserve(scans.size());
        for (const auto& s : scans) {
          const auto seen = db->query("SELECT device, scan_id, outcome, refusal, flagged, registration_id FROM checkin_scans "
                                      "WHERE device = ? AND scan_id = ?",
                                      Row{s.device, s.scan_id});
          TicketAtDoor ticket;
          std::int64_t registration_id = 0;
          std::string name;
          const auto reg = db->query("SELECT id, event_key, state, name FROM registrations WHERE ticket_code = ?", Row{s.code});
          if (!reg.empty()) {
            registration_id = number(reg[0][0]);
            ticket.known = true;
            ticket.event_key = reg[0][1].value_or("");
            ticket.state = parse_attendee_state(reg[0][2].value_or("")).value_or(AttendeeState::cancelled);
            name = reg[0][3].value_or("");
          }
          if (!seen.empty()) {  // the same scan again (a retried upload): its first answer
            ScanResult r = result_from_scan_row(*db, seen[0]);
            r.replayed = true;
            r.attendee_name = name;
            r.event_key = ticket.event_key;
            if (registration_id) r.presence = presence_of(*db, list_id, registration_id);
            out.push_back(std::move(r));
            continue;
          }
          const Presence before = registration_id ? presence_of(*db, list_id, registration_id) : Presence{};
          ScanInput input;
          input.direction = s.direction;
          input.at = s.at;
          input.device = s.device;
          input.decided_offline = s.decided_offline;
          const ScanDecision d = decide_scan(rules, ticket, before, input);
          const bool flagged = d.outcome == ScanOutcome::duplicate;
          if (d.supersedes_holding_entry)  // the earlier scan holds; the entry it replaces becomes the duplicate
            db->query("UPDATE checkin_scans SET outcome = 'duplicate', flagged = ? WHERE list_id = ? AND registration_id = ? "
                      "AND outcome = 'admitted' AND scanned_at = ? AND device = ?",
                      Row{"1", list, std::to_string(registration_id), std::to_string(before.entered_at),
                          before.entered_device});
          db->query("INSERT INTO checkin_scans (list_id, device, scan_id, code, registration_id, direction, scanned_at, "
                    "received_at, decided_offline, outcome, refusal, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Row{list, s.device, s.scan_id, s.code,
                        registration_id ? std::optional<std::string>(std::to_string(registration_id)) : std::nullopt,
                        std::string(to_string(s.direction)), std::to_string(s.at), std::to_string(now),
                        s.decided_offline ? "1" : "0",
                        std::string(to_string(d.supersedes_holding_entry ? ScanOutcome::admitted : d.outcome)),
                        std::string(to_string(d.refusal)), flagged && !d.supersedes_holding_entry ? "1" : "0"});
          if (registration_id && d.outcome != ScanOutcome::refused) {
            const Presence& p = d.after;
            db->query("DELETE FROM checkin_presence WHERE list_id = ? AND registration_id = ?",
                      Row{list, std::to_string(registration_id)});
            db->query("INSERT INTO checkin_presence (list_id, registration_id, inside, entries, exits, entered_at, "
                      "entered_device, exited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      Row{list, std::to_string(registration_id), p.inside ? "1" : "0", std::to_string(p.entries),
                          std::to_string(p.exits), std::to_string(p.entered_at), p.entered_device,
                          std::to_string(p.exited_at)});
          }
          if (d.outcome == ScanOutcome::admitted)
            db->query("UPDATE checkin_occupancy SET inside = inside + 1, entries = entries + 1 WHERE list_id = ?", Row{list});
          else if (d.outcome == ScanOutcome::exited)
            db->query("UPDATE checkin_occupancy SET inside = inside - 1, exits = exits + 1 WHERE list_id = ?", Row{list});
          else if (flagged)
            db->query("UPDATE checkin_occupancy SET duplicates = duplicates + 1 WHERE list_id = ?", Row{list});
          ScanResult r;
          r.device = s.device;
          r.scan_id = s.scan_id;
          // An earlier offline entry takes over: this scan is the admitted one, the one it replaced is flagged.
          r.outcome = d.supersedes_holding_entry ? ScanOutcome::admitted : d.outcome;
          r.refusal = d.refusal;
          r.flagged = flagged && !d.supersedes_holding_entry;
          if (registration_id) r.registration_id = registration_id;
          r.attendee_name = name;
          r.event_key = ticket.event_key;
          r.presence = d.after;
          out.push_back(std::move(r));
        }
        return out;
      },
      false);
}

CheckinStatus SqlStore::checkin_status(std::int64_t list_id) {
  auto db = pool_.acquire();
  const std::string list = std::to_string(list_id);
  auto rows = db->query("SELECT inside, entries, exits, duplicates FROM checkin_occupancy WHERE list_id = ?", Row{list});
  if (rows.empty()) throw std::invalid_argument("there is no check-in list " + list);
  CheckinStatus s;
  s.inside = number(rows[0][0]);
  s.entries = number(rows[0][1]);
  s.exits = number(rows[0][2]);
  s.duplicates = number(rows[0][3]);
  for (const auto& r : db->query("SELECT e.venue, COUNT(*) FROM checkin_presence p JOIN registrations r ON r.id = p.registration_id "
                                 "JOIN events e ON e.key = r.event_key WHERE p.list_id = ? AND p.inside = ? "
                                 "GROUP BY e.venue ORDER BY e.venue",
                                 Row{list, db->true_text()}))
    s.venues.emplace_back(r[0].value_or(""), number(r[1]));
  return s;
}

}  // namespace marquee
