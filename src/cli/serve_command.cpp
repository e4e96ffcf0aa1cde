#include "cli/serve_command.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/festival_settings_service.hpp"
#include "cli/application.hpp"
#include "cli/config_file.hpp"
#include "cli/log_format.hpp"
#include "cli/serve.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

// Every flag of `marquee serve` but --db, in --help order.
void add_serve_options(CLI::App* cmd, ServeArgs& args) {
  cmd->add_option("--host", args.server.host, "Listen address")->capture_default_str();
  cmd->add_option("--port", args.server.port, "Listen port (0 = any free port)")->capture_default_str();
  cmd->add_option("--threads", args.server.threads, "I/O threads (0 = one per core)")->capture_default_str();
  cmd->add_option("--poll-ms", args.poll_ms, "How often to check the store for changes, in ms")
      ->capture_default_str()->check(CLI::Range(50, 60000));
  cmd->add_option("--site-name", args.site_name,
                  "Festival name in page headers and e-mail (default: the console's Settings, else Marquee)");
  cmd->add_option("--contact-email", args.contact_email,
                  "Contact address in the public footer and Reply-To (default: the console's Settings)");
  cmd->add_option("--time-zone", args.time_zone,
                  "Default IANA zone of new events and submissions (default: the console's Settings, else the zone most events use)")
      ->check([](const std::string& z) { return is_known_zone(z) ? std::string() : "unknown time zone " + z; });
  cmd->add_flag("--no-seed", args.no_seed, "Do not load the bundled programme into an empty store");
  cmd->add_option("--db-connections", args.db_connections, "Store connections (0 = 4 SQLite, 8 PostgreSQL)")
      ->capture_default_str();
  cmd->add_option("--max-connections", args.server.max_connections,
                  "Open connections at once (0 = the file-descriptor limit less a reserve); when full the "
                  "oldest idle connection is closed")
      ->capture_default_str();
  cmd->add_option("--max-connections-per-client", args.server.max_connections_per_client,
                  "Open connections from one client address; when full its oldest idle one is closed")
      ->capture_default_str();
  cmd->add_option("--registration-confirmation", args.registration_confirmation,
                  "email: the registration form answers \"check your inbox\" and the personal link goes by e-mail "
                  "only (nobody learns whether an address was registered); page: the form opens the personal "
                  "page. Default: email when --smtp-url is set")
      ->check(CLI::IsMember({"email", "page"}));
  cmd->add_option("--state-dir", args.state_dir,
                  "Folder for this instance's local files (the last live snapshot); default: the SQLite "
                  "file's folder, else var/");
  cmd->add_option("--trusted-proxy", args.server.trusted_proxies,
                  "IP address of a reverse proxy whose X-Forwarded-For gives the client address (repeatable; "
                  "comma-separated in MARQUEE_TRUSTED_PROXY)")
      ->delimiter(',');
  cmd->add_option("--max-body-bytes-in-flight", args.server.max_body_bytes_in_flight,
                  "Request body bytes held by all requests at once; beyond it uploads get 503")
      ->capture_default_str();
  cmd->add_option("--max-body-bytes-per-client", args.server.max_body_bytes_per_client,
                  "Request body bytes one client address may hold at once")
      ->capture_default_str();
  cmd->add_option("--upload-dir", args.server.spool_dir,
                  "Folder where large uploads (console imports) are written as they arrive (default: the system's temporary folder)");
  cmd->add_option("--drain-seconds", args.server.drain_seconds,
                  "After SIGTERM, seconds in-flight requests may take before the process exits anyway")
      ->capture_default_str();
  cmd->add_option("--bulk-threads", args.server.bulk_threads, "Threads for imports (never shared with requests)")
      ->capture_default_str();
  cmd->add_option("--worker-threads", args.server.worker_threads, "Threads for handlers that use the store")
      ->capture_default_str()->check(CLI::Range(1, 1024));
  cmd->add_option("--registration-rate", args.registration_rate,
                  "Registrations per client address per minute (0 = unlimited)")->capture_default_str();
  cmd->add_option("--registration-batch", args.registration.max_batch,
                  "Registrations for one event written per transaction (group commit)")
      ->capture_default_str()->check(CLI::Range(1, 10000));
  cmd->add_option("--registration-workers", args.registration.batch_workers,
                  "Registration transactions in flight at once")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--staff-token-file", args.staff_token_file,
                  "File with staff bearer tokens, one per line (also MARQUEE_STAFF_TOKENS, comma-separated)");
  cmd->add_option("--deploy-token-file", args.deploy_token_file,
                  "File with deploy bearer tokens for POST /api/v1/revalidate (also MARQUEE_DEPLOY_TOKENS)");
  cmd->add_option("--backup-dir", args.backup_dir,
                  "Take scheduled backups here, and serve the newest one when the store is unreadable at start");
  cmd->add_option("--backup-key-file", args.backup_key_file,
                  "File whose first line (32+ characters) encrypts backups at rest and opens encrypted ones");
  cmd->add_option("--backup-interval", args.backup_interval, "Seconds between scheduled backups")
      ->capture_default_str()->check(CLI::Range(1, 7 * 86400));
  cmd->add_option("--backup-keep", args.backup_keep, "Scheduled backups to keep")
      ->capture_default_str()->check(CLI::Range(1, 10000));
  cmd->add_option("--cron-secret-file", args.cron_secret_file,
                  "File with the cron secret for POST /api/v1/cron/{job} (also MARQUEE_CRON_SECRET)");
  cmd->add_flag("--insecure-cookies", args.insecure_cookies,
                "Leave the Secure attribute off session cookies (plain-HTTP local use only)");
  cmd->add_option("--submission-limit", args.submission_limit,
                  "Host submissions per client address per hour")->capture_default_str()->check(CLI::Range(1, 100000));
  add_mail_options(cmd, args.mail);
  cmd->add_option("--outbox-keep-days", args.outbox_keep_days,
                  "Days to keep sent, failed and skipped outbox rows (pending rows are kept until delivered)")
      ->capture_default_str();
  cmd->add_option("--notify-poll-ms", args.notify_poll_ms, "How often the delivery worker looks for due messages, in ms")
      ->capture_default_str();
  cmd->add_flag("--webhook-allow-private", args.webhook_allow_private,
                "Let webhooks reach loopback, private and link-local addresses (tests, intranet receivers); refused by default");
  cmd->add_option("--webhook-timeout-ms", args.webhook_timeout_ms, "How long one webhook delivery attempt may take, in ms")
      ->capture_default_str()->check(CLI::Range(100, 60000));
  cmd->add_option("--webhook-retry-base-seconds", args.webhook_retry_base_seconds,
                  "The wait before a failed webhook delivery's first retry, in seconds (doubles per attempt, at most 12 h)")
      ->capture_default_str()->check(CLI::Range(1, 3600));
  cmd->add_option("--webhook-poll-ms", args.webhook_poll_ms, "How often the webhook sender looks for due deliveries, in ms")
      ->capture_default_str()->check(CLI::Range(50, 60000));
  cmd->add_option("--analytics-flush-ms", args.analytics_flush_ms,
                  "How often counted views, searches, saves and clicks are written to the store, in ms (a kill -9 "
                  "loses at most this much; a graceful stop loses nothing)")
      ->capture_default_str()->check(CLI::Range(100, 600000));
  cmd->add_flag("--no-analytics", args.no_analytics, "Count nothing (no views, searches, saves, clicks or visitor ids)");
  cmd->add_option("--stripe-api-base", args.stripe_api_base,
                  "Base URL of Stripe's API for partner placement checkouts (tests point it at a local fake)")
      ->capture_default_str();
  cmd->add_option("--stripe-secret-key-file", args.stripe_secret_key_file,
                  "File whose first line is the Stripe secret key (also MARQUEE_STRIPE_SECRET_KEY); none: no checkouts");
  cmd->add_option("--stripe-webhook-secret-file", args.stripe_webhook_secret_file,
                  "File with Stripe webhook endpoint secrets (whsec_…), one per line; two during a rotation (also "
                  "MARQUEE_STRIPE_WEBHOOK_SECRETS, comma-separated)");
  cmd->add_option("--metrics-listen", args.metrics_listen,
                  "Also serve GET /metrics, without a token, on this HOST:PORT ([::1]:PORT for IPv6; port 0 = any "
                  "free port); keep it on loopback or a private network. On the main port /metrics needs a staff "
                  "token");
  cmd->add_option("--log-format", args.log_format,
                  "text, or json: one JSON object a line with time (UTC), level, msg, pid and request_id")
      ->capture_default_str()->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--maintenance-seconds", args.maintenance_seconds,
                  "Interval of the retention purge, in seconds")->capture_default_str()->check(CLI::Range(1, 86400));
}

}  // namespace

void add_serve_command(CLI::App& app, CliContext& ctx) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Serve the public programme and the JSON API over HTTP");
  ctx.add_db(cmd);
  add_serve_options(cmd, *args);
  auto config = std::make_shared<std::string>();
  auto check_only = std::make_shared<bool>(false);
  cmd->add_option("--config", *config,
                  "TOML file with any of these settings (key = the option's name with '_' for '-', e.g. smtp_url; "
                  "also MARQUEE_CONFIG); flags and MARQUEE_<KEY> environment variables win over it");
  cmd->add_flag("--check-config", *check_only,
                "Check the flags, environment and --config file as serve would (values, readable secret files, the "
                "backup key, the store URL's form, the metrics address), print \"configuration OK\" and exit");
  cmd->footer("Every option may also come from the environment variable MARQUEE_<KEY> (e.g. MARQUEE_SMTP_URL; lists "
              "comma-separated) or from the --config file (key smtp_url); a flag wins over the environment, which "
              "wins over the file. These variables are read by serve only.");
  add_credential_paths(*cmd);
  ctx.when_parsed(cmd, [&ctx, args, cmd, config, check_only] {
    apply_environment(*cmd);  // only now, so that no other command reads MARQUEE_<KEY>
    if (config->empty())
      if (const char* env = std::getenv("MARQUEE_CONFIG")) *config = env;
    if (!config->empty()) apply_config_file(*cmd, *config);
    args->seed = !args->no_seed;
    set_log_format(args->log_format);
    if (!args->backup_key_file.empty())
      args->backup_key = std::make_shared<const BackupKey>(load_backup_key(args->backup_key_file));
    check_serve_args(ctx.db, *args);
    if (*check_only) {
      for (const auto* o : cmd->get_options())  // a secret file serve could not read is a failed check
        if (o->get_single_name().ends_with("-file") && o->count() > 0)
          if (std::ifstream in(o->as<std::string>()); !in)
            throw std::runtime_error("--" + o->get_single_name() + ": cannot read " + o->as<std::string>());
      std::cout << "configuration OK\n";
      return 0;
    }
    return serve(ctx.db, *args);
  });
}

void add_routes_command(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("routes", "List the HTTP routes with their access rule");
  ctx.when_parsed(cmd, [] {
    SystemClock clock;
    auto store = open_store("sqlite:///:memory:", 1);
    store->migrate();
    FestivalSettingsService festival(*store, clock, {}, [](std::string_view z) { return is_known_zone(z); });
    Application wired(*store, clock, ServeArgs{}, festival);
    for (const auto& r : wired.router.routes())
      std::cout << r.method << " " << r.pattern << " " << to_string(r.access) << " "
                << (r.access == Access::public_access ? std::string_view("-") : to_string(r.capability))
                << (r.blocking ? " blocking" : "") << "\n";
    return 0;
  });
}

}  // namespace marquee
