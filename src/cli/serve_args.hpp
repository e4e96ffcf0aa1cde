#pragma once
// The settings of `marquee serve`, as its flags fill them.
#include <memory>
#include <string>

#include "adapters/backup/backup_key.hpp"
#include "adapters/http/server.hpp"
#include "app/registration_service.hpp"
#include "cli/notify_command.hpp"

namespace marquee {

struct ServeArgs {
  ServerOptions server;
  int poll_ms = 1000;
  std::string site_name;      ///< "" = the festival settings' name (else "Marquee")
  std::string contact_email;  ///< "" = the festival settings' contact
  std::string time_zone;      ///< "" = the festival settings' default zone
  bool seed = true;
  bool no_seed = false;  ///< --no-seed (seed = !no_seed once flags, environment and file are applied)
  int db_connections = 0;
  int registration_rate = 20;
  std::string staff_token_file;
  std::string deploy_token_file;
  std::string cron_secret_file;
  RegistrationOptions registration;
  int maintenance_seconds = 3600;
  std::string backup_dir;
  std::string state_dir;
  std::string registration_confirmation;  ///< "email", "page" or "" (email when --smtp-url is set)
  std::string backup_key_file;
  std::shared_ptr<const BackupKey> backup_key;  ///< loaded from backup_key_file before serve() runs
  int backup_interval = 3600;
  int backup_keep = 7;
  bool insecure_cookies = false;
  int submission_limit = 5;
  MailConfig mail;
  int notify_poll_ms = 1000;
  bool webhook_allow_private = false;   ///< --webhook-allow-private: endpoints on loopback or private networks
  int webhook_timeout_ms = 10000;       ///< --webhook-timeout-ms: one delivery attempt, connection included
  int webhook_retry_base_seconds = 30;  ///< --webhook-retry-base-seconds: the first retry's wait (doubles)
  int webhook_poll_ms = 1000;           ///< --webhook-poll-ms
  int outbox_keep_days = 90;
  int analytics_flush_ms = 5000;  ///< --analytics-flush-ms
  bool no_analytics = false;      ///< --no-analytics
  std::string metrics_listen;  ///< --metrics-listen HOST:PORT: /metrics without a token there ("" = none)
  std::string log_format = "text";  ///< --log-format: text or json (one object a line)
  std::string stripe_api_base = "https://api.stripe.com";  ///< --stripe-api-base (tests: a local fake)
  std::string stripe_secret_key_file;      ///< --stripe-secret-key-file (else MARQUEE_STRIPE_SECRET_KEY)
  std::string stripe_webhook_secret_file;  ///< --stripe-webhook-secret-file (and MARQUEE_STRIPE_WEBHOOK_SECRETS)
};

}  // namespace marquee
