#include "cli/attendee_commands.hpp"

#include <cstdint>
#include <iostream>
#include <memory>

#include "adapters/export/attendee_export.hpp"
#include "ports/clock.hpp"
#include "app/agenda_alerts.hpp"
#include "app/personal_data.hpp"
#include "cli/message_commands.hpp"
#include "cli/offer_commands.hpp"
#include "ports/store.hpp"

namespace marquee {

void add_attendee_commands(CLI::App& app, CliContext& ctx) {
  struct Args {
    std::string event, format = "csv", output, email;
    std::int64_t erase_id = 0;
  };
  auto a = std::make_shared<Args>();
  auto* attendees_cmd = app.add_subcommand("attendees", "Attendee lists and personal data");
  attendees_cmd->require_subcommand(1);

  auto* export_cmd = attendees_cmd->add_subcommand("export", "Export attendees as CSV or XLSX");
  ctx.add_db(export_cmd);
  export_cmd->add_option("--event", a->event, "Only this event (default: all events)");
  export_cmd->add_option("--format", a->format, "csv or xlsx")->check(CLI::IsMember({"csv", "xlsx"}))->capture_default_str();
  export_cmd->add_option("--output", a->output, "File to write (default: standard output)");
  ctx.when_parsed_with_store(export_cmd, [a](Store& store, const Clock&) {
    const auto table = attendee_table(store.list_events(), store.list_registrations(a->event, false));
    write_output(a->output, a->format == "xlsx" ? attendees_xlsx(table) : attendees_csv(table));
    return 0;
  });

  auto* erase_alerts_cmd = attendees_cmd->add_subcommand(
      "erase-alerts", "Erase an e-mail address from every agenda alert (its alerts end)");
  ctx.add_db(erase_alerts_cmd);
  erase_alerts_cmd->add_option("EMAIL", a->email, "The address")->required();
  ctx.when_parsed_with_store(erase_alerts_cmd, [a](Store& store, const Clock& clock) {
    TokenSecret secret([&store](const std::string& name, const std::string& value) { return store.ensure_setting(name, value); });
    const auto n = erase_alert_addresses(store, clock, secret, a->email, "operator (cli)");
    if (!n) {
      std::cerr << "marquee: not an e-mail address: " << a->email << "\n";
      return 1;
    }
    std::cout << "erased the address from " << *n << " agenda alerts\n";
    return 0;
  });

  auto* erase_cmd = attendees_cmd->add_subcommand("erase", "Erase one registration's personal data");
  ctx.add_db(erase_cmd);
  erase_cmd->add_option("ID", a->erase_id, "Registration id")->required();
  ctx.when_parsed_with_store(erase_cmd, [a](Store& store, const Clock& clock) {
    if (!erase_personal_data(store, clock, a->erase_id, "operator (cli)")) {
      std::cerr << "marquee: no registration " << a->erase_id << "\n";
      return 1;
    }
    std::cout << "erased the personal data of registration " << a->erase_id << "\n";
    return 0;
  });

  auto* purge_cmd = attendees_cmd->add_subcommand("purge", "Erase personal data past each event's retention period");
  ctx.add_db(purge_cmd);
  ctx.when_parsed_with_store(purge_cmd, [](Store& store, const Clock& clock) {
    std::cout << "erased " << purge_expired_personal_data(store, clock, "cli") << " registrations\n";
    std::cout << "ended " << purge_expired_alerts(store, clock, "cli") << " agenda alerts\n";
    return 0;
  });

  add_offer_commands(*attendees_cmd, ctx);
  add_message_commands(*attendees_cmd, ctx);
}

}  // namespace marquee
