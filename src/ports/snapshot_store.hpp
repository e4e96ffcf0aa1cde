#pragma once
// The publishing port: immutable numbered snapshots of the public programme,
// their changelog, and the live pointer every instance serves.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/snapshot_diff.hpp"
#include "ports/account_store.hpp"
#include "ports/outbox_store.hpp"

namespace marquee {

struct SnapshotInfo {
  std::int64_t number = 0;
  UnixSeconds created_at = 0;
  std::string author;
  std::string note;
  std::string kind;                    ///< "publish" or "rollback"
  std::optional<std::int64_t> based_on;  ///< rollback: the snapshot made live again
  std::string content_hash;            ///< SHA-256 (hex) of the payload
  std::int64_t event_count = 0;
};

/// A snapshot payload in the form the store keeps it (SnapshotStore::frame_payload).
struct FramedPayload {
  std::string frames;          ///< the store's encoding of the content (LZ4 frames, docs/snapshot-format.md)
  std::string content_hash;    ///< SHA-256 (hex) of the content: SnapshotInfo::content_hash
  std::size_t content_bytes = 0;
};

/// Receives a payload's bytes, piece by piece, in order.
using PayloadSink = std::function<void(std::string_view)>;
/// Writes part `part` (0-based) of a payload into the sink, in order.
using PayloadWriter = std::function<void(std::size_t part, const PayloadSink& sink)>;

struct Snapshot {
  SnapshotInfo info;
  std::string payload;  ///< JSON Lines, see docs/snapshot-format.md
};

/// A snapshot payload in the pieces the store keeps it in (a frame a row
/// since schema 27: at 100,000 events about 40 pieces of 1 MiB of JSON
/// Lines), each made into its text on its own, on any thread: a reader
/// decodes the first pieces while others are still compressed, and never
/// holds the whole content. The pieces in order are the payload; a piece
/// may end inside a line (a payload stored before the pieces were whole
/// lines), which the reader must then find (its text not ending in "\n"
/// while another piece follows).
class PayloadPieces {
 public:
  virtual ~PayloadPieces() = default;
  /// How many pieces (at least one).
  virtual std::size_t size() const = 0;
  /// The content's size in bytes: the sum of the pieces' texts.
  virtual std::size_t content_bytes() const = 0;
  /// The text of piece `i` (0-based, < size()): a view of `buffer`, into
  /// which it is decompressed (resized to it; reuse one buffer for each
  /// piece in turn), or of the piece itself where it is stored as text;
  /// valid while both live unchanged. Thread-safe for distinct buffers.
  /// Throws StoreError for a damaged piece (checksum, cut short, content
  /// other than its header gives) and std::out_of_range for `i` past the last.
  virtual std::string_view text(std::size_t i, std::string& buffer) const = 0;
};

/// A snapshot with its payload in pieces (SnapshotStore::snapshot_pieces).
struct PiecedSnapshot {
  SnapshotInfo info;
  std::unique_ptr<const PayloadPieces> payload;
};

/// Wakes up when another process moved the live pointer (PostgreSQL
/// LISTEN/NOTIFY; SQLite: a signal file watched by inotify). Notifications
/// sent while disconnected are lost, so callers
/// re-read the live pointer after wait() returns for any reason.
class LiveListener {
 public:
  virtual ~LiveListener() = default;
  /// Blocks up to `timeout_ms`; true when a notification arrived. Throws
  /// StoreError when the connection is lost (reconnect with a new listener).
  virtual bool wait(int timeout_ms) = 0;
};

class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;

  /// Number of the live snapshot; nullopt when nothing was ever published.
  virtual std::optional<std::int64_t> live_snapshot_number() = 0;
  virtual std::optional<Snapshot> snapshot(std::int64_t number) = 0;
  /// snapshot() with the payload in the pieces it is stored in, none of it
  /// decompressed yet (PayloadPieces): the same content, piece by piece. A
  /// payload stored as one text (before schema 24) is one piece. nullopt
  /// when there is no such snapshot. Throws StoreError for frames whose
  /// content is not the size the snapshot's row gives, or over 2 GiB.
  virtual std::optional<PiecedSnapshot> snapshot_pieces(std::int64_t number) = 0;
  /// Newest first, without payloads.
  virtual std::vector<SnapshotInfo> list_snapshots() = 0;
  virtual std::vector<EventChange> snapshot_changes(std::int64_t number) = 0;
  /// The public changelog: up to `limit` changes of the snapshots numbered up
  /// to `upto`, newest snapshot first, each snapshot's changes in order.
  virtual std::vector<std::pair<std::int64_t, EventChange>> recent_changes(std::int64_t upto, int limit) = 0;

  /// In ONE transaction (publishes are serialised): stores the snapshot with
  /// the next number and `payload` (the bytes encode_snapshot gives: JSON
  /// Lines, docs/snapshot-format.md; read during the call only, not kept),
  /// its changelog (with details), bumps the iCalendar
  /// SEQUENCE of every changed or removed event, writes the outbox rows of
  /// `notices` (one pending event_changed row per notifiable registration of
  /// each event, folded into the registration's pending row when it has one
  /// that no worker holds), and moves the live pointer to it. A failure
  /// leaves the previous snapshot live and writes nothing. Sets info.number.
  /// After the commit, other instances are notified (PostgreSQL NOTIFY, never
  /// inside a registration transaction; SQLite: the signal file is written). With `audit`, that entry is written
  /// in the same transaction, its target set to "snapshot N" (the number is
  /// chosen inside it). Throws StoreError.
  virtual SnapshotInfo publish_snapshot(SnapshotInfo info, std::string_view payload,
                                        const std::vector<EventChange>& changes, UnixSeconds now,
                                        const PublishNotices& notices = {}, const AuditEntry* audit = nullptr) = 0;
  /// publish_snapshot() of a payload framed by frame_payload(): the same
  /// rows; `info.content_hash` is taken as given (the caller sets it from
  /// `payload`). Throws StoreError.
  virtual SnapshotInfo publish_snapshot(SnapshotInfo info, const FramedPayload& payload,
                                        const std::vector<EventChange>& changes, UnixSeconds now,
                                        const PublishNotices& notices = {}, const AuditEntry* audit = nullptr) = 0;
  /// The payload `write` gives, as `parts` parts one after the other (part
  /// 0 first), framed as publish_snapshot stores it, with its SHA-256 and
  /// size; nothing is written to the store. Each part is written on a
  /// thread of its own (part 0 on the calling one; one after the other when
  /// no thread can be started), and each piece is compressed and hashed as
  /// it comes: the content is never held whole. Throws what `write` throws,
  /// StoreError (compression), std::runtime_error (hashing),
  /// std::invalid_argument when parts is 0.
  virtual FramedPayload frame_payload(std::size_t parts, const PayloadWriter& write) = 0;

  /// A listener for live-pointer moves; nullptr when the backend cannot give
  /// one (SQLite without inotify on the database's folder: poll
  /// live_snapshot_number()). Throws StoreError (PostgreSQL unreachable).
  virtual std::unique_ptr<LiveListener> listen_live() = 0;
};

}  // namespace marquee
