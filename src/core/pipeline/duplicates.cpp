#include "core/pipeline/duplicates.hpp"

#include <algorithm>
#include <map>

namespace marquee::pipeline {

std::vector<DuplicateGroup> find_duplicates(const std::vector<Registrant>& registrants) {
  std::map<std::string, std::vector<std::size_t>> by_email, by_name_phone;
  for (std::size_t i = 0; i < registrants.size(); ++i) {
    const Registrant& r = registrants[i];
    if (!r.active()) continue;
    if (!r.value("email").empty()) by_email[r.value("email")].push_back(i);
    if (!r.value("phone").empty() && !r.value("name").empty())
      by_name_phone[fold_key(r.value("name")) + '\x1f' + r.value("phone")].push_back(i);
  }
  std::vector<DuplicateGroup> out;
  auto collect = [&](const std::map<std::string, std::vector<std::size_t>>& groups, const char* reason) {
    for (const auto& [k, members] : groups) {
      if (members.size() < 2) continue;
      DuplicateGroup g{reason, members};
      std::sort(g.members.begin(), g.members.end(),
                [&](std::size_t a, std::size_t b) { return registrants[a].key < registrants[b].key; });
      out.push_back(std::move(g));
    }
  };
  collect(by_email, "same e-mail");
  collect(by_name_phone, "same name and phone");
  std::stable_sort(out.begin(), out.end(), [&](const DuplicateGroup& a, const DuplicateGroup& b) {
    return registrants[a.members.front()].key < registrants[b.members.front()].key;
  });
  return out;
}

}  // namespace marquee::pipeline
