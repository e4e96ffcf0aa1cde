#include "core/partner.hpp"

#include "core/registration.hpp"
#include "core/text.hpp"

namespace marquee {

Partner normalize_partner(Partner p) {
  p.name = collapse_whitespace(trim(p.name));
  p.contact_email = trim(p.contact_email);
  if (auto e = normalize_email(p.contact_email)) p.contact_email = *e;
  p.notes = trim(p.notes);
  return p;
}

std::vector<std::pair<std::string, std::string>> check_partner(const Partner& p) {
  std::vector<std::pair<std::string, std::string>> out;
  if (p.name.empty()) out.emplace_back("name", "Give the partner's name.");
  else if (p.name.size() > 200) out.emplace_back("name", "The name is longer than 200 bytes.");
  if (!p.contact_email.empty() && (!normalize_email(p.contact_email) || p.contact_email.size() > 254))
    out.emplace_back("contact_email", "The contact address is not a valid e-mail address, e.g. ads@example.org.");
  if (p.notes.size() > 10000) out.emplace_back("notes", "The notes are longer than 10,000 bytes.");
  return out;
}

}  // namespace marquee
