#pragma once
// Places taken per event (confirmed, checked in, or held by an open
// waiting-list offer) for the public pages, read from the store in
// one query per refresh() (every couple of seconds and after a registration
// this process made) so that rendering an event page never waits for the
// database. Readers get the latest board without locking.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "ports/store.hpp"

namespace marquee {

class AvailabilityBoard {
 public:
  explicit AvailabilityBoard(Store& store) : store_(store) {}

  /// Re-reads every event's taken places (Store::taken_counts). Throws StoreError (the last board stays).
  void refresh();

  /// Places of `event_key` no one else can take: confirmed (incl. checked
  /// in) and held by open offers (0 for an event with no counter yet);
  /// nullopt until the first refresh() succeeded, so that nobody is told the
  /// whole capacity is free when it was never counted.
  std::optional<std::int64_t> taken(const std::string& event_key) const;

 private:
  using Board = std::map<std::string, std::int64_t>;
  Store& store_;
  std::shared_ptr<const Board> board_;
};

}  // namespace marquee
