#include "cli/cli_context.hpp"

#include <fstream>
#include <iostream>

namespace marquee {

void CliContext::add_db(CLI::App* sub) {
  sub->add_option("--db", db, "Store URL: sqlite:///rel.db, sqlite:////abs.db or postgresql://user@host:port/db")
      ->capture_default_str();
}

std::unique_ptr<Store> CliContext::open_migrated_store() const {
  auto store = open_store(db);
  store->migrate();
  return store;
}

void CliContext::when_parsed(CLI::App* sub, std::function<int()> run) {
  add_runner([sub, run = std::move(run)] { return sub->parsed() ? run() : -1; });
}

void CliContext::when_parsed_with_store(CLI::App* sub, std::function<int(Store&, const Clock&)> run) {
  when_parsed(sub, [this, run = std::move(run)] {
    SystemClock clock;
    auto store = open_migrated_store();
    return run(*store, clock);
  });
}

void CliContext::add_runner(std::function<int()> run) { runners_.push_back(std::move(run)); }

int CliContext::run() const {
  try {
    for (const auto& runner : runners_)
      if (const int status = runner(); status >= 0) return status;
  } catch (const std::exception& e) {
    std::cerr << "marquee: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

void write_output(const std::string& path, const std::string& bytes) {
  if (path.empty()) {
    std::cout << bytes;
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace marquee
