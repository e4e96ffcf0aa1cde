#pragma once
// Store implemented once over SqlConnection: the same statements and the same
// behaviour on SQLite and PostgreSQL.
#include <memory>
#include <mutex>

#include "adapters/store/sql_connection.hpp"
#include "ports/store.hpp"

namespace marquee {

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<SqlConnection> connection);

  void migrate() override;
  int schema_version() override;
  UpsertResult upsert_events(const std::vector<Event>& events, UnixSeconds now) override;
  std::vector<Event> list_events() override;
  std::optional<Event> find_event(const std::string& key) override;
  std::int64_t count_events() override;
  std::int64_t generation() override;

 private:
  std::mutex mutex_;  // one connection, used by one thread at a time
  std::unique_ptr<SqlConnection> db_;
};

}  // namespace marquee
