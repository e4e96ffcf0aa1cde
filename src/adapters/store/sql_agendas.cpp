// Agenda methods of SqlStore (migrations/<backend>/0013_agendas.sql, 0014_agenda_use.sql).
#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

Agenda agenda_from_row(const Row& r) {
  Agenda a;
  a.token_hash = r[0].value_or("");
  for (auto& k : split_list(r[1].value_or(""), '\n'))
    if (!k.empty()) a.event_keys.push_back(std::move(k));
  a.revision = opt_int(r[2]).value_or(0);
  a.created_at = opt_int(r[3]).value_or(0);
  a.updated_at = opt_int(r[4]).value_or(0);
  a.used_at = opt_int(r[5]).value_or(a.updated_at);  // NULL in an agenda restored from a schema-13 backup
  return a;
}

const char* kColumns = "token_hash, event_keys, revision, created_at, updated_at, used_at";

}  // namespace

void SqlStore::create_agenda(const std::string& token_hash, UnixSeconds now) {
  auto db = pool_.acquire();
  db->query("INSERT INTO agendas (token_hash, event_keys, revision, created_at, updated_at, used_at) VALUES (?, '', 0, ?, ?, ?)",
            Row{token_hash, std::to_string(now), std::to_string(now), std::to_string(now)});
}

std::optional<Agenda> SqlStore::find_agenda(const std::string& token_hash) {
  auto db = pool_.acquire();
  auto rows = db->query(std::string("SELECT ") + kColumns + " FROM agendas WHERE token_hash = ?", Row{token_hash});
  if (rows.empty()) return std::nullopt;
  return agenda_from_row(rows[0]);
}

AgendaSaved SqlStore::save_agenda(const std::string& token_hash, const std::vector<std::string>& event_keys,
                                  std::optional<std::int64_t> expected_revision, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    auto rows = db->query(std::string("SELECT ") + kColumns + " FROM agendas WHERE token_hash = ?" + db->row_lock(),
                          Row{token_hash});
    if (rows.empty()) return AgendaSaved{AgendaSaved::Result::not_found, std::nullopt};
    Agenda a = agenda_from_row(rows[0]);
    if (expected_revision && *expected_revision != a.revision) return AgendaSaved{AgendaSaved::Result::conflict, a};
    a.event_keys = event_keys;
    a.revision += 1;
    a.updated_at = a.used_at = now;
    db->query("UPDATE agendas SET event_keys = ?, revision = ?, updated_at = ?, used_at = ? WHERE token_hash = ?",
              Row{join(event_keys, "\n"), std::to_string(a.revision), std::to_string(now), std::to_string(now), token_hash});
    return AgendaSaved{AgendaSaved::Result::saved, a};
  }, false);  // the agenda's own row lock is enough: no global writer lock for a public write
}

void SqlStore::touch_agenda(const std::string& token_hash, UnixSeconds now) {
  auto db = pool_.acquire();
  db->query("UPDATE agendas SET used_at = CAST(? AS BIGINT) WHERE token_hash = ? "
            "AND (used_at IS NULL OR used_at < CAST(? AS BIGINT))",
            Row{std::to_string(now), token_hash, std::to_string(now - 86400)});
}

std::int64_t SqlStore::purge_agendas(UnixSeconds before) {
  auto db = pool_.acquire();
  return static_cast<std::int64_t>(
      db->query("DELETE FROM agendas WHERE COALESCE(used_at, updated_at) < CAST(? AS BIGINT) RETURNING token_hash",
                Row{std::to_string(before)})
          .size());
}

}  // namespace marquee
