// Outgoing webhooks of SqlStore (ports/webhook_store.hpp): endpoints, the
// delivery rows written inside the transactions of registrations, check-ins
// and publishes (record_webhooks), and the claims of the sender.
#include <sodium.h>

#include <boost/json/serialize.hpp>

#include "adapters/store/event_row.hpp"
#include "adapters/store/sql_store.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

const std::string kDeliveryColumns =
    "d.id, d.endpoint_id, d.event_id, d.event_type, d.payload, d.state, d.created_at, d.due_at, d.attempts, "
    "d.last_status, d.last_error, d.delivered_at";

WebhookDelivery delivery_from(const Row& r) {
  WebhookDelivery d;
  d.id = std::stoll(r[0].value_or("0"));
  d.endpoint_id = std::stoll(r[1].value_or("0"));
  d.event_id = r[2].value_or("");
  d.event_type = r[3].value_or("");
  d.payload = r[4].value_or("");
  d.state = r[5].value_or("");
  d.created_at = std::stoll(r[6].value_or("0"));
  d.due_at = std::stoll(r[7].value_or("0"));
  d.attempts = static_cast<int>(std::stoll(r[8].value_or("0")));
  if (auto s = opt_int(r[9])) d.last_status = static_cast<int>(*s);
  d.last_error = r[10].value_or("");
  d.delivered_at = opt_int(r[11]);
  return d;
}

const std::string kEndpointColumns =
    "e.id, e.url, e.events, e.secret_sealed, e.description, e.created_by, e.created_at, e.disabled_at, "
    "(SELECT COUNT(*) FROM webhook_deliveries p WHERE p.endpoint_id = e.id AND p.state = 'pending'), "
    "(SELECT COUNT(*) FROM webhook_deliveries f WHERE f.endpoint_id = e.id AND f.state = 'failed')";

WebhookEndpoint endpoint_from(SqlConnection& db, const Row& r) {
  WebhookEndpoint e;
  e.id = std::stoll(r[0].value_or("0"));
  e.url = r[1].value_or("");
  e.events = split_list(r[2].value_or(""), ',');
  e.secret_sealed = r[3].value_or("");
  e.description = r[4].value_or("");
  e.created_by = r[5].value_or("");
  e.created_at = std::stoll(r[6].value_or("0"));
  e.disabled_at = opt_int(r[7]);
  e.pending = std::stoll(r[8].value_or("0"));
  e.failed = std::stoll(r[9].value_or("0"));
  // The newest attempted delivery.
  auto last = db.query("SELECT last_status, last_error, updated_at FROM webhook_deliveries WHERE endpoint_id = ? "
                       "AND attempts > 0 ORDER BY updated_at DESC, id DESC LIMIT 1",
                       Row{std::to_string(e.id)});
  if (!last.empty()) {
    if (auto s = opt_int(last[0][0])) e.last_status = static_cast<int>(*s);
    e.last_error = last[0][1].value_or("");
    e.last_attempt_at = opt_int(last[0][2]);
  }
  return e;
}

// "evt_" and 24 random hex digits (96 bits).
std::string new_event_id() {
  unsigned char bytes[12];
  randombytes_buf(bytes, sizeof bytes);
  char hex[2 * sizeof bytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string("evt_") + hex;
}

}  // namespace

WebhookEvent registration_webhook(const std::string& type, std::int64_t id, const std::string& event_key,
                                  AttendeeState state, std::optional<std::int64_t> checkin_list) {
  boost::json::object data{{"registration", boost::json::object{{"id", id}, {"event_key", event_key},
                                                                {"state", std::string(to_string(state))}}}};
  if (checkin_list) data["checkin_list"] = *checkin_list;
  return WebhookEvent{type, boost::json::serialize(data)};
}

std::set<std::string> subscribed_webhook_types(SqlConnection& db) {
  std::set<std::string> out;
  for (const auto& r : db.query("SELECT events FROM webhook_endpoints WHERE disabled_at IS NULL"))
    for (auto& t : split_list(r[0].value_or(""), ',')) out.insert(std::move(t));
  return out;
}

void record_webhooks(SqlConnection& db, const std::vector<WebhookEvent>& events, UnixSeconds now) {
  if (events.empty()) return;
  // One cheap read when no endpoint listens (the usual case on the registration hot path).
  auto endpoints = db.query("SELECT id, events FROM webhook_endpoints WHERE disabled_at IS NULL ORDER BY id");
  if (endpoints.empty()) return;
  const std::string n = std::to_string(now);
  std::string values;
  Row params;
  std::size_t rows = 0;
  auto flush = [&] {
    if (rows == 0) return;
    db.query("INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, state, created_at, due_at, "
             "updated_at) VALUES " + values,
             params);
    values.clear();
    params.clear();
    rows = 0;
  };
  for (const auto& ev : events) {
    const std::string id = new_event_id();
    const std::string payload = "{\"id\":\"" + id + "\",\"type\":\"" + ev.type + "\",\"created\":" + n +
                                ",\"data\":" + ev.data_json + "}";
    for (const auto& e : endpoints) {
      const auto types = split_list(e[1].value_or(""), ',');
      if (std::find(types.begin(), types.end(), ev.type) == types.end()) continue;
      values += std::string(values.empty() ? "" : ", ") + "(CAST(? AS BIGINT), ?, ?, ?, 'pending', CAST(? AS BIGINT), " +
                "CAST(? AS BIGINT), CAST(? AS BIGINT))";
      for (auto& v : Row{e[0], id, ev.type, payload, n, n, n}) params.push_back(std::move(v));
      if (++rows == 200) flush();
    }
  }
  flush();
}

std::int64_t SqlStore::create_webhook(const WebhookEndpoint& e, const AuditEntry& audit) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        auto rows = db->query("INSERT INTO webhook_endpoints (url, events, secret_sealed, description, created_by, created_at) "
                              "VALUES (?, ?, ?, ?, ?, CAST(? AS BIGINT)) RETURNING id",
                              Row{e.url, join(e.events, ","), e.secret_sealed, e.description, e.created_by,
                                  std::to_string(e.created_at)});
        const std::int64_t id = std::stoll(rows.at(0)[0].value_or("0"));
        AuditEntry a = audit;
        a.target = "webhook " + std::to_string(id);
        insert_audit(*db, a);
        return id;
      },
      false);
}

std::vector<WebhookEndpoint> SqlStore::list_webhooks() {
  auto db = pool_.acquire();
  std::vector<WebhookEndpoint> out;
  for (const auto& r : db->query("SELECT " + kEndpointColumns + " FROM webhook_endpoints e ORDER BY e.id"))
    out.push_back(endpoint_from(*db, r));
  return out;
}

std::optional<WebhookEndpoint> SqlStore::find_webhook(std::int64_t id) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kEndpointColumns + " FROM webhook_endpoints e WHERE e.id = CAST(? AS BIGINT)",
                        Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  return endpoint_from(*db, rows.front());
}

bool SqlStore::delete_webhook(std::int64_t id, const AuditEntry& audit) {
  // Deliveries first, then the endpoint (there is no foreign key to cascade).
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        db->query("DELETE FROM webhook_deliveries WHERE endpoint_id = CAST(? AS BIGINT)", Row{std::to_string(id)});
        if (db->query("DELETE FROM webhook_endpoints WHERE id = CAST(? AS BIGINT) RETURNING id", Row{std::to_string(id)}).empty())
          return false;
        insert_audit(*db, audit);
        return true;
      },
      false);
}

std::vector<WebhookDelivery> SqlStore::webhook_deliveries(std::int64_t endpoint_id, int limit) {
  auto db = pool_.acquire();
  std::vector<WebhookDelivery> out;
  for (const auto& r : db->query("SELECT " + kDeliveryColumns + " FROM webhook_deliveries d WHERE d.endpoint_id = CAST(? AS BIGINT) "
                                 "ORDER BY d.id DESC LIMIT " + std::to_string(std::max(1, limit)),
                                 Row{std::to_string(endpoint_id)}))
    out.push_back(delivery_from(r));
  return out;
}

std::optional<WebhookDelivery> SqlStore::find_webhook_delivery(std::int64_t id) {
  auto db = pool_.acquire();
  auto rows = db->query("SELECT " + kDeliveryColumns + " FROM webhook_deliveries d WHERE d.id = CAST(? AS BIGINT)",
                        Row{std::to_string(id)});
  if (rows.empty()) return std::nullopt;
  return delivery_from(rows.front());
}

bool SqlStore::replay_webhook_delivery(std::int64_t id, UnixSeconds now, const AuditEntry& audit) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        const std::string n = std::to_string(now);
        if (db->query("UPDATE webhook_deliveries SET state = 'pending', due_at = CAST(? AS BIGINT), attempts = 0, "
                      "delivered_at = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = CAST(? AS BIGINT) "
                      "WHERE id = CAST(? AS BIGINT) RETURNING id",
                      Row{n, n, std::to_string(id)})
                .empty())
          return false;
        insert_audit(*db, audit);
        return true;
      },
      false);
}

std::vector<WebhookDelivery> SqlStore::claim_webhook_deliveries(UnixSeconds due_by, UnixSeconds now, int limit,
                                                                int lease_seconds, const std::string& worker) {
  auto db = pool_.acquire();
  const std::string n = std::to_string(now), by = std::to_string(due_by);
  const std::string due = "d.state = 'pending' AND d.due_at <= CAST(? AS BIGINT) AND "
                          "(d.claimed_until IS NULL OR d.claimed_until < CAST(? AS BIGINT))";
  // Only the delivery rows are locked: the endpoint rows stay free for the writes that reference them.
  const std::string lock = db->backend() == "postgres" ? " FOR UPDATE OF d SKIP LOCKED" : "";
  // A plain read first: an idle sender polling every second takes no write lock.
  if (db->query("SELECT 1 FROM webhook_deliveries d WHERE " + due + " LIMIT 1", Row{by, n}).empty()) return {};
  return in_write_transaction(
      *db,
      [&] {
        auto ids = db->query("UPDATE webhook_deliveries SET claimed_by = ?, claimed_until = CAST(? AS BIGINT), "
                             "attempts = attempts + 1 WHERE id IN (SELECT d.id FROM webhook_deliveries d "
                             "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.disabled_at IS NULL AND " + due +
                                 " ORDER BY d.due_at, d.id LIMIT " + std::to_string(limit) + lock + ") RETURNING id",
                             Row{worker, std::to_string(now + lease_seconds), by, n});
        std::vector<WebhookDelivery> out;
        if (ids.empty()) return out;
        Row params;
        for (const auto& r : ids) params.push_back(r[0]);
        for (const auto& r : db->query("SELECT " + kDeliveryColumns + ", e.url, e.secret_sealed FROM webhook_deliveries d "
                                       "JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id IN (" +
                                           placeholders(params.size()) + ") ORDER BY d.due_at, d.id",
                                       params)) {
          WebhookDelivery d = delivery_from(r);
          d.url = r[12].value_or("");
          d.secret_sealed = r[13].value_or("");
          out.push_back(std::move(d));
        }
        return out;
      },
      false);
}

void SqlStore::release_webhook_delivery(std::int64_t id, const std::string& worker, UnixSeconds due_at, UnixSeconds now) {
  auto db = pool_.acquire();
  db->query("UPDATE webhook_deliveries SET claimed_by = NULL, claimed_until = NULL, attempts = attempts - 1, "
            "due_at = CASE WHEN due_at < CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE due_at END, "
            "updated_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT) AND claimed_by = ? AND state = 'pending'",
            Row{std::to_string(due_at), std::to_string(due_at), std::to_string(now), std::to_string(id), worker});
}

std::int64_t SqlStore::purge_webhook_deliveries(UnixSeconds before) {
  auto db = pool_.acquire();
  return in_write_transaction(
      *db,
      [&] {
        auto gone = db->query("DELETE FROM webhook_deliveries WHERE (state IN ('delivered', 'failed') AND "
                              "updated_at < CAST(? AS BIGINT)) OR endpoint_id NOT IN (SELECT id FROM webhook_endpoints) "
                              "RETURNING id",
                              Row{std::to_string(before)});
        return static_cast<std::int64_t>(gone.size());
      },
      false);
}

void SqlStore::finish_webhook_attempt(std::int64_t id, const std::string& worker, bool delivered, std::optional<int> status,
                                      const std::string& error, std::optional<UnixSeconds> due_at, UnixSeconds now) {
  auto db = pool_.acquire();
  const std::string n = std::to_string(now);
  const std::optional<std::string> code = status ? std::optional<std::string>(std::to_string(*status)) : std::nullopt;
  const std::string state = delivered ? "delivered" : due_at ? "pending" : "failed";
  db->query("UPDATE webhook_deliveries SET state = ?, last_status = CAST(? AS BIGINT), last_error = ?, "
            "due_at = CAST(? AS BIGINT), delivered_at = CAST(? AS BIGINT), claimed_by = NULL, claimed_until = NULL, "
            "updated_at = CAST(? AS BIGINT) WHERE id = CAST(? AS BIGINT) AND claimed_by = ?",
            Row{state, code, utf8_prefix(error, 500), due_at ? std::to_string(*due_at) : n,
                delivered ? std::optional<std::string>(n) : std::nullopt, n, std::to_string(id), worker});
}

}  // namespace marquee
