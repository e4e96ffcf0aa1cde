// Agenda alert methods of SqlStore (migrations/<backend>/0015_agenda_alerts.sql).
#include <algorithm>
#include <set>
#include <unordered_map>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

const std::string kColumns = "id, agenda_hash, email, state, ended_reason, created_at, confirmed_at, ended_at";
constexpr std::size_t kChunk = 400;

AgendaAlert alert_from_row(const Row& r) {
  AgendaAlert a;
  a.id = opt_int(r[0]).value_or(0);
  a.agenda_hash = r[1].value_or("");
  a.email = r[2].value_or("");
  a.state = r[3].value_or("");
  a.ended_reason = r[4].value_or("");
  a.created_at = opt_int(r[5]).value_or(0);
  a.confirmed_at = opt_int(r[6]);
  a.ended_at = opt_int(r[7]);
  return a;
}

// Every confirmed alert, in id order, with the keys its agenda follows.
std::vector<std::pair<std::string, std::vector<std::string>>> confirmed_alert_agendas(SqlConnection& db) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (auto& r : db.query("SELECT al.id, ag.event_keys FROM agenda_alerts al JOIN agendas ag ON ag.token_hash = al.agenda_hash "
                          "WHERE al.state = 'confirmed' ORDER BY al.id")) {
    auto list = split_list(r[1].value_or(""), '\n');
    std::erase(list, std::string());
    out.emplace_back(r[0].value_or("0"), std::move(list));
  }
  return out;
}

std::optional<AgendaAlert> first(const std::vector<Row>& rows) {
  if (rows.empty()) return std::nullopt;
  return alert_from_row(rows[0]);
}

std::optional<AgendaAlert> live_alert(SqlConnection& db, const std::string& agenda_hash) {
  return first(db.query("SELECT " + kColumns + " FROM agenda_alerts WHERE agenda_hash = ? AND state IN ('pending', 'confirmed')",
                        Row{agenda_hash}));
}

// The ids of the alerts matching `where` (SQL over agenda_alerts with `params`).
Row alert_ids(SqlConnection& db, const std::string& where, const Row& params) {
  Row ids;
  for (auto& r : db.query("SELECT id FROM agenda_alerts WHERE " + where, params)) ids.push_back(r[0]);
  return ids;
}

// One alert_confirm row, due now (the sender joins the alert for the address).
void queue_confirmation(SqlConnection& db, std::int64_t id, UnixSeconds now) {
  const std::string n = std::to_string(now), i = std::to_string(id);
  db.query("INSERT INTO outbox (kind, event_key, alert_id, dedup_key, created_at, due_at, state, updated_at) "
           "VALUES ('alert_confirm', '', CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT), 'pending', CAST(? AS BIGINT)) "
           "ON CONFLICT (dedup_key) DO NOTHING",
           Row{i, "alert_confirm:" + i + ":" + n, n, n, n});
}

// Ends those of alerts `ids` still in `from` (a list of quoted states) as
// `reason`, forgetting their addresses. Returns how many ended.
std::int64_t end_alerts(SqlConnection& db, const Row& ids, const std::string& reason, UnixSeconds now,
                        const char* from = "'pending', 'confirmed'") {
  std::int64_t n = 0;
  for (std::size_t begin = 0; begin < ids.size(); begin += kChunk) {
    const std::size_t end = std::min(ids.size(), begin + kChunk);
    Row params{reason, std::to_string(now), std::to_string(now)};
    params.insert(params.end(), ids.begin() + begin, ids.begin() + end);
    n += static_cast<std::int64_t>(
        db.query("UPDATE agenda_alerts SET state = 'ended', email = NULL, ended_reason = ?, ended_at = CAST(? AS BIGINT), "
                 "updated_at = CAST(? AS BIGINT) WHERE state IN (" + std::string(from) + ") AND id IN (" +
                     placeholders(end - begin) + ") RETURNING id",
                 params)
            .size());
  }
  return n;
}

// pending → confirmed, or pending/confirmed → ended, through one of the alert's tokens.
AlertChanged change_alert(SqlConnection& db, const std::string& column, const std::string& hash, bool confirm,
                          UnixSeconds unconfirmed_before, UnixSeconds now) {
  return in_write_transaction(
      db,
      [&] {
        auto found = first(db.query("SELECT " + kColumns + " FROM agenda_alerts WHERE " + column + " = ?" + db.row_lock(),
                                    Row{hash}));
        if (!found) return AlertChanged{AlertChanged::Result::unknown, std::nullopt};
        const Row id{std::to_string(found->id)};
        auto reread = [&] { return first(db.query("SELECT " + kColumns + " FROM agenda_alerts WHERE id = CAST(? AS BIGINT)", id)); };
        if (confirm && found->state == "pending" && found->created_at < unconfirmed_before) {
          end_alerts(db, id, "not confirmed", now);  // too late: as if retention had run
          return AlertChanged{AlertChanged::Result::unchanged, reread()};
        }
        if (confirm ? found->state != "pending" : found->state == "ended")
          return AlertChanged{AlertChanged::Result::unchanged, found};
        const std::string n = std::to_string(now);
        if (confirm)
          db.query("UPDATE agenda_alerts SET state = 'confirmed', confirmed_at = CAST(? AS BIGINT), updated_at = CAST(? AS BIGINT) "
                   "WHERE id = CAST(? AS BIGINT)",
                   Row{n, n, id[0]});
        else
          end_alerts(db, id, "unsubscribed", now);
        return AlertChanged{AlertChanged::Result::changed, reread()};
      },
      false);
}

}  // namespace

AlertSubscribed SqlStore::subscribe_alert(const NewAgendaAlert& alert, int max_confirmations_per_day, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        // The agenda's row lock orders concurrent subscriptions of one agenda.
        if (db->query(std::string("SELECT token_hash FROM agendas WHERE token_hash = ?") + db->row_lock(), Row{alert.agenda_hash})
                .empty())
          return AlertSubscribed{AlertSubscribed::Result::no_agenda, std::nullopt};
        // Requests for one address take turns, so two agendas cannot both pass the limit at once.
        if (db->backend() == "postgres")
          db->query("SELECT pg_advisory_xact_lock(hashtext(?))", Row{"alert-address:" + alert.address_hash});
        auto live = live_alert(*db, alert.agenda_hash);
        if (live && live->email == alert.email && live->state == "confirmed")
          return AlertSubscribed{AlertSubscribed::Result::already_confirmed, live};
        const auto sent = db->query("SELECT COUNT(*) FROM alert_requests WHERE address_hash = ? AND at > CAST(? AS BIGINT)",
                                    Row{alert.address_hash, std::to_string(now - 86400)});
        if (opt_int(sent.at(0).at(0)).value_or(0) >= max_confirmations_per_day)
          return AlertSubscribed{AlertSubscribed::Result::too_many, std::nullopt};
        db->query("INSERT INTO alert_requests (address_hash, at) VALUES (?, CAST(? AS BIGINT))",
                  Row{alert.address_hash, std::to_string(now)});
        if (live && live->email == alert.email) {
          queue_confirmation(*db, live->id, now);
          return AlertSubscribed{AlertSubscribed::Result::pending, live};
        }
        if (live) end_alerts(*db, Row{std::to_string(live->id)}, "replaced", now);
        const std::string n = std::to_string(now);
        auto made = db->query("INSERT INTO agenda_alerts (agenda_hash, email, state, confirm_hash, confirm_sealed, unsubscribe_hash, "
                              "unsubscribe_sealed, agenda_sealed, created_at, updated_at) "
                              "VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT)) RETURNING " + kColumns,
                              Row{alert.agenda_hash, alert.email, alert.confirm_hash, alert.confirm_sealed, alert.unsubscribe_hash,
                                  alert.unsubscribe_sealed, alert.agenda_sealed, n, n});
        AgendaAlert a = alert_from_row(made.at(0));
        queue_confirmation(*db, a.id, now);
        return AlertSubscribed{AlertSubscribed::Result::pending, a};
      },
      false);
}

std::optional<AgendaAlert> SqlStore::find_live_alert(const std::string& agenda_hash) {
  auto db = pool_.acquire();
  return live_alert(*db, agenda_hash);
}

std::optional<AgendaAlert> SqlStore::find_alert_by_confirmation(const std::string& confirm_hash) {
  auto db = pool_.acquire();
  return first(db->query("SELECT " + kColumns + " FROM agenda_alerts WHERE confirm_hash = ?", Row{confirm_hash}));
}

std::optional<AgendaAlert> SqlStore::find_alert_by_unsubscribe(const std::string& unsubscribe_hash) {
  auto db = pool_.acquire();
  return first(db->query("SELECT " + kColumns + " FROM agenda_alerts WHERE unsubscribe_hash = ?", Row{unsubscribe_hash}));
}

AlertChanged SqlStore::confirm_alert(const std::string& confirm_hash, UnixSeconds unconfirmed_before, UnixSeconds now) {
  auto db = pool_.acquire();
  return change_alert(*db, "confirm_hash", confirm_hash, true, unconfirmed_before, now);
}

AlertChanged SqlStore::unsubscribe_alert(const std::string& unsubscribe_hash, UnixSeconds now) {
  auto db = pool_.acquire();
  return change_alert(*db, "unsubscribe_hash", unsubscribe_hash, false, 0, now);
}

bool SqlStore::end_live_alert(const std::string& agenda_hash, const std::string& reason, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db, [&] { return end_alerts(*db, alert_ids(*db, "agenda_hash = ?", Row{agenda_hash}), reason, now) > 0; }, false);
}

std::int64_t SqlStore::erase_alert_address(const std::string& email, const std::string& address_hash, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        db->query("DELETE FROM alert_requests WHERE address_hash = ?", Row{address_hash});
        return end_alerts(*db, alert_ids(*db, "email = ?", Row{email}), "erased", now);
      },
      false);
}

std::int64_t SqlStore::purge_alerts(UnixSeconds unconfirmed_before, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        const std::int64_t stale =
            end_alerts(*db, alert_ids(*db, "state = 'pending' AND created_at < CAST(? AS BIGINT)", Row{std::to_string(unconfirmed_before)}),
                       "not confirmed", now, "'pending'");
        db->query("DELETE FROM alert_requests WHERE at < CAST(? AS BIGINT)", Row{std::to_string(now - 2 * 86400)});
        // Confirmed alerts whose followed events are all over (ended + retention), or gone.
        const auto confirmed = confirmed_alert_agendas(*db);
        std::set<std::string> keys;
        for (const auto& [id, list] : confirmed) keys.insert(list.begin(), list.end());
        const std::vector<std::string> all(keys.begin(), keys.end());
        std::unordered_map<std::string, std::int64_t> over_at;  // event key → when its retention ends
        for (std::size_t begin = 0; begin < all.size(); begin += kChunk) {
          const std::size_t end = std::min(all.size(), begin + kChunk);
          for (auto& r : db->query("SELECT key, ends_at + COALESCE(retention_days, 0) * 86400 FROM events WHERE key IN (" +
                                       placeholders(end - begin) + ")",
                                   Row(all.begin() + begin, all.begin() + end)))
            over_at[r[0].value_or("")] = opt_int(r[1]).value_or(0);
        }
        Row over;
        for (const auto& [id, list] : confirmed) {
          std::optional<std::int64_t> last;
          for (const auto& k : list)
            if (auto it = over_at.find(k); it != over_at.end()) last = std::max(last.value_or(it->second), it->second);
          if (!last || *last < now) over.push_back(id);  // none in the store: nothing left to tell
        }
        return stale + end_alerts(*db, over, "retention", now, "'confirmed'");
      },
      false);
}

std::vector<std::pair<std::string, std::vector<std::string>>> confirmed_alerts_following(SqlConnection& db,
                                                                                        const std::set<std::string>& keys) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (keys.empty()) return out;
  for (auto& [id, list] : confirmed_alert_agendas(db)) {
    std::vector<std::string> followed;
    for (auto& k : list)
      if (keys.contains(k) && std::find(followed.begin(), followed.end(), k) == followed.end()) followed.push_back(std::move(k));
    if (!followed.empty()) out.emplace_back(std::move(id), std::move(followed));
  }
  return out;
}

AlertFollowers SqlStore::alert_followers(const std::vector<std::string>& event_keys) {
  auto db = pool_.acquire();
  AlertFollowers out;
  for (const auto& [id, followed] : confirmed_alerts_following(*db, std::set<std::string>(event_keys.begin(), event_keys.end()))) {
    ++out.alerts;
    for (const auto& k : followed) ++out.per_event[k];
  }
  return out;
}

}  // namespace marquee
