#include "adapters/web/checkout_pages.hpp"

#include "adapters/render/templates.hpp"
#include "adapters/web/html_response.hpp"

namespace marquee {
namespace {

Response page(const SiteInfo& site, bool complete) {
  TemplateData d{kainjow::mustache::object{}};
  const std::string title = complete ? "Thank you for your payment" : "Payment not completed";
  d.set("title", title);
  d.set("complete", complete);
  set_text(d, "contact_email", site.contact_email);
  Response r = private_html(200, layout_page(site, title, render_template("checkout_return", d)));
  r.headers.emplace_back("X-Robots-Tag", "noindex");
  return r;
}

}  // namespace

void CheckoutPages::add_routes(Router& router) {
  router.add({"GET", "/checkout/complete", Access::public_access,
              [this](const Request&, const PathParams&) { return page(site_.get(), true); }});
  router.add({"GET", "/checkout/cancelled", Access::public_access,
              [this](const Request&, const PathParams&) { return page(site_.get(), false); }});
}

}  // namespace marquee
