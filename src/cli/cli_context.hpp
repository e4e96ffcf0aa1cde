#pragma once
// What the subcommand files share: the store URL (--db), the runners of the
// subcommands, and how a result is written.
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

class CliContext {
 public:
  /// The store URL every --db option fills.
  std::string db = "sqlite:///var/marquee.db";

  /// Adds --db (the store URL, its default shown in --help) to `sub`.
  void add_db(CLI::App* sub);
  /// The store at --db with pending migrations applied. Throws StoreError.
  std::unique_ptr<Store> open_migrated_store() const;
  /// Registers `run` for when `sub` was parsed; it returns the exit status.
  void when_parsed(CLI::App* sub, std::function<int()> run);
  /// The same, `run` given the store at --db (migrated) and the system clock.
  void when_parsed_with_store(CLI::App* sub, std::function<int(Store&, const Clock&)> run);
  /// Registers a runner that returns the exit status when its subcommand was
  /// parsed, else -1.
  void add_runner(std::function<int()> run);
  /// Runs the parsed subcommand: its exit status (0 when no runner claimed
  /// it). An exception is printed as "marquee: <what>" on stderr: exit 1.
  int run() const;

 private:
  std::vector<std::function<int()>> runners_;
};

/// Writes `bytes` to the file `path` (binary), or to standard output when
/// `path` is empty. Throws std::runtime_error("cannot write <path>").
void write_output(const std::string& path, const std::string& bytes);

}  // namespace marquee
