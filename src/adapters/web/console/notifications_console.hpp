#pragma once
// The console's notifications page: the outbox with counts (pending, due,
// sent, failed, skipped), rows by state with the server's answer for
// failures, retry of a failed message, a preview of what a row would send,
// and the settings (which fields notify attendees, quiet period).
#include <functional>
#include <optional>

#include "app/outbox_release.hpp"
#include "ports/outbox_store.hpp"
#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/publisher.hpp"
#include "app/reminders.hpp"
#include "ports/notice_composer.hpp"

namespace marquee {

class NotificationsConsole {
 public:
  /// What row `id` would send (nullopt + reason when nothing); null when
  /// this server has no mail settings (previews are then unavailable).
  using Preview = std::function<std::optional<RenderedNotice>(std::int64_t id, std::string* why)>;

  NotificationsConsole(SiteRef site, OutboxStore& outbox, OutboxMoves& moves, Publisher& publisher, Reminders& reminders,
                       const Clock& clock, Preview preview,
                       std::function<void()> wake_delivery);

  /// GET  /admin/notifications                view       counts, rows (?state=), settings
  /// GET  /admin/notifications/{id}           attendees  the message a row would send (personal link redacted)
  /// POST /admin/notifications/send-now       operate    every pending row due now (after an SMTP outage)
  /// POST /admin/notifications/{id}/retry     operate    a failed row is due again
  /// POST /admin/notifications/settings       operate    fields, quiet_seconds, max_delay_seconds, reminders ("24h, 2h")
  void add_routes(Router& router);

 private:
  Response overview(const Request& req);
  Response preview(const Request& req, const std::string& id);
  Response retry(const Request& req, const std::string& id);
  Response settings(const Request& req);
  Response send_now(const Request& req);

  SiteRef site_;
  OutboxStore& outbox_;
  OutboxMoves& moves_;
  Publisher& publisher_;
  Reminders& reminders_;
  const Clock& clock_;
  Preview preview_;
  std::function<void()> wake_;
};

}  // namespace marquee
