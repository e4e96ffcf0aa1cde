#pragma once
// Console roles and what each may do (no I/O).
#include <optional>
#include <string_view>

namespace marquee {

enum class Role { owner, editor, operations, door, viewer };

/// What a route needs.
enum class Capability {
  view,       ///< dashboard, status, snapshots, diffs, audit log (every role but door)
  content,    ///< edit events, imports, moderation (owner, editor)
  operate,    ///< publish, rollback, backup, restore (owner, operations)
  attendees,  ///< attendee lists and exports, message previews, erasure (owner, operations)
  check_in,   ///< check tickets in at the door (owner, operations, door)
  users,      ///< manage console users (owner)
  settings,   ///< the festival settings: name, time zone, public URL, contact, logo (owner)
  backups,    ///< download backup files, which hold every secret and all personal data (owner)
  signed_in,  ///< anything every signed-in user may do (the dashboard, logging out)
};

std::string_view to_string(Role r);
/// "view", "content", "operate", "attendees", "check_in", "users", "settings", "backups", "signed_in".
std::string_view to_string(Capability c);
std::optional<Capability> parse_capability(std::string_view s);
std::optional<Role> parse_role(std::string_view s);

/// True when `role` has `capability`. Viewers are read-only: callers pass
/// `write` for state-changing requests, which viewers never get.
bool role_can(Role role, Capability capability, bool write);

}  // namespace marquee
