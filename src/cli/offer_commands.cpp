#include "cli/offer_commands.hpp"

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>

#include "app/place_offers.hpp"
#include "app/door_releases.hpp"
#include "app/reconfirmations.hpp"
#include "core/time_zone.hpp"
#include "ports/store.hpp"

namespace marquee {

void add_offer_commands(CLI::App& attendees, CliContext& ctx) {
  struct Args {
    std::string event, promotion, offer_hours, transfers;
    std::optional<std::string> reminders, reconfirm, reconfirm_release, overbook, door_release;
    std::int64_t registration = 0;
    bool add_place = false;
    std::optional<UnixSeconds> at;
  };
  auto a = std::make_shared<Args>();

  auto* settings = attendees.add_subcommand(
      "settings", "Show or change an event's operations settings: waiting-list promotion, offer hours, transfers");
  ctx.add_db(settings);
  settings->add_option("EVENT", a->event, "The event's key")->required();
  settings->add_option("--promotion", a->promotion, "automatic (confirm the next person) or offer (hold the place for them)");
  settings->add_option("--offer-hours", a->offer_hours, "How long an offer stays open, 1 to 168 hours (shorter close to the start)");
  settings->add_option("--transfers", a->transfers, "on: attendees may give their place to someone else; off: not")
      ->check(CLI::IsMember({"on", "off"}));
  settings->add_option("--reminders", a->reminders,
                       "Reminders before this event's start, e.g. \"24h, 2h\"; \"off\" for none; \"default\" for the installation's");
  settings->add_option("--reconfirm", a->reconfirm,
                       "Ask confirmed attendees \"Still coming?\" this many hours before the start (e.g. 48); \"off\" for never");
  settings->add_option("--reconfirm-release", a->reconfirm_release,
                       "Release the places of those asked who did not answer this many hours before the start; \"off\" for never");
  settings->add_option("--overbook", a->overbook,
                       "Confirm up to this many percent more than the capacity (0 to 100, e.g. 10); \"off\" for none. "
                       "The door still refuses entry once the capacity is inside");
  settings->add_option("--door-release", a->door_release,
                       "Minutes after the start (5 to 240) from which the places of those not checked in can be released "
                       "at the door; \"off\" for never");
  ctx.when_parsed_with_store(settings, [a](Store& store, const Clock& clock) {
    WaitingListOffers offers(store, clock);
    if (!a->promotion.empty() || !a->offer_hours.empty() || !a->transfers.empty() || a->reminders || a->reconfirm ||
        a->reconfirm_release || a->overbook || a->door_release) {
      const std::optional<bool> transfers = a->transfers.empty() ? std::nullopt : std::optional<bool>(a->transfers == "on");
      const OperationsSaved saved = offers.save(
          a->event,
          OperationsChange{a->promotion, a->offer_hours, transfers, a->reminders, a->reconfirm, a->reconfirm_release, a->overbook,
                           a->door_release},
          "cli");
      if (!saved.found) {
        std::cerr << "marquee: no event '" << a->event << "'\n";
        return 1;
      }
      for (const auto& [field, message] : saved.errors) std::cerr << "marquee: " << field << ": " << message << "\n";
      if (!saved.errors.empty()) return 2;
    } else if (!store.find_event(a->event)) {
      std::cerr << "marquee: no event '" << a->event << "'\n";
      return 1;
    }
    const EventOperations now = offers.operations(a->event);
    const auto counts = store.event_counts(a->event).value_or(EventCounts{});
    std::cout << "promotion " << to_string(now.promotion) << ", offers open " << now.offer_hours << " hours, transfers "
              << (now.transfers ? "on" : "off") << ", reminders "
              << (now.reminder_offsets ? (now.reminder_offsets->empty() ? std::string("off") : *now.reminder_offsets)
                                       : std::string("default"))
              << ", reconfirm " << (now.reconfirm_hours ? std::to_string(*now.reconfirm_hours) + "h" : std::string("off"))
              << ", release " << (now.reconfirm_release_hours ? std::to_string(*now.reconfirm_release_hours) + "h" : std::string("off"))
              << ", overbooking " << now.overbook_percent << "%"
              << (counts.capacity ? " (" + std::to_string(*counts.capacity) + " places)" : std::string()) << ", door release "
              << (now.door_release_minutes ? std::to_string(*now.door_release_minutes) + "min" : std::string("off")) << "\n"
              << counts.confirmed << " confirmed, " << counts.offered << " places held by open offers, "
              << counts.waitlisted << " waiting\n";
    return 0;
  });

  auto* offer = attendees.add_subcommand("offer", "Offer a waitlisted registration a place by hand, ahead of its turn");
  ctx.add_db(offer);
  offer->add_option("ID", a->registration, "Registration id")->required();
  offer->add_flag("--add-place", a->add_place, "When no place is free, raise the event's capacity by one");
  ctx.when_parsed_with_store(offer, [a](Store& store, const Clock& clock) {
    const HandOffer h = WaitingListOffers(store, clock).offer(a->registration, a->add_place, "operator (cli)");
    if (h.result != HandOfferResult::offered) {
      std::cerr << "marquee: " << WaitingListOffers::refusal_detail(h) << "\n";
      return 1;
    }
    std::cout << "offered a place to registration " << a->registration << " until " << format_utc(h.offer->expires_at)
              << (h.place_added ? " (capacity raised to " + std::to_string(*h.capacity) + ")" : std::string()) << "\n";
    return 0;
  });

  auto* reconfirm = attendees.add_subcommand(
      "reconfirm", "Ask \"Still coming?\" where due and release unanswered places past their deadline (serve does this every minute)");
  ctx.add_db(reconfirm);
  reconfirm->add_option("--at", a->at, "As if it were this instant (UTC seconds), in tests");
  ctx.when_parsed_with_store(reconfirm, [a](Store& store, const Clock& clock) {
    const ReconfirmRun r = Reconfirmations(store, clock).run(a->at);
    std::cout << r.asked << " asked, " << r.released << " released\n";
    return 0;
  });

  auto* door = attendees.add_subcommand(
      "release-at-door", "Release the places of the event's confirmed attendees who have not checked in, from its door release "
                         "time on; waiting-list tickets scanned at the door then take them");
  ctx.add_db(door);
  door->add_option("EVENT", a->event, "The event's key")->required();
  door->add_option("--at", a->at, "As if it were this instant (UTC seconds), in tests");
  ctx.when_parsed_with_store(door, [a](Store& store, const Clock& clock) {
    ManualClock at(a->at.value_or(clock.now()));
    const DoorRelease r = DoorReleases(store, at).release(a->event, "operator (cli)");
    if (r.result != DoorReleaseResult::released) {
      std::cerr << "marquee: " << a->event << ": " << DoorReleases::refusal_detail(r, "UTC") << "\n";
      return r.result == DoorReleaseResult::not_found ? 1 : 2;
    }
    std::cout << r.count << (r.count == 1 ? " place" : " places") << " released at the door\n";
    return 0;
  });

  auto* expire = attendees.add_subcommand(
      "expire-offers", "Expire the waiting-list offers past their time and offer the places on (serve does this every minute)");
  ctx.add_db(expire);
  expire->add_option("--at", a->at, "As if it were this instant (UTC seconds), in tests");
  ctx.when_parsed_with_store(expire, [a](Store& store, const Clock& clock) {
    std::cout << WaitingListOffers(store, clock).expire(a->at) << " offers expired\n";
    return 0;
  });
}

}  // namespace marquee
