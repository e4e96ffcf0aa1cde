#pragma once
// The moves on the working state's events, as one service the console and
// the API hold (instead of the store): create, edit, delete, restore, remove
// the demo programme. Each is the app function of the same name, which
// writes its audit entry.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "app/event_create.hpp"
#include "app/event_delete.hpp"
#include "app/event_edit.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

class EventMoves {
 public:
  EventMoves(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  /// create_event (app/event_create.hpp).
  EventCreate create(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& key,
                     const std::string& default_zone, const std::string& actor) {
    return create_event(store_, clock_, fields, key, default_zone, actor);
  }
  /// save_event (app/event_edit.hpp).
  FieldEdit save(const Event& current, Event edited, std::int64_t expected_version, const std::string& actor) {
    return save_event(store_, clock_, current, std::move(edited), expected_version, actor);
  }
  /// edit_fields (app/event_edit.hpp).
  FieldEdit edit(const std::string& key, std::int64_t expected_version,
                 const std::vector<std::pair<std::string, std::string>>& changes, const std::string& actor) {
    return edit_fields(store_, clock_, key, expected_version, changes, actor);
  }
  /// delete_events (app/event_delete.hpp).
  Store::DeleteOutcome remove(const std::vector<std::string>& keys, const std::string& actor) {
    return delete_events(store_, clock_, keys, actor);
  }
  /// restore_deleted_event (app/event_delete.hpp).
  Event restore(std::int64_t audit_id, const std::string& actor) {
    return restore_deleted_event(store_, clock_, audit_id, actor);
  }
  /// demo_event_keys and remove_demo_programme (app/event_delete.hpp).
  std::vector<std::string> demo_keys() { return demo_event_keys(store_); }
  Store::DeleteOutcome remove_demo(const std::string& actor) { return remove_demo_programme(store_, clock_, actor); }

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace marquee
