#include "app/address_limit.hpp"

namespace marquee {

AddressLimit::AddressLimit(Store& store, std::string name, int limit, int window_seconds)
    : store_(store), name_(std::move(name)), limit_(limit), window_(window_seconds > 0 ? window_seconds : 60) {}

int AddressLimit::acquire(const std::string& address, UnixSeconds now) {
  if (limit_ <= 0) return 0;
  return store_.hit_rate_limit(name_ + ":address:" + address, limit_, window_, now);
}

}  // namespace marquee
