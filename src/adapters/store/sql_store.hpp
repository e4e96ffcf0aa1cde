#pragma once
// Store implemented once over SqlConnection: the same statements and the same
// behaviour on SQLite and PostgreSQL. Events in sql_store.cpp, registrations
// in sql_registrations.cpp.
#include <functional>
#include <memory>
#include <set>

#include "adapters/store/connection_pool.hpp"
#include "ports/store.hpp"

namespace marquee {

class SqlStore final : public Store {
 public:
  /// `listener_url`: a PostgreSQL URI for LISTEN, or nullopt (SQLite).
  /// `sqlite_path`: the SQLite database's file, whose signal file a publish
  /// writes and listen_live() watches (adapters/sqlite/sqlite_live_signal.hpp).
  SqlStore(std::function<std::unique_ptr<SqlConnection>()> open, int connections,
           std::optional<std::string> listener_url = std::nullopt, std::optional<std::string> sqlite_path = std::nullopt);

  void migrate() override;
  int schema_version() override;
  StoreHealth health() const override;

  // Agendas (sql_agendas.cpp)
  void create_agenda(const std::string& token_hash, UnixSeconds now) override;
  std::optional<Agenda> find_agenda(const std::string& token_hash) override;
  AgendaSaved save_agenda(const std::string& token_hash, const std::vector<std::string>& event_keys,
                          std::optional<std::int64_t> expected_revision, UnixSeconds now) override;
  void touch_agenda(const std::string& token_hash, UnixSeconds now) override;
  std::int64_t purge_agendas(UnixSeconds before) override;
  // Waiting-list offers (sql_offers.cpp)
  EventOperations event_operations(const std::string& event_key) override;
  std::map<std::string, int> overbook_percents() override;
  bool set_event_operations(const std::string& event_key, const EventOperations& ops, UnixSeconds now,
                            const AuditEntry& audit) override;
  OfferOutcome accept_offer(const std::string& token_hash, UnixSeconds now) override;
  OfferOutcome decline_offer(const std::string& token_hash, UnixSeconds now) override;
  std::int64_t expire_offers(UnixSeconds now) override;
  HandOffer offer_place(std::int64_t registration_id, bool add_place, UnixSeconds now, const AuditEntry& audit) override;
  std::vector<PlaceOffer> list_offers(const std::string& event_key) override;
  std::map<std::string, std::string> reminder_overrides() override;
  std::optional<PlaceOffer> open_offer(std::int64_t registration_id) override;
  // Attendee messages (sql_messages.cpp)
  std::pair<std::int64_t, bool> create_message(const AttendeeMessage& m, const AuditEntry& audit) override;
  std::optional<AttendeeMessage> find_message(std::int64_t id) override;
  std::vector<AttendeeMessage> list_messages(int limit) override;
  bool cancel_message(std::int64_t id, UnixSeconds now, const AuditEntry& audit) override;
  std::vector<std::int64_t> due_messages(UnixSeconds now) override;
  std::optional<std::int64_t> send_message(std::int64_t id, UnixSeconds now, const AuditEntry& audit) override;
  AudienceCount count_audience(const MessageAudience& a) override;
  bool set_messages_opt_out(std::int64_t registration_id, bool opted_out, UnixSeconds now) override;
  bool messages_opted_out(std::int64_t registration_id) override;
  // Reconfirmation (sql_reconfirm.cpp)
  std::int64_t ask_reconfirmations(UnixSeconds now) override;
  std::int64_t release_unreconfirmed(UnixSeconds now) override;
  ReconfirmOutcome reconfirm(const std::string& token_hash, UnixSeconds now) override;
  std::vector<EventNoShows> no_show_figures(UnixSeconds from, UnixSeconds to, UnixSeconds now) override;
  std::vector<DoorPlaces> door_places(const std::vector<std::string>& event_keys, UnixSeconds now) override;
  DoorRelease release_at_door(const std::string& event_key, UnixSeconds now, const AuditEntry& audit) override;
  // Outgoing webhooks (sql_webhooks.cpp)
  std::int64_t create_webhook(const WebhookEndpoint& e, const AuditEntry& audit) override;
  std::vector<WebhookEndpoint> list_webhooks() override;
  std::optional<WebhookEndpoint> find_webhook(std::int64_t id) override;
  bool delete_webhook(std::int64_t id, const AuditEntry& audit) override;
  std::vector<WebhookDelivery> webhook_deliveries(std::int64_t endpoint_id, int limit) override;
  std::optional<WebhookDelivery> find_webhook_delivery(std::int64_t id) override;
  bool replay_webhook_delivery(std::int64_t id, UnixSeconds now, const AuditEntry& audit) override;
  std::vector<WebhookDelivery> claim_webhook_deliveries(UnixSeconds due_by, UnixSeconds now, int limit, int lease_seconds,
                                                        const std::string& worker) override;
  void release_webhook_delivery(std::int64_t id, const std::string& worker, UnixSeconds due_at, UnixSeconds now) override;
  std::int64_t purge_webhook_deliveries(UnixSeconds before) override;
  void finish_webhook_attempt(std::int64_t id, const std::string& worker, bool delivered, std::optional<int> status,
                              const std::string& error, std::optional<UnixSeconds> due_at, UnixSeconds now) override;
  // Agenda alerts (sql_alerts.cpp)
  AlertSubscribed subscribe_alert(const NewAgendaAlert& alert, int max_confirmations_per_day, UnixSeconds now) override;
  std::optional<AgendaAlert> find_live_alert(const std::string& agenda_hash) override;
  std::optional<AgendaAlert> find_alert_by_confirmation(const std::string& confirm_hash) override;
  std::optional<AgendaAlert> find_alert_by_unsubscribe(const std::string& unsubscribe_hash) override;
  AlertChanged confirm_alert(const std::string& confirm_hash, UnixSeconds unconfirmed_before, UnixSeconds now) override;
  AlertChanged unsubscribe_alert(const std::string& unsubscribe_hash, UnixSeconds now) override;
  bool end_live_alert(const std::string& agenda_hash, const std::string& reason, UnixSeconds now) override;
  std::int64_t erase_alert_address(const std::string& email, const std::string& address_hash, UnixSeconds now) override;
  std::int64_t purge_alerts(UnixSeconds unconfirmed_before, UnixSeconds now) override;
  AlertFollowers alert_followers(const std::vector<std::string>& event_keys) override;
  // Check-in lists (sql_checkins.cpp)
  std::int64_t add_checkin_list(const CheckinList& list, const ChangeBy& by) override;
  std::vector<CheckinList> list_checkin_lists() override;
  std::optional<CheckinList> find_checkin_list(std::int64_t id) override;
  std::vector<ScanResult> record_scans(std::int64_t list_id, const std::vector<ScanRequest>& scans, UnixSeconds now) override;
  CheckinStatus checkin_status(std::int64_t list_id) override;
  bool update_checkin_list(const CheckinList& list, const ChangeBy& by) override;
  std::vector<ScanRecord> checkin_scans(std::int64_t list_id, bool flagged_only, std::size_t limit) override;
  std::vector<DoorTicket> door_tickets(std::int64_t list_id) override;
  UpsertResult upsert_events(const std::vector<Event>& events, UnixSeconds now) override;
  std::vector<Event> list_events() override;
  std::vector<Event> list_public_events() override;
  EventBlocks read_public_events() override;
  std::optional<Event> find_event(const std::string& key) override;
  std::int64_t count_events() override;
  std::map<std::string, std::int64_t> time_zone_counts() override;
  std::vector<Event> events_with_key_prefix(const std::string& prefix) override;
  std::int64_t generation() override;
  bool create_event(const Event& e, UnixSeconds now, const AuditEntry& audit) override;
  EditOutcome edit_event(const Event& edited, std::int64_t expected_version, UnixSeconds now,
                         const AuditEntry* audit = nullptr) override;
  std::string ensure_setting(const std::string& name, const std::string& value_if_missing) override;
  std::map<std::string, std::string> settings_with_prefix(const std::string& prefix) override;
  UpsertResult import_events(const std::vector<Event>& events, UnixSeconds now, const ImportRun& run) override;
  UpsertResult import_event_batches(UnixSeconds now, const ImportRun& run,
                                    const std::function<bool(std::vector<Event>&)>& next) override;
  std::vector<ImportRun> list_import_runs(int limit) override;
  RevertOutcome revert_import(std::int64_t id, UnixSeconds now, const std::string& actor) override;
  DeleteOutcome delete_events(const std::vector<std::string>& keys, UnixSeconds now,
                              const std::function<AuditEntry(const Event&)>& audit) override;
  std::optional<AuditEntry> find_audit(std::int64_t id) override;
  void save_settings(const std::map<std::string, std::optional<std::string>>& values, const AuditEntry& entry) override;

  std::vector<RegisterOutcome> register_batch(const std::vector<RegistrationRequest>& requests,
                                              UnixSeconds now) override;
  std::optional<Registration> find_registration_by_token(const std::string& token_hash) override;
  std::optional<Registration> find_registration(std::int64_t id) override;
  CancelOutcome cancel_registration(const std::string& token_hash, UnixSeconds now, const std::string& actor) override;
  CheckinOutcome check_in(const std::string& ticket_code, UnixSeconds now, const std::string& actor,
                          const std::string& event_key = "") override;
  std::vector<Registration> list_registrations(const std::string& event_key, bool with_moves) override;
  std::vector<Registration> list_registrations_by_email(const std::string& email) override;
  std::optional<EventCounts> event_counts(const std::string& event_key) override;
  std::map<std::string, std::int64_t> confirmed_counts() override;
  std::map<std::string, std::int64_t> taken_counts() override;
  // Self-service (sql_self_service.cpp)
  DetailsOutcome change_details(const std::string& token_hash, const std::string& name, const Answers& answers,
                                UnixSeconds now) override;
  TransferOutcome transfer_registration(const TransferRequest& t, UnixSeconds now, const std::string& actor) override;
  std::optional<std::int64_t> waitlist_position(std::int64_t registration_id) override;
  bool erase_registration(std::int64_t id, UnixSeconds now, const std::string& actor) override;
  std::int64_t purge_expired_registrations(UnixSeconds now) override;

  std::optional<std::int64_t> live_snapshot_number() override;
  std::optional<Snapshot> snapshot(std::int64_t number) override;
  std::optional<PiecedSnapshot> snapshot_pieces(std::int64_t number) override;
  std::vector<SnapshotInfo> list_snapshots() override;
  std::vector<EventChange> snapshot_changes(std::int64_t number) override;
  SnapshotInfo publish_snapshot(SnapshotInfo info, std::string_view payload, const std::vector<EventChange>& changes,
                                UnixSeconds now, const PublishNotices& notices, const AuditEntry* audit) override;
  SnapshotInfo publish_snapshot(SnapshotInfo info, const FramedPayload& payload, const std::vector<EventChange>& changes,
                                UnixSeconds now, const PublishNotices& notices, const AuditEntry* audit) override;
  FramedPayload frame_payload(std::size_t parts, const PayloadWriter& write) override;
  std::vector<std::pair<std::int64_t, EventChange>> recent_changes(std::int64_t upto, int limit) override;

  std::vector<OutboxDelivery> claim_outbox(UnixSeconds now, int limit, int lease_seconds, const std::string& worker) override;
  std::vector<bool> mark_outbox_sent_many(const std::vector<SentMark>& marks, const std::string& worker) override;
  bool mark_outbox_sent(std::int64_t id, const std::string& worker, std::int64_t revision,
                        std::optional<std::int64_t> sent_snapshot, UnixSeconds now) override;
  bool release_outbox(std::int64_t id, const std::string& worker, UnixSeconds now) override;
  std::vector<OutboxBacklog> outbox_backlog(UnixSeconds now) override;
  void reschedule_outbox(std::int64_t id, const std::string& worker, UnixSeconds due_at, const std::string& error,
                         UnixSeconds now) override;
  void close_outbox(std::int64_t id, const std::string& worker, const std::string& state, const std::string& reason,
                    UnixSeconds now) override;
  bool retry_outbox(std::int64_t id, UnixSeconds now) override;
  std::int64_t enqueue_reminders(const std::vector<ReminderSlot>& slots, UnixSeconds now) override;
  std::int64_t make_outbox_due(UnixSeconds now) override;
  std::int64_t purge_rate_limits(UnixSeconds before) override;
  std::int64_t enqueue_link_resend(const std::string& email, const std::string& event_key, UnixSeconds now) override;
  std::optional<OutboxDelivery> find_outbox(std::int64_t id) override;
  OutboxCounts outbox_counts(UnixSeconds now) override;
  std::vector<OutboxMessage> list_outbox() override;
  std::vector<OutboxMessage> recent_outbox(const std::string& state, int limit) override;
  std::map<std::string, std::int64_t> notifiable_counts(const std::vector<std::string>& event_keys) override;
  std::map<std::string, std::int64_t> event_sequences() override;
  std::int64_t purge_outbox(UnixSeconds before) override;
  std::unique_ptr<LiveListener> listen_live() override;

  std::vector<TableDump> dump_tables() override;
  void restore_tables(const std::vector<TableDump>& tables) override;
  void set_setting(const std::string& name, const std::string& value) override;

  std::int64_t add_api_token(const ApiToken& token) override;
  std::optional<ApiToken> find_api_token(const std::string& token_hash) override;
  std::vector<ApiToken> list_api_tokens() override;
  bool revoke_api_token(std::int64_t id, UnixSeconds now) override;
  std::int64_t add_user(const User& user) override;
  std::optional<User> find_user_by_email(const std::string& email) override;
  std::optional<User> find_user(std::int64_t id) override;
  std::vector<User> list_users() override;
  void create_session(const Session& session) override;
  std::optional<Session> find_session(const std::string& id_hash) override;
  void touch_session(const std::string& id_hash, UnixSeconds now) override;
  void delete_session(const std::string& id_hash) override;
  void delete_user_sessions(std::int64_t user_id) override;
  int hit_rate_limit(const std::string& key, int limit, int window_seconds, UnixSeconds now) override;
  void audit(const AuditEntry& entry) override;
  std::vector<AuditEntry> list_audit(int limit) override;
  bool update_user(const User& user) override;

  std::int64_t add_submission(const Submission& s) override;
  std::optional<Submission> find_submission(std::int64_t id) override;
  std::optional<Submission> find_submission_by_token(const std::string& token_hash) override;
  std::vector<Submission> list_submissions(std::optional<SubmissionState> state, int limit) override;
  std::int64_t count_submissions(SubmissionState state) override;
  bool decide_submission(const Submission& decided) override;
  std::int64_t add_staged_import(const StagedImport& s) override;
  std::optional<StagedImport> find_staged_import(const std::string& token_hash) override;
  bool delete_staged_import(const std::string& token_hash) override;
  std::int64_t purge_staged_imports(UnixSeconds before) override;

  std::string analytics_salt(const std::string& day, const std::string& candidate, UnixSeconds now) override;
  void write_analytics(const AnalyticsBatch& batch) override;
  AnalyticsRollup roll_up_analytics(const std::string& before_day) override;
  std::vector<AnalyticsCount> analytics_counts(const std::string& from, const std::string& to, bool by_hour) override;
  std::vector<AnalyticsUniques> analytics_uniques(const std::string& from, const std::string& to) override;
  std::vector<AnalyticsSearch> analytics_searches(const std::string& from, const std::string& to, int limit,
                                                  bool zero_only) override;
  std::int64_t analytics_zero_result_searches(const std::string& from, const std::string& to) override;
  std::vector<PlacementAttribution> placement_attribution(const std::string& from, const std::string& to) override;

  std::int64_t add_partner(const Partner& p, const ChangeBy& by) override;
  bool update_partner(const Partner& p, const ChangeBy& by) override;
  std::optional<Partner> find_partner(std::int64_t id) override;
  std::vector<Partner> list_partners() override;
  std::int64_t add_placement(const Placement& p, const ChangeBy& by) override;
  PlacementEditResult update_placement(const Placement& p, std::int64_t expected_version, const ChangeBy& by,
                                       Placement* current) override;
  PlacementMoveOutcome move_placement(std::int64_t id, PlacementMove move, const ChangeBy& by) override;
  bool set_checkout_session(std::int64_t id, const std::string& session_id, const ChangeBy& by) override;
  PaymentEventOutcome apply_payment_event(const PaymentEvent& e) override;
  std::optional<Placement> find_placement(std::int64_t id) override;
  std::vector<Placement> list_placements(std::int64_t partner_id) override;
  std::vector<Placement> live_placements() override;
  std::vector<PlacementChange> placement_history(std::int64_t placement_id) override;
  std::int64_t placements_version() override;
  std::int64_t add_partner_token(std::int64_t partner_id, const std::string& token_hash,
                                 std::optional<UnixSeconds> expires_at, bool replace, const ChangeBy& by) override;
  std::optional<PartnerToken> find_partner_token(const std::string& token_hash) override;
  std::vector<PartnerToken> list_partner_tokens(std::int64_t partner_id) override;
  bool revoke_partner_token(std::int64_t partner_id, std::int64_t token_id, const ChangeBy& by) override;

 private:
  /// The events of `select` (kEventColumns' places), ordered by (starts_at, key).
  std::vector<Event> read_events(const std::string& select);
  ConnectionPool pool_;
  std::optional<std::string> listener_url_;
  std::optional<std::string> sqlite_path_;
};

/// Locks the event's counter row (PostgreSQL: FOR UPDATE, the lock every
/// registration takes first), making it first when the event has none (a
/// newly written event: the upsert writes none; its capacity the event's
/// place_limit, nothing taken); nullopt when neither the row nor the event
/// exists. Inside a write transaction; throws StoreError.
std::optional<EventCounts> lock_counter(SqlConnection& db, const std::string& event_key);
/// Locks the counter rows of the events `keys` names (keys without an event
/// are skipped), in key order, making the missing ones as lock_counter
/// would: for a caller that changes many events (a revert, a delete), whose
/// lock_counter calls then find their rows locked. One statement a row
/// (PostgreSQL: pipelined) and one read per 500 keys. Inside a write
/// transaction; throws StoreError.
void lock_counters(SqlConnection& db, std::vector<std::string> keys);

/// The place limit of event `event_key` with capacity `capacity` (core
/// place_limit with the event's overbook_percent; nullopt = unlimited).
/// Inside a transaction (sql_offers.cpp).
std::optional<std::int64_t> place_limit_of(SqlConnection& db, const std::string& event_key,
                                          std::optional<std::int64_t> capacity);

/// Bumps the store generation (readers see that the working state changed).
/// Inside a write transaction.
void bump_generation(SqlConnection& db);

/// The confirmed agenda alerts whose agenda follows any of `keys`: each
/// alert's id with the followed keys among `keys`, in id order
/// (sql_alerts.cpp). Both a publish's agenda_alert rows and the preview of
/// them are made from it.
std::vector<std::pair<std::string, std::vector<std::string>>> confirmed_alerts_following(SqlConnection& db,
                                                                                        const std::set<std::string>& keys);

/// Writes `e` (insert or update) and its counter row; throws
/// CapacityBelowConfirmed when its capacity is below `confirmed`. Promotes
/// the waiting list when the capacity grew. Inside a write transaction.
void write_event(SqlConnection& db, const Event* previous, const Event& e, UnixSeconds now, std::int64_t confirmed);

/// What fill_places did: registrations confirmed (promotion automatic) and
/// offers made (promotion offer), in order.
struct FilledPlaces {
  std::vector<std::int64_t> promoted;  ///< registration ids
  std::vector<std::int64_t> offered;   ///< offer ids
};

/// Gives the free places of `event_key` (capacity − confirmed − held) to the
/// waiting list, lowest id first among those without an open offer: each is
/// confirmed (promotion automatic) or offered the place (promotion offer;
/// none once the event is cancelled or has started). Writes moves, offers and
/// outbox rows. Inside a write transaction; locks the counter row
/// (sql_offers.cpp).
FilledPlaces fill_places(SqlConnection& db, const std::string& event_key, UnixSeconds now);

/// Fits the open offers of event `e` (as it is about to be written) to it:
/// all are withdrawn when it is cancelled, the newest until confirmed and
/// held places fit its capacity otherwise; each registration stays on the
/// waiting list and is told (offer_withdrawn). Offers open past its start
/// are shortened to end at the start. Inside a write transaction
/// (sql_offers.cpp).
void settle_offers(SqlConnection& db, const Event& e, UnixSeconds now);

/// Closes the registration's open offer (if any) as `to`, releasing its held
/// place on the counter; true when there was one. Inside a write transaction
/// holding the counter row (sql_offers.cpp).
bool close_open_offer(SqlConnection& db, std::int64_t registration_id, const std::string& event_key, OfferState to,
                      UnixSeconds now);

/// The first registration matching `where` (columns of registrations;
/// '?' placeholders bound to `params`), with its moves when asked (sql_registrations.cpp).
std::optional<Registration> registration_where(SqlConnection& db, const std::string& where, const Row& params,
                                               bool with_moves = false);

/// Moves `g` to state `to` and records the move; throws StoreError for a move
/// core/registration forbids (sql_registrations.cpp).
void move_registration(SqlConnection& db, const Registration& g, AttendeeState to, UnixSeconds now,
                       const std::string& actor);

/// Writes an attendee message to the outbox; dedup key "<kind>:<offer id>"
/// for offer messages, else "<kind>:<registration id>" (sql_registrations.cpp).
void record_outbox(SqlConnection& db, const std::string& kind, const std::string& event_key, std::int64_t id,
                   UnixSeconds now, std::optional<std::int64_t> offer_id = std::nullopt);

/// One webhook event about to be recorded: its type (core/webhook.hpp) and
/// its `data` member as JSON text (no personal data).
struct WebhookEvent {
  std::string type;
  std::string data_json;
};

/// The event of a registration change: data {"registration": {"id", "event_key", "state"}}
/// (and "checkin_list" for an admission at a check-in list) (sql_webhooks.cpp).
WebhookEvent registration_webhook(const std::string& type, std::int64_t id, const std::string& event_key,
                                  AttendeeState state, std::optional<std::int64_t> checkin_list = std::nullopt);

/// Writes one delivery per enabled endpoint subscribed to each event's type
/// (payload {"id": "evt_…", "type", "created": UTC seconds, "data"}), inside
/// the caller's transaction, so a change and its webhooks commit together.
/// One read when no endpoint is enabled (sql_webhooks.cpp).
void record_webhooks(SqlConnection& db, const std::vector<WebhookEvent>& events, UnixSeconds now);

/// The event types some enabled endpoint subscribes to (one read), so that a
/// caller builds only the events someone will receive (sql_webhooks.cpp).
std::set<std::string> subscribed_webhook_types(SqlConnection& db);

/// Appends `e` to the audit log (its id is assigned), inside the caller's transaction.
void insert_audit(SqlConnection& db, const AuditEntry& e);

}  // namespace marquee
