// Analytics methods of SqlStore (issue 16): salts, rollups written in one
// transaction per flush, visitor ids rolled up and deleted, insight reads.
// The same statements on SQLite and PostgreSQL (INSERT … ON CONFLICT).
#include <algorithm>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"

namespace marquee {
namespace {

constexpr std::size_t kRowsPerStatement = 100;
// Visitors who viewed and registered, as SQL (a constant: SQLite would compare a bound '9' as text).
const std::string kConvertedSum =
    "SUM(CASE WHEN flags & " + std::to_string(kVisitorConverted) + " = " + std::to_string(kVisitorConverted) + " THEN 1 ELSE 0 END)";

std::int64_t as_int(const std::optional<std::string>& v) { return v ? std::stoll(*v) : 0; }

// Runs one multi-row INSERT per kRowsPerStatement rows of `rows` (each
// `width` values): `head` + "(?, …), (?, …)" + `tail`.
void insert_rows(SqlConnection& db, const std::string& head, const std::string& tail, std::size_t width,
                 const std::vector<Row>& rows) {
  const std::string one = "(" + placeholders(width) + ")";
  for (std::size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
    const std::size_t end = std::min(rows.size(), start + kRowsPerStatement);
    std::string sql = head;
    Row params;
    for (std::size_t i = start; i < end; ++i) {
      sql += (i == start ? "" : ", ") + one;
      params.insert(params.end(), rows[i].begin(), rows[i].end());
    }
    db.query(sql + tail, params);
  }
}

// Attribution of the placement clicks of days from..to still held as visitor
// ids: per (day, "placement:<id>:<event key>") subject, its visitors joined
// with the same visitors' row for the event that day.
// With `below`, only days before it.
std::vector<PlacementAttribution> live_attribution(SqlConnection& db, const std::string& from, const std::string& to,
                                                   const std::string& below = "") {
  std::vector<PlacementAttribution> out;
  const auto subjects = db.query("SELECT DISTINCT day, subject FROM analytics_visitors WHERE day >= ? AND day <= ? AND "
                                 "subject LIKE 'placement:%' ORDER BY day, subject",
                                 Row{from, to});
  for (const auto& s : subjects) {
    if (!below.empty() && s[0].value_or("") >= below) continue;
    const std::string subject = s[1].value_or("");
    const auto second = subject.find(':', 10);  // "placement:" is 10 characters
    if (second == std::string::npos) continue;
    PlacementAttribution a;
    a.day = s[0].value_or("");
    try {
      a.placement_id = std::stoll(subject.substr(10, second - 10));
    } catch (const std::exception&) {
      continue;
    }
    const std::string event_key = subject.substr(second + 1);
    auto flag = [](int f) {
      return "SUM(CASE WHEN e.flags & " + std::to_string(f) + " = " + std::to_string(f) + " THEN 1 ELSE 0 END)";
    };
    const auto r = db.query("SELECT COUNT(*), " + flag(kVisitorRegistered) + ", " + flag(kVisitorSaved) + ", " +
                                flag(kVisitorClicked) +
                                " FROM analytics_visitors p LEFT JOIN analytics_visitors e ON e.day = p.day AND "
                                "e.subject = ? AND e.visitor = p.visitor WHERE p.day = ? AND p.subject = ?",
                            Row{event_key, a.day, subject});
    a.clickers = as_int(r.at(0)[0]);
    a.registered = as_int(r.at(0)[1]);
    a.saved = as_int(r.at(0)[2]);
    a.outbound = as_int(r.at(0)[3]);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

std::string SqlStore::analytics_salt(const std::string& day, const std::string& candidate, UnixSeconds now) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        db->query("INSERT INTO analytics_salts (day, salt, created_at) VALUES (?, ?, ?) ON CONFLICT (day) DO NOTHING",
                  Row{day, candidate, std::to_string(now)});
        auto rows = db->query("SELECT salt FROM analytics_salts WHERE day = ?", Row{day});
        if (rows.empty() || !rows[0][0]) throw StoreError("analytics salt of " + day + " cannot be read");
        return *rows[0][0];
      },
      false);
}

void SqlStore::write_analytics(const AnalyticsBatch& batch) {
  std::vector<Row> counts, searches, visitors;
  for (const auto& [k, n] : batch.counts())
    counts.push_back(Row{std::to_string(k.hour), k.day, std::string(to_string(k.kind)), k.event_key, k.slot, k.detail,
                         std::to_string(n)});
  for (const auto& [k, c] : batch.searches())
    searches.push_back(Row{std::to_string(k.hour), k.day, k.term, k.filters, std::to_string(c.searches),
                           std::to_string(c.zero_results), std::to_string(c.results)});
  for (const auto& [k, flags] : batch.visitors()) visitors.push_back(Row{k.day, k.subject, k.visitor, std::to_string(flags)});
  auto db = pool_.acquire();
  in_write_transaction(
      *db,
      [&] {
        insert_rows(*db, "INSERT INTO analytics_counts (hour, day, kind, event_key, slot, detail, count) VALUES ",
                    " ON CONFLICT (hour, day, kind, event_key, slot, detail) DO UPDATE SET count = analytics_counts.count + "
                    "excluded.count",
                    7, counts);
        insert_rows(*db,
                    "INSERT INTO analytics_searches (hour, day, term, filters, searches, zero_results, results) VALUES ",
                    " ON CONFLICT (hour, day, term, filters) DO UPDATE SET searches = analytics_searches.searches + "
                    "excluded.searches, zero_results = analytics_searches.zero_results + excluded.zero_results, "
                    "results = excluded.results",
                    7, searches);
        insert_rows(*db, "INSERT INTO analytics_visitors (day, subject, visitor, flags) VALUES ",
                    " ON CONFLICT (day, subject, visitor) DO UPDATE SET flags = analytics_visitors.flags | excluded.flags",
                    4, visitors);
      },
      false);
}

AnalyticsRollup SqlStore::roll_up_analytics(const std::string& before_day) {
  auto db = pool_.acquire();
  return in_write_transaction(*db, [&] {
    AnalyticsRollup out;
    out.days = as_int(db->query("SELECT COUNT(DISTINCT day) FROM analytics_visitors WHERE day < ?", Row{before_day}).at(0)[0]);
    // A day rolled up earlier (a visitor row written late, after its roll-up) adds to its figures.
    for (const auto& r : db->query("SELECT day, subject, COUNT(*), " + kConvertedSum +
                                   " FROM analytics_visitors WHERE day < ? GROUP BY day, subject ORDER BY day, subject",
                                   Row{before_day}))
      db->query("INSERT INTO analytics_uniques (day, subject, visitors, converted) VALUES (?, ?, ?, ?) ON CONFLICT (day, "
                "subject) DO UPDATE SET visitors = analytics_uniques.visitors + excluded.visitors, converted = "
                "analytics_uniques.converted + excluded.converted",
                Row{r[0], r[1], r[2], r[3]});
    for (const auto& a : live_attribution(*db, "0000-00-00", before_day, before_day))
      db->query("INSERT INTO analytics_attribution (day, placement_id, clickers, registered, saved, outbound) VALUES "
                "(?, ?, ?, ?, ?, ?) ON CONFLICT (day, placement_id) DO UPDATE SET clickers = analytics_attribution.clickers "
                "+ excluded.clickers, registered = analytics_attribution.registered + excluded.registered, saved = "
                "analytics_attribution.saved + excluded.saved, outbound = analytics_attribution.outbound + excluded.outbound",
                Row{a.day, std::to_string(a.placement_id), std::to_string(a.clickers), std::to_string(a.registered),
                    std::to_string(a.saved), std::to_string(a.outbound)});
    out.visitor_rows = as_int(db->query("SELECT COUNT(*) FROM analytics_visitors WHERE day < ?", Row{before_day}).at(0)[0]);
    db->query("DELETE FROM analytics_visitors WHERE day < ?", Row{before_day});
    out.salts = as_int(db->query("SELECT COUNT(*) FROM analytics_salts WHERE day < ?", Row{before_day}).at(0)[0]);
    db->query("DELETE FROM analytics_salts WHERE day < ?", Row{before_day});
    return out;
  });
}

std::vector<AnalyticsCount> SqlStore::analytics_counts(const std::string& from, const std::string& to, bool by_hour) {
  auto db = pool_.acquire();
  const std::string bucket = by_hour ? "hour" : "day";
  std::vector<AnalyticsCount> out;
  for (const auto& r : db->query("SELECT " + bucket + ", kind, event_key, slot, detail, SUM(count) FROM analytics_counts "
                                 "WHERE day >= ? AND day <= ? GROUP BY " + bucket + ", kind, event_key, slot, detail "
                                 "ORDER BY " + bucket,
                                 Row{from, to})) {
    auto kind = parse_signal_kind(r[1].value_or(""));
    if (!kind) continue;  // a kind a newer Marquee wrote
    out.push_back(AnalyticsCount{r[0].value_or(""), *kind, r[2].value_or(""), r[3].value_or(""), r[4].value_or(""), as_int(r[5])});
  }
  return out;
}

std::vector<AnalyticsUniques> SqlStore::analytics_uniques(const std::string& from, const std::string& to) {
  auto db = pool_.acquire();
  db->begin_read_snapshot();  // a roll-up moving a day between the two tables is seen before or after, never half
  try {
    std::vector<AnalyticsUniques> out;
    for (const auto& r : db->query("SELECT day, subject, visitors, converted FROM analytics_uniques WHERE day >= ? AND "
                                   "day <= ? UNION ALL SELECT day, subject, COUNT(*), " + kConvertedSum +
                                   " FROM analytics_visitors WHERE day >= ? AND day <= ? GROUP BY day, subject",
                                   Row{from, to, from, to}))
      out.push_back(AnalyticsUniques{r[0].value_or(""), r[1].value_or(""), as_int(r[2]), as_int(r[3])});
    db->commit();
    return out;
  } catch (...) {
    db->rollback();
    throw;
  }
}

std::vector<AnalyticsSearch> SqlStore::analytics_searches(const std::string& from, const std::string& to, int limit,
                                                          bool zero_only) {
  auto db = pool_.acquire();
  const std::string order = zero_only ? "HAVING SUM(zero_results) > 0 ORDER BY SUM(zero_results) DESC, SUM(searches) DESC"
                                      : "ORDER BY SUM(searches) DESC";
  std::vector<AnalyticsSearch> out;
  for (const auto& r : db->query("SELECT term, filters, SUM(searches), SUM(zero_results), MAX(results) FROM "
                                 "analytics_searches WHERE day >= ? AND day <= ? GROUP BY term, filters " + order +
                                 ", term, filters LIMIT ?",
                                 Row{from, to, std::to_string(limit)}))
    out.push_back(AnalyticsSearch{r[0].value_or(""), r[1].value_or(""), as_int(r[2]), as_int(r[3]), as_int(r[4])});
  return out;
}

std::int64_t SqlStore::analytics_zero_result_searches(const std::string& from, const std::string& to) {
  auto db = pool_.acquire();
  return as_int(db->query("SELECT COALESCE(SUM(zero_results), 0) FROM analytics_searches WHERE day >= ? AND day <= ?",
                          Row{from, to}).at(0)[0]);
}

}  // namespace marquee

namespace marquee {

std::vector<PlacementAttribution> SqlStore::placement_attribution(const std::string& from, const std::string& to) {
  auto db = pool_.acquire();
  db->begin_read_snapshot();  // a roll-up moving a day between the tables is seen before or after, never half
  try {
    std::vector<PlacementAttribution> out;
    for (const auto& r : db->query("SELECT day, placement_id, clickers, registered, saved, outbound FROM "
                                   "analytics_attribution WHERE day >= ? AND day <= ? ORDER BY day, placement_id",
                                   Row{from, to}))
      out.push_back(PlacementAttribution{r[0].value_or(""), as_int(r[1]), as_int(r[2]), as_int(r[3]), as_int(r[4]),
                                         as_int(r[5])});
    for (auto& a : live_attribution(*db, from, to)) out.push_back(std::move(a));
    db->commit();
    return out;
  } catch (...) {
    db->rollback();
    throw;
  }
}

}  // namespace marquee
