#include "core/placement.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>


namespace marquee {
namespace {

constexpr std::array<std::pair<PlacementSlot, std::string_view>, 3> kSlots{{
    {PlacementSlot::featured, "featured"},
    {PlacementSlot::promoted, "promoted"},
    {PlacementSlot::category_top, "category_top"},
}};
constexpr std::array<std::pair<PlacementState, std::string_view>, 9> kStates{{
    {PlacementState::draft, "draft"},
    {PlacementState::awaiting_payment, "awaiting_payment"},
    {PlacementState::paid, "paid"},
    {PlacementState::scheduled, "scheduled"},
    {PlacementState::active, "active"},
    {PlacementState::paused, "paused"},
    {PlacementState::ended, "ended"},
    {PlacementState::cancelled, "cancelled"},
    {PlacementState::refunded, "refunded"},
}};

template <typename T, std::size_t N>
std::string_view name_of(const std::array<std::pair<T, std::string_view>, N>& table, T v) {
  for (const auto& [value, name] : table)
    if (value == v) return name;
  return table[0].second;
}

template <typename T, std::size_t N>
std::optional<T> parse_name(const std::array<std::pair<T, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [value, name] : table)
    if (name == s) return value;
  return std::nullopt;
}

using S = PlacementState;

bool in(S s, std::initializer_list<S> set) { return std::find(set.begin(), set.end(), s) != set.end(); }

PlacementMoveResult moved(S to) { return PlacementMoveResult{true, true, to, ""}; }
PlacementMoveResult unchanged(S s) { return PlacementMoveResult{true, false, s, ""}; }
PlacementMoveResult refused(S s, std::string why) { return PlacementMoveResult{false, false, s, std::move(why)}; }

// A number in (0, 1] from the viewer key and the placement id, the same on
// every instance: FNV-1a (64-bit) of the viewer key, mixed with the id by
// splitmix64's finaliser. Uniform, not secret (the key is already a hash).
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

double unit_hash(std::uint64_t viewer, std::int64_t id) {
  std::uint64_t z = viewer ^ (static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return (static_cast<double>(z >> 11) + 1.0) / 9007199254740992.0;  // 53 bits, never 0
}

}  // namespace

std::string_view to_string(PlacementSlot s) { return name_of(kSlots, s); }
std::optional<PlacementSlot> parse_placement_slot(std::string_view s) { return parse_name(kSlots, s); }
std::string_view to_string(PlacementState s) { return name_of(kStates, s); }
std::optional<PlacementState> parse_placement_state(std::string_view s) { return parse_name(kStates, s); }

std::string_view to_string(PlacementMove m) {
  switch (m) {
    case PlacementMove::request_payment: return "request_payment";
    case PlacementMove::payment_succeeded: return "payment_succeeded";
    case PlacementMove::payment_failed: return "payment_failed";
    case PlacementMove::approve: return "approve";
    case PlacementMove::pause: return "pause";
    case PlacementMove::resume: return "resume";
    case PlacementMove::end: return "end";
    case PlacementMove::cancel: return "cancel";
    case PlacementMove::refund: return "refund";
  }
  return "request_payment";
}

PlacementMoveResult apply_move(PlacementState from, PlacementMove move) {
  switch (move) {
    case PlacementMove::request_payment:
      if (from == S::draft) return moved(S::awaiting_payment);
      if (from == S::awaiting_payment) return unchanged(from);
      return refused(from, "only a draft can be sent to payment");
    case PlacementMove::payment_succeeded:
      if (in(from, {S::draft, S::awaiting_payment})) return moved(S::paid);
      // Late or repeated: the payment is already known (or was refunded since).
      return unchanged(from);
    case PlacementMove::payment_failed:
      if (from == S::awaiting_payment) return moved(S::draft);
      return unchanged(from);  // a failure after a success changes nothing
    case PlacementMove::approve:
      if (from == S::paid) return moved(S::scheduled);
      if (from == S::scheduled || from == S::active) return unchanged(from);
      return refused(from, "only a paid placement can be approved");
    case PlacementMove::pause:
      if (in(from, {S::scheduled, S::active})) return moved(S::paused);
      if (from == S::paused) return unchanged(from);
      return refused(from, "only a scheduled or active placement can be paused");
    case PlacementMove::resume:
      if (from == S::paused) return moved(S::scheduled);
      if (from == S::scheduled || from == S::active) return unchanged(from);
      return refused(from, "only a paused placement can be resumed");
    case PlacementMove::end:
      if (in(from, {S::scheduled, S::active, S::paused})) return moved(S::ended);
      if (from == S::ended) return unchanged(from);
      return refused(from, "only a scheduled, active or paused placement can be ended");
    case PlacementMove::cancel:
      if (in(from, {S::draft, S::awaiting_payment, S::paid, S::scheduled, S::active, S::paused})) return moved(S::cancelled);
      if (from == S::cancelled || from == S::refunded) return unchanged(from);
      return refused(from, "an ended placement cannot be cancelled");
    case PlacementMove::refund:
      if (in(from, {S::paid, S::scheduled, S::active, S::paused, S::ended, S::cancelled})) return moved(S::refunded);
      if (from == S::refunded) return unchanged(from);
      // A refund event before the payment event (out of order): the placement was never paid here.
      return moved(S::refunded);
  }
  return refused(from, "unknown move");
}

PlacementState effective_state(const Placement& p, UnixSeconds now) {
  if (p.state != S::scheduled && p.state != S::active) return p.state;
  if (now >= p.ends_at) return S::ended;
  if (now >= p.starts_at) return S::active;
  return S::scheduled;
}

std::optional<std::string> why_not_showing(const Placement& p, const Event& e, UnixSeconds now) {
  const S s = effective_state(p, now);
  if (s != S::active) {
    if (s == S::scheduled) return "its window has not opened yet";
    return "it is " + std::string(to_string(s));
  }
  if (e.status == EventStatus::cancelled) return "its event is cancelled";
  if (e.status != EventStatus::published) return "its event is not published";
  const UnixSeconds event_end = e.ends_at > e.starts_at ? e.ends_at : e.starts_at;
  if (event_end <= now) return "its event is over";
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> check_placement(const Placement& p) {
  std::vector<std::pair<std::string, std::string>> out;
  if (p.event_key.empty()) out.emplace_back("event_key", "Choose the event to place.");
  if (p.ends_at <= p.starts_at) out.emplace_back("ends_at", "The window must end after it starts.");
  if (p.priority < 1 || p.priority > 10) out.emplace_back("priority", "Priority is a number from 1 (first) to 10.");
  if (p.share_of_voice < 1 || p.share_of_voice > 100)
    out.emplace_back("share_of_voice", "Share of voice is a number from 1 to 100.");
  if (p.price_cents < 0) out.emplace_back("price_cents", "The price cannot be negative.");
  const bool currency_ok = p.currency.size() == 3 && std::all_of(p.currency.begin(), p.currency.end(),
                                                                   [](char c) { return c >= 'a' && c <= 'z'; });
  if (!currency_ok) out.emplace_back("currency", "The currency is a three-letter ISO 4217 code, e.g. eur.");
  return out;
}

std::vector<const Placement*> rotate(const std::vector<const Placement*>& candidates, std::size_t count,
                                     std::string_view viewer_key) {
  // Weighted rendezvous hashing: score -ln(u)/weight, lowest first; a placement
  // comes first with probability weight / sum of weights of its priority.
  if (candidates.empty() || count == 0) return {};
  const std::uint64_t keyed = fnv1a(viewer_key);
  std::vector<std::pair<std::pair<int, double>, const Placement*>> scored;
  scored.reserve(candidates.size());
  for (const Placement* p : candidates) {
    const double weight = std::clamp(p->share_of_voice, 1, 100);
    scored.push_back({{p->priority, -std::log(unit_hash(keyed, p->id)) / weight}, p});
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second->id < b.second->id;
  });
  std::vector<const Placement*> out;
  for (std::size_t i = 0; i < scored.size() && out.size() < count; ++i) out.push_back(scored[i].second);
  return out;
}

}  // namespace marquee
