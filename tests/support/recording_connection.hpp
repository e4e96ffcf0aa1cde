#pragma once
// A SqlConnection that hands every call on to a real one and records, in
// order, the text of each statement it runs (exec, query, query_each,
// execute_many) and each plan_generically() call (as "plan_generically"):
// for tests of which statements a store operation runs, and in what order.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/store/sql_connection.hpp"

namespace marquee::testing {

class RecordingConnection final : public SqlConnection {
 public:
  RecordingConnection(std::unique_ptr<SqlConnection> inner, std::shared_ptr<std::vector<std::string>> log)
      : inner_(std::move(inner)), log_(std::move(log)) {}

  /// The connection calls are handed to (to query it in the same session).
  SqlConnection& inner() { return *inner_; }

  std::string backend() const override { return inner_->backend(); }
  std::string true_text() const override { return inner_->true_text(); }
  void exec(const std::string& sql) override {
    log_->push_back(sql);
    inner_->exec(sql);
  }
  std::vector<Row> query(const std::string& sql, const Row& params) override {
    log_->push_back(sql);
    return inner_->query(sql, params);
  }
  void query_each(const std::string& sql, const Row& params, const std::function<void(Row&&)>& each) override {
    log_->push_back(sql);
    inner_->query_each(sql, params, each);
  }
  void execute_many(const std::string& sql, const std::vector<Row>& params) override {
    log_->push_back(sql);
    inner_->execute_many(sql, params);
  }
  void bulk_insert(const std::string& table, const std::string& columns, const std::vector<Row>& rows) override {
    inner_->bulk_insert(table, columns, rows);
  }
  void bulk_append(const std::string& table, const std::string& columns, const std::vector<Row>& rows) override {
    inner_->bulk_append(table, columns, rows);
  }
  std::optional<std::string> read_bytes(const std::string& table, const std::string& column, const std::string& key_column,
                                        std::int64_t key) override {
    return inner_->read_bytes(table, column, key_column, key);
  }
  bool with_bytes(const std::string& table, const std::string& column, const std::string& key_column, std::int64_t key,
                  const std::function<void(std::string_view)>& use) override {
    return inner_->with_bytes(table, column, key_column, key, use);
  }
  void write_bytes(const std::string& table, const std::string& column, const std::string& key_column, std::int64_t key,
                   std::string_view bytes) override {
    inner_->write_bytes(table, column, key_column, key, bytes);
  }
  void insert_byte_rows(const std::string& table, const std::string& key_column, std::int64_t key,
                        const std::string& seq_column, const std::string& bytes_column,
                        const std::vector<std::string_view>& values) override {
    inner_->insert_byte_rows(table, key_column, key, seq_column, bytes_column, values);
  }
  std::size_t each_byte_row(const std::string& table, const std::string& key_column, std::int64_t key,
                            const std::string& seq_column, const std::string& bytes_column,
                            const std::function<void(std::string_view)>& each) override {
    return inner_->each_byte_row(table, key_column, key, seq_column, bytes_column, each);
  }
  void begin_write() override { inner_->begin_write(); }
  void begin() override { inner_->begin(); }
  void begin_read_snapshot() override { inner_->begin_read_snapshot(); }
  void plan_generically() override {
    log_->push_back("plan_generically");
    inner_->plan_generically();
  }
  const char* row_lock() const override { return inner_->row_lock(); }
  const char* skip_locked() const override { return inner_->skip_locked(); }
  void commit() override { inner_->commit(); }
  void rollback() noexcept override { inner_->rollback(); }

 private:
  std::unique_ptr<SqlConnection> inner_;
  std::shared_ptr<std::vector<std::string>> log_;
};

}  // namespace marquee::testing
