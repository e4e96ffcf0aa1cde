// marquee: the one binary. Subcommands are wired here by hand.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <termios.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <thread>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "adapters/formats/event_sources.hpp"
#include "adapters/api/admin_events_api.hpp"
#include "adapters/api/operations_api.hpp"
#include "adapters/api/publishing_api.hpp"
#include "adapters/api/registration_api.hpp"
#include "adapters/api/status_api.hpp"
#include "adapters/export/attendee_export.hpp"
#include "adapters/http/server.hpp"
#include "adapters/web/lost_link_pages.hpp"
#include "adapters/web/registration_pages.hpp"
#include "adapters/web/schedule_feeds.hpp"
#include "adapters/web/site.hpp"
#include "adapters/web/access_policy.hpp"
#include "adapters/web/admin_pages.hpp"
#include "adapters/web/bearer_tokens.hpp"
#include "adapters/web/console/attendees_console.hpp"
#include "adapters/web/console/events_console.hpp"
#include "adapters/web/console/import_console.hpp"
#include "adapters/web/console/moderation_console.hpp"
#include "adapters/web/console/notifications_console.hpp"
#include "adapters/web/console/publishing_console.hpp"
#include "adapters/web/console/settings_console.hpp"
#include "adapters/web/console/users_console.hpp"
#include "adapters/web/html_response.hpp"
#include "adapters/web/security_headers.hpp"
#include "adapters/web/submission_pages.hpp"
#include "app/event_edit.hpp"
#include "app/submissions.hpp"
#include "app/accounts.hpp"
#include "app/registration_service.hpp"
#include "app/address_limit.hpp"
#include "adapters/backup/backup_folder.hpp"
#include "adapters/backup/backup_key.hpp"
#include "adapters/backup/local_snapshot_file.hpp"
#include "app/snapshot_codec.hpp"
#include "app/backups.hpp"
#include "app/scheduled_jobs.hpp"
#include "adapters/formats/events_csv_writer.hpp"
#include "adapters/assets/embedded.hpp"
#include "core/snapshot_diff.hpp"
#include "cli/notify_command.hpp"
#include "cli/pipeline_command.hpp"
#include "app/import_service.hpp"
#include "app/programme_cache.hpp"
#include "app/publisher.hpp"
#include "app/seed.hpp"
#include "app/availability_board.hpp"
#include "app/log_throttle.hpp"
#include "app/festival_settings_service.hpp"
#include "core/time_zone.hpp"
#include "cli/report_json.hpp"
#include "core/text.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

using namespace marquee;

namespace {

struct ServeArgs {
  ServerOptions server;
  int poll_ms = 1000;
  std::string site_name;      ///< "" = the festival settings' name (else "Marquee")
  std::string contact_email;  ///< "" = the festival settings' contact
  std::string time_zone;      ///< "" = the festival settings' default zone
  bool seed = true;
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
  int outbox_keep_days = 90;
};

// The default zone for host submissions: the one most events use (UTC when
// the store cannot be read at start).
std::string default_zone(Store& store) {
  try {
    return most_common_zone(store.list_events());
  } catch (const std::exception&) {
    return "UTC";
  }
}

// --registration-confirmation: "email" (the form never shows the personal
// page, so its answer says nothing about whether the address was registered)
// or "page"; by default "email" when this server delivers mail.
bool confirm_by_email(const ServeArgs& args) {
  if (args.registration_confirmation == "email") return true;
  if (args.registration_confirmation == "page") return false;
  return !args.mail.smtp_url.empty();
}

// The festival settings the flags fix (they win over the Settings page).
FestivalSettings festival_flags(const ServeArgs& args) {
  FestivalSettings f;
  f.name = args.site_name;
  f.contact_email = args.contact_email;
  f.time_zone = args.time_zone;
  if (args.mail.public_url != MailConfig{}.public_url) f.public_url = args.mail.public_url;
  return f;
}

// Every route of the server, wired to its services.
struct Application {
  Application(Store& store, const Clock& clock, const ServeArgs& args, FestivalSettingsService& festival,
              Notifications* mail = nullptr)
      : festival(festival),
        live(festival),
        board(store),
        site(live.ref()),
        feeds(live.ref(), args.mail.public_url),
        cache(store, [this](const ProgrammePtr& p) {
          site.install(p);
          feeds.install(p);
        }),
        publisher(store, clock,
                  [this, mail] {
                    cache.refresh();
                    if (mail) mail->notifier->wake();  // rows due at once (quiet period 0) go out now
                  }),
        backup_folder(args.backup_dir),
        backups(args.backup_dir.empty() ? nullptr
                                        : std::make_unique<Backups>(store, backup_folder, clock,
                                                                    BackupPolicy{args.backup_keep, args.backup_key.get()})),
        jobs(store, publisher, clock, backups.get()),
        registrations(store, clock, args.registration),
        limiter(store, "register", args.registration_rate, 60),
        accounts(store, clock),
        policy(accounts, BearerTokens::from_environment("MARQUEE_STAFF_TOKENS", args.staff_token_file),
               BearerTokens::from_environment("MARQUEE_DEPLOY_TOKENS", args.deploy_token_file),
               BearerTokens::from_environment("MARQUEE_CRON_SECRET", args.cron_secret_file)),
        admin(live.ref(), accounts, cache, publisher, !args.insecure_cookies, backups.get()),
        api(registrations, lookup(), limiter),
        resend_limiter(store, "resend-link", 10, 3600),
        lost_link(live.ref(), store, clock, resend_limiter,
                  [mail] {
                    if (mail) mail->notifier->wake();
                  }),
        pages(live.ref(), registrations, lookup(), limiter,
              RegistrationPages::Confirmation{
                  confirm_by_email(args),
                  [this, by_email = confirm_by_email(args)](const Request& r, const std::string& email,
                                                            const std::string& key, bool fresh) {
                    return by_email ? lost_link.registration_answer(r, email, key, fresh) : lost_link.resend(r, email, key);
                  }}),
        publishing(publisher, store),
        admin_events(store, clock),
        operations(jobs, store),
        status(cache, store, clock, backups.get()),
        submissions(store, clock, SubmissionOptions{args.submission_limit, 3600, default_zone(store)}),
        events_console(live.ref(), store, clock),
        import_console(live.ref(), store, clock),
        publishing_console(live.ref(), store, publisher, clock, backups.get(), [this] { cache.refresh(); }),
        attendees_console(live.ref(), registrations),
        moderation_console(live.ref(), submissions, store),
        users_console(live.ref(), accounts),
        notifications_console(
            live.ref(), store, publisher, clock,
            mail ? NotificationsConsole::Preview([mail](std::int64_t id, std::string* why) { return mail->notifier->preview(id, why); })
                 : NotificationsConsole::Preview{},
            [mail] {
              if (mail) mail->notifier->wake();
            }),
        submission_pages(live.ref(), submissions, store, !args.insecure_cookies),
        settings_console(live.ref(), festival, live) {
    site.set_availability([this](const std::string& key) { return board.confirmed(key); }, &clock);
    feeds.add_routes(router);  // before the site's: /events/{key}.ics
    site.add_routes(router);
    api.add_routes(router);
    pages.add_routes(router);
    lost_link.add_routes(router);
    publishing.add_routes(router);
    status.add_routes(router);
    admin.add_routes(router);
    admin_events.add_routes(router);
    operations.add_routes(router);
    events_console.add_routes(router);
    import_console.add_routes(router);
    publishing_console.add_routes(router);
    attendees_console.add_routes(router);
    moderation_console.add_routes(router);
    users_console.add_routes(router);
    notifications_console.add_routes(router);
    submission_pages.add_routes(router);
    settings_console.add_routes(router);
    // A new name, logo or contact shows on the pre-rendered pages at once.
    festival.on_change([this] { cache.reinstall(); });
    router.set_access_policy(
        [this](const Request& r, const Route& route, bool body_read) { return policy.decide(r, route, body_read); });
    router.set_forbidden_page([this](const Request&, const std::string& detail) {
      return private_html(403, error_page_html(live.current(), 403, "Not allowed", detail + " Ask an owner if you need it."));
    });
  }
  EventLookup lookup() {
    return [this](const std::string& key) { return site.find_event(key); };
  }

  FestivalSettingsService& festival;
  LiveSite live;
  AvailabilityBoard board;
  Site site;
  ScheduleFeeds feeds;
  ProgrammeCache cache;
  Publisher publisher;
  BackupFolder backup_folder;
  std::unique_ptr<Backups> backups;  ///< null without --backup-dir
  ScheduledJobs jobs;
  RegistrationService registrations;
  AddressLimit limiter;
  Accounts accounts;
  AccessPolicy policy;
  AdminPages admin;
  RegistrationApi api;
  AddressLimit resend_limiter;
  LostLinkPages lost_link;
  RegistrationPages pages;
  PublishingApi publishing;
  AdminEventsApi admin_events;
  OperationsApi operations;
  StatusApi status;
  SubmissionService submissions;
  EventsConsole events_console;
  ImportConsole import_console;
  PublishingConsole publishing_console;
  AttendeesConsole attendees_console;
  ModerationConsole moderation_console;
  UsersConsole users_console;
  NotificationsConsole notifications_console;
  SubmissionPages submission_pages;
  SettingsConsole settings_console;
  Router router;
};

// Runs `job` every `seconds` (first at once when `now`) until stopped.
class Periodic {
 public:
  Periodic(int seconds, std::function<void()> job, bool now = true)
      : thread_([this, seconds, now, job = std::move(job)] {
          std::unique_lock lock(mutex_);
          if (!now) wake_.wait_for(lock, std::chrono::seconds(seconds), [this] { return stop_; });
          while (!stop_) {
            lock.unlock();
            try {
              job();
            } catch (const std::exception& e) {
              spdlog::error("maintenance: {}", e.what());
            }
            lock.lock();
            wake_.wait_for(lock, std::chrono::seconds(seconds), [this] { return stop_; });
          }
        }) {}
  ~Periodic() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

// The source chain's fallbacks when the live store cannot be read: the newer
// of the newest readable backup and the live snapshot this machine kept on
// disk, else the bundled demo programme (a store that never published).
void serve_fallback(ProgrammeCache& cache, const Backups* backups, const std::string& local_path, const Clock& clock) {
  std::optional<ProgrammePtr> from_backup;
  std::string backup_path;
  for (const auto& b : backups ? backups->list() : std::vector<BackupInfo>{}) {
    try {
      if (auto p = backups->programme_of(b.path)) {
        from_backup = *p;
        backup_path = b.path;
        break;
      }
    } catch (const std::exception& e) {
      spdlog::error("backup {} cannot be served: {}", b.path, e.what());
    }
  }
  std::optional<ProgrammePtr> from_local;
  try {
    if (auto s = read_local_snapshot(local_path)) from_local = build_programme(decode_snapshot(s->payload), s->number);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
  }
  if (from_local && (!from_backup || (*from_local)->generation() > (*from_backup)->generation())) {
    cache.install_fallback(*from_local, "local", local_path);
    return;
  }
  if (from_backup) {
    cache.install_fallback(*from_backup, "backup", backup_path);
    return;
  }
  ImportReport report;
  ImportOptions opt;
  opt.format = "csv";
  auto events = read_events(format_readers(), embedded_asset("data/programme.csv"), "programme.csv", opt, clock, &report);
  cache.install_fallback(build_programme(public_events(std::move(events)), 0), "bundled", "data/programme.csv");
}

// Where this instance keeps its local files: --state-dir, else the SQLite
// file's folder, else var/ under the working directory.
std::string state_dir(const std::string& db, const ServeArgs& args) {
  if (!args.state_dir.empty()) return args.state_dir;
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

int serve(const std::string& db, const ServeArgs& args) {
  SystemClock clock;
  auto store = open_store(db, args.db_connections);  // connects lazily: a store that is down does not stop us
  const auto flag_problems = check_festival_settings(normalize_festival_settings(festival_flags(args)),
                                                     [](std::string_view z) { return is_known_zone(z); });
  if (!flag_problems.empty()) throw std::runtime_error("festival flags: " + flag_problems.front().second);
  FestivalSettingsService festival(*store, clock, festival_flags(args), [](std::string_view z) { return is_known_zone(z); });
  auto notifications = make_notifications(*store, clock, args.mail, args.site_name, &festival);
  Application app(*store, clock, args, festival, notifications.get());
  if (app.policy.staff_tokens().empty()) spdlog::warn("no staff tokens configured (MARQUEE_STAFF_TOKENS or --staff-token-file): staff routes answer 401");
  auto& cache = app.cache;
  const std::string local_path = local_snapshot_path(state_dir(db, args), store_identity(db));
  cache.set_keep_local([local_path](std::int64_t number, UnixSeconds at, const std::string& hash, const std::string& payload) {
    write_local_snapshot(local_path, LocalSnapshot{number, at, hash, payload});
  });
  cache.set_prepare([&] {
    store->migrate();
    if (!args.seed) return;
    if (auto seeded = seed_if_empty(*store, format_readers(), embedded_asset("data/programme.csv"), clock)) {
      if (!seeded->ok()) throw std::runtime_error("seeding the bundled programme failed: " + seeded->fatal);
      spdlog::info("seeded {} events from the bundled programme", seeded->inserted);
    }
  });
  try {
    cache.refresh();
  } catch (const std::exception& e) {
    spdlog::error("the live store cannot be read: {}", e.what());
  }
  if (!cache.current()) serve_fallback(cache, app.backups.get(), local_path, clock);
  if (!args.backup_dir.empty() && !args.backup_key)
    spdlog::warn("backups in {} are not encrypted: they hold password hashes, the installation secret and personal "
                 "data; pass --backup-key-file", args.backup_dir);
  ServerOptions server_options = args.server;
  // Routes that take large bodies (the console's import form) get them only
  // once the head's credentials pass; everyone else gets the default limit.
  server_options.largest_body_for = [&app](const Request& head) { return app.router.largest_body(head); };
  server_options.admit_body = [&app](const Request& head) { return app.router.admitted_body(head); };
  SecurityHeaderOptions security;
  security.hsts = args.mail.public_url.starts_with("https://");
  HttpServer server(
      server_options,
      [&app, security](const Request& r) {
        Response resp = app.router.dispatch(r);
        add_security_headers(resp, security);
        return resp;
      },
      [&app](const Request& r) { return app.router.lane(r); });
  spdlog::info("at most {} connections, {} per client address", server.max_connections(),
               server_options.max_connections_per_client);
  cache.start_polling(args.poll_ms);
  std::unique_ptr<Periodic> backups;
  if (!args.backup_dir.empty())
    backups = std::make_unique<Periodic>(args.backup_interval, [&] {
      const auto b = app.backups->take("scheduler");
      spdlog::info("backup written: {} ({} bytes)", b.info.path, b.info.size);
      if (!b.audit_error.empty()) spdlog::warn("the backup's audit entry could not be stored: {}", b.audit_error);
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
  refresh_board();
  Periodic availability(2, refresh_board, false);
  // Another instance may save the settings: every instance picks them up within 30 s.
  Periodic settings_reload(30, [&] { festival.reload(); }, false);
  Periodic retention(args.maintenance_seconds, [&] {
    if (auto n = store->purge_expired_registrations(clock.now()); n > 0)
      spdlog::info("retention: erased personal data of {} registrations", n);
    if (auto n = store->purge_outbox(clock.now() - static_cast<UnixSeconds>(args.outbox_keep_days) * 86400); n > 0)
      spdlog::info("retention: deleted {} finished outbox rows", n);
    if (auto n = store->purge_rate_limits(clock.now() - 2 * 86400); n > 0)
      spdlog::info("retention: deleted {} old rate-limit windows", n);
  });
  if (notifications && args.mail.public_url == MailConfig{}.public_url)
    spdlog::warn("--smtp-url is set but --public-url is not: links in e-mails will point at {}, which recipients "
                 "cannot reach; pass the site's public address",
                 args.mail.public_url);
  if (notifications) notifications->notifier->start(args.notify_poll_ms);
  else spdlog::info("no --smtp-url: notifications stay in the outbox until a worker with SMTP settings runs");
  std::printf("marquee: listening on http://%s:%u (store %s)\n", args.server.host.c_str(), server.port(), db.c_str());
  std::fflush(stdout);
  server.run();
  if (notifications) notifications->notifier->stop();
  cache.stop();
  spdlog::info("stopped");
  return 0;
}

int run_import(const std::string& db, const std::string& file, ImportOptions opt, const std::string& report_format,
               bool check_only) {
  SystemClock clock;
  std::unique_ptr<Store> store;
  if (!check_only && !opt.dry_run) {
    store = open_store(db);
    store->migrate();
  } else {
    opt.dry_run = true;
  }
  const ImportReport r = import_file(format_readers(), store.get(), file, opt, clock);
  if (report_format == "json") std::cout << report_json(r);
  else std::cout << format_report_text(r, report_format == "full" ? SIZE_MAX : 3);
  if (!r.ok()) return 2;
  return check_only && r.error_count() > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Marquee: event programme, registrations and publishing"};
  app.require_subcommand(1);
  std::string db = "sqlite:///var/marquee.db";
  auto add_db = [&](CLI::App* sub) {
    sub->add_option("--db", db, "Store URL: sqlite:///rel.db, sqlite:////abs.db or postgresql://user@host:port/db")
        ->capture_default_str();
  };

  ServeArgs serve_args;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the public programme and the JSON API over HTTP");
  add_db(serve_cmd);
  serve_cmd->add_option("--host", serve_args.server.host, "Listen address")->capture_default_str();
  serve_cmd->add_option("--port", serve_args.server.port, "Listen port (0 = any free port)")->capture_default_str();
  serve_cmd->add_option("--threads", serve_args.server.threads, "I/O threads (0 = one per core)")->capture_default_str();
  serve_cmd->add_option("--poll-ms", serve_args.poll_ms, "How often to check the store for changes, in ms")
      ->capture_default_str()->check(CLI::Range(50, 60000));
  serve_cmd->add_option("--site-name", serve_args.site_name,
                        "Festival name in page headers and e-mail (default: the console's Settings, else Marquee)");
  serve_cmd->add_option("--contact-email", serve_args.contact_email,
                        "Contact address in the public footer and Reply-To (default: the console's Settings)");
  serve_cmd->add_option("--time-zone", serve_args.time_zone,
                        "Default IANA zone of new events and submissions (default: the console's Settings, else the zone most events use)")
      ->check([](const std::string& z) { return is_known_zone(z) ? std::string() : "unknown time zone " + z; });
  serve_cmd->add_flag("!--no-seed", serve_args.seed, "Do not load the bundled programme into an empty store");
  serve_cmd->add_option("--db-connections", serve_args.db_connections, "Store connections (0 = 4 SQLite, 8 PostgreSQL)")
      ->capture_default_str();
  serve_cmd->add_option("--max-connections", serve_args.server.max_connections,
                        "Open connections at once (0 = the file-descriptor limit less a reserve); when full the "
                        "oldest idle connection is closed")
      ->capture_default_str();
  serve_cmd->add_option("--max-connections-per-client", serve_args.server.max_connections_per_client,
                        "Open connections from one client address; when full its oldest idle one is closed")
      ->capture_default_str();
  serve_cmd->add_option("--registration-confirmation", serve_args.registration_confirmation,
                        "email: the registration form answers \"check your inbox\" and the personal link goes by e-mail "
                        "only (nobody learns whether an address was registered); page: the form opens the personal "
                        "page. Default: email when --smtp-url is set")
      ->check(CLI::IsMember({"email", "page"}));
  serve_cmd->add_option("--state-dir", serve_args.state_dir,
                        "Folder for this instance's local files (the last live snapshot); default: the SQLite "
                        "file's folder, else var/");
  serve_cmd->add_option("--trusted-proxy", serve_args.server.trusted_proxies,
                        "IP address of a reverse proxy whose X-Forwarded-For gives the client address (repeatable)");
  serve_cmd->add_option("--max-body-bytes-in-flight", serve_args.server.max_body_bytes_in_flight,
                        "Request body bytes held by all requests at once; beyond it uploads get 503")
      ->capture_default_str();
  serve_cmd->add_option("--max-body-bytes-per-client", serve_args.server.max_body_bytes_per_client,
                        "Request body bytes one client address may hold at once")
      ->capture_default_str();
  serve_cmd->add_option("--upload-dir", serve_args.server.spool_dir,
                        "Folder where large uploads (console imports) are written as they arrive (default: the system's temporary folder)");
  serve_cmd->add_option("--drain-seconds", serve_args.server.drain_seconds,
                        "After SIGTERM, seconds in-flight requests may take before the process exits anyway")
      ->capture_default_str();
  serve_cmd->add_option("--bulk-threads", serve_args.server.bulk_threads, "Threads for imports (never shared with requests)")
      ->capture_default_str();
  serve_cmd->add_option("--worker-threads", serve_args.server.worker_threads, "Threads for handlers that use the store")
      ->capture_default_str()->check(CLI::Range(1, 1024));
  serve_cmd->add_option("--registration-rate", serve_args.registration_rate,
                        "Registrations per client address per minute (0 = unlimited)")->capture_default_str();
  serve_cmd->add_option("--registration-batch", serve_args.registration.max_batch,
                        "Registrations for one event written per transaction (group commit)")
      ->capture_default_str()->check(CLI::Range(1, 10000));
  serve_cmd->add_option("--registration-workers", serve_args.registration.batch_workers,
                        "Registration transactions in flight at once")->capture_default_str()->check(CLI::Range(1, 256));
  serve_cmd->add_option("--staff-token-file", serve_args.staff_token_file,
                        "File with staff bearer tokens, one per line (also MARQUEE_STAFF_TOKENS, comma-separated)");
  serve_cmd->add_option("--deploy-token-file", serve_args.deploy_token_file,
                        "File with deploy bearer tokens for POST /api/v1/revalidate (also MARQUEE_DEPLOY_TOKENS)");
  serve_cmd->add_option("--backup-dir", serve_args.backup_dir,
                        "Take scheduled backups here, and serve the newest one when the store is unreadable at start");
  serve_cmd->add_option("--backup-key-file", serve_args.backup_key_file,
                        "File whose first line (32+ characters) encrypts backups at rest and opens encrypted ones");
  serve_cmd->add_option("--backup-interval", serve_args.backup_interval, "Seconds between scheduled backups")
      ->capture_default_str()->check(CLI::Range(1, 7 * 86400));
  serve_cmd->add_option("--backup-keep", serve_args.backup_keep, "Scheduled backups to keep")
      ->capture_default_str()->check(CLI::Range(1, 10000));
  serve_cmd->add_option("--cron-secret-file", serve_args.cron_secret_file,
                        "File with the cron secret for POST /api/v1/cron/{job} (also MARQUEE_CRON_SECRET)");
  serve_cmd->add_flag("--insecure-cookies", serve_args.insecure_cookies,
                      "Leave the Secure attribute off session cookies (plain-HTTP local use only)");
  serve_cmd->add_option("--submission-limit", serve_args.submission_limit,
                        "Host submissions per client address per hour")->capture_default_str()->check(CLI::Range(1, 100000));
  add_mail_options(serve_cmd, serve_args.mail);
  serve_cmd->add_option("--outbox-keep-days", serve_args.outbox_keep_days,
                        "Days to keep sent, failed and skipped outbox rows (pending rows are kept until delivered)")
      ->capture_default_str();
  serve_cmd->add_option("--notify-poll-ms", serve_args.notify_poll_ms, "How often the delivery worker looks for due messages, in ms")
      ->capture_default_str();
  serve_cmd->add_option("--maintenance-seconds", serve_args.maintenance_seconds,
                        "Interval of the retention purge, in seconds")->capture_default_str()->check(CLI::Range(1, 86400));

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending schema migrations");
  add_db(migrate_cmd);

  ImportOptions import_opt;
  std::string import_file_path, report_format = "text";
  auto add_import_options = [&](CLI::App* sub) {
    sub->add_option("FILE", import_file_path, "CSV, iCalendar (.ics), frab schedule.xml or schedule.json file")->required();
    sub->add_option("--format", import_opt.format, "csv, ics, frab or frab-json (default: from the file)")
        ->check(CLI::IsMember({"csv", "ics", "frab", "frab-json"}));
    sub->add_option("--mapping", import_opt.mapping_path, "TOML column mapping for CSV files");
    sub->add_option("--tz", import_opt.default_zone, "IANA zone for local times without one")->capture_default_str();
    sub->add_option("--max-bytes", import_opt.max_bytes, "Largest file accepted, in bytes")->capture_default_str();
    sub->add_option("--recurrence-past-days", import_opt.recurrence_past_days,
                    "iCalendar: expand RRULEs from this many days before now")->capture_default_str();
    sub->add_option("--recurrence-future-days", import_opt.recurrence_future_days,
                    "iCalendar: expand RRULEs up to this many days after now")->capture_default_str();
    sub->add_option("--report", report_format,
                    "text: issues summarised by kind with the first lines of each; full: every issue line; json")
        ->check(CLI::IsMember({"text", "full", "json"}))->capture_default_str();
  };
  auto* import_cmd = app.add_subcommand("import", "Import events (one transaction; re-imports update by key)");
  add_db(import_cmd);
  add_import_options(import_cmd);
  import_cmd->add_flag("--dry-run", import_opt.dry_run, "Validate and report without writing");
  bool import_publish = false;
  std::string publish_note;
  import_cmd->add_flag("--publish", import_publish, "Publish a snapshot right after a successful import");
  import_cmd->add_option("--note", publish_note, "Note stored with the published snapshot");

  auto* publish_cmd = app.add_subcommand("publish", "Publish the working programme as a new live snapshot");
  add_db(publish_cmd);
  publish_cmd->add_option("--note", publish_note, "Note stored with the snapshot");
  std::int64_t rollback_to = 0;
  auto* rollback_cmd = app.add_subcommand("rollback", "Make an earlier snapshot live again (recorded as a new snapshot)");
  add_db(rollback_cmd);
  rollback_cmd->add_option("N", rollback_to, "Snapshot number")->required();
  rollback_cmd->add_option("--note", publish_note, "Note stored with the rollback");
  auto* snapshots_cmd = app.add_subcommand("snapshots", "List snapshots, newest first (* = live)");
  add_db(snapshots_cmd);
  std::int64_t diff_from = 0, diff_to = 0;
  auto* diff_cmd = app.add_subcommand("diff", "Changes between two snapshots, or the working state against the live one");
  add_db(diff_cmd);
  diff_cmd->add_option("--from", diff_from, "Snapshot number");
  diff_cmd->add_option("--to", diff_to, "Snapshot number");

  auto* check_cmd = app.add_subcommand("check", "Validate a file without writing (exit 1 when rows have errors)");
  add_db(check_cmd);
  add_import_options(check_cmd);

  std::string export_format = "csv", export_output;
  auto* export_cmd = app.add_subcommand("export", "Export all events in Marquee's CSV layout");
  add_db(export_cmd);
  export_cmd->add_option("--format", export_format, "Export format")->check(CLI::IsMember({"csv"}))->capture_default_str();
  export_cmd->add_option("--output", export_output, "File to write (default: standard output)");

  auto* routes_cmd = app.add_subcommand("routes", "List the HTTP routes with their access rule");

  std::string backup_dir;
  int backup_keep = 0;
  auto* backup_cmd = app.add_subcommand("backup", "Write a portable backup file of the whole store");
  add_db(backup_cmd);
  backup_cmd->add_option("--backup-dir", backup_dir, "Folder for backup files")->required();
  backup_cmd->add_option("--keep", backup_keep, "Keep only the newest N backups (0 = all)")->capture_default_str();
  std::string backup_key_file;
  backup_cmd->add_option("--backup-key-file", backup_key_file, "Encrypt the backup with the secret in this file");
  std::string restore_file;
  auto* restore_cmd = app.add_subcommand("restore", "Verify a backup file, then replace the store's content with it");
  add_db(restore_cmd);
  restore_cmd->add_option("FILE", restore_file, "Backup file")->required();
  restore_cmd->add_option("--backup-key-file", backup_key_file, "The secret that encrypted the backup");

  auto* user_cmd = app.add_subcommand("user", "Console users");
  user_cmd->require_subcommand(1);
  std::string user_email, user_role = "viewer";
  auto* user_add = user_cmd->add_subcommand("add", "Add a user; the password is read from standard input (prompted on a terminal)");
  add_db(user_add);
  user_add->add_option("EMAIL", user_email, "E-mail address (the login)")->required();
  user_add->add_option("--role", user_role, "owner, editor, operations, door or viewer")
      ->check(CLI::IsMember({"owner", "editor", "operations", "door", "viewer"}))->capture_default_str();
  auto* user_list = user_cmd->add_subcommand("list", "List users and roles");
  add_db(user_list);

  auto* token_cmd = app.add_subcommand("token", "API tokens for scripts (Authorization: Bearer)");
  token_cmd->require_subcommand(1);
  std::string token_name, token_scopes;
  int token_days = 90;
  std::int64_t token_id = 0;
  auto* token_create = token_cmd->add_subcommand("create", "Create a token; it is printed once");
  add_db(token_create);
  token_create->add_option("NAME", token_name, "What the token is for")->required();
  token_create->add_option("--scope", token_scopes, "Comma-separated: view, content, operate, attendees, check_in, users, backups")
      ->required();
  token_create->add_option("--expires-days", token_days, "Days until it expires (0 = never)")->capture_default_str();
  auto* token_list = token_cmd->add_subcommand("list", "List tokens (never the secrets)");
  add_db(token_list);
  auto* token_revoke = token_cmd->add_subcommand("revoke", "Revoke a token at once");
  add_db(token_revoke);
  token_revoke->add_option("ID", token_id, "Token id")->required();

  auto* attendees_cmd = app.add_subcommand("attendees", "Attendee lists and personal data");
  attendees_cmd->require_subcommand(1);
  std::string att_event, att_format = "csv", att_output;
  auto* att_export = attendees_cmd->add_subcommand("export", "Export attendees as CSV or XLSX");
  add_db(att_export);
  att_export->add_option("--event", att_event, "Only this event (default: all events)");
  att_export->add_option("--format", att_format, "csv or xlsx")->check(CLI::IsMember({"csv", "xlsx"}))->capture_default_str();
  att_export->add_option("--output", att_output, "File to write (default: standard output)");
  std::int64_t erase_id = 0;
  auto* att_erase = attendees_cmd->add_subcommand("erase", "Erase one registration's personal data");
  add_db(att_erase);
  att_erase->add_option("ID", erase_id, "Registration id")->required();
  auto* att_purge = attendees_cmd->add_subcommand("purge", "Erase personal data past each event's retention period");
  add_db(att_purge);

  auto run_pipeline_command = add_pipeline_command(app);
  auto run_notify_command = add_notify_command(app, db, add_db);

  CLI11_PARSE(app, argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("marquee"));  // stdout is for results
  try {
    if (serve_cmd->parsed()) {
      if (!serve_args.backup_key_file.empty())
        serve_args.backup_key = std::make_shared<const BackupKey>(load_backup_key(serve_args.backup_key_file));
      return serve(db, serve_args);
    }
    if (const int status = run_pipeline_command(); status >= 0) return status;
    if (const int status = run_notify_command(); status >= 0) return status;
    if (routes_cmd->parsed()) {
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
    }
    if (user_add->parsed() || user_list->parsed()) {
      SystemClock clock;
      auto store = open_store(db);
      store->migrate();
      if (user_list->parsed()) {
        for (const auto& u : store->list_users())
          std::cout << u.email << " " << to_string(u.role) << (u.disabled ? " (disabled)" : "") << "\n";
        return 0;
      }
      std::string password;
      if (isatty(STDIN_FILENO)) {
        std::cerr << "Password for " << user_email << ": " << std::flush;
        termios old{};
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        std::getline(std::cin, password);
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
      } else {
        std::getline(std::cin, password);
      }
      try {
        Accounts(*store, clock).add_user(user_email, password, *parse_role(user_role), "cli");
      } catch (const std::invalid_argument& e) {
        std::cerr << "marquee: " << e.what() << "\n";
        return 2;
      }
      std::cout << "added " << user_email << " (" << user_role << ")\n";
      return 0;
    }
    if (token_create->parsed() || token_list->parsed() || token_revoke->parsed()) {
      SystemClock clock;
      auto store = open_store(db);
      store->migrate();
      Accounts accounts(*store, clock);
      if (token_create->parsed()) {
        try {
          std::cout << accounts.create_api_token(token_name, split_list(token_scopes, ','), token_days, "cli") << "\n";
        } catch (const std::invalid_argument& e) {
          std::cerr << "marquee: " << e.what() << "\n";
          return 2;
        }
        return 0;
      }
      if (token_revoke->parsed()) {
        if (!store->revoke_api_token(token_id, clock.now())) {
          std::cerr << "marquee: no active token " << token_id << "\n";
          return 1;
        }
        accounts.audit("cli", "token_revoke", "token " + std::to_string(token_id));
        std::cout << "revoked token " << token_id << "\n";
        return 0;
      }
      for (const auto& t : store->list_api_tokens())
        std::cout << t.id << " " << t.name << " [" << join_scopes(t.scopes) << "] "
                  << (t.revoked_at ? "revoked" : t.expires_at ? "expires " + format_utc(*t.expires_at) : "no expiry") << "\n";
      return 0;
    }
    if (backup_cmd->parsed() || restore_cmd->parsed()) {
      SystemClock clock;
      auto store = open_store(db);
      store->migrate();
      if (backup_cmd->parsed()) {
        std::optional<BackupKey> key;
        if (!backup_key_file.empty()) key = load_backup_key(backup_key_file);
        else std::cerr << "marquee: warning: the backup is not encrypted (it holds password hashes, the installation "
                          "secret and personal data); pass --backup-key-file\n";
        BackupFolder folder(backup_dir);
        const auto b = Backups(*store, folder, clock, BackupPolicy{backup_keep, key ? &*key : nullptr}).take("cli");
        // The backup is complete and synced. An audit entry that could not be
        // stored (a full store disk) is a separate warning.
        std::cout << b.info.path << " (" << b.info.size << " bytes)\n" << std::flush;
        if (!b.audit_error.empty())
          std::cerr << "marquee: the backup was written, but its audit entry could not be stored: " << b.audit_error << "\n";
        return 0;
      }
      std::string audit_error;
      try {
        std::optional<BackupKey> key;
        if (!backup_key_file.empty()) key = load_backup_key(backup_key_file);
        BackupFolder folder(std::filesystem::path(restore_file).parent_path().string());
        audit_error = Backups(*store, folder, clock, BackupPolicy{0, key ? &*key : nullptr}).restore(restore_file, "cli");
      } catch (const BackupError& e) {
        std::cerr << "marquee: backup refused, the store is unchanged: " << e.what() << "\n";
        return 2;
      }
      if (!audit_error.empty())
        std::cerr << "marquee: the restore is complete, but its audit entry could not be stored: " << audit_error << "\n";
      std::cout << "restored " << restore_file << "; live snapshot "
                << (store->live_snapshot_number() ? std::to_string(*store->live_snapshot_number()) : "none") << "\n";
      return 0;
    }
    if (att_export->parsed() || att_erase->parsed() || att_purge->parsed()) {
      SystemClock clock;
      auto store = open_store(db);
      store->migrate();
      if (att_erase->parsed()) {
        if (!store->erase_registration(erase_id, clock.now(), "operator (cli)")) {
          std::cerr << "marquee: no registration " << erase_id << "\n";
          return 1;
        }
        std::cout << "erased the personal data of registration " << erase_id << "\n";
        return 0;
      }
      if (att_purge->parsed()) {
        std::cout << "erased " << store->purge_expired_registrations(clock.now()) << " registrations\n";
        return 0;
      }
      const auto table = attendee_table(store->list_events(), store->list_registrations(att_event, false));
      const std::string bytes = att_format == "xlsx" ? attendees_xlsx(table) : attendees_csv(table);
      if (att_output.empty()) std::cout << bytes;
      else {
        std::ofstream out(att_output, std::ios::binary);
        out << bytes;
        if (!out) throw std::runtime_error("cannot write " + att_output);
      }
      return 0;
    }
    if (migrate_cmd->parsed()) {
      auto store = open_store(db);
      store->migrate();
      std::cout << "schema version " << store->schema_version() << "\n";
      return 0;
    }
    if (import_cmd->parsed()) {
      const int rc = run_import(db, import_file_path, import_opt, report_format, false);
      if (rc != 0 || !import_publish || import_opt.dry_run) return rc;
      SystemClock clock;
      auto store = open_store(db);
      auto r = Publisher(*store, clock).publish("cli import", publish_note);
      std::cerr << (r.unchanged ? "unchanged; snapshot " : "published snapshot ") << r.snapshot.number << "\n";
      return 0;
    }
    if (publish_cmd->parsed() || rollback_cmd->parsed() || snapshots_cmd->parsed() || diff_cmd->parsed()) {
      SystemClock clock;
      auto store = open_store(db);
      store->migrate();
      Publisher publisher(*store, clock);
      auto print_changes = [](const std::vector<EventChange>& changes) {
        for (const auto& c : changes)
          std::cout << "  " << to_string(c.kind) << " " << c.event_key
                    << (c.fields.empty() ? "" : " (" + join(c.fields, ", ") + ")") << "\n";
      };
      if (publish_cmd->parsed() || rollback_cmd->parsed()) {
        auto r = publish_cmd->parsed() ? publisher.publish("cli", publish_note)
                                       : publisher.rollback(rollback_to, "cli", publish_note);
        std::cout << (r.unchanged ? "unchanged: snapshot " : "live: snapshot ") << r.snapshot.number << " ("
                  << r.snapshot.event_count << " events, " << r.changes.size() << " changes, " << r.notices
                  << " attendee notifications)\n";
        print_changes(r.changes);
        return 0;
      }
      if (snapshots_cmd->parsed()) {
        const auto live = store->live_snapshot_number();
        for (const auto& s : store->list_snapshots())
          std::cout << (live == s.number ? "* " : "  ") << s.number << " " << format_utc(s.created_at) << " " << s.kind
                    << (s.based_on ? " of " + std::to_string(*s.based_on) : "") << " " << s.event_count << " events by "
                    << s.author << (s.note.empty() ? "" : ": " + s.note) << "\n";
        return 0;
      }
      print_changes(diff_from && diff_to ? publisher.diff(diff_from, diff_to) : publisher.pending_changes());
      return 0;
    }
    if (check_cmd->parsed()) return run_import(db, import_file_path, import_opt, report_format, true);
    if (export_cmd->parsed()) {
      auto store = open_store(db);
      store->migrate();
      const std::string csv = export_events_csv(store->list_events());
      if (export_output.empty()) {
        std::cout << csv;
      } else {
        std::ofstream out(export_output, std::ios::binary);
        out << csv;
        if (!out) throw std::runtime_error("cannot write " + export_output);
      }
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "marquee: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
