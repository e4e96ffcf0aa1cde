#include "cli/user_commands.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <memory>

#include "app/accounts.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

struct Args {
  std::string email, role = "viewer";
  std::string token_name, token_scopes;
  int token_days = 90;
  std::int64_t token_id = 0;
};

// One line from standard input; on a terminal, prompted on stderr and not echoed.
std::string read_password(const std::string& email) {
  std::string password;
  if (isatty(STDIN_FILENO)) {
    std::cerr << "Password for " << email << ": " << std::flush;
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::getline(std::cin, password);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  } else {
    std::getline(std::cin, password);
  }
  return password;
}

int add_user(Store& store, const Clock& clock, const Args& a) {
  const std::string password = read_password(a.email);
  try {
    Accounts(store, clock).add_user(a.email, password, *parse_role(a.role), "cli");
  } catch (const std::invalid_argument& e) {
    std::cerr << "marquee: " << e.what() << "\n";
    return 2;
  }
  std::cout << "added " << a.email << " (" << a.role << ")\n";
  return 0;
}

int list_users(Store& store, const Clock&, const Args&) {
  for (const auto& u : store.list_users())
    std::cout << u.email << " " << to_string(u.role) << (u.disabled ? " (disabled)" : "") << "\n";
  return 0;
}

int create_token(Store& store, const Clock& clock, const Args& a) {
  try {
    std::cout << Accounts(store, clock).create_api_token(a.token_name, split_list(a.token_scopes, ','), a.token_days, "cli")
              << "\n";
  } catch (const std::invalid_argument& e) {
    std::cerr << "marquee: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

int list_tokens(Store& store, const Clock&, const Args&) {
  for (const auto& t : store.list_api_tokens())
    std::cout << t.id << " " << t.name << " [" << join_scopes(t.scopes) << "] "
              << (t.revoked_at ? "revoked" : t.expires_at ? "expires " + format_utc(*t.expires_at) : "no expiry") << "\n";
  return 0;
}

int revoke_token(Store& store, const Clock& clock, const Args& a) {
  if (!Accounts(store, clock).revoke_api_token(a.token_id, "cli")) {
    std::cerr << "marquee: no active token " << a.token_id << "\n";
    return 1;
  }
  std::cout << "revoked token " << a.token_id << "\n";
  return 0;
}

// Adds --db to `sub`, and `run` for when it was parsed.
void add_with_store(CliContext& ctx, CLI::App* sub, const std::shared_ptr<Args>& a,
                    int (*run)(Store&, const Clock&, const Args&)) {
  ctx.add_db(sub);
  ctx.when_parsed_with_store(sub, [a, run](Store& store, const Clock& clock) { return run(store, clock, *a); });
}

}  // namespace

void add_user_commands(CLI::App& app, CliContext& ctx) {
  auto a = std::make_shared<Args>();
  auto* user_cmd = app.add_subcommand("user", "Console users");
  user_cmd->require_subcommand(1);
  auto* user_add = user_cmd->add_subcommand("add", "Add a user; the password is read from standard input (prompted on a terminal)");
  add_with_store(ctx, user_add, a, add_user);
  user_add->add_option("EMAIL", a->email, "E-mail address (the login)")->required();
  user_add->add_option("--role", a->role, "owner, editor, operations, door or viewer")
      ->check(CLI::IsMember({"owner", "editor", "operations", "door", "viewer"}))->capture_default_str();
  add_with_store(ctx, user_cmd->add_subcommand("list", "List users and roles"), a, list_users);

  auto* token_cmd = app.add_subcommand("token", "API tokens for scripts (Authorization: Bearer)");
  token_cmd->require_subcommand(1);
  auto* token_create = token_cmd->add_subcommand("create", "Create a token; it is printed once");
  add_with_store(ctx, token_create, a, create_token);
  token_create->add_option("NAME", a->token_name, "What the token is for")->required();
  token_create->add_option("--scope", a->token_scopes, "Comma-separated: view, content, operate, attendees, check_in, users, backups")
      ->required();
  token_create->add_option("--expires-days", a->token_days, "Days until it expires (0 = never)")->capture_default_str();
  add_with_store(ctx, token_cmd->add_subcommand("list", "List tokens (never the secrets)"), a, list_tokens);
  auto* token_revoke = token_cmd->add_subcommand("revoke", "Revoke a token at once");
  add_with_store(ctx, token_revoke, a, revoke_token);
  token_revoke->add_option("ID", a->token_id, "Token id")->required();
}

}  // namespace marquee
