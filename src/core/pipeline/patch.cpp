#include "core/pipeline/patch.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "core/text.hpp"

namespace marquee::pipeline {
namespace {

std::string quoted(const std::string& s) { return s.empty() ? "(empty)" : "\"" + s + "\""; }

/// Rows indexed by the folded values of one set of raw columns, built once per
/// distinct (source, columns) so that a thousand match patches stay linear.
class MatchIndex {
 public:
  MatchIndex(const std::vector<Registrant>& rs, const PatchContext& ctx) : rs_(rs), ctx_(ctx) {}

  std::vector<std::size_t> find(const Patch& p) {
    std::string sig = p.match_source;
    std::string wanted;
    for (const auto& [column, value] : p.match) {
      sig += '\x1e' + column;
      wanted += '\x1e' + fold_key(value);
    }
    auto [it, fresh] = indexes_.try_emplace(sig);
    if (fresh) {
      for (std::size_t i = 0; i < rs_.size(); ++i) {
        if (!p.match_source.empty() && rs_[i].source != p.match_source) continue;
        std::string k;
        bool complete = true;
        for (const auto& [column, value] : p.match) {
          auto v = ctx_.raw_column(rs_[i], column);
          if (!v) {
            complete = false;
            break;
          }
          k += '\x1e' + fold_key(*v);
        }
        if (complete) it->second[k].push_back(i);
      }
    }
    auto hit = it->second.find(wanted);
    return hit == it->second.end() ? std::vector<std::size_t>{} : hit->second;
  }

 private:
  const std::vector<Registrant>& rs_;
  const PatchContext& ctx_;
  std::unordered_map<std::string, std::unordered_map<std::string, std::vector<std::size_t>>> indexes_;
};

}  // namespace

std::vector<AppliedPatch> apply_patches(std::vector<Registrant>& registrants, const std::vector<Patch>& patches,
                                        const PatchContext& ctx, std::vector<std::string>* errors) {
  std::vector<AppliedPatch> applied;
  // A patch's record by key: a binary search when the registrants are in key
  // order (a build's), else a map of their keys; the first of equal keys.
  const bool in_key_order = in_key_order_of(registrants);
  std::unordered_map<std::string, std::size_t> by_key;
  if (!in_key_order)
    for (std::size_t i = 0; i < registrants.size(); ++i) by_key.emplace(registrants[i].key, i);
  auto find_key = [&](const std::string& key) -> std::optional<std::size_t> {
    if (!in_key_order) {
      const auto it = by_key.find(key);
      return it == by_key.end() ? std::nullopt : std::optional(it->second);
    }
    const auto it = std::lower_bound(registrants.begin(), registrants.end(), key,
                                     [](const Registrant& r, const std::string& k) { return r.key < k; });
    if (it == registrants.end() || it->key != key) return std::nullopt;
    return static_cast<std::size_t>(it - registrants.begin());
  };
  std::unordered_map<std::string, const Patch*> claimed;  // key \x1f field → first patch
  MatchIndex index(registrants, ctx);

  for (const Patch& p : patches) {
    auto fail = [&](const std::string& message) { errors->push_back(p.where() + ": " + message); };
    auto spec_it = ctx.fields->find(p.field);
    if (spec_it == ctx.fields->end()) {
      std::vector<std::string> names;
      for (const auto& [name, spec] : *ctx.fields) names.push_back(name);
      fail("unknown field \"" + p.field + "\" (fields: " + join(names, ", ") + ")");
      continue;
    }
    const FieldSpec& spec = spec_it->second;
    std::size_t target = 0;
    if (!p.record.empty()) {
      const auto found = find_key(p.record);
      if (!found) {
        fail("no registrant has the key " + p.record);
        continue;
      }
      target = *found;
    } else {
      std::string described;
      for (const auto& [column, value] : p.match) described += (described.empty() ? "" : ", ") + column + " = \"" + value + "\"";
      const auto rows = index.find(p);
      if (rows.empty()) {
        fail("no row matches " + described + (p.match_source.empty() ? "" : " in source " + p.match_source));
        continue;
      }
      if (rows.size() > 1) {
        std::vector<std::string> keys;
        for (auto r : rows) keys.push_back(registrants[r].key);
        fail(std::to_string(rows.size()) + " rows match " + described + " (" + join(keys, ", ") +
             "); name one record by its key");
        continue;
      }
      target = rows.front();
    }
    Registrant& r = registrants[target];
    const std::string claim = r.key + '\x1f' + p.field;
    if (auto it = claimed.find(claim); it != claimed.end()) {
      fail("conflicts with the patch at " + it->second->where() + ": both change " + p.field + " of " + r.key +
           "; keep one patch per record and field");
      continue;
    }
    const std::string before = r.value(p.field);
    if (p.old_value != before && ctx.normalize(spec, p.old_value).value != before) {
      fail("expected " + p.field + " of " + r.key + " to be " + quoted(p.old_value) + " but it is " + quoted(before));
      continue;
    }
    const Normalized after = ctx.normalize(spec, p.new_value);
    if (!after.note.empty() && !p.new_value.empty()) {
      fail("new value for " + p.field + " is not usable: " + after.note);
      continue;
    }
    claimed.emplace(claim, &p);
    r.values[p.field] = after.value;
    r.trace[p.field].push_back({"patch", p.where(), p.reason + " (" + p.author + ", " + p.date + ")", after.value});
    applied.push_back({&p, r.key, before, after.value});
  }
  return applied;
}

}  // namespace marquee::pipeline
