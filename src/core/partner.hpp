#pragma once
// A partner (sponsor, promoter, venue) who pays for placements of events
// (issue 17). Plain data and its checks, no I/O.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/event.hpp"

namespace marquee {

struct Partner {
  std::int64_t id = 0;
  std::string name;           ///< shown on the partner's report page and in the console; never on public pages
  std::string contact_email;  ///< lower-cased; "" when none
  std::string notes;          ///< for the operators
  UnixSeconds created_at = 0, updated_at = 0;
};

/// Trims the texts and lower-cases the e-mail address.
Partner normalize_partner(Partner p);

/// Field errors as (field, message), in form order; empty when valid:
/// "name" (required, at most 200 bytes), "contact_email" (a valid address
/// when given), "notes" (at most 10,000 bytes).
std::vector<std::pair<std::string, std::string>> check_partner(const Partner& p);

}  // namespace marquee
