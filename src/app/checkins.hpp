#pragma once
// Door operations (issue 19): check-in lists made by operators, and scans
// from door devices recorded against them. One move per method, each one
// transaction in the store (which writes the audit entry of a new list; the
// scans are their own record).
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/placements.hpp"
#include "app/scan_batcher.hpp"
#include "app/ticket_signer.hpp"
#include "core/roles.hpp"
#include "ports/account_store.hpp"
#include "ports/checkin_store.hpp"
#include "ports/clock.hpp"
#include "ports/event_reader.hpp"

namespace marquee {

/// What an operator asks for. The events a list admits are the union of
/// `events` (keys), every event at `venue` and every event starting on `day`
/// (YYYY-MM-DD in each event's own zone); at least one must be given.
struct CheckinListInput {
  std::string name;
  std::vector<std::string> events;
  std::string venue;
  std::string day;
  bool allow_reentry = false;
  std::optional<UnixSeconds> opens_at;
  std::optional<UnixSeconds> closes_at;
  std::optional<std::int64_t> room_capacity;
  int alarm_percent = 90;
  std::vector<std::string> door_users;  ///< e-mail addresses of console users who may check tickets in
};

/// A scan as a device sent it, before checks.
struct ScanInputText {
  std::string device;
  std::string scan_id;
  std::string code;        ///< as typed or read from the QR code (any case, spaces and dashes ignored)
  std::string direction;   ///< "entry" (default when empty) or "exit"
  std::optional<UnixSeconds> at;  ///< when scanned; none = when received
  bool decided_offline = false;
};

class CheckinService {
 public:
  /// `signer`: checks signed ticket payloads (TicketSigner); null = codes only.
  CheckinService(CheckinStore& store, EventReader& events, AccountStore& accounts, const Clock& clock,
                 TicketSigner* signer = nullptr)
      : store_(store), events_(events), accounts_(accounts), clock_(clock), signer_(signer), batcher_(store) {}

  /// Creates a list (audited as `actor`): its id, or the field errors
  /// (name 1–200 characters; unknown event keys; no event selected; closes
  /// before it opens; room_capacity ≥ 1; alarm_percent 1–100; door_users
  /// must be enabled console users whose role may check tickets in). Throws StoreError.
  std::variant<std::int64_t, FieldErrors> create_list(const CheckinListInput& in, const std::string& actor);

  /// Replaces list `id`'s name, events, rules and door users, checked as in
  /// create_list (audited as `actor`; occupancy and presence stay): true, false
  /// for an unknown list, or the field errors. Throws StoreError.
  std::variant<bool, FieldErrors> update_list(std::int64_t id, const CheckinListInput& in, const std::string& actor);

  /// The lists a console user may scan at: every list for owners and
  /// operations staff (and staff tokens: `role` none); for a door user, the
  /// lists they are assigned to, or every list when they are assigned to none.
  std::vector<CheckinList> lists_for(const std::string& email, std::optional<Role> role);
  /// The public key door devices verify signed tickets with (base64url,
  /// TicketSigner::public_key); "" without a signer. Throws StoreError when
  /// the secret cannot be read.
  std::string ticket_key() { return signer_ ? signer_->public_key() : std::string(); }

  /// True when lists_for(email, role) holds list `id`.
  bool may_use(std::int64_t id, const std::string& email, std::optional<Role> role);

  /// Records a batch of 1–500 scans at `list_id` in one transaction (shared
  /// with the batches other gates send meanwhile: ScanBatcher): each
  /// scan's result in order, or the field errors ("scans[3].device": 1–100
  /// characters; scan_id likewise; code 1–200 characters, or a signed ticket
  /// payload of up to 400; direction entry or
  /// exit) with nothing recorded. A code may be a signed ticket payload
  /// (core/ticket_signature.hpp): its ticket code counts when the signature
  /// holds; a forged one is an unknown code. Throws std::invalid_argument for an
  /// unknown list, StoreError when the store fails.
  std::variant<std::vector<ScanResult>, FieldErrors> scan(std::int64_t list_id, const std::vector<ScanInputText>& scans);

 private:
  std::variant<CheckinList, FieldErrors> checked(const CheckinListInput& in);

  CheckinStore& store_;
  EventReader& events_;
  AccountStore& accounts_;
  const Clock& clock_;
  TicketSigner* signer_;
  ScanBatcher batcher_;  ///< scans of one list arriving together share a transaction
};

}  // namespace marquee
