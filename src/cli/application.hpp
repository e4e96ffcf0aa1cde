#pragma once
// Every route of the server, wired to its services: `marquee serve` serves
// them, `marquee routes` lists them.
#include "adapters/api/admin_events_api.hpp"
#include "adapters/api/insights_api.hpp"
#include "adapters/api/partner_reports_api.hpp"
#include "adapters/api/placements_api.hpp"
#include "adapters/api/stripe_webhook_api.hpp"
#include "adapters/payments/stripe_checkout.hpp"
#include "adapters/web/checkout_pages.hpp"
#include "adapters/web/partner_pages.hpp"
#include "adapters/api/operations_api.hpp"
#include "adapters/api/publishing_api.hpp"
#include "adapters/api/registration_api.hpp"
#include "adapters/api/checkin_lists_api.hpp"
#include "adapters/api/metrics_api.hpp"
#include "adapters/api/status_api.hpp"
#include "adapters/backup/backup_folder.hpp"
#include "adapters/web/access_policy.hpp"
#include "adapters/web/admin_pages.hpp"
#include "adapters/web/console/attendees_console.hpp"
#include "adapters/web/console/checkin_console.hpp"
#include "adapters/web/door_pages.hpp"
#include "adapters/web/agenda_pages.hpp"
#include "adapters/web/alert_pages.hpp"
#include "adapters/api/agenda_alerts_api.hpp"
#include "adapters/api/messages_api.hpp"
#include "adapters/api/door_release_api.hpp"
#include "adapters/api/reconfirm_api.hpp"
#include "adapters/api/webhooks_api.hpp"
#include "app/reconfirmations.hpp"
#include "adapters/web/console/webhooks_console.hpp"
#include "app/webhooks.hpp"
#include "adapters/api/place_offers_api.hpp"
#include "adapters/web/console/messages_console.hpp"
#include "adapters/web/unsubscribe_pages.hpp"
#include "app/attendee_messages.hpp"
#include "adapters/api/self_service_api.hpp"
#include "adapters/web/self_service_pages.hpp"
#include "app/self_service.hpp"
#include "adapters/api/agendas_api.hpp"
#include "app/agenda_alerts.hpp"
#include "app/reminders.hpp"
#include "app/door_releases.hpp"
#include "app/no_show_report.hpp"
#include "app/place_offers.hpp"
#include "app/agendas.hpp"
#include "adapters/web/console/events_console.hpp"
#include "adapters/web/console/import_console.hpp"
#include "adapters/web/console/insights_console.hpp"
#include "adapters/web/console/placements_console.hpp"
#include "adapters/web/console/moderation_console.hpp"
#include "adapters/web/console/notifications_console.hpp"
#include "adapters/web/console/publishing_console.hpp"
#include "adapters/web/console/settings_console.hpp"
#include "adapters/web/console/users_console.hpp"
#include "adapters/web/go_links.hpp"
#include "adapters/web/lost_link_pages.hpp"
#include "adapters/web/registration_pages.hpp"
#include "adapters/web/schedule_feeds.hpp"
#include "adapters/web/site.hpp"
#include "adapters/web/offline_site.hpp"
#include "adapters/web/submission_pages.hpp"
#include "app/link_resend.hpp"
#include "app/import_service.hpp"
#include "app/import_staging.hpp"
#include "app/outbox_release.hpp"
#include "app/event_moves.hpp"
#include "app/accounts.hpp"
#include "app/address_limit.hpp"
#include "app/analytics_recorder.hpp"
#include "app/insights.hpp"
#include "app/availability_board.hpp"
#include "app/backups.hpp"
#include "app/festival_settings_service.hpp"
#include "app/placement_board.hpp"
#include "app/partner_reports.hpp"
#include "app/placements.hpp"
#include "app/stripe_webhook.hpp"
#include "app/checkins.hpp"
#include "app/ticket_signer.hpp"
#include "app/metrics.hpp"
#include "app/programme_cache.hpp"
#include "app/publisher.hpp"
#include "app/registration_service.hpp"
#include "app/scheduled_jobs.hpp"
#include "app/submissions.hpp"
#include "cli/serve_args.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

struct Application {
  /// Builds every service and route over `store`; `mail`: the delivery worker
  /// to wake after a publish or a resend (nullptr: none in this process).
  /// `store`, `clock`, `festival`, `mail` and args.backup_key must outlive
  /// the Application.
  Application(Store& store, const Clock& clock, const ServeArgs& args, FestivalSettingsService& festival,
              Notifications* mail = nullptr);
  /// Finds a public event by key in the programme being served.
  EventLookup lookup();
  /// The zone of analytics days and hours: the festival's time zone, else
  /// the one most events used at start.
  std::string analytics_zone() const;

  FestivalSettingsService& festival;
  std::string default_zone;  ///< the zone most events use (at start)
  RegistrationBatchMetrics batch_metrics;  ///< told by the registration batcher (declared before it)
  std::unique_ptr<AnalyticsRecorder> analytics;  ///< null with --no-analytics
  VisitCounter visits;
  LiveSite live;
  AvailabilityBoard board;
  PlacementBoard placement_board;  ///< the partner placements the site shows (issue 17)
  Site site;
  ScheduleFeeds feeds;
  OfflineSite offline_site;
  ProgrammeCache cache;
  Publisher publisher;
  Reminders reminders;
  BackupFolder backup_folder;
  std::unique_ptr<Backups> backups;  ///< null without --backup-dir
  ScheduledJobs jobs;
  EventMoves event_moves;
  OutboxMoves outbox_moves;
  ImportStaging import_staging;
  ImportRuns import_runs;
  RegistrationService registrations;
  AddressLimit limiter;
  WaitingListOffers offers;  ///< waiting-list offers (issue 21)
  NoShowReport no_shows;     ///< no-show figures and the overbooking risk (issue 21)
  PlaceOffersApi offers_api;
  SelfService self_service;  ///< self-service changes from the personal page (issue 21)
  SelfServiceApi self_service_api;
  Accounts accounts;
  AccessPolicy policy;
  AdminPages admin;
  RegistrationApi api;
  AddressLimit resend_limiter;
  LinkResends link_resends;
  LostLinkPages lost_link;
  RegistrationPages pages;
  SelfServicePages self_service_pages;
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
  GoLinks go_links;
  Insights insights;
  InsightsApi insights_api;
  InsightsConsole insights_console;
  PlacementService placements;
  std::unique_ptr<StripeCheckout> payments;  ///< null without a Stripe secret key
  PlacementsApi placements_api;
  StripeWebhook stripe_webhook;
  StripeWebhookApi stripe_webhook_api;
  CheckoutPages checkout_pages;
  PartnerReports partner_reports;
  PartnerPages partner_pages;
  PartnerReportsApi partner_reports_api;
  PlacementsConsole placements_console;
  TicketSigner ticket_signer;
  CheckinService checkins;
  CheckinListsApi checkin_lists_api;
  CheckinConsole checkin_console;
  DoorReleases door_releases;  ///< release at the door (issue 21, no-show management)
  DoorReleaseApi door_release_api;
  DoorPages door_pages;
  AgendaService agendas;
  AddressLimit agenda_create_limit;  ///< new agendas per client address
  AddressLimit agenda_write_limit;   ///< agenda changes per client address
  AgendasApi agendas_api;
  AgendaPages agenda_pages;
  AgendaAlerts agenda_alerts;
  AddressLimit alert_limit;  ///< alert requests per client address
  AgendaAlertsApi agenda_alerts_api;
  AlertPages alert_pages;
  AttendeeMessages messages;  ///< messages to a chosen set of attendees (issue 21)
  MessagesApi messages_api;
  MessagesConsole messages_console;
  UnsubscribePages unsubscribe_pages;
  Reconfirmations reconfirmations;  ///< "Still coming?" (issue 21, no-show management)
  ReconfirmApi reconfirm_api;
  Webhooks webhooks;  ///< outgoing webhooks (issue 21); the sender runs in serve
  WebhooksApi webhooks_api;
  WebhooksConsole webhooks_console;
  MetricsApi metrics_api;
  Router router;
  /// Requests by route and status; built once every route is added.
  std::unique_ptr<RequestMetrics> request_metrics;
};

}  // namespace marquee
