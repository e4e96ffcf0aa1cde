#include "cli/application.hpp"
#include "cli/metric_collectors.hpp"
#include "cli/stripe_config.hpp"

#include "adapters/formats/event_sources.hpp"
#include "adapters/web/bearer_tokens.hpp"
#include "adapters/web/html_response.hpp"
#include "app/event_edit.hpp"
#include "core/time_zone.hpp"

namespace marquee {
namespace {

// The default zone for host submissions: the one most events use (UTC when
// the store cannot be read at start).
std::string most_used_zone(Store& store) {
  try {
    return most_common_zone(store.time_zone_counts());
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

}  // namespace

Application::Application(Store& store, const Clock& clock, const ServeArgs& args, FestivalSettingsService& festival,
                         Notifications* mail)
    : festival(festival),
      default_zone(most_used_zone(store)),
      analytics(args.no_analytics ? nullptr
                                  : std::make_unique<AnalyticsRecorder>(
                                        store, clock, [this] { return analytics_zone(); },
                                        AnalyticsOptions{std::chrono::milliseconds(args.analytics_flush_ms), 50000, {},
                                                         args.mail.public_url})),
      visits(analytics.get()),
      live(festival),
      board(store),
      placement_board(store),
      site(live.ref()),
      feeds(live.ref(), args.mail.public_url),
      offline_site(live.ref(), clock),
      cache(store, [this, mail](const ProgrammePtr& p) {
        site.install(p);
        feeds.install(p);
        offline_site.install(p);
        // A new live snapshot (also one published by another process, seen
        // by polling or LISTEN/NOTIFY): its change notices may be due now.
        if (mail) mail->notifier->wake();
      }),
      publisher(store, clock,
                [this, mail] {
                  cache.refresh();
                  if (mail) mail->notifier->wake();  // rows due at once (quiet period 0) go out now
                }),
      reminders(store, clock),
      backup_folder(args.backup_dir),
      backups(args.backup_dir.empty() ? nullptr
                                      : std::make_unique<Backups>(store, backup_folder, clock,
                                                                  BackupPolicy{args.backup_keep, args.backup_key.get()})),
      jobs(store, publisher, clock, backups.get()),
      event_moves(store, clock),
      outbox_moves(store, clock),
      import_staging(store, format_readers(), clock),
      import_runs(store, clock),
      registrations(store, clock, [this, options = args.registration]() mutable {
                      options.on_batch = [this](std::size_t n, double s, bool ok) { batch_metrics.observe(n, s, ok); };
                      return options;
                    }()),
      limiter(store, "register", args.registration_rate, 60),
      offers(store, clock),
      no_shows(store, clock),
      offers_api(offers, no_shows),
      self_service(store, clock, registrations),
      self_service_api(self_service, lookup(), registrations, limiter),
      accounts(store, clock),
      policy(accounts, BearerTokens::from_environment("MARQUEE_STAFF_TOKENS", args.staff_token_file),
             BearerTokens::from_environment("MARQUEE_DEPLOY_TOKENS", args.deploy_token_file),
             BearerTokens::from_environment("MARQUEE_CRON_SECRET", args.cron_secret_file)),
      admin(live.ref(), accounts, store, store, cache, publisher, !args.insecure_cookies, backups.get()),
      api(registrations, lookup(), limiter),
      resend_limiter(store, "resend-link", 10, 3600),
      link_resends(store, clock, resend_limiter),
      lost_link(live.ref(), store, link_resends,
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
      self_service_pages(live.ref(), registrations, self_service, lookup(), limiter),
      publishing(publisher, store),
      admin_events(store, event_moves),
      operations(jobs, store),
      status(cache, store, store, store, clock, backups.get()),
      submissions(store, clock, SubmissionOptions{args.submission_limit, 3600, default_zone}),
      events_console(live.ref(), store, event_moves, clock),
      import_console(live.ref(), store, import_staging, import_runs),
      publishing_console(live.ref(), store, store, publisher, clock, backups.get(), [this] { cache.refresh(); }),
      attendees_console(live.ref(), registrations, offers, no_shows),
      moderation_console(live.ref(), submissions, store, store),
      users_console(live.ref(), accounts),
      notifications_console(
          live.ref(), store, outbox_moves, publisher, reminders, clock,
          mail ? NotificationsConsole::Preview([mail](std::int64_t id, std::string* why) { return mail->notifier->preview(id, why); })
               : NotificationsConsole::Preview{},
          [mail] {
            if (mail) mail->notifier->wake();
          }),
      submission_pages(live.ref(), submissions, store, !args.insecure_cookies),
      settings_console(live.ref(), festival, live),
      go_links(live.ref(), lookup(), &visits),
      insights(store, lookup(), [this](const std::string& key) { return board.taken(key); },
               [this] { return analytics_zone(); }),
      insights_api(insights, no_shows, clock, [this] { return analytics_zone(); }),
      insights_console(live.ref(), insights, no_shows, clock, [this] { return analytics_zone(); }, analytics.get()),
      placements(store, clock),
      payments(stripe_checkout_from(args)),
      placements_api(store, placements, clock, payments.get(), [this] { return live.current().public_url; }),
      stripe_webhook(store, clock, stripe_webhook_secrets_from(args)),
      stripe_webhook_api(stripe_webhook),
      checkout_pages(live.ref()),
      partner_reports(store, clock, [this] { return analytics_zone(); }),
      partner_pages(live.ref(), partner_reports, [this] { return analytics_zone(); }),
      partner_reports_api(store, partner_reports, [this] { return live.current().public_url; }),
      placements_console(live.ref(), store, placements, partner_reports, payments.get(), clock),
      ticket_signer(registrations.secret()),
      checkins(store, store, store, clock, &ticket_signer),
      checkin_lists_api(checkins, store, store),
      checkin_console(live.ref(), checkins, store, store, store, clock),
      door_releases(store, clock),
      door_release_api(door_releases, store, checkins, [this] { return analytics_zone(); }),
      door_pages(live.ref(), checkins, store, store, door_releases),
      agendas(store, clock),
      agenda_create_limit(store, "agenda-create", 60, 600),
      agenda_write_limit(store, "agenda-write", 120, 600),
      agendas_api(agendas, clock, agenda_create_limit, agenda_write_limit),
      agenda_pages(live.ref(), agendas, feeds),
      agenda_alerts(store, clock, registrations.secret(),
                    [mail] {
                      if (mail) mail->notifier->wake();  // the confirmation message goes out now
                    }),
      alert_limit(store, "agenda-alert", 30, 600),
      agenda_alerts_api(agenda_alerts, clock, alert_limit),
      alert_pages(live.ref(), agenda_alerts),
      messages(store, clock, [this] { return analytics_zone(); },
               [mail] {
                 if (mail) mail->notifier->wake();  // the recipients' rows go out now
               }),
      messages_api(messages),
      messages_console(live.ref(), messages, store, [this] { return analytics_zone(); }),
      unsubscribe_pages(live.ref(), registrations, messages, lookup()),
      reconfirmations(store, clock),
      reconfirm_api(reconfirmations),
      webhooks(store, clock),
      webhooks_api(webhooks),
      webhooks_console(live.ref(), webhooks, [this] { return analytics_zone(); }),
      metrics_api(metric_collectors(*this, store, clock)) {
  site.set_availability([this](const std::string& key) { return board.taken(key); }, &clock);
  jobs.set_analytics_zone([this] { return analytics_zone(); });
  site.set_visit_counter(&visits);
  pages.set_ticket_signer(&ticket_signer);
  pages.set_offers(&offers);
  pages.set_reconfirmations(&reconfirmations);
  // Placements reload on the programme's wake-ups (NOTIFY, poll, publish);
  // a viewer's rotation follows the day's visitor id, never for DNT/GPC.
  cache.set_companion([this] { placement_board.refresh(); });
  site.set_placements(&placement_board, [this](const Request& r) {
    return analytics && !BotFilter::opted_out(r) ? analytics->visitor(r.remote_address, r.header("user-agent"))
                                                 : std::string();
  });
  feeds.set_visit_counter(&visits);
  api.set_visit_counter(&visits);
  pages.set_visit_counter(&visits);
  feeds.add_routes(router);  // before the site's: /events/{key}.ics
  site.add_routes(router);
  offline_site.add_routes(router);
  api.add_routes(router);
  offers_api.add_routes(router);
  self_service_api.add_routes(router);
  pages.add_routes(router);
  self_service_pages.add_routes(router);
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
  go_links.add_routes(router);
  insights_api.add_routes(router);
  insights_console.add_routes(router);
  placements_api.add_routes(router);
  stripe_webhook_api.add_routes(router);
  checkout_pages.add_routes(router);
  partner_pages.add_routes(router);
  partner_reports_api.add_routes(router);
  placements_console.add_routes(router);
  checkin_lists_api.add_routes(router);
  checkin_console.add_routes(router);
  door_pages.add_routes(router);
  door_release_api.add_routes(router);
  agendas_api.add_routes(router);
  agenda_pages.add_routes(router);
  agenda_alerts_api.add_routes(router);
  alert_pages.add_routes(router);
  messages.set_notifier(mail ? mail->notifier.get() : nullptr);
  messages_api.add_routes(router);
  messages_console.add_routes(router);
  unsubscribe_pages.add_routes(router);
  reconfirm_api.add_routes(router);
  webhooks_api.add_routes(router);
  webhooks_console.add_routes(router);
  metrics_api.add_routes(router);
  // A new name, logo or contact shows on the pre-rendered pages at once.
  festival.on_change([this] { cache.reinstall(); });
  router.set_access_policy(
      [this](const Request& r, const Route& route, bool body_read) { return policy.decide(r, route, body_read); });
  router.set_forbidden_page([this](const Request&, const std::string& detail) {
    return private_html(403, error_page_html(live.current(), 403, "Not allowed", detail + " Ask an owner if you need it."));
  });
  std::vector<std::pair<std::string, std::string>> routes;
  for (const auto& r : router.routes()) routes.emplace_back(r.method, r.pattern);
  request_metrics = std::make_unique<RequestMetrics>(routes);
}

std::string Application::analytics_zone() const {
  const std::string zone = festival.effective()->time_zone;
  return zone.empty() ? default_zone : zone;
}

EventLookup Application::lookup() {
  return [this](const std::string& key) { return site.find_event(key); };
}

}  // namespace marquee
