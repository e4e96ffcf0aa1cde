#pragma once
// Where Stripe Checkout sends a partner back (issue 17): GET /checkout/complete
// and GET /checkout/cancelled. Plain pages that say what happens next; the
// placement itself moves only on Stripe's signed webhook, never on this visit.
#include "adapters/http/router.hpp"
#include "adapters/web/pages.hpp"

namespace marquee {

class CheckoutPages {
 public:
  explicit CheckoutPages(SiteRef site) : site_(std::move(site)) {}
  /// Private pages: no-store, no referrer, X-Robots-Tag noindex.
  void add_routes(Router& router);

 private:
  SiteRef site_;
};

}  // namespace marquee
