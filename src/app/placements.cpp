#include "app/placements.hpp"


namespace marquee {

std::optional<PlacementMove> parse_operator_move(std::string_view s) {
  if (s == "mark_paid") return PlacementMove::payment_succeeded;  // paid outside Stripe (invoice, bank transfer)
  for (PlacementMove m : {PlacementMove::approve, PlacementMove::pause, PlacementMove::resume, PlacementMove::end,
                          PlacementMove::cancel, PlacementMove::refund})
    if (to_string(m) == s) return m;
  return std::nullopt;
}

PartnerSaved PlacementService::save_partner(Partner p, const std::string& actor) {
  PartnerSaved out;
  p = normalize_partner(std::move(p));
  out.errors = check_partner(p);
  if (!out.errors.empty()) return out;
  const ChangeBy by{actor, clock_.now(), ""};
  if (p.id == 0) {
    out.id = store_.add_partner(p, by);
    return out;
  }
  out.id = p.id;
  out.found = store_.update_partner(p, by);
  return out;
}

FieldErrors PlacementService::check(const Placement& p) {
  FieldErrors errors = check_placement(p);
  if (!store_.find_partner(p.partner_id)) errors.emplace(errors.begin(), "partner_id", "Choose a partner.");
  if (!p.event_key.empty() && !store_.find_event(p.event_key))
    errors.emplace_back("event_key", "There is no event with the key '" + p.event_key + "'.");
  return errors;
}

PlacementSaved PlacementService::create_placement(const Placement& p, const std::string& actor) {
  PlacementSaved out;
  out.errors = check(p);
  if (!out.errors.empty()) return out;
  const std::int64_t id = store_.add_placement(p, ChangeBy{actor, clock_.now(), ""});
  out.result = PlacementSaved::Result::created;
  out.placement = *store_.find_placement(id);
  return out;
}

PlacementSaved PlacementService::edit_placement(const Placement& p, std::int64_t expected_version,
                                                const std::string& actor) {
  PlacementSaved out;
  auto stored = store_.find_placement(p.id);
  if (!stored) {
    out.result = PlacementSaved::Result::not_found;
    return out;
  }
  Placement edited = p;
  edited.partner_id = stored->partner_id;  // a placement stays with its partner
  out.errors = check(edited);
  if (!out.errors.empty()) return out;
  switch (store_.update_placement(edited, expected_version, ChangeBy{actor, clock_.now(), ""}, &out.placement)) {
    case PlacementEditResult::updated: out.result = PlacementSaved::Result::updated; break;
    case PlacementEditResult::unchanged: out.result = PlacementSaved::Result::unchanged; break;
    case PlacementEditResult::conflict: out.result = PlacementSaved::Result::conflict; break;
    case PlacementEditResult::not_found: out.result = PlacementSaved::Result::not_found; break;
  }
  return out;
}

PlacementMoved PlacementService::move(std::int64_t id, PlacementMove m, const std::string& actor,
                                      const std::string& detail) {
  PlacementMoved out;
  const UnixSeconds now = clock_.now();
  const PlacementMoveOutcome o = store_.move_placement(id, m, ChangeBy{actor, now, detail});
  if (!o.found) return out;
  out.placement = o.placement;
  if (!o.result.allowed) {
    out.result = PlacementMoved::Result::refused;
    out.reason = o.result.reason;
    return out;
  }
  out.result = o.result.changed ? PlacementMoved::Result::moved : PlacementMoved::Result::unchanged;
  const PlacementState s = o.placement.state;
  if (s == PlacementState::scheduled || s == PlacementState::active) {
    if (auto e = store_.find_event(o.placement.event_key)) {
      if (auto why = why_not_showing(o.placement, *e, now); why && effective_state(o.placement, now) == PlacementState::active)
        out.warning = "It does not show: " + *why + ".";
      else if (effective_state(o.placement, now) == PlacementState::ended)
        out.warning = "It does not show: its window has closed.";
    } else {
      out.warning = "It does not show: its event no longer exists.";
    }
  }
  return out;
}

CheckoutStarted PlacementService::start_checkout(std::int64_t id, PaymentGateway& gateway, const std::string& public_url,
                                                 const std::string& actor) {
  CheckoutStarted out;
  auto p = store_.find_placement(id);
  if (!p) return out;
  out.placement = *p;
  out.result = CheckoutStarted::Result::refused;
  if (p->state != PlacementState::draft && p->state != PlacementState::awaiting_payment) {
    out.reason = "only a draft or unpaid placement can be paid (it is " + std::string(to_string(p->state)) + ")";
    return out;
  }
  if (p->price_cents <= 0) {
    out.reason = "it has no price; set one, or mark it paid if it is free";
    return out;
  }
  if (public_url.empty()) {
    out.reason = "the server has no --public-url, so the checkout could not send the partner back";
    return out;
  }
  const auto partner = store_.find_partner(p->partner_id);
  const auto event = store_.find_event(p->event_key);
  CheckoutRequest r;
  r.placement_id = p->id;
  r.partner_id = p->partner_id;
  const char* slot = p->slot == PlacementSlot::featured ? "Featured placement"
                     : p->slot == PlacementSlot::promoted ? "Promoted placement"
                                                          : "Category top placement";
  r.description = std::string(slot) + ": " + (event ? event->title : p->event_key);
  r.amount_cents = p->price_cents;
  r.currency = p->currency;
  r.customer_email = partner ? partner->contact_email : "";
  r.success_url = public_url + "/checkout/complete";
  r.cancel_url = public_url + "/checkout/cancelled";
  r.idempotency_key = "marquee-placement-" + std::to_string(p->id) + "-v" + std::to_string(p->version);
  CheckoutSession session;
  try {
    session = gateway.create_checkout(r);
  } catch (const PaymentError& e) {
    out.result = CheckoutStarted::Result::failed;
    out.reason = e.what();
    return out;
  }
  const ChangeBy by{actor, clock_.now(), session.id};
  store_.set_checkout_session(p->id, session.id, by);
  store_.move_placement(p->id, PlacementMove::request_payment, by);
  out.result = CheckoutStarted::Result::started;
  out.url = session.url;
  out.placement = *store_.find_placement(p->id);
  return out;
}

}  // namespace marquee
