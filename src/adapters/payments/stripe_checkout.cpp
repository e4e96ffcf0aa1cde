#include "adapters/payments/stripe_checkout.hpp"

#include <curl/curl.h>

#include <cctype>

#include <boost/json/parse.hpp>

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace marquee {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string form_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

}  // namespace

std::string checkout_form(const CheckoutRequest& r) {
  const std::string id = std::to_string(r.placement_id);
  std::vector<std::pair<std::string, std::string>> fields = {
      {"mode", "payment"},
      {"client_reference_id", id},
      {"metadata[placement_id]", id},
      {"metadata[partner_id]", std::to_string(r.partner_id)},
      {"payment_intent_data[metadata][placement_id]", id},
      {"line_items[0][quantity]", "1"},
      {"line_items[0][price_data][currency]", r.currency},
      {"line_items[0][price_data][unit_amount]", std::to_string(r.amount_cents)},
      {"line_items[0][price_data][product_data][name]", r.description},
      {"success_url", r.success_url},
      {"cancel_url", r.cancel_url},
  };
  if (!r.customer_email.empty()) fields.emplace_back("customer_email", r.customer_email);
  std::string body;
  for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + form_encode(k) + "=" + form_encode(v);
  return body;
}

StripeCheckout::StripeCheckout(StripeOptions options) : options_(std::move(options)) { global_init(); }

CheckoutSession StripeCheckout::create_checkout(const CheckoutRequest& request) {
  if (options_.secret_key.empty())
    throw PaymentError("no Stripe secret key is configured (MARQUEE_STRIPE_SECRET_KEY or --stripe-secret-key-file)");
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw PaymentError("libcurl could not start a request");
  CURL* c = curl.get();
  const std::string url = options_.api_base + "/v1/checkout/sessions";
  const std::string body = checkout_form(request);
  std::string answer;
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("Authorization: Bearer " + options_.secret_key).c_str());
  headers = curl_slist_append(headers, ("Idempotency-Key: " + request.idempotency_key).c_str());
  headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, &curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, options_.timeout_seconds);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK)
    throw PaymentError("Stripe could not be reached at " + options_.api_base + ": " + (*error ? error : curl_easy_strerror(rc)));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  boost::system::error_code ec;
  const auto json = boost::json::parse(answer, ec);
  const boost::json::object* o = !ec && json.is_object() ? &json.as_object() : nullptr;
  if (status < 200 || status >= 300) {
    std::string message = "HTTP " + std::to_string(status);
    if (o)
      if (auto e = o->find("error"); e != o->end() && e->value().is_object())
        if (auto m = e->value().as_object().find("message"); m != e->value().as_object().end() && m->value().is_string())
          message += ": " + std::string(m->value().as_string());
    throw PaymentError("Stripe refused the checkout (" + message + ")");
  }
  CheckoutSession s;
  if (o) {
    if (auto it = o->find("id"); it != o->end() && it->value().is_string()) s.id = std::string(it->value().as_string());
    if (auto it = o->find("url"); it != o->end() && it->value().is_string()) s.url = std::string(it->value().as_string());
  }
  if (s.id.empty() || s.url.empty()) throw PaymentError("Stripe's answer has no checkout id and url");
  return s;
}

}  // namespace marquee
