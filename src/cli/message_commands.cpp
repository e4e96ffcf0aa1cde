#include "cli/message_commands.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "app/attendee_messages.hpp"
#include "app/event_edit.hpp"
#include "app/festival_settings_service.hpp"
#include "core/text.hpp"
#include "core/time_zone.hpp"
#include "ports/store.hpp"

namespace marquee {

void add_message_commands(CLI::App& attendees, CliContext& ctx) {
  struct Args {
    std::vector<std::string> events, answers;
    std::string states = "confirmed, checked_in", subject, body_file, send_at, zone;
    bool dry_run = false;
    std::optional<UnixSeconds> at;
  };
  auto a = std::make_shared<Args>();

  auto* message = attendees.add_subcommand(
      "message", "Send (or schedule) a message to the attendees of chosen events; delivery goes through the outbox");
  ctx.add_db(message);
  message->add_option("--event", a->events, "An event's key (repeat for several)")->required();
  message->add_option("--states", a->states, "Who: confirmed, checked_in, waitlisted (comma-separated)")->capture_default_str();
  message->add_option("--answer", a->answers, "Only those who answered question=value (repeat; same question: any of them)");
  message->add_option("--subject", a->subject, "The subject (one line)")->required();
  message->add_option("--body-file", a->body_file, "A file with the message (Markdown)")->required();
  message->add_option("--send-at", a->send_at, "When: RFC 3339 (2026-06-12T09:00:00+02:00), or a wall time in --zone; default now");
  message->add_option("--zone", a->zone,
                      "The zone of a wall time in --send-at (default: the festival's, else the one most events use)");
  message->add_flag("--dry-run", a->dry_run, "Only count who would receive it");
  ctx.when_parsed_with_store(message, [a](Store& store, const Clock& clock) {
    std::ifstream in(a->body_file, std::ios::binary);
    if (!in) {
      std::cerr << "marquee: cannot read " << a->body_file << "\n";
      return 1;
    }
    std::ostringstream body;
    body << in.rdbuf();
    MessageDraft draft{a->events, a->states, join(a->answers, "\n"), a->subject, body.str(), a->send_at, ""};
    // The festival's zone, as `serve` uses it (the console's Send at field).
    std::string zone = a->zone;
    if (zone.empty()) zone = load_festival_settings(store).time_zone;
    if (zone.empty()) zone = most_common_zone(store.time_zone_counts());
    AttendeeMessages messages(store, clock, [zone] { return zone; });
    const CheckedMessage checked = messages.check(draft);
    auto report = [](const std::vector<std::pair<std::string, std::string>>& errors) {
      for (const auto& [field, text] : errors) std::cerr << "marquee: " << field << ": " << text << "\n";
      return 1;
    };
    if (!checked.errors.empty()) return report(checked.errors);
    std::cout << checked.count.recipients << " recipients (" << checked.count.opted_out << " unsubscribed and "
              << checked.count.without_email << " erased left out)\n";
    if (a->dry_run) return 0;
    const CreatedMessage created = messages.create(draft, "operator (cli)");
    if (!created.errors.empty()) return report(created.errors);
    const AttendeeMessage& m = *created.message;
    if (m.state == MessageState::sent)
      std::cout << "message " << m.id << " sent: " << m.recipients.value_or(0) << " e-mails written to the outbox\n";
    else
      std::cout << "message " << m.id << " scheduled for " << format_utc(m.send_at) << "\n";
    return 0;
  });

  auto* list = attendees.add_subcommand("messages", "List the messages to attendees, newest first");
  ctx.add_db(list);
  ctx.when_parsed_with_store(list, [](Store& store, const Clock& clock) {
    for (const auto& m : AttendeeMessages(store, clock, {}).list(1000))
      std::cout << m.id << "\t" << to_string(m.state) << "\t" << format_utc(m.send_at) << "\t"
                << (m.recipients ? std::to_string(*m.recipients) : std::string("-")) << "\t" << m.subject << "\t"
                << describe_audience(m.audience) << "\n";
    return 0;
  });

  auto* due = attendees.add_subcommand(
      "send-messages", "Send the scheduled messages whose time has come (serve does this every minute)");
  ctx.add_db(due);
  due->add_option("--at", a->at, "As if it were this instant (UTC seconds), in tests");
  ctx.when_parsed_with_store(due, [a](Store& store, const Clock& clock) {
    std::cout << AttendeeMessages(store, clock, {}).send_due(a->at) << " messages sent\n";
    return 0;
  });
}

}  // namespace marquee
