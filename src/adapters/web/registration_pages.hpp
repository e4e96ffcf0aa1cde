#pragma once
// HTML registration for phones, without JavaScript: the form on
// /events/{key}/register, the personal page /r/{token} with the QR ticket,
// the .ics and SVG downloads, cancellation, and the answer to a waiting-list
// offer (accept or decline the held place).
#include "adapters/http/router.hpp"
#include "adapters/http/visit_counter.hpp"
#include "adapters/web/pages.hpp"
#include "app/address_limit.hpp"
#include "app/place_offers.hpp"
#include "app/reconfirmations.hpp"
#include "app/registration_service.hpp"
#include "app/ticket_signer.hpp"

namespace marquee {

class RegistrationPages {
 public:
  /// How the form answers (issue 13, item 11). `by_email` false (the
  /// default without mail delivery): a new registration opens its personal
  /// page; an address already registered gets `answer(…, fresh=false)`.
  /// `by_email` true: every accepted form gets `answer(…, fresh)`, the same
  /// "check your inbox" page whether or not the address was registered, and
  /// the personal link goes by e-mail only. Without `answer`: a 409 form.
  struct Confirmation {
    bool by_email = false;
    std::function<Response(const Request&, const std::string& email, const std::string& key, bool fresh)> answer;
  };
  RegistrationPages(SiteRef site, RegistrationService& service, EventLookup events, AddressLimit& limiter,
                    Confirmation confirmation);

  /// Adds (all blocking, public):
  ///   GET  /events/{key}/register   the form, with the places left
  ///   POST /events/{key}/register   form post → 303 to /r/{token}, or the form again with errors (422/409);
  ///                                 see Confirmation for an address already registered and for by_email
  ///   GET  /r/{token}               the personal page
  ///   POST /r/{token}/cancel        → 303 to /r/{token}
  ///   POST /r/{token}/offer/accept  → 303 to /r/{token}?offer=<accepted|expired|no_offer> (with set_offers)
  ///   POST /r/{token}/offer/decline → 303 to /r/{token}?offer=<declined|expired|no_offer> (with set_offers)
  ///   GET  /r/{token}/ticket.svg    the QR ticket
  ///   GET  /r/{token}/ticket.png    the same as a PNG image
  ///   GET  /r/{token}/event.ics     the event for a calendar (RFC 5545)
  void add_routes(Router& router);

  /// Where accepted registrations (confirmed or waitlisted, not replays)
  /// are counted for analytics; null: not counted. Must outlive this.
  void set_visit_counter(const VisitCounter* counter) { counter_ = counter; }

  /// Signs the tickets' QR codes (TicketSigner: code, event, validity, for
  /// door devices that check them offline); null: the QR code holds the plain
  /// ticket code. Must outlive this.
  void set_ticket_signer(TicketSigner* signer) { signer_ = signer; }

  /// Answers waiting-list offers; null: no offer routes (and no offer shown).
  /// Must outlive this. Call before add_routes.
  void set_offers(WaitingListOffers* offers) { offers_ = offers; }
  /// Answers "Still coming?" (POST /r/{token}/reconfirm → 303 ?reconfirm=yes|no;
  /// POST /r/{token}/release → 303 ?reconfirm=released|no); null: no routes, no block.
  /// Must outlive this. Call before add_routes.
  void set_reconfirmations(Reconfirmations* r) { reconfirmations_ = r; }

 private:
  const VisitCounter* counter_ = nullptr;
  TicketSigner* signer_ = nullptr;
  WaitingListOffers* offers_ = nullptr;
  Reconfirmations* reconfirmations_ = nullptr;
  Response answer_reconfirm(const Request& req, const std::string& token, bool coming);
  Response answer_offer(const Request& req, const std::string& token, bool accept);
  /// What the ticket's QR code holds: the signed payload, or the plain code.
  std::string qr_text(const Registration& r, const std::optional<Event>& event);
  struct FormState;
  Response form_page(const Event& e, const FormState& state, int status);
  Response show_form(const Request& req, const std::string& key);
  Response submit(const Request& req, const std::string& key);
  Response personal(const Request& req, const std::string& token);
  Response cancel(const Request& req, const std::string& token);
  Response ticket(const Request& req, const std::string& token, bool png);
  Response calendar(const Request& req, const std::string& token);
  /// GET /r/{token}/calendar.ics: every active registration with the token's e-mail (RFC 5545 feed).
  Response personal_feed(const Request& req, const std::string& token);
  Response not_found(const std::string& what);

  SiteRef site_;
  RegistrationService& service_;
  EventLookup events_;
  AddressLimit& limiter_;
  Confirmation confirmation_;
};

}  // namespace marquee
