#pragma once
// The event store port: what the application needs from a database.
// Implementations: adapters/sqlite (default) and adapters/postgres.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "ports/account_store.hpp"
#include "ports/analytics_store.hpp"
#include "ports/backup_store.hpp"
#include "ports/event_reader.hpp"
#include "ports/outbox_store.hpp"
#include "ports/agenda_store.hpp"
#include "ports/alert_store.hpp"
#include "ports/checkin_store.hpp"
#include "ports/door_release_store.hpp"
#include "ports/message_store.hpp"
#include "ports/no_show_store.hpp"
#include "ports/offer_store.hpp"
#include "ports/reconfirm_store.hpp"
#include "ports/webhook_store.hpp"
#include "ports/placement_store.hpp"
#include "ports/registration_store.hpp"
#include "ports/snapshot_store.hpp"
#include "ports/submission_store.hpp"

namespace marquee {

/// Thrown by stores for failures that end the operation (unreachable server,
/// constraint violation, corrupt file). what() is for the log, not for clients.
class StoreError : public std::runtime_error {
 public:
  /// What an operator should know first: the store's disk is full (SQLite
  /// SQLITE_FULL or ENOSPC, PostgreSQL SQLSTATE 53100), the server cannot
  /// be reached, or anything else.
  enum class Cause { failed, disk_full, unreachable };
  explicit StoreError(const std::string& what, Cause cause = Cause::failed) : std::runtime_error(what), cause_(cause) {
    raised_[static_cast<int>(cause)].fetch_add(1, std::memory_order_relaxed);
  }
  Cause cause() const { return cause_; }
  /// How many StoreErrors of `cause` this process has raised (metrics).
  static std::uint64_t raised(Cause cause) { return raised_[static_cast<int>(cause)].load(std::memory_order_relaxed); }

 private:
  Cause cause_;
  static inline std::atomic<std::uint64_t> raised_[3] = {};
};

/// The store's connections since this process started (metrics).
struct StoreHealth {
  std::uint64_t connections_opened = 0;  ///< connections opened (the pool opens them when first needed)
  std::uint64_t connect_failures = 0;    ///< attempts to open one that failed (the server down or refusing)
  std::uint64_t reconnects = 0;          ///< broken connections re-established in place (PostgreSQL PQreset)
  int open_connections = 0;              ///< open now, in use or idle
}; 

/// Counts of one upsert batch.
struct UpsertResult {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t import_id = 0;  ///< import_events: the recorded run
};

/// A committed import as recorded for reverting it.
struct ImportRun {
  std::int64_t id = 0;
  UnixSeconds at = 0;
  std::string actor;  ///< "alice@example.org", "cli"
  std::string file;
  std::string format;
  std::int64_t inserted = 0, updated = 0, unchanged = 0;
  std::optional<UnixSeconds> reverted_at;
  std::string reverted_by;
};

/// What revert_import did.
struct RevertOutcome {
  bool found = false;            ///< there is such an import
  bool already_reverted = false;
  std::vector<std::string> restored;  ///< keys put back to their version before the import
  std::vector<std::string> removed;   ///< keys the import had added, now deleted
  std::vector<std::pair<std::string, std::string>> refused;  ///< (key, reason)
};

enum class EditResult { updated, unchanged, conflict, not_found };

/// The outcome of an edit based on a known version (optimistic concurrency).
struct EditOutcome {
  EditResult result = EditResult::not_found;
  Event current;  ///< the stored event after the call (for conflict: the other change)
};

class Store : public RegistrationStore, public SnapshotStore, public BackupStore, public AccountStore,
              public SubmissionStore, public OutboxStore, public EventReader, public SettingsReader,
              public AnalyticsStore, public PlacementStore, public CheckinStore, public AgendaStore,
              public AlertStore, public OfferStore, public MessageStore, public WebhookStore,
              public ReconfirmStore, public NoShowStore, public DoorReleaseStore {
 public:
  ~Store() override = default;

  /// Applies pending numbered migrations (migrations/<backend>/NNNN_*.sql) in
  /// order, each in its own transaction, recorded in schema_migrations.
  /// Safe to call from several processes at once. Throws StoreError.
  virtual void migrate() = 0;
  /// Highest applied migration number; 0 on an empty database.
  virtual int schema_version() = 0;
  /// Connection counters for metrics; never touches the store.
  virtual StoreHealth health() const = 0;

  /// Inserts or updates `events` by key in ONE transaction: all or nothing.
  /// Keeps each event's capacity counter in step; throws CapacityBelowConfirmed
  /// when a capacity would drop below the confirmed registrations, and promotes
  /// waitlisted registrations when a capacity grows.
  /// An event identical in content to the stored one is left untouched.
  /// created_at is kept on update; updated_at is set to `now`; version is
  /// incremented on each change. Bumps the store generation when anything changed.
  /// Throws StoreError (the store is then as it was before the call).
  virtual UpsertResult upsert_events(const std::vector<Event>& events, UnixSeconds now) = 0;

  /// Adds `e` as a new event and writes `audit`, in one transaction; false
  /// (nothing written) when an event with its key exists. Throws StoreError.
  virtual bool create_event(const Event& e, UnixSeconds now, const AuditEntry& audit) = 0;

  /// Replaces the event `edited.key` only if its stored version is still
  /// `expected_version` (no silent overwrites: another editor's change makes
  /// this a conflict that returns their version). Same capacity rules as
  /// upsert_events. One transaction, which also writes `audit` (when given)
  /// if the event was updated. Throws StoreError, CapacityBelowConfirmed.
  virtual EditOutcome edit_event(const Event& edited, std::int64_t expected_version, UnixSeconds now,
                                 const AuditEntry* audit = nullptr) = 0;

  /// The outcome of delete_events.
  struct DeleteOutcome {
    std::vector<Event> deleted;                              ///< as they were stored
    std::vector<std::pair<std::string, std::string>> refused;  ///< (key, reason)
  };
  /// Deletes each event of `keys` from the working state in ONE transaction,
  /// with the audit entry `audit(event)` for each: refused (with the reason)
  /// for an unknown key and for an event that has registrations in any state
  /// (cancel it instead: attendees must hear of it). Bumps the generation
  /// when anything was deleted. Throws StoreError (nothing deleted).
  virtual DeleteOutcome delete_events(const std::vector<std::string>& keys, UnixSeconds now,
                                      const std::function<AuditEntry(const Event&)>& audit) = 0;

  /// upsert_events, and in the same transaction records the run (`run`'s
  /// actor, file, format; the counts are filled in) with each inserted or
  /// updated event's previous row, so that revert_import can undo it.
  /// result.import_id names the run. Throws like upsert_events.
  virtual UpsertResult import_events(const std::vector<Event>& events, UnixSeconds now, const ImportRun& run) = 0;
  /// import_events with the events given in batches while the transaction
  /// is open: `next(batch)` replaces `batch` with the next events and returns
  /// true, or returns false when there are no more. Each batch is written
  /// before the next is asked for, so only one batch need be held. An
  /// exception thrown by `next` rolls everything back and propagates
  /// (nothing imported, no run recorded). Throws like upsert_events.
  virtual UpsertResult import_event_batches(UnixSeconds now, const ImportRun& run,
                                            const std::function<bool(std::vector<Event>&)>& next) = 0;
  /// Recorded imports, newest first.
  virtual std::vector<ImportRun> list_import_runs(int limit) = 0;
  /// Undoes import `id` in ONE transaction with its audit entry
  /// ("revert_import"): events it updated get their previous content back
  /// (as a new version), events it added are deleted. An event is refused,
  /// with the reason, when it was edited or deleted since, gained
  /// registrations since, or (added) has registrations, or when its previous
  /// capacity is below its confirmed places now. Throws StoreError.
  virtual RevertOutcome revert_import(std::int64_t id, UnixSeconds now, const std::string& actor) = 0;

  /// The value of setting `name`; when it has none yet, stores
  /// `value_if_missing` first (the first instance to ask wins, all agree).
  virtual std::string ensure_setting(const std::string& name, const std::string& value_if_missing) = 0;
  /// Sets each named setting to its value (nullopt: deletes it) and appends
  /// `entry` to the audit log, in ONE transaction. Throws StoreError (then
  /// nothing is written).
  virtual void save_settings(const std::map<std::string, std::optional<std::string>>& values,
                             const AuditEntry& entry) = 0;

};

/// Opens a store from a URL:
///   sqlite:///relative/path.db, sqlite:////absolute/path.db (SQLAlchemy style),
///   postgresql://user[:password]@host:port/dbname (also postgres://).
/// Creates the SQLite file and its folder when missing. Throws StoreError for
/// an unknown scheme, an unreachable server or an unopenable file.
/// `connections`: size of the connection pool (0 = 4 for SQLite, 8 for PostgreSQL).
std::unique_ptr<Store> open_store(const std::string& url, int connections = 0);

}  // namespace marquee
