// Check-in list methods of SqlStore (migrations/<backend>/0011_checkin_lists.sql).
#include <algorithm>
#include <limits>
#include <map>
#include <set>
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
                         ScanRefusal::already_inside, ScanRefusal::no_reentry, ScanRefusal::not_inside, ScanRefusal::list_closed,
                         ScanRefusal::passed_on, ScanRefusal::room_full,
                         ScanRefusal::released})
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

namespace {

// A check-in presence read from six columns from `first` on: inside, entries, exits, entered_at,
// entered_device, exited_at (NULLs: never scanned).
Presence presence_from(const SqlConnection& db, const Row& r, std::size_t first) {
  Presence p;
  p.inside = truth(db, r[first]);
  p.entries = static_cast<int>(number(r[first + 1]));
  p.exits = static_cast<int>(number(r[first + 2]));
  p.entered_at = number(r[first + 3]);
  p.entered_device = r[first + 4].value_or("");
  p.exited_at = number(r[first + 5]);
  return p;
}

}  // namespace

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
    t.presence = presence_from(*db, r, 5);
    out.push_back(std::move(t));
  }
  // Tickets given up in a transfer (self-service): listed as cancelled, so a
  // door phone with this copy refuses the old code even though it is signed.
  for (const auto& r : db->query("SELECT r.id, t.from_ticket_code, r.event_key FROM checkin_list_events e "
                                 "JOIN registrations r ON r.event_key = e.event_key "
                                 "JOIN registration_transfers t ON t.registration_id = r.id "
                                 "WHERE e.list_id = ? ORDER BY t.id",
                                 Row{std::to_string(list_id)})) {
    DoorTicket t;
    t.registration_id = number(r[0]);
    t.ticket_code = r[1].value_or("");
    t.name = "(ticket passed on to someone else)";
    t.event_key = r[2].value_or("");
    t.state = AttendeeState::cancelled;
    t.passed_on = true;
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

namespace {

// What a batch of scans needs to know before deciding, read with a few set
// queries instead of several per scan.
struct TicketRow {
  std::int64_t id = 0;
  std::string event_key, name;
  AttendeeState state = AttendeeState::cancelled;
  UnixSeconds released_at_door = 0;  // 0: not released at the door
};
struct ScanRow {  // a checkin_scans row to insert
  std::string device, scan_id, code;
  std::optional<std::string> registration_id;
  std::string direction, scanned_at, outcome, refusal;
  bool offline = false, flagged = false;
  std::int64_t registration = 0;
  UnixSeconds at = 0;
};
constexpr std::size_t kChunk = 200;  // rows or keys per statement (well under both backends' parameter limits)


}  // namespace

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

        // The tickets, the scans seen before and the presences the batch is about: one query per kind (and chunk).
        std::map<std::string, TicketRow> tickets;
        std::map<std::pair<std::string, std::string>, ScanResult> earlier;
        std::map<std::int64_t, Presence> presence;
        std::set<std::string> passed_on;
        {
          std::vector<std::string> codes;
          for (const auto& s : scans) codes.push_back(s.code);
          codes = sorted_unique(codes);
          for (std::size_t i = 0; i < codes.size(); i += kChunk) {
            Row params(codes.begin() + static_cast<std::ptrdiff_t>(i),
                       codes.begin() + static_cast<std::ptrdiff_t>(std::min(codes.size(), i + kChunk)));
            for (const auto& r : db->query("SELECT id, event_key, state, name, ticket_code, door_released_at FROM registrations "
                                           "WHERE ticket_code IN (" + placeholders(params.size()) + ")",
                                           params))
              tickets[r[4].value_or("")] = TicketRow{number(r[0]), r[1].value_or(""), r[3].value_or(""),
                                                     parse_attendee_state(r[2].value_or("")).value_or(AttendeeState::cancelled),
                                                     r[5] ? number(r[5]) : 0};
            // Codes given up in a transfer: refused as passed on, not as unknown.
            for (const auto& r : db->query("SELECT from_ticket_code FROM registration_transfers WHERE from_ticket_code IN (" +
                                               placeholders(params.size()) + ")",
                                           params))
              passed_on.insert(r[0].value_or(""));
          }
          std::vector<std::pair<std::string, std::string>> keys;
          for (const auto& s : scans) keys.emplace_back(s.device, s.scan_id);
          std::sort(keys.begin(), keys.end());
          keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
          for (std::size_t i = 0; i < keys.size(); i += kChunk) {
            std::string where;
            Row params;
            for (std::size_t k = i; k < std::min(keys.size(), i + kChunk); ++k) {
              where += where.empty() ? "(device = ? AND scan_id = ?)" : " OR (device = ? AND scan_id = ?)";
              params.push_back(keys[k].first);
              params.push_back(keys[k].second);
            }
            for (const auto& r : db->query("SELECT device, scan_id, outcome, refusal, flagged, registration_id FROM checkin_scans "
                                           "WHERE " + where,
                                           params))
              earlier[{r[0].value_or(""), r[1].value_or("")}] = result_from_scan_row(*db, r);
          }
          std::vector<std::string> ids;
          for (const auto& [code, t] : tickets) ids.push_back(std::to_string(t.id));
          for (std::size_t i = 0; i < ids.size(); i += kChunk) {
            Row params{list};
            params.insert(params.end(), ids.begin() + static_cast<std::ptrdiff_t>(i),
                          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + kChunk)));
            for (const auto& r : db->query("SELECT registration_id, inside, entries, exits, entered_at, entered_device, exited_at "
                                           "FROM checkin_presence WHERE list_id = ? AND registration_id IN (" +
                                               placeholders(params.size() - 1) + ")",
                                           params))
              presence[number(r[0])] = presence_from(*db, r, 1);
          }
        }

        // Overbooked events among the tickets' (overbook_percent > 0, a capacity): the door keeps to
        // their room, so it counts their attendees inside at this list, and the batch keeps the count.
        std::map<std::string, std::int64_t> room, inside_of, door_free;
        {
          std::vector<std::string> keys;
          for (const auto& [code, t] : tickets) keys.push_back(t.event_key);
          keys = sorted_unique(keys);
          for (std::size_t i = 0; i < keys.size(); i += kChunk) {
            Row params(keys.begin() + static_cast<std::ptrdiff_t>(i),
                       keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), i + kChunk)));
            const std::string in = placeholders(params.size());
            for (const auto& r : db->query("SELECT e.key, e.capacity FROM events e JOIN event_operations o ON o.event_key = e.key "
                                           "WHERE o.overbook_percent > 0 AND e.capacity IS NOT NULL AND e.key IN (" + in + ")",
                                           params))
              room[r[0].value_or("")] = number(r[1]);
          }
          // Events whose door release time has come: their free places go to waiting-list tickets at the door.
          for (std::size_t i = 0; i < keys.size(); i += kChunk) {
            Row params{std::to_string(now)};
            params.insert(params.end(), keys.begin() + static_cast<std::ptrdiff_t>(i),
                          keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), i + kChunk)));
            for (const auto& r : db->query("SELECT e.key, c.capacity, c.confirmed + c.offered FROM events e JOIN event_operations o "
                                           "ON o.event_key = e.key JOIN event_counters c ON c.event_key = e.key WHERE "
                                           "o.door_release_minutes IS NOT NULL AND e.status = 'published' AND "
                                           "e.starts_at + o.door_release_minutes * 60 <= CAST(? AS BIGINT) AND e.key IN (" +
                                               placeholders(params.size() - 1) + ")",
                                           params))
              door_free[r[0].value_or("")] =
                  r[1] ? std::max<std::int64_t>(0, number(r[1]) - number(r[2])) : std::numeric_limits<std::int64_t>::max();
          }
          if (!room.empty()) {
            Row params{list, db->true_text()};
            for (const auto& [key, capacity] : room) params.push_back(key);
            for (const auto& r : db->query("SELECT r.event_key, COUNT(*) FROM checkin_presence p JOIN registrations r "
                                           "ON r.id = p.registration_id WHERE p.list_id = ? AND p.inside = ? AND r.event_key IN (" +
                                               placeholders(params.size() - 2) + ") GROUP BY r.event_key",
                                           params))
              inside_of[r[0].value_or("")] = number(r[1]);
          }
        }

        // Counters a door promotion may take, locked now in key order (the order registrations lock
        // them in), so that two uploads promoting at two events cannot wait for each other.
        {
          std::set<std::string> promoting;
          for (const auto& [code, t] : tickets)
            if (t.state == AttendeeState::waitlisted && door_free.count(t.event_key) && door_free[t.event_key] > 0)
              promoting.insert(t.event_key);
          for (const auto& key : promoting) lock_counter(*db, key);
        }

        // Each scan decided in order against the presence the earlier ones left.
        std::vector<ScanResult> out;
        out.reserve(scans.size());
        std::vector<ScanRow> rows;
        // (device, scan_id) → its answer in `out` and its row in `rows` (refused scans have rows too)
        std::map<std::pair<std::string, std::string>, std::pair<std::size_t, std::size_t>> in_batch;
        std::set<std::int64_t> touched;
        std::vector<WebhookEvent> webhooks;  // registration.checked_in: the first admission at this list
        std::int64_t d_inside = 0, d_entries = 0, d_exits = 0, d_duplicates = 0;
        for (const auto& s : scans) {
          const auto key = std::make_pair(s.device, s.scan_id);
          const auto t = tickets.find(s.code);
          TicketAtDoor ticket;
          ticket.passed_on = t == tickets.end() && passed_on.count(s.code) > 0;
          if (t != tickets.end()) {
            ticket.known = true;
            ticket.event_key = t->second.event_key;
            ticket.state = t->second.state;
            if (auto r = room.find(ticket.event_key); r != room.end()) ticket.room_full = inside_of[ticket.event_key] >= r->second;
            ticket.released_at_door = t->second.released_at_door;
            if (auto f = door_free.find(ticket.event_key); f != door_free.end()) ticket.door_place = f->second > 0;
          }
          const std::int64_t registration_id = t != tickets.end() ? t->second.id : 0;
          const std::string name = t != tickets.end() ? t->second.name : std::string();
          const Presence before = registration_id && presence.count(registration_id) ? presence[registration_id] : Presence{};
          // The same scan again (a retried upload): its first answer, from the store or from earlier in this batch.
          if (auto e = earlier.find(key); e != earlier.end() || in_batch.count(key)) {
            ScanResult r = e != earlier.end() ? e->second : out[in_batch[key].first];
            if (e == earlier.end()) {  // as its row stands now (a later scan may have made it the duplicate)
              const ScanRow& row = rows[in_batch[key].second];
              r.outcome = outcome_from_text(row.outcome);
              r.flagged = row.flagged;
            }
            r.replayed = true;
            r.attendee_name = name;
            r.event_key = ticket.event_key;
            r.presence = before;
            out.push_back(std::move(r));
            continue;
          }
          ScanInput input;
          input.direction = s.direction;
          input.at = s.at;
          input.device = s.device;
          input.decided_offline = s.decided_offline;
          ScanDecision d = decide_scan(rules, ticket, before, input);
          if (d.takes_door_place) {
            // A place released at the door: confirmed in this transaction, under the counter lock
            // (the scan's list lock first, then the counter: no path takes them the other way round).
            const auto counts = lock_counter(*db, ticket.event_key);
            auto g = registration_where(*db, "id = ?", Row{std::to_string(registration_id)});
            if (counts && g && g->state == AttendeeState::waitlisted && (!counts->capacity || counts->taken() < *counts->capacity)) {
              close_open_offer(*db, g->id, g->event_key, OfferState::accepted, now);
              move_registration(*db, *g, AttendeeState::confirmed, now, "let in at the door");
              db->query("UPDATE event_counters SET confirmed = confirmed + 1, waitlisted = waitlisted - 1 WHERE event_key = ?",
                        Row{ticket.event_key});
              t->second.state = AttendeeState::confirmed;
              ticket.state = AttendeeState::confirmed;
              if (door_free[ticket.event_key] != std::numeric_limits<std::int64_t>::max()) --door_free[ticket.event_key];
            } else {
              d = ScanDecision{ScanOutcome::refused, ScanRefusal::waitlisted, before, 0, false, false};
              door_free[ticket.event_key] = 0;
            }
          }
          const bool flagged = d.outcome == ScanOutcome::duplicate;
          if (d.supersedes_holding_entry) {
            // The earlier scan holds; the entry it replaces becomes the flagged duplicate (in this batch or stored).
            bool found = false;
            for (auto& row : rows)
              if (row.registration == registration_id && row.outcome == "admitted" && row.at == before.entered_at &&
                  row.device == before.entered_device) {
                row.outcome = "duplicate";
                row.flagged = true;
                found = true;
              }
            if (!found)
              for (const auto& r : db->query("UPDATE checkin_scans SET outcome = 'duplicate', flagged = ? WHERE list_id = ? AND "
                                             "registration_id = ? AND outcome = 'admitted' AND scanned_at = ? AND device = ? "
                                             "RETURNING device, scan_id",
                                             Row{"1", list, std::to_string(registration_id), std::to_string(before.entered_at),
                                                 before.entered_device}))
                if (auto e = earlier.find({r[0].value_or(""), r[1].value_or("")}); e != earlier.end()) {
                  e->second.outcome = ScanOutcome::duplicate;
                  e->second.flagged = true;
                }
          }
          ScanRow row;
          row.device = s.device;
          row.scan_id = s.scan_id;
          row.code = s.code;
          if (registration_id) row.registration_id = std::to_string(registration_id);
          row.registration = registration_id;
          row.direction = std::string(to_string(s.direction));
          row.scanned_at = std::to_string(s.at);
          row.at = s.at;
          row.offline = s.decided_offline;
          row.outcome = std::string(to_string(d.supersedes_holding_entry ? ScanOutcome::admitted : d.outcome));
          row.refusal = std::string(to_string(d.refusal));
          row.flagged = flagged && !d.supersedes_holding_entry;
          rows.push_back(std::move(row));
          if (registration_id && d.outcome != ScanOutcome::refused) {
            presence[registration_id] = d.after;
            touched.insert(registration_id);
          }
          if (d.outcome == ScanOutcome::admitted && before.entries == 0 && registration_id)
            webhooks.push_back(registration_webhook("registration.checked_in", registration_id, ticket.event_key, ticket.state,
                                                    list_id));
          if (room.count(ticket.event_key)) {
            if (d.outcome == ScanOutcome::admitted) ++inside_of[ticket.event_key];
            else if (d.outcome == ScanOutcome::exited) --inside_of[ticket.event_key];
          }
          if (d.outcome == ScanOutcome::admitted) ++d_inside, ++d_entries;
          else if (d.outcome == ScanOutcome::exited) --d_inside, ++d_exits;
          else if (flagged) ++d_duplicates;
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
          in_batch[key] = {out.size(), rows.size() - 1};
          out.push_back(std::move(r));
        }

        // The writes: scans, presences and the occupancy counter, a few statements for the whole batch.
        const std::string received = std::to_string(now);
        for (std::size_t i = 0; i < rows.size(); i += kChunk) {
          Row params;
          const std::size_t n = std::min(rows.size(), i + kChunk) - i;
          for (std::size_t k = i; k < i + n; ++k) {
            const ScanRow& r = rows[k];
            for (auto v : {std::optional<std::string>(list), std::optional<std::string>(r.device), std::optional<std::string>(r.scan_id),
                           std::optional<std::string>(r.code), r.registration_id, std::optional<std::string>(r.direction),
                           std::optional<std::string>(r.scanned_at), std::optional<std::string>(received),
                           std::optional<std::string>(r.offline ? "1" : "0"), std::optional<std::string>(r.outcome),
                           std::optional<std::string>(r.refusal), std::optional<std::string>(r.flagged ? "1" : "0")})
              params.push_back(std::move(v));
          }
          std::string values;
          for (std::size_t k = 0; k < n; ++k) values += std::string(k ? ", " : "") + "(" + placeholders(12) + ")";
          db->query("INSERT INTO checkin_scans (list_id, device, scan_id, code, registration_id, direction, scanned_at, "
                    "received_at, decided_offline, outcome, refusal, flagged) VALUES " + values,
                    params);
        }
        const std::vector<std::int64_t> changed(touched.begin(), touched.end());
        for (std::size_t i = 0; i < changed.size(); i += kChunk) {
          const std::size_t n = std::min(changed.size(), i + kChunk) - i;
          Row ids{list}, params;
          std::string values;
          for (std::size_t k = i; k < i + n; ++k) {
            const Presence& p = presence[changed[k]];
            ids.push_back(std::to_string(changed[k]));
            for (auto v : {list, std::to_string(changed[k]), std::string(p.inside ? "1" : "0"), std::to_string(p.entries),
                           std::to_string(p.exits), std::to_string(p.entered_at), p.entered_device, std::to_string(p.exited_at)})
              params.push_back(std::move(v));
            values += std::string(k > i ? ", " : "") + "(" + placeholders(8) + ")";
          }
          db->query("DELETE FROM checkin_presence WHERE list_id = ? AND registration_id IN (" + placeholders(n) + ")", ids);
          db->query("INSERT INTO checkin_presence (list_id, registration_id, inside, entries, exits, entered_at, entered_device, "
                    "exited_at) VALUES " + values,
                    params);
        }
        record_webhooks(*db, webhooks, now);
        if (d_inside || d_entries || d_exits || d_duplicates)
          db->query("UPDATE checkin_occupancy SET inside = inside + ?, entries = entries + ?, exits = exits + ?, "
                    "duplicates = duplicates + ? WHERE list_id = ?",
                    Row{std::to_string(d_inside), std::to_string(d_entries), std::to_string(d_exits),
                        std::to_string(d_duplicates), list});
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
