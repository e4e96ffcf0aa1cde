#pragma once
// Possible duplicate registrations, reported to organizers and never merged
// silently: an organizer resolves one with a patch (status = "duplicate").
#include <string>
#include <vector>

#include "core/pipeline/registrant.hpp"

namespace marquee::pipeline {

struct DuplicateGroup {
  std::string reason;                 ///< "same e-mail" | "same name and phone"
  std::vector<std::size_t> members;   ///< registrant indexes, ordered by key
};

/// Groups active registrants with the same non-empty normalized "email", and
/// those with the same name (folded) and the same non-empty phone. Groups are
/// ordered by their first member's key; a pair found by both rules is listed
/// under each.
std::vector<DuplicateGroup> find_duplicates(const std::vector<Registrant>& registrants);

}  // namespace marquee::pipeline
