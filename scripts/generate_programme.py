#!/usr/bin/env python3
"""Writes data/programme.csv: the bundled programme of the fictional
Harbourlight Festival (Marquee's own sample content, no third-party data).

Deterministic: the same script always writes the same bytes.
Usage: python3 scripts/generate_programme.py > data/programme.csv
"""
import csv
import random
import sys
from datetime import date, datetime, timedelta

rng = random.Random(20270611)

# (venue, address, rooms, time zone)
VENUES_HH = [
    ("Speicherhalle", "Am Sandtorkai 40, 20457 Hamburg", ["Main Hall", "Loft"], "Europe/Berlin"),
    ("Kulturwerft", "Werftstraße 7, 21107 Hamburg", ["Dock A", "Dock B"], "Europe/Berlin"),
    ("Stadtpark Bühne", "Stadtparkweg 2, 22303 Hamburg", ["Open-air stage"], "Europe/Berlin"),
    ("Bibliothek am Fleet", "Fleetstraße 12, 20459 Hamburg", ["Reading Room"], "Europe/Berlin"),
    ("Elbufer Pavillon", "Övelgönne 1, 22605 Hamburg", ["Pavillon"], "Europe/Berlin"),
]
VENUES_LX = [
    ("Armazém 16", "Rua Pereira Henriques 1, 1950-242 Lisboa", ["Sala Grande", "Sala Pequena"], "Europe/Lisbon"),
    ("Jardim da Estrela", "Praça da Estrela, 1200-667 Lisboa", ["Coreto"], "Europe/Lisbon"),
]

CATEGORIES = {
    "Music": (["Concert", "Live set", "Evening session", "Choir evening", "Brass on the water"],
              ["jazz", "folk", "electronic", "classical", "world"], (60, 150), "12–28 EUR"),
    "Talks": (["Talk", "Panel", "Fireside chat", "Lecture"],
              ["cities", "climate", "history", "design", "technology"], (45, 90), "Free"),
    "Workshops": (["Workshop", "Hands-on lab", "Masterclass"],
                  ["craft", "printing", "cooking", "photography", "coding"], (90, 180), "15 EUR"),
    "Family": (["Family morning", "Puppet show", "Story hour", "Kids' lab"],
               ["kids", "all ages", "outdoor"], (45, 90), "Free"),
    "Film": (["Screening", "Short film night", "Documentary"],
             ["documentary", "shorts", "animation"], (80, 140), "9 EUR"),
    "Tours": (["Harbour walk", "Guided walk", "Architecture tour", "Cycling tour"],
              ["outdoor", "walking", "architecture"], (60, 120), "8 EUR"),
}
SUBJECTS = [
    "Lights on the Harbour", "Tides and Timber", "The Quiet Canal", "Cranes at Dusk", "Saltwater Songs",
    "Maps of the Old Port", "Night Ferries", "Warehouse Echoes", "Bridges & Borders", "The Fish Market at Dawn",
    "Småland to St. Pauli", "Café Müller Revisited", "Fado e Maré", "Under the Köhlbrand", "Paper Boats",
    "The Lantern Makers", "Rain on Zinc Roofs", "North Sea Stories", "Ship's Bells", "A Lisbon Afternoon",
    "Ümlaut & Accent: Typography Tales", "Sea Shanties for Beginners", "The Container City", "Harbour Birds",
    "Lighthouse Keepers", "Cod, Salt and Sugar", "Streets of Ottensen", "Tram Lines", "The Floating Garden",
    "Azulejo Patterns", "Foghorn Orchestra", "Riverside Recipes",
]
HOSTS = ["Harbourlight Collective", "Kulturwerft e.V.", "Stadtbibliothek Hamburg", "Associação Maré",
         "Elbe Film Club", "Hafen Walks", "Studio Nordlicht"]

DESCRIPTION_BITS = [
    "Join us for **{title}**, part of this year's Harbourlight programme.",
    "Expect *{mood}* atmosphere and plenty of room for questions.",
    "Bring a friend; seats are {seating}.",
    "- Step-free access\n- Hearing loop in the main room\n- Drinks at the bar",
    "More about the festival on [our website](https://harbourlight.example.org).",
]
MOODS = ["a relaxed", "an intimate", "a lively", "a thoughtful", "a festive"]
SEATING = ["limited", "unreserved", "first come, first served"]

# Extra registration questions per category (Marquee's questions format).
QUESTIONS = {
    "Workshops": "dietary | choice | optional | Dietary needs | None; Vegetarian; Vegan; Gluten-free\n"
                 "access | text | optional | Accessibility needs",
    "Family": "children | text | required | How many children are coming, and how old are they?\n"
              "photos | yes_no | optional | May we take photos of your group?",
    "Tours": "access | text | optional | Accessibility needs",
}

FIRST_DAY_HH = date(2027, 6, 11)   # Friday
DAYS_HH = 5
FIRST_DAY_LX = date(2027, 6, 12)
DAYS_LX = 3

rows = []


def add_event(day, venue, category, start_minutes, zone):
    name, address, rooms, _ = venue
    kinds, tags, (dmin, dmax), price = CATEGORIES[category]
    kind = rng.choice(kinds)
    subject = rng.choice(SUBJECTS)
    title = f"{kind}: {subject}"
    duration = rng.randrange(dmin, dmax + 1, 15)
    start = datetime(day.year, day.month, day.day) + timedelta(minutes=start_minutes)
    end = start + timedelta(minutes=duration)
    key = f"hl27-{len(rows) + 1:03d}"
    desc = "\n\n".join([
        DESCRIPTION_BITS[0].format(title=subject),
        DESCRIPTION_BITS[1].format(mood=rng.choice(MOODS)),
        DESCRIPTION_BITS[2].format(seating=rng.choice(SEATING)),
        DESCRIPTION_BITS[3],
        DESCRIPTION_BITS[4],
    ])
    event_tags = sorted(set(rng.sample(tags, k=min(2, len(tags)))))
    if zone == "Europe/Lisbon":
        event_tags.append("lisbon")
    capacity = rng.choice(["", "40", "60", "80", "120", "200", "350"])
    status = "published"
    registration = "true" if capacity else "false"
    waitlist = "true" if capacity and rng.random() < 0.5 else "false"
    questions = QUESTIONS.get(category, "") if capacity else ""
    rows.append({
        "key": key,
        "title": title,
        "description": desc,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M:00"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M:00"),
        "time_zone": zone,
        "all_day": "false",
        "venue": name,
        "address": address,
        "room": rng.choice(rooms),
        "category": category,
        "tags": "; ".join(event_tags),
        "organizer": rng.choice(HOSTS),
        "url": f"https://harbourlight.example.org/2027/{key}",
        "image_url": "",
        "price": price,
        "capacity": capacity,
        "status": status,
        "registration": registration,
        "waitlist": waitlist,
        "retention_days": "30" if capacity else "",
        "questions": questions,
    })


for d in range(DAYS_HH):
    day = FIRST_DAY_HH + timedelta(days=d)
    for venue in VENUES_HH:
        slots = [600, 690, 780, 900, 1020, 1140, 1260]
        for start in rng.sample(slots, k=rng.randint(4, 6)):
            category = rng.choice(list(CATEGORIES))
            if start >= 1140 and category == "Family":
                category = "Music"
            add_event(day, venue, category, start, "Europe/Berlin")
    # A late-night set that ends after midnight.
    add_event(day, VENUES_HH[1], "Music", 23 * 60 + 15, "Europe/Berlin")

for d in range(DAYS_LX):
    day = FIRST_DAY_LX + timedelta(days=d)
    for venue in VENUES_LX:
        for start in rng.sample([660, 840, 1080, 1230], k=4):
            add_event(day, venue, rng.choice(list(CATEGORIES)), start, "Europe/Lisbon")

# Two all-day exhibitions and a few cancellations.
for i, (venue, first, last) in enumerate([(VENUES_HH[3], 11, 15), (VENUES_LX[0], 12, 14)]):
    rows.append({
        "key": f"hl27-expo-{i + 1}", "title": ["Exhibition: Harbour Light in Photographs",
                                              "Exposição: Azulejos do Porto"][i],
        "description": "An exhibition open **all festival long**. Free entry.",
        "starts_at": f"2027-06-{first:02d}", "ends_at": f"2027-06-{last:02d}",
        "time_zone": venue[3], "all_day": "true", "venue": venue[0], "address": venue[1],
        "room": venue[2][0], "category": "Exhibitions", "tags": "free; all ages",
        "organizer": HOSTS[i], "url": "", "image_url": "", "price": "Free", "capacity": "", "status": "published",
        "registration": "false", "waitlist": "false", "retention_days": "", "questions": "",
    })
for idx in rng.sample(range(len(rows) - 2), k=4):
    rows[idx]["status"] = "cancelled"

writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()), lineterminator="\r\n")
writer.writeheader()
writer.writerows(rows)
