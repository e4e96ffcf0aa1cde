#pragma once
// JSON routes for publishing: revalidation by deploy token, and the
// operator's snapshot list, changelog, diff, publish and rollback.
#include "adapters/http/router.hpp"
#include "app/publisher.hpp"
#include "ports/snapshot_store.hpp"

namespace marquee {

class PublishingApi {
 public:
  PublishingApi(Publisher& publisher, SnapshotStore& snapshots);

  /// Adds (all blocking):
  ///   POST /api/v1/revalidate                 deploy token; body optional {"note"}
  ///   GET  /api/v1/admin/snapshots            staff; newest first
  ///   GET  /api/v1/admin/snapshots/{number}   staff; with its changelog
  ///   GET  /api/v1/admin/diff                 staff; ?from=N&to=M, default working state vs live
  ///   POST /api/v1/admin/publish              staff; {"note"}
  ///   POST /api/v1/admin/rollback             staff; {"snapshot": N, "note"}
  void add_routes(Router& router);

 private:
  Response publish(const Request& req);
  Response rollback(const Request& req);
  Response snapshots();
  Response snapshot(const Request& req, const std::string& number);
  Response diff(const Request& req);

  Publisher& publisher_;
  SnapshotStore& snapshots_;
};

}  // namespace marquee
