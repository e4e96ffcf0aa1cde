#include "cli/serve.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>
#include <tuple>

#include "adapters/assets/embedded.hpp"
#include "adapters/backup/local_snapshot_file.hpp"
#include "adapters/formats/event_sources.hpp"
#include <arpa/inet.h>

#include "adapters/http/problem.hpp"
#include "adapters/http/security_headers.hpp"
#include "app/agenda_alerts.hpp"
#include "app/personal_data.hpp"
#include "app/backups.hpp"
#include "app/log_throttle.hpp"
#include "app/programme_source.hpp"
#include "app/snapshot_codec.hpp"
#include "app/webhook_sender.hpp"
#include "app/worker_loop.hpp"
#include "adapters/webhooks/curl_webhook_transport.hpp"
#include <unistd.h>
#include "cli/allocator.hpp"
#include "cli/application.hpp"
#include "cli/log_format.hpp"
#include "cli/service_manager.hpp"
#include "core/time_zone.hpp"
#include "core/redaction.hpp"

namespace marquee {
namespace {

// The festival settings the flags fix (they win over the Settings page).
FestivalSettings festival_flags(const ServeArgs& args) {
  FestivalSettings f;
  f.name = args.site_name;
  f.contact_email = args.contact_email;
  f.time_zone = args.time_zone;
  if (args.mail.public_url != MailConfig{}.public_url) f.public_url = args.mail.public_url;
  return f;
}

// Runs `job` every `seconds` (first at once when `now`) until destroyed;
// what it throws is logged.
std::unique_ptr<WorkerLoop> periodic(int seconds, std::function<void()> job, bool now = true) {
  return std::make_unique<WorkerLoop>(std::chrono::seconds(seconds), std::move(job),
                                      [](const std::exception& e) { spdlog::error("maintenance: {}", e.what()); }, now);
}

// Where this instance keeps its local files: --state-dir, else systemd's
// StateDirectory=, else the SQLite file's folder, else var/ under the working
// directory.
std::string state_dir(const std::string& db, const ServeArgs& args) {
  if (!args.state_dir.empty()) return args.state_dir;
  if (auto systemd = systemd_state_directory(); !systemd.empty()) return systemd;
  const std::string prefix = "sqlite:///";
  if (db.starts_with(prefix)) {
    const auto parent = std::filesystem::path(db.substr(prefix.size())).parent_path();
    return parent.empty() ? std::string(".") : parent.string();
  }
  return "var";
}

// The store URL without its password: names the store in local file names.
std::string store_identity(const std::string& db) {
  const auto scheme = db.find("://");
  const auto at = db.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return db;
  const auto colon = db.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon) + db.substr(at);
}

// The source chain's sources: the backups in --backup-dir (`backups`, null
// without one), the live snapshot kept in the state folder, the bundled
// programme compiled into the binary.
ProgrammeSources programme_sources(const std::string& db, const ServeArgs& args, const Backups* backups) {
  ProgrammeSources sources;
  sources.seed = args.seed;
  sources.reader = &format_readers();
  sources.bundled_csv = embedded_asset("data/programme.csv");
  sources.backups = backups;
  sources.local_path = local_snapshot_path(state_dir(db, args), store_identity(db));
  sources.keep_local = [path = sources.local_path](std::int64_t number, UnixSeconds at, const std::string& hash,
                                                   std::size_t bytes, const ProgrammeCache::ContentWriter& write) {
    write_local_snapshot(path, number, at, hash, bytes, write);
  };
  sources.read_local = [path = sources.local_path]() -> std::optional<ProgrammePtr> {
    if (auto s = read_local_snapshot(path)) return build_programme(decode_snapshot(s->payload), s->number);
    return std::nullopt;
  };
  return sources;
}

}  // namespace

std::pair<std::string, unsigned short> listen_address(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size())
    throw std::runtime_error("--metrics-listen '" + listen + "' is not HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) throw std::runtime_error("--metrics-listen '" + listen + "': the port must be 0 to 65535");
  unsigned char ip[sizeof(in6_addr)];
  if (inet_pton(AF_INET, host.c_str(), ip) != 1 && inet_pton(AF_INET6, host.c_str(), ip) != 1)
    throw std::runtime_error("--metrics-listen '" + listen + "': '" + host + "' is not an IP address");
  return {host, static_cast<unsigned short>(port)};
}

void check_serve_args(const std::string& db, const ServeArgs& args) {
  const auto flag_problems = check_festival_settings(normalize_festival_settings(festival_flags(args)),
                                                     [](std::string_view z) { return is_known_zone(z); });
  if (!flag_problems.empty()) throw std::runtime_error("festival flags: " + flag_problems.front().second);
  open_store(db, 1);  // the URL's form only: stores connect when first used
  if (!args.metrics_listen.empty()) listen_address(args.metrics_listen);
}

namespace {

// The --metrics-listen server: GET /metrics only, no token, one small thread.
std::unique_ptr<HttpServer> metrics_server(const std::string& listen, const MetricsApi& metrics, int drain_seconds) {
  ServerOptions o;
  std::tie(o.host, o.port) = listen_address(listen);
  o.threads = 1;
  o.worker_threads = 1;
  o.bulk_threads = 1;
  o.max_connections = 64;
  o.drain_seconds = drain_seconds;  // stopped by serve after the main server: the same bound
  o.handle_signals = false;
  return std::make_unique<HttpServer>(
      o,
      [&metrics](const Request& r) {
        if (r.path != "/metrics") return problem(404, "/problems/not-found", "Not Found", "Only /metrics is served here", r.path);
        if (r.method != "GET" && r.method != "HEAD")
          return problem(405, "/problems/method-not-allowed", "Method Not Allowed", "Use GET", r.path);
        return metrics.scrape();
      },
      [](const Request&) { return Lane::store; });
}

}  // namespace

int serve(const std::string& db, const ServeArgs& args) {
  // A registration batch's statement journals (SQLite, in memory) and its
  // rows are freed and taken again every few milliseconds (allocator.hpp).
  hold_freed_pages(std::chrono::milliseconds(20));
  SystemClock clock;
  check_serve_args(db, args);
  auto store = open_store(db, args.db_connections);  // connects lazily: a store that is down does not stop us
  FestivalSettingsService festival(*store, clock, festival_flags(args), [](std::string_view z) { return is_known_zone(z); });
  auto notifications = make_notifications(*store, clock, args.mail, args.site_name, &festival);
  Application app(*store, clock, args, festival, notifications.get());
  if (app.policy.staff_tokens().empty()) spdlog::warn("no staff tokens configured (MARQUEE_STAFF_TOKENS or --staff-token-file): staff routes answer 401");
  auto& cache = app.cache;
  serve_from_source_chain(*store, cache, programme_sources(db, args, app.backups.get()), clock);
  if (!args.backup_dir.empty() && !args.backup_key)
    spdlog::warn("backups in {} are not encrypted: they hold password hashes, the installation secret and personal "
                 "data; pass --backup-key-file", args.backup_dir);
  ServerOptions server_options = args.server;
  // A stop begins: systemd hears of it, and the mail worker stops claiming and gives back what it has
  // not tried while requests drain (a stalled SMTP exchange then ends within --smtp-timeout).
  server_options.on_stopping = [&notifications] {
    notify_stopping();
    if (notifications) notifications->notifier->request_stop();
  };
  // Routes that take large bodies (the console's import form) get them only
  // once the head's credentials pass; everyone else gets the default limit.
  server_options.largest_body_for = [&app](const Request& head) { return app.router.largest_body(head); };
  server_options.admit_body = [&app](const Request& head) { return app.router.admitted_body(head); };
  SecurityHeaderOptions security;
  security.hsts = args.mail.public_url.starts_with("https://");
  HttpServer server(
      server_options,
      [&app, security](const Request& r) {
        const LogRequestScope log_scope(r.id);
        const auto started = std::chrono::steady_clock::now();
        std::size_t route = app.router.routes().size();
        Response resp;
        try {
          resp = app.router.dispatch(r, &route);
        } catch (const std::exception& e) {  // logged here, inside the request's log scope, and counted
          spdlog::error("request {}: {} {} failed: {}", r.id, r.method, loggable_path(r.path), e.what());
          resp = problem(500, "/problems/internal", "Internal Server Error",
                         "The server could not answer; the error was logged (request " + r.id + ").", r.path);
        }
        app.request_metrics->observe(route, resp.status,
                                     std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        add_security_headers(resp, security);
        return resp;
      },
      [&app](const Request& r) { return app.router.lane(r); });
  // The --metrics-listen server binds now (a bad address stops us before any worker starts) and
  // serves on its own thread until this scope ends.
  struct MetricsServer {
    std::unique_ptr<HttpServer> server;
    std::thread thread;
    ~MetricsServer() {
      if (server) server->stop();
      if (thread.joinable()) thread.join();
    }
  } metrics;
  if (!args.metrics_listen.empty()) {
    metrics.server = metrics_server(args.metrics_listen, app.metrics_api, args.server.drain_seconds);
    const auto host = listen_address(args.metrics_listen).first;
    announce("marquee: metrics on http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
             std::to_string(metrics.server->port()) + "/metrics");
    metrics.thread = std::thread([&metrics] { metrics.server->run(); });
  }
  spdlog::info("at most {} connections, {} per client address", server.max_connections(),
               server_options.max_connections_per_client);
  cache.start_polling(args.poll_ms);
  std::unique_ptr<WorkerLoop> backups;
  if (!args.backup_dir.empty())
    backups = periodic(args.backup_interval, [&] {
      const auto b = app.backups->take_scheduled();
      spdlog::info("backup written: {} ({} bytes)", b.path, b.size);
    }, false);
  // Event pages say how many places are left from a board read every 2 s (one query for all events).
  // The first count is taken before the server listens, so the first visitor already sees places left.
  LogThrottle board_errors(std::chrono::seconds(60));
  auto refresh_board = [&] {
    try {
      app.board.refresh();
    } catch (const std::exception& e) {
      if (auto n = board_errors.tick()) spdlog::warn("places left cannot be read ({} times): {}", *n, e.what());
    }
  };
  if (cache.serving().source == "live") refresh_board();  // a store down at start is not waited for twice
  // Analytics: today's salt before the first request (when the store answers), then a flush every --analytics-flush-ms.
  if (app.analytics) {
    if (cache.serving().source == "live") app.analytics->prepare_salts();
    app.analytics->start();
  } else {
    spdlog::info("--no-analytics: views, searches, saves and clicks are not counted");
  }
  const auto availability = periodic(2, refresh_board, false);
  // Another instance may save the settings: every instance picks them up within 30 s.
  const auto settings_reload = periodic(30, [&] { festival.reload(); }, false);
  const auto retention = periodic(args.maintenance_seconds, [&] {
    try {  // also with --no-analytics: ids and salts written before must still go
      if (auto r = roll_up_analytics(*store, clock, app.analytics_zone()); r.visitor_rows > 0 || r.salts > 0)
        spdlog::info("retention: analytics of {} days rolled up; {} visitor ids and {} salts deleted", r.days,
                     r.visitor_rows, r.salts);
    } catch (const std::exception& e) {
      spdlog::error("retention: analytics roll-up: {}", e.what());
    }
    if (auto n = purge_expired_personal_data(*store, clock, "scheduler"); n > 0)
      spdlog::info("retention: erased personal data of {} registrations", n);
    if (auto n = store->purge_webhook_deliveries(clock.now() - static_cast<UnixSeconds>(args.outbox_keep_days) * 86400); n > 0)
      spdlog::info("retention: deleted {} finished webhook deliveries", n);
    if (auto n = store->purge_outbox(clock.now() - static_cast<UnixSeconds>(args.outbox_keep_days) * 86400); n > 0)
      spdlog::info("retention: deleted {} finished outbox rows", n);
    if (auto n = store->purge_rate_limits(clock.now() - 2 * 86400); n > 0)
      spdlog::info("retention: deleted {} old rate-limit windows", n);
    if (auto n = purge_expired_alerts(*store, clock, "scheduler"); n > 0)
      spdlog::info("retention: ended {} agenda alerts (unconfirmed, or their events past retention) and deleted their addresses", n);
    if (auto n = app.agendas.purge(); n > 0) spdlog::info("retention: deleted {} agendas unused for over a year", n);
  });
  // Reminders: written up to an hour ahead from the programme being served, so once a minute is plenty.
  const auto reminders = periodic(60, [&] {
    if (cache.serving().source != "live") return;  // a fallback copy (bundled, backup) is not the programme to remind of
    if (auto n = app.reminders.enqueue(cache.current()->entries()); n > 0) {
      spdlog::info("reminders: {} written to the outbox", n);
      if (notifications) notifications->notifier->wake();
    }
  }, false);
  // Waiting-list offers: an expired offer's place goes to the next person within a minute.
  // (An answer after the deadline expires the offer by itself.)
  const auto offers = periodic(60, [&] {
    if (auto n = app.offers.expire(); n > 0) {
      spdlog::info("offers: {} waiting-list offers expired; their places are offered on", n);
      if (notifications) notifications->notifier->wake();
    }
  }, false);
  // "Still coming?": asked at each event's moment, unanswered places released at its deadline, within a minute.
  const auto reconfirm = periodic(60, [&] {
    const ReconfirmRun r = app.reconfirmations.run();
    if (r.asked + r.released > 0) {
      spdlog::info("reconfirmation: {} attendees asked, {} unanswered places released to the waiting list", r.asked, r.released);
      if (notifications) notifications->notifier->wake();
    }
  }, false);
  // Scheduled messages to attendees go out within a minute of their time.
  const auto scheduled_messages = periodic(60, [&] {
    if (auto n = app.messages.send_due(); n > 0) spdlog::info("messages: {} scheduled messages to attendees sent to the outbox", n);
  }, false);
  if (notifications && args.mail.public_url == MailConfig{}.public_url)
    spdlog::warn("--smtp-url is set but --public-url is not: links in e-mails will point at {}, which recipients "
                 "cannot reach; pass the site's public address",
                 args.mail.public_url);
  if (notifications) notifications->notifier->start(args.notify_poll_ms);
  else spdlog::info("no --smtp-url: notifications stay in the outbox until a worker with SMTP settings runs");
  // Outgoing webhooks: deliveries the store wrote with each change, posted and retried here.
  CurlWebhookTransport webhook_transport(
      WebhookTransportOptions{args.webhook_allow_private, static_cast<long>(args.webhook_timeout_ms), "Marquee-Webhooks/1"});
  WebhookSenderOptions webhook_options;
  {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    webhook_options.worker = std::string(host) + ":" + std::to_string(getpid());
  }
  webhook_options.retry_base_seconds = args.webhook_retry_base_seconds;
  webhook_options.lease_seconds = std::max(60, 2 * args.webhook_timeout_ms / 1000 * webhook_options.batch);
  WebhookSender webhook_sender(*store, clock, webhook_transport, webhook_options);
  webhook_sender.start(args.webhook_poll_ms);
  if (args.webhook_allow_private) spdlog::warn("--webhook-allow-private: webhooks may reach loopback and private addresses");
  announce("marquee: listening on http://" + args.server.host + ":" + std::to_string(server.port()) + " (store " +
           store_identity(db) + ")");
  notify_ready("serving snapshot " + std::to_string(cache.serving().snapshot) + " from " + cache.serving().source +
               " on port " + std::to_string(server.port()));
  server.run();
  if (metrics.server) {
    metrics.server->stop();
    metrics.thread.join();
  }
  if (app.analytics) app.analytics->stop();  // the last flush: a graceful stop loses no signal
  if (notifications) notifications->notifier->stop();
  webhook_sender.stop();
  cache.stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace marquee
