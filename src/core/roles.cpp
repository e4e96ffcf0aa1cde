#include "core/roles.hpp"

namespace marquee {

std::string_view to_string(Role r) {
  switch (r) {
    case Role::owner: return "owner";
    case Role::editor: return "editor";
    case Role::operations: return "operations";
    case Role::door: return "door";
    case Role::viewer: return "viewer";
  }
  return "viewer";
}

std::string_view to_string(Capability c) {
  switch (c) {
    case Capability::view: return "view";
    case Capability::content: return "content";
    case Capability::operate: return "operate";
    case Capability::attendees: return "attendees";
    case Capability::check_in: return "check_in";
    case Capability::users: return "users";
    case Capability::settings: return "settings";
    case Capability::backups: return "backups";
    case Capability::signed_in: return "signed_in";
  }
  return "view";
}

std::optional<Capability> parse_capability(std::string_view s) {
  for (Capability c : {Capability::view, Capability::content, Capability::operate, Capability::attendees,
                       Capability::check_in, Capability::users, Capability::settings, Capability::backups, Capability::signed_in})
    if (to_string(c) == s) return c;
  return std::nullopt;
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role r : {Role::owner, Role::editor, Role::operations, Role::door, Role::viewer})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

bool role_can(Role role, Capability c, bool write) {
  if (c == Capability::signed_in) return true;
  switch (role) {
    case Role::owner: return true;
    case Role::editor: return c == Capability::view || c == Capability::content;
    case Role::operations:
      return c == Capability::view || c == Capability::operate || c == Capability::attendees || c == Capability::check_in;
    case Role::door: return c == Capability::check_in;
    // Read-only, and no personal data: attendee lists, exports, message
    // previews and the outbox's recipients need the attendees capability.
    case Role::viewer: return !write && c == Capability::view;
  }
  return false;
}

}  // namespace marquee
