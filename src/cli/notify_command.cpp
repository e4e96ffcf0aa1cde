#include "cli/notify_command.hpp"

#include "app/outbox_release.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/time_zone.hpp"
#include "adapters/mail/smtp_transport.hpp"
#include "app/programme_cache.hpp"
#include "app/publisher.hpp"
#include "app/reminders.hpp"
#include "core/reminders.hpp"
#include "core/text.hpp"

namespace marquee {
namespace {

// "Name <addr@host>" or "addr@host".
std::pair<std::string, std::string> parse_mailbox(const std::string& text) {
  const auto lt = text.rfind('<'), gt = text.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    std::string name = trim(text.substr(0, lt));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    return {name, trim(text.substr(lt + 1, gt - lt - 1))};
  }
  return {"", trim(text)};
}

std::string read_secret_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  std::getline(in, line);
  return trim(line);
}

}  // namespace

void add_mail_options(CLI::App* cmd, MailConfig& c) {
  cmd->add_option("--smtp-url", c.smtp_url, "SMTP server: smtp://host:port (STARTTLS when offered) or smtps://host:port; none = no e-mail");
  cmd->add_option("--smtp-user", c.smtp_user, "SMTP AUTH user (password: MARQUEE_SMTP_PASSWORD or --smtp-password-file)");
  cmd->add_option("--smtp-password-file", c.smtp_password_file, "File whose first line is the SMTP password");
  cmd->add_option("--smtp-ca-file", c.smtp_ca_file, "PEM certificates to verify the SMTP server with");
  cmd->add_flag("--smtp-require-tls", c.smtp_require_tls, "Refuse to send unless the connection is encrypted");
  cmd->add_option("--smtp-timeout", c.smtp_timeout, "Seconds a stalled SMTP exchange may wait")->capture_default_str();
  cmd->add_option("--mail-from", c.mail_from, "Sender, e.g. \"Harbourlight <programme@example.org>\"")->capture_default_str();
  cmd->add_option("--public-url", c.public_url, "Base URL of the public site, for links in messages")->capture_default_str();
  cmd->add_option("--mail-templates", c.templates_dir, "Folder with mail_subject/mail_text/mail_html.mustache replacing the built-in ones");
  cmd->add_option("--notify-senders", c.notifier.senders, "Parallel SMTP connections")->capture_default_str();
  cmd->add_option("--notify-retry-seconds", c.notifier.retry_base_seconds, "First retry delay; doubles per attempt, with jitter")
      ->capture_default_str();
  cmd->add_option("--notify-max-attempts", c.notifier.max_attempts, "Attempts before a message is failed")->capture_default_str();
  cmd->add_option("--notify-max-age-hours", c.notifier.max_age_seconds, "Messages older than this are skipped, not sent late")
      ->default_str(std::to_string(c.notifier.max_age_seconds / 3600))
      ->transform([](std::string v) { return std::to_string(std::stoll(v) * 3600); });
}

std::unique_ptr<Notifications> make_notifications(Store& store, const Clock& clock, const MailConfig& c,
                                                  const std::string& site_name, const FestivalSettingsService* festival) {
  if (c.smtp_url.empty()) return nullptr;
  SmtpOptions smtp;
  smtp.url = c.smtp_url;
  smtp.username = c.smtp_user;
  if (!c.smtp_password_file.empty()) smtp.password = read_secret_file(c.smtp_password_file);
  else if (const char* env = std::getenv("MARQUEE_SMTP_PASSWORD")) smtp.password = env;
  smtp.ca_file = c.smtp_ca_file;
  smtp.require_tls = c.smtp_require_tls;
  smtp.timeout_seconds = c.smtp_timeout;
  ComposerOptions compose;
  compose.site_name = site_name.empty() ? std::string(kDefaultFestivalName) : site_name;
  if (festival)
    compose.identity = [festival] {
      const auto s = festival->effective();
      return std::pair{s->name, s->contact_email};
    };
  std::tie(compose.from_name, compose.from_address) = parse_mailbox(c.mail_from);
  if (compose.from_address.find('@') == std::string::npos)
    throw std::runtime_error("--mail-from needs an e-mail address, e.g. \"Programme <programme@example.org>\"");
  if (!c.templates_dir.empty()) compose.templates = load_mail_templates(c.templates_dir);
  auto out = std::make_unique<Notifications>();
  out->composer = std::make_unique<TemplateNoticeComposer>(compose);
  NotifierOptions options = c.notifier;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  options.worker = std::string(host) + ":" + std::to_string(getpid());
  options.public_url = c.public_url;
  while (!options.public_url.empty() && options.public_url.back() == '/') options.public_url.pop_back();
  if (festival) options.public_url_now = [festival] { return festival->effective()->public_url; };
  out->notifier = std::make_unique<Notifier>(
      store, clock, *out->composer, [smtp] { return std::make_unique<SmtpTransport>(smtp); }, options);
  return out;
}

void add_notify_command(CLI::App& app, CliContext& ctx) {
  struct State {
    MailConfig mail;
    std::string state;
    int limit = 50;
    std::int64_t id = 0;
    std::string fields;
    std::int64_t quiet = -1, max_delay = -1;
    std::string site_name;  ///< "" = the festival settings' name, else "Marquee"
    bool now = false;
    std::optional<std::string> reminders;  ///< notify reminders --set
    std::optional<std::int64_t> at;        ///< notify remind --at
  };
  auto st = std::make_shared<State>();
  auto* notify = app.add_subcommand("notify", "Schedule-change and registration e-mails (the outbox)");
  notify->require_subcommand(1);
  auto* run = notify->add_subcommand("run", "Deliver every message that is due now, then exit");
  ctx.add_db(run);
  add_mail_options(run, st->mail);
  run->add_option("--site-name", st->site_name, "Name that signs the messages (default: the festival settings' name, else Marquee)");
  run->add_flag("--now", st->now, "First make every pending message due now (after an SMTP outage; not reminders), then deliver");
  run->add_option("--at", st->at, "Deliver as if it were this instant (UTC seconds): reminders due by then, in tests");
  auto* status = notify->add_subcommand("status", "Outbox counts: pending (due now), sent, failed, skipped");
  ctx.add_db(status);
  auto* list = notify->add_subcommand("list", "Outbox rows, newest first");
  ctx.add_db(list);
  list->add_option("--state", st->state, "pending, sent, failed or skipped (default: all)")
      ->check(CLI::IsMember({"pending", "sent", "failed", "skipped"}));
  list->add_option("--limit", st->limit, "Rows to show")->capture_default_str();
  auto* preview = notify->add_subcommand("preview", "Who a publish of the working programme would notify, per event");
  ctx.add_db(preview);
  auto* retry = notify->add_subcommand("retry", "Send a failed message again");
  ctx.add_db(retry);
  retry->add_option("ID", st->id, "Outbox row id")->required();
  auto* settings = notify->add_subcommand("settings", "Show or change which fields notify and the quiet period");
  ctx.add_db(settings);
  settings->add_option("--fields", st->fields, "Comma-separated fields whose change is sent to attendees");
  settings->add_option("--quiet-seconds", st->quiet, "Changes within this many seconds fold into one message");
  settings->add_option("--max-delay-seconds", st->max_delay, "A folded message waits at most this long (0 = no cap)");

  auto* reminders = notify->add_subcommand("reminders", "Show or change when reminders go out before each event's start");
  ctx.add_db(reminders);
  reminders->add_option("--set", st->reminders, "Offsets before the start, e.g. \"24h, 2h\" or \"1d 30m\"; \"off\" for none");
  auto* remind = notify->add_subcommand("remind", "Write the reminders due within the hour into the outbox (serve does this every minute)");
  ctx.add_db(remind);
  remind->add_option("--at", st->at, "Act as if it were this instant (UTC seconds): to catch up, or in tests");

  ctx.add_runner([=, &ctx]() -> int {
    if (!notify->parsed()) return -1;
    SystemClock clock;
    auto store = ctx.open_migrated_store();
    if (run->parsed()) {
      FestivalSettings flags;
      flags.name = st->site_name;
      if (st->mail.public_url != MailConfig{}.public_url) flags.public_url = st->mail.public_url;
      FestivalSettingsService festival(*store, clock, flags, [](std::string_view z) { return is_known_zone(z); });
      // --at: the delivery's clock (the tests' seam for reminders, due at their moment).
      ManualClock at(st->at.value_or(0));
      const Clock& delivery_clock = st->at ? static_cast<const Clock&>(at) : clock;
      auto n = make_notifications(*store, delivery_clock, st->mail, st->site_name, &festival);
      if (!n) {
        std::cerr << "marquee: notify run needs --smtp-url\n";
        return 2;
      }
      if (st->now) std::cout << release_outbox_now(*store, delivery_clock, "cli") << " pending messages made due now\n";
      const DrainStats s = n->notifier->drain();
      std::cout << s.sent << " sent, " << s.retried << " to retry, " << s.failed << " failed, " << s.skipped << " skipped\n";
      return 0;
    }
    if (status->parsed()) {
      const OutboxCounts c = store->outbox_counts(clock.now());
      std::cout << "pending " << c.pending << " (due now " << c.due << ")\nsent " << c.sent << "\nfailed " << c.failed
                << "\nskipped " << c.skipped << "\n";
      return 0;
    }
    if (list->parsed()) {
      for (const auto& m : store->recent_outbox(st->state, st->limit))
        std::cout << m.id << " " << m.state << " " << m.kind << " " << m.event_key << " registration "
                  << (m.registration_id ? std::to_string(*m.registration_id) : "-") << " attempts " << m.attempts
                  << " due " << (m.due_at > 0 ? format_utc(m.due_at) : std::string("-")) << (m.last_error.empty() ? "" : " — " + m.last_error) << "\n";
      return 0;
    }
    Publisher publisher(*store, clock);
    if (reminders->parsed() || remind->parsed()) {
      Reminders r(*store, clock);
      if (remind->parsed()) {
        std::cout << r.enqueue(build_programme(publisher.live_events(), 0)->entries(), st->at) << " reminders written\n";
        return 0;
      }
      if (st->reminders) {
        if (auto error = r.set_offsets(*st->reminders, "cli")) {
          std::cerr << "marquee: " << *error << "\n";
          return 2;
        }
      }
      const std::string now = format_reminder_offsets(r.offsets());
      std::cout << "reminders " << (now.empty() ? "off" : now) << "\n";
      return 0;
    }
    if (preview->parsed()) {
      const NoticesPreview n = publisher.preview_notices();
      for (const auto& p : n.events)
        std::cout << p.event_key << " " << to_string(p.kind)
                  << (p.fields.empty() ? "" : " (" + join(p.fields, ", ") + ")") << ": " << count_of(p.attendees, "attendee", "attendees")
                  << (p.followers ? ", followed by " + count_of(p.followers, "agenda alert", "agenda alerts") : "") << "\n";
      std::cout << count_of(n.messages(), "message", "messages");
      if (n.alert_messages)
        std::cout << " (" << n.attendee_messages << " to attendees, " << n.alert_messages
                  << " to agenda alerts: one per alert, however many of its events change)";
      std::cout << "\n";
      return 0;
    }
    if (retry->parsed()) {
      if (!retry_notification(*store, clock, st->id, "cli")) {
        std::cerr << "marquee: outbox row " << st->id << " is not failed\n";
        return 1;
      }
      std::cout << "outbox row " << st->id << " is due again\n";
      return 0;
    }
    NotifySettings s = publisher.notify_settings();
    if (!st->fields.empty() || st->quiet >= 0 || st->max_delay >= 0) {
      if (!st->fields.empty()) {
        for (const auto& f : split_list(st->fields, ','))
          if (std::find(notifiable_fields().begin(), notifiable_fields().end(), f) == notifiable_fields().end()) {
            std::cerr << "marquee: unknown field '" << f << "'; fields: " << join(notifiable_fields(), ", ") << "\n";
            return 2;
          }
        s.fields = split_list(st->fields, ',');
      }
      if (st->quiet >= 0) s.quiet_seconds = st->quiet;
      if (st->max_delay >= 0) s.max_delay_seconds = st->max_delay;
      publisher.set_notify_settings(s, "cli");
    }
    std::cout << "fields " << join(s.fields, ",") << "\nquiet_seconds " << s.quiet_seconds << "\nmax_delay_seconds "
              << s.max_delay_seconds << "\n";
    return 0;
  });
}

}  // namespace marquee
