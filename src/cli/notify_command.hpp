#pragma once
// Mail settings shared by `marquee serve` and `marquee notify …`, and the
// `notify` subcommands (run, status, list, preview, retry, settings).
#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "adapters/mail/notice_composer.hpp"
#include "app/festival_settings_service.hpp"
#include "app/notifier.hpp"
#include "cli/cli_context.hpp"

namespace marquee {

struct MailConfig {
  std::string smtp_url;            ///< "" = no delivery (rows stay pending)
  std::string smtp_user;
  std::string smtp_password_file;  ///< else MARQUEE_SMTP_PASSWORD
  std::string smtp_ca_file;
  bool smtp_require_tls = false;
  int smtp_timeout = 60;
  std::string mail_from = "noreply@marquee.invalid";  ///< without a display name the festival name signs
  std::string public_url = "http://127.0.0.1:8080";
  std::string templates_dir;
  NotifierOptions notifier;
};

/// Adds --smtp-url, --smtp-user, --smtp-password-file, --smtp-ca-file,
/// --smtp-require-tls, --smtp-timeout, --mail-from, --public-url,
/// --mail-templates, --notify-senders, --notify-retry-seconds,
/// --notify-max-attempts, --notify-max-age-hours.
void add_mail_options(CLI::App* cmd, MailConfig& config);

/// The composer and the notifier built from `config` (nullptr without --smtp-url).
/// Throws std::runtime_error for an unreadable password file or templates.
struct Notifications {
  std::unique_ptr<TemplateNoticeComposer> composer;
  std::unique_ptr<Notifier> notifier;
};
/// `festival`: the live festival settings (name and contact sign the
/// messages, the public URL starts their links), or nullptr.
std::unique_ptr<Notifications> make_notifications(Store& store, const Clock& clock, const MailConfig& config,
                                                  const std::string& site_name,
                                                  const FestivalSettingsService* festival = nullptr);

/// Registers `notify run|status|list|preview|retry|settings` and the runner
/// of the parsed one (exit status).
void add_notify_command(CLI::App& app, CliContext& ctx);

}  // namespace marquee
