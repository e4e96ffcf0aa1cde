#include "cli/stripe_config.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "core/text.hpp"

namespace marquee {
namespace {

std::vector<std::string> lines_of(const std::string& file, const char* what) {
  std::vector<std::string> out;
  if (file.empty()) return out;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + std::string(what) + " '" + file + "'");
  for (std::string line; std::getline(in, line);) {
    const std::string t = trim(line);
    if (!t.empty() && t[0] != '#') out.push_back(t);
  }
  return out;
}

}  // namespace

std::unique_ptr<StripeCheckout> stripe_checkout_from(const ServeArgs& args) {
  StripeOptions o;
  o.api_base = args.stripe_api_base;
  while (o.api_base.ends_with('/')) o.api_base.pop_back();
  const auto from_file = lines_of(args.stripe_secret_key_file, "the Stripe secret key file");
  if (!from_file.empty()) o.secret_key = from_file.front();
  else if (const char* env = std::getenv("MARQUEE_STRIPE_SECRET_KEY")) o.secret_key = trim(env);
  if (o.secret_key.empty()) return nullptr;
  return std::make_unique<StripeCheckout>(o);
}

std::vector<std::string> stripe_webhook_secrets_from(const ServeArgs& args) {
  std::vector<std::string> out;
  if (const char* env = std::getenv("MARQUEE_STRIPE_WEBHOOK_SECRETS"))
    for (const auto& s : split_list(env, ','))
      if (!trim(s).empty()) out.push_back(trim(s));
  for (auto& s : lines_of(args.stripe_webhook_secret_file, "the Stripe webhook secret file")) out.push_back(std::move(s));
  return out;
}

}  // namespace marquee
