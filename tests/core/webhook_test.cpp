// The webhook rules of core/webhook: event types, which URLs and addresses
// may receive deliveries, the Stripe-like signature (checked with the same
// verifier Marquee uses for Stripe's own), and the retry schedule.
#include <gtest/gtest.h>

#include "core/stripe_signature.hpp"
#include "core/webhook.hpp"

using namespace marquee;

TEST(WebhookEvents, ParseKnownTypesInOrderAndStarForAll) {
  std::string error;
  EXPECT_EQ(*parse_webhook_events("event.published, registration.created,registration.created", &error),
            (std::vector<std::string>{"registration.created", "event.published"}));
  EXPECT_EQ(*parse_webhook_events("*", &error), webhook_event_types());
  EXPECT_EQ(webhook_event_types().size(), 6u);
  EXPECT_FALSE(parse_webhook_events("registration.deleted", &error));
  EXPECT_NE(error.find("unknown event type 'registration.deleted'"), std::string::npos);
  EXPECT_FALSE(parse_webhook_events(" , ", &error));
  EXPECT_EQ(error, "choose at least one event type");
}

TEST(WebhookUrl, OnlyAbsoluteHttpWithoutCredentials) {
  EXPECT_EQ(check_webhook_url("https://crm.example.org/hooks/marquee?x=1"), "");
  EXPECT_EQ(check_webhook_url("http://127.0.0.1:8080/in"), "");
  EXPECT_EQ(check_webhook_url("HTTPS://example.org/"), "");
  EXPECT_EQ(check_webhook_url("ftp://example.org/"), "an http:// or https:// address");
  EXPECT_EQ(check_webhook_url("example.org/hook"), "an http:// or https:// address");
  EXPECT_EQ(check_webhook_url("https:///path"), "the address needs a host");
  EXPECT_NE(check_webhook_url("https://user:pw@example.org/"), "");
  EXPECT_NE(check_webhook_url("https://example.org/#frag"), "");
  EXPECT_NE(check_webhook_url("https://example.org/a b"), "");
  EXPECT_NE(check_webhook_url("https://example.org/\r\nX-Injected: 1"), "");
  EXPECT_NE(check_webhook_url("https://example.org/" + std::string(2000, 'a')), "");
  EXPECT_EQ(check_webhook_url("https://bücher.example/in"), "write the host in ASCII (punycode, xn--…)");
  EXPECT_EQ(check_webhook_url("https://xn--bcher-kva.example/in"), "");
}

TEST(WebhookAddress, PrivateLoopbackAndSpecialRangesAreNotPublic) {
  for (const char* ip : {"93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1", "100.128.0.1",
                         "2002:5db8:d822::1" /* 6to4 of 93.184.216.34 */})
    EXPECT_TRUE(is_public_address(ip)) << ip;
  for (const char* ip : {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                         "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.1",
                         "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
                         "::ffff:127.0.0.1", "::ffff:10.1.2.3", "::7f00:1", "::127.0.0.1", "::ffff:0:7f00:1",
                         "64:ff9b::a00:1", "64:ff9b:1::1", "2002:7f00:1::1", "2002:c0a8:0101::1", "fec0::1",
                         "not an address", ""})
    EXPECT_FALSE(is_public_address(ip)) << ip;
}

TEST(WebhookSignature, IsStripesSchemeUnderTheEndpointSecret) {
  const std::string body = R"({"id":"evt_1","type":"registration.created","created":1795000000,"data":{}})";
  const std::string header = marquee_signature(body, 1795000000, "whsec_test");
  EXPECT_EQ(header.rfind("t=1795000000,v1=", 0), 0u);
  EXPECT_EQ(header.size(), std::string("t=1795000000,v1=").size() + 64);
  EXPECT_EQ(check_stripe_signature(header, body, {"whsec_test"}, 1795000010), StripeSignatureCheck::valid);
  EXPECT_EQ(check_stripe_signature(header, body + " ", {"whsec_test"}, 1795000010), StripeSignatureCheck::mismatch);
  EXPECT_EQ(check_stripe_signature(header, body, {"whsec_other"}, 1795000010), StripeSignatureCheck::mismatch);
}

TEST(WebhookRetry, DoublesFromTheBaseUpToTwelveHours) {
  EXPECT_EQ(webhook_retry_delay(1, 30, 1.0), 30);
  EXPECT_EQ(webhook_retry_delay(2, 30, 1.0), 60);
  EXPECT_EQ(webhook_retry_delay(20, 30, 1.0), 12 * 3600);
  EXPECT_EQ(webhook_retry_delay(1, 30, 0.0), 15) << "jitter down to half";
  EXPECT_EQ(webhook_retry_delay(1, 1, 0.0), 1);
  EXPECT_TRUE(webhook_delivered(200));
  EXPECT_TRUE(webhook_delivered(204));
  EXPECT_FALSE(webhook_delivered(301));
  EXPECT_FALSE(webhook_delivered(500));
}
