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
    case Role::viewer: return !write && (c == Capability::view || c == Capability::attendees);
  }
  return false;
}

}  // namespace marquee
