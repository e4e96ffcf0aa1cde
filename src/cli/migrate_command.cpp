#include "cli/migrate_command.hpp"

#include <iostream>

#include "ports/store.hpp"

namespace marquee {

void add_migrate_command(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("migrate", "Apply pending schema migrations");
  ctx.add_db(cmd);
  ctx.when_parsed_with_store(cmd, [](Store& store, const Clock&) {
    std::cout << "schema version " << store.schema_version() << "\n";
    return 0;
  });
}

}  // namespace marquee
