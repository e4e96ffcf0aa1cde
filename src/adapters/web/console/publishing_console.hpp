#pragma once
// The console's publishing page: what would change (working state against
// the live snapshot, field by field), publish with a note, the snapshots
// with rollback (after a confirmation showing its diff), and backups: take
// one now, list, download, restore (after typing RESTORE).
#include <functional>

#include "app/backups.hpp"
#include "ports/event_reader.hpp"
#include "ports/snapshot_store.hpp"

#include "adapters/web/pages.hpp"
#include "adapters/http/router.hpp"
#include "app/publisher.hpp"

namespace marquee {

class PublishingConsole {
 public:
  /// `backups`: the backup moves (nullptr = backups are off on this server;
  /// plain backups make the page warn); `on_restored` runs after a restore
  /// (e.g. refresh the programme).
  PublishingConsole(SiteRef site, EventReader& events, SnapshotStore& snapshots, Publisher& publisher, const Clock& clock, Backups* backups,
                    std::function<void()> on_restored);

  /// GET  /admin/publishing                 view     pending changes, publish form, snapshots, backups
  /// POST /admin/publish                    operate  note
  /// GET  /admin/snapshots/{number}         view     a snapshot's changelog
  /// GET  /admin/rollback/{number}          operate  confirmation: what the rollback changes
  /// POST /admin/rollback/{number}          operate  note
  /// POST /admin/backups                    operate  take a backup now
  /// GET  /admin/backups/{name}             operate  download it
  /// GET  /admin/backups/{name}/restore     operate  confirmation form
  /// POST /admin/backups/{name}/restore     operate  confirm=RESTORE
  void add_routes(Router& router);

 private:
  Response overview(const Request& req);
  Response publish(const Request& req);
  Response snapshot(const Request& req, const std::string& number);
  Response rollback_confirm(const Request& req, const std::string& number);
  Response rollback(const Request& req, const std::string& number);
  Response take(const Request& req);
  Response download(const Request& req, const std::string& name);
  Response restore_confirm(const Request& req, const std::string& name, const std::string& error, int status);
  Response restore(const Request& req, const std::string& name);
  std::string backup_path(const std::string& name) const;

  SiteRef site_;
  EventReader& events_;
  SnapshotStore& snapshots_;
  Publisher& publisher_;
  const Clock& clock_;
  Backups* backups_;
  std::function<void()> on_restored_;
};

}  // namespace marquee
