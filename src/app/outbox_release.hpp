#pragma once
// "Send everything now" after an SMTP outage: without it, mail that piled up
// trickles out over up to an hour of retry backoff.
#include <cstdint>
#include <string>

#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Makes every pending outbox row due now (those waiting out a retry backoff
/// or a quiet period; rows folded later still fold into them until a worker
/// claims them) and writes the audit entry "notification_send_now" for
/// `actor`. Returns how many rows were made due. Throws StoreError.
std::int64_t release_outbox_now(Store& store, const Clock& clock, const std::string& actor);

/// Makes the failed outbox row `id` due again (Store::retry_outbox) and
/// audits "notification_retry" for `actor`; false (nothing written) when the
/// row does not exist or has not failed. Throws StoreError.
bool retry_notification(Store& store, const Clock& clock, std::int64_t id, const std::string& actor);

/// The two moves above as one service the console holds (instead of the store).
class OutboxMoves {
 public:
  OutboxMoves(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  bool retry(std::int64_t id, const std::string& actor) { return retry_notification(store_, clock_, id, actor); }
  std::int64_t release_now(const std::string& actor) { return release_outbox_now(store_, clock_, actor); }

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace marquee
