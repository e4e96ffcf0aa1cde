#!/usr/bin/env python3
"""Writes a fake registration drive for `marquee pipeline`: raw exports in the
real column layouts of Google Forms, Eventbrite and pretix (see
../shared/data/registration/FORMATS.md), a programme with a locked baseline,
mappings, overrides, rules and patches. Everything is invented and
deterministic (seeded); the mess is on purpose (see FIXTURES.md it writes).

  scripts/generate_pipeline_example.py --out pipeline/example          # the bundled example (~300 people)
  scripts/generate_pipeline_example.py --out /tmp/big --registrants 50000 --patches 1000   # the benchmark
"""
import argparse
import csv
import hashlib
import io
import os
import random

FIRST = ["Anna", "Jonas", "Lena", "Mehmet", "Sofia", "Lukas", "Marie", "Jürgen", "Søren", "João", "Inês", "Fatma",
         "Paul", "Clara", "Tiago", "Mia", "Felix", "Ida", "Noah", "Emma", "Ole", "Frieda", "Rafael", "Leonor",
         "Hannah", "Malte", "Zeynep", "Björn", "Greta", "Duarte", "Amira", "Kalle", "Wiebke", "Nils", "Beatriz"]
LAST = ["Schmidt", "Müller", "Yılmaz", "Petersen", "Hansen", "Silva", "Santos", "Köhler", "Jensen", "Becker",
        "Wagner", "Ferreira", "Nielsen", "Hoffmann", "Costa", "Krüger", "Lange", "Oliveira", "Brandt", "Voss",
        "Lorenzen", "Sousa", "Thomsen", "Demir", "Carstens", "Martins", "Paulsen", "Weiß", "Rodrigues", "Kaya"]
DOMAINS = ["example.org", "example.net", "example.com", "mail.example", "post.example"]
# free text as written → canonical region (the value map of the example)
REGIONS = [("Hamburg", "Hamburg"), ("hamburg ", "Hamburg"), ("HH", "Hamburg"), ("Hamburg-Altona", "Hamburg"),
           ("Schleswig-Holstein", "Schleswig-Holstein"), ("SH", "Schleswig-Holstein"), ("Kiel", "Schleswig-Holstein"),
           ("Lübeck", "Schleswig-Holstein"), ("Niedersachsen", "Lower Saxony"), ("Lüneburg", "Lower Saxony"),
           ("Berlin", "Berlin"), ("Lisboa", "Portugal"), ("Lisbon", "Portugal"), ("Porto", "Portugal"),
           ("Denmark", "Denmark"), ("København", "Denmark"), ("somewhere up north", "Other")]
REGION_WEIGHTS = [30, 8, 6, 4, 10, 3, 4, 3, 6, 2, 5, 3, 2, 2, 2, 1, 1]
DIETARY = ["None", "None", "None", "Vegetarian", "Vegan", "Vegetarian, Gluten-free", "Lactose-free", ""]
YES_NO = ["Yes", "No", "No", "no", "yes", "Y", "n", "No", ""]
NOTES = ["", "", "", "", "I'll come with my daughter {first}, she is 9.", "Can {first} {last} sit next to me?",
         "Arriving late on Saturday, train from {city}.", "Please call {phone} if anything changes.",
         "Allergic to peanuts ({first} {last})."]
CITIES = ["Flensburg", "Husum", "Bremen", "Aarhus", "Coimbra"]

# key, title, day, start, end, room, category, capacity
SESSIONS = [
    ("volunteer-briefing", "Volunteer briefing", "2026-09-12", "08:30", "09:30", "Saal 2", "Volunteers", ""),
    ("opening-talk", "Opening: 800 years of the harbour", "2026-09-12", "10:00", "11:00", "Saal 1", "Talk", "120"),
    ("harbour-walk-sat", "Harbour walk", "2026-09-12", "10:30", "12:30", "Pier 2", "Tour", "25"),
    ("knots-workshop", "Knots & rope workshop", "2026-09-12", "11:30", "13:00", "Werkstatt", "Workshop", "12"),
    ("shipyard-tour", "Shipyard tour", "2026-09-12", "14:00", "15:30", "Dock 4", "Tour", "20"),
    ("sail-making", "Sail-making for beginners", "2026-09-12", "14:00", "16:00", "Werkstatt", "Workshop", "10"),
    ("kids-boat-building", "Kids' boat building", "2026-09-12", "15:00", "16:30", "Hof", "Family", "15"),
    ("lighthouse-talk", "Lighthouses of the North Sea", "2026-09-12", "16:00", "17:00", "Saal 1", "Talk", "80"),
    ("pier-evening", "Food, drinks and music on the pier", "2026-09-12", "18:00", "22:00", "Pier 1", "Social", "200"),
    ("fish-market-visit", "Early fish market visit", "2026-09-13", "07:00", "09:00", "Fischmarkt", "Tour", "30"),
    ("harbour-walk-sun", "Harbour walk (Sunday)", "2026-09-13", "10:30", "12:30", "Pier 2", "Tour", "25"),
    ("climate-panel", "Panel: ports and the climate", "2026-09-13", "11:00", "12:30", "Saal 1", "Talk", "100"),
    ("knots-workshop-sun", "Knots & rope workshop (Sunday)", "2026-09-13", "13:00", "14:30", "Werkstatt", "Workshop", "12"),
    ("closing-concert", "Closing concert", "2026-09-13", "17:00", "19:00", "Saal 1", "Concert", "250"),
]
LOCKED_ROOM = {"lighthouse-talk": "Saal 2"}  # the room before the change after the lock
FORM_CHOICES = ["Opening: 800 years of the harbour", "Harbour walk", "Knots & rope workshop", "Shipyard tour",
                "Food, drinks and music on the pier", "Lighthouses of the North Sea", "Panel: ports and the climate",
                "Closing concert", "Knots & rope workshop (Sunday)", "Early fish market visit"]
EB_TICKETS = [("General Admission", 50), ("Harbour walk (Saturday)", 12), ("Harbour walk (Sunday)", 10),
              ("Knots & rope workshop", 8), ("Volunteer", 6)]
PRETIX_PRODUCTS = [("Day pass Saturday", 30), ("Shipyard tour", 12), ("Sail-making for beginners", 8),
                   ("Kids' boat building", 10), ("Closing concert", 20), ("Panel: ports and the climate", 10)]


def key(source, *parts):
    return "r-" + hashlib.sha256("\x1f".join((source,) + parts).encode()).hexdigest()[:12]


def weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], [p[1] for p in pairs])[0]


def csv_text(header, rows, crlf=True):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


class Person:
    def __init__(self, rng, n):
        self.first, self.last = rng.choice(FIRST), rng.choice(LAST)
        self.email = f"{self.first.lower()}.{self.last.lower()}{n}@{rng.choice(DOMAINS)}"
        self.email = self.email.replace("ü", "ue").replace("ø", "oe").replace("ö", "oe").replace("ã", "a") \
            .replace("ı", "i").replace("ê", "e").replace("ß", "ss").replace("ç", "c").replace("í", "i").replace("é", "e")
        digits = f"{rng.randrange(10**7, 10**8)}"
        self.phone = rng.choice([f"0151 {digits}", f"+49 151 {digits}", f"0049 151 {digits}", f"0151-{digits}",
                                 f"+351 91{digits[:7]}", f"040 / {digits[:6]}"])
        self.region_raw, self.region = REGIONS[rng.choices(range(len(REGIONS)), REGION_WEIGHTS)[0]]
        self.dietary = rng.choice(DIETARY)
        self.step_free = rng.choice(YES_NO)
        self.note = rng.choice(NOTES).format(first=rng.choice(FIRST), last=self.last, city=rng.choice(CITIES),
                                             phone=self.phone)

    def display_name(self, rng):
        name = f"{self.first} {self.last}"
        return rng.choice([name, name, name, name.upper(), name.lower(), f"  {name} ", f"{self.first}  {self.last}"])


def forms(rng, n, start):
    header = ["Timestamp", "Email address", "Full name", "Phone number", "Which sessions would you like to attend?",
              "Where are you travelling from?", "Dietary requirements", "Do you need step-free access?",
              "Anything else we should know?"]
    rows, meta = [], []
    for i in range(n):
        p = Person(rng, start + i)
        day = rng.randrange(0, 90)
        month, dom = (6 + day // 30, day % 30 + 1)
        stamp = f"{month}/{dom}/2026 {rng.randrange(7, 23)}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        if i % 97 == 5:  # read through the Sheets API: a serial number
            stamp = f"{46174 + day}.{rng.randrange(10, 99)}"
        email = p.email if i % 11 else p.email.title() + " "  # mixed case, a trailing space
        choices = rng.sample(FORM_CHOICES, rng.randrange(1, 4))
        row = [stamp, email, p.display_name(rng), p.phone, ", ".join(choices), p.region_raw, p.dietary, p.step_free,
               p.note]
        rows.append(row)
        meta.append((key("forms", stamp.strip(), email.strip()), p, row))
    return header, rows, meta


def eventbrite(rng, n, start):
    header = ["Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity", "Price Tier", "Ticket Type",
              "Attendee #", "Group", "Order Type", "Currency", "Total Paid", "Fees Paid", "Eventbrite Fees",
              "Eventbrite Payment Processing", "Attendee Status", "Home Address 1", "Home Address 2", "Home City",
              "Home State", "Home Zip", "Home Country", "Which region are you travelling from?",
              "Dietary requirements (select all that apply)", "Do you need step-free access?", "Job Title", "Company"]
    rows, meta = [], []
    i = 0
    while i < n:
        order = f"{11200000000 + start * 7 + i * 13}"
        qty = 1 if rng.random() < 0.8 else 2
        when = f"{rng.randrange(6, 9)}/{rng.randrange(1, 29)}/26 {rng.randrange(0, 24)}:{rng.randrange(60):02d}"
        for q in range(qty):
            if i >= n:
                break
            p = Person(rng, start + i)
            ticket = weighted(rng, EB_TICKETS)
            status = rng.choices(["Attending", "Not Attending", "Refunded"], [92, 5, 3])[0]
            attendee = f"{18440000000 + start * 11 + i * 17}"
            street = f"{rng.choice(['Hafenstraße', 'Elbchaussee', 'Kaistraße'])} {rng.randrange(1, 200)}"
            row = [order, when, p.first, p.last if i % 13 else p.last + " ", p.email, str(qty), "", ticket, attendee,
                   "", "Free Order", "EUR", "0", "0", "0", "0", status, street, "", rng.choice(CITIES), "", "", "DE",
                   p.region_raw, p.dietary, p.step_free, rng.choice(["Engineer", "Teacher", ""]),
                   rng.choice(["Werft Nord GmbH", "", "Hafenamt"])]
            rows.append(row)
            meta.append((key("eventbrite", attendee), p, row))
            i += 1
    return header, rows, meta


def pretix(rng, n, start):
    header = ["Event slug", "Order code", "Position ID", "Status", "Email", "Phone number", "Order date",
              "Order time", "Product", "Variation", "Price", "Tax rate", "Tax rule", "Tax value", "Attendee name",
              "Attendee email", "Company", "Address", "ZIP code", "City", "Country", "State", "Voucher",
              "Pseudonymization ID", "Seat ID", "Seat name", "Seat zone", "Seat row", "Seat number", "Order comment",
              "Follow-up date", "Which region are you travelling from?", "Dietary requirements",
              "Do you need step-free access?", "Company", "Invoice address name", "Address", "ZIP code", "City",
              "Country", "State", "VAT ID", "Sales channel", "Order locale", "E-mail address verified",
              "Payment providers"]
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    rows, meta = [], []
    for i in range(n):
        p = Person(rng, start + i)
        code = "".join(rng.choice(letters) for _ in range(5))
        pos = str(i + 1)
        status = rng.choices(["Paid", "Pending", "Canceled"], [90, 6, 4])[0]
        product = weighted(rng, PRETIX_PRODUCTS)
        date = f"2026-0{rng.randrange(6, 9)}-{rng.randrange(1, 29):02d}"
        time = f"{rng.randrange(0, 24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        street = f"Rua {rng.choice(['Augusta', 'do Ouro', 'da Prata'])} {rng.randrange(1, 99)}"
        name = p.display_name(rng)
        city = rng.choice(CITIES)
        row = ["harbourdays26", code, pos, status, p.email, p.phone, date, time, product, "", "12.00", "19.00",
               "VAT", "1.92", name, p.email, "", street, "1100-001", city, "PT", "", "", f"PSEUDO{i}", "", "",
               "", "", "", p.note, "", p.region_raw, p.dietary, p.step_free, "", name.strip(), street, "1100-001",
               city, "PT", "", "", "web", "en", "yes", "stripe"]
        rows.append(row)
        meta.append((key("pretix", code, pos), p, row))
    return header, rows, meta


def programme(locked):
    rows = []
    for k, title, day, start, end, room, cat, cap in SESSIONS:
        if locked and k in LOCKED_ROOM:
            room = LOCKED_ROOM[k]
        rows.append([k, title, f"{day}T{start}", f"{day}T{end}", "Europe/Berlin", "Kulturwerft", room, cat, cap,
                     "published"])
    return csv_text(["key", "title", "starts_at", "ends_at", "time_zone", "venue", "room", "category", "capacity",
                     "status"], rows, crlf=False)


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def patch(lines, record=None, match=None, source=None, field="", old="", new="", reason="", author="", date=""):
    lines.append("[[patch]]")
    if record:
        lines.append(f"record = {toml_str(record)}")
    if match:
        lines.append("match = { " + ", ".join(f"{toml_str(k)} = {toml_str(v)}" for k, v in match.items()) + " }")
    if source:
        lines.append(f"source = {toml_str(source)}")
    lines += [f"field = {toml_str(field)}", f"old = {toml_str(old)}", f"new = {toml_str(new)}",
              f"reason = {toml_str(reason)}", f"author = {toml_str(author)}", f"date = {toml_str(date)}", ""]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--registrants", type=int, default=300)
    ap.add_argument("--patches", type=int, default=0, help="extra generated patches (benchmark)")
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    n_forms, n_eb = a.registrants * 4 // 10, a.registrants * 3 // 10
    n_pretix = a.registrants - n_forms - n_eb
    fh, fr, fm = forms(rng, n_forms, 0)
    eh, er, em = eventbrite(rng, n_eb, n_forms)
    ph, pr, pm = pretix(rng, n_pretix, n_forms + n_eb)

    # Duplicate submissions: three people sent the Google Form twice (same e-mail, a later timestamp).
    for j in range(3):
        k0, p, row = fm[10 + j]
        again = list(row)
        if "/" in row[0]:  # the next day, same time
            month, dom, rest = row[0].split("/", 2)
            again[0] = f"{month}/{min(int(dom) + 1, 28)}/{rest}"
        else:
            again[0] = str(round(float(row[0]) + 1, 2))
        fr.append(again)
        fm.append((key("forms", again[0].strip(), again[1].strip()), p, again))
    # A typo that the organizers fix with a patch, and a person in two sources (same name and phone).
    fr[3][5] = "Hamborg"
    typo_key = fm[3][0]
    pr[4][14], pr[4][35], pr[4][5] = fr[7][2], fr[7][2].strip(), fr[7][3]

    def w(rel, text):
        path = os.path.join(a.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    w("raw/google-forms-responses.csv", csv_text(fh, fr))
    w("raw/eventbrite-attendees.csv", csv_text(eh, er))
    w("raw/pretix-positions.csv", "\ufeff" + csv_text(ph, pr))  # pretix CSVs start with a byte order mark
    w("program/programme.csv", programme(False))
    w("program/locked/programme.csv", programme(True))

    patches = ["# Corrections found while reviewing the regions (see out/private/report.txt warnings).", ""]
    patch(patches, record=typo_key, field="region", old="Other", new="Hamburg", reason="'Hamborg' is Hamburg",
          author="Mira K.", date="2026-08-03")
    w("config/patches/2026-08-03-regions.toml", "\n".join(patches))
    dups = ["# Second submissions of the same Google Form (report: possible duplicates, same e-mail).", ""]
    for j in range(3):
        later = fm[len(fm) - 3 + j][0]
        patch(dups, record=later, field="status", old="active", new="duplicate",
              reason="sent the form twice; the first answer counts", author="Mira K.", date="2026-08-05")
    w("config/patches/2026-08-05-duplicates.toml", "\n".join(dups))
    late = ["# Late corrections after the programme lock.", ""]
    code, pos = pr[1][1], pr[1][2]
    product = pr[1][8]
    session_of = {s[1]: s[0] for s in SESSIONS}
    old_sessions = session_of.get(product, "")
    new_sessions = "; ".join(sorted({"climate-panel"} | ({old_sessions} if old_sessions else set())))
    patch(late, match={"Order code": code, "Position ID": pos}, source="pretix", field="sessions",
          old=old_sessions, new=new_sessions, reason="asked by phone to join the climate panel too",
          author="Tobias R.", date="2026-08-21")
    k5, p5, row5 = fm[5]
    patch(late, record=k5, field="email", old=row5[1].strip().lower(),
          new=row5[1].strip().lower().replace("@", "+harbour@"), reason="new address given at the info desk",
          author="Tobias R.", date="2026-08-22")
    w("config/patches/2026-08-20-late-corrections.toml", "\n".join(late))
    # Benchmark: many more patches, on region and status, by key and by raw match.
    everyone = [(m, "forms") for m in fm[:n_forms]] + [(m, "eventbrite") for m in em] + [(m, "pretix") for m in pm]
    picked = rng.sample(range(len(everyone)), min(a.patches, len(everyone))) if a.patches else []
    bulk = ["# Generated corrections (benchmark).", ""]
    for n, idx in enumerate(picked):
        (k, p, row), source = everyone[idx]
        if k in (typo_key, k5) or (source == "pretix" and row[1] == code):
            continue
        if source == "forms" or (source == "eventbrite" and row[16] == "Attending") or (source == "pretix" and row[3] != "Canceled"):
            if n % 3 == 0:
                patch(bulk, record=k, field="status", old="active", new="cancelled", reason="cancelled by e-mail",
                      author="bench", date="2026-08-10")
                continue
        if n % 10 == 1 and source == "pretix":
            patch(bulk, match={"Order code": row[1], "Position ID": row[2]}, source="pretix", field="region",
                  old=p.region, new="Portugal" if p.region != "Portugal" else "Other", reason="region from the invoice",
                  author="bench", date="2026-08-10")
        else:
            patch(bulk, record=k, field="region", old=p.region, new="Berlin" if p.region != "Berlin" else "Hamburg",
                  reason="region confirmed by phone", author="bench", date="2026-08-10")
    if picked:
        w("config/patches/2026-08-10-bulk.toml", "\n".join(bulk))

    w("config/pipeline.toml", PIPELINE)
    w("config/mappings.toml", MAPPINGS)
    w("config/overrides.toml", OVERRIDES)
    w("config/schedule-rules.toml", RULES)
    w("FIXTURES.md", FIXTURES)


PIPELINE = """# Harbour Days 2026: the registration drive (fake data, see FIXTURES.md).

[project]
title = "Harbour Days 2026 registrations"
time_zone = "Europe/Berlin"          # the exports' local times
privacy_threshold = 5                # public counts from 1 to 4 are shown as "<5"
privacy_min_chars = 5                # shorter personal values are too common to check
default_phone_country = "49"         # 0151… becomes +49151…

[programme]
file = "program/programme.csv"       # Marquee CSV layout; program/locked/ holds the locked copy
format = "csv"

[[sources]]
name = "forms"                       # part of every registrant key: never rename
file = "raw/google-forms-responses.csv"
format = "google_forms"

[[sources]]
name = "eventbrite"
file = "raw/eventbrite-attendees.csv"
format = "eventbrite"

[[sources]]
name = "pretix"
file = "raw/pretix-positions.csv"
format = "pretix"
time_zone = "Europe/Berlin"          # pretix writes dates in the event's zone

[outputs]
private = ["registrants.csv", "registrants.xlsx", "rosters.csv", "rosters.xlsx", "duplicates.csv"]
public = ["summary.json", "summary.csv", "sessions.csv", "site"]
"""

MAPPINGS = """# Fields of the registrant table and how each export fills them.
# kind: text, name, email, phone, yes_no, choice, list, datetime, sessions, status
# personal = true: never in a public output (the build fails if one is).
# summary = true: counted per value on the public summaries.

[fields]
name = { kind = "name", personal = true }
email = { kind = "email", personal = true }
phone = { kind = "phone", personal = true }
registered_at = { kind = "datetime" }
status = { kind = "status", value_map = "statuses" }
category = { kind = "choice", value_map = "tickets", summary = true, label = "Ticket category" }
sessions = { kind = "sessions", value_map = "sessions" }
region = { kind = "choice", value_map = "regions", summary = true, label = "Travelling from" }
dietary = { kind = "list", value_map = "dietary", summary = true, label = "Dietary needs" }
step_free = { kind = "yes_no", summary = true, label = "Needs step-free access" }
notes = { kind = "text", personal = true }

# Google Forms responses (en-US locale: M/D/YYYY timestamps; checkbox answers joined by ", ").
[formats.google_forms]
date_order = "mdy"
record_id = ["Timestamp", "Email address"]
[formats.google_forms.columns]
registered_at = "Timestamp"
email = "Email address"
name = "Full name"
phone = "Phone number"
sessions = "Which sessions would you like to attend?"
region = "Where are you travelling from?"
dietary = "Dietary requirements"
step_free = "Do you need step-free access?"
notes = "Anything else we should know?"

# Eventbrite attendee report (Order Date is M/D/YY H:MM, one row per ticket).
[formats.eventbrite]
date_order = "mdy"
record_id = ["Attendee #"]
personal_columns = ["Home Address 1", "Home City", "Job Title", "Company"]
[formats.eventbrite.columns]
registered_at = "Order Date"
name = ["First Name", "Last Name"]
email = "Email"
category = "Ticket Type"
sessions = "Ticket Type"
status = "Attendee Status"
region = "Which region are you travelling from?"
dietary = "Dietary requirements (select all that apply)"
step_free = "Do you need step-free access?"

# pretix order data, positions (the invoice address block repeats headers: "City#2").
[formats.pretix]
date_order = "ymd"
record_id = ["Order code", "Position ID"]
personal_columns = ["Address", "Address#2", "City", "City#2", "Invoice address name"]
[formats.pretix.columns]
registered_at = ["Order date", "Order time"]
name = "Attendee name"
email = "Attendee email"
phone = "Phone number"
status = "Status"
category = "Product"
sessions = "Product"
region = "Which region are you travelling from?"
dietary = "Dietary requirements"
step_free = "Do you need step-free access?"
notes = "Order comment"

# Answers as written (case-insensitive) = value used; "*" = every other answer.
[value_maps.statuses]
"Attending" = "active"
"Paid" = "active"
"Pending" = "active"
"Not Attending" = "cancelled"
"Refunded" = "cancelled"
"Canceled" = "cancelled"

[value_maps.tickets]
"General Admission" = "General"
"Day pass Saturday" = "General"
"Harbour walk (Saturday)" = "Tour"
"Harbour walk (Sunday)" = "Tour"
"Shipyard tour" = "Tour"
"Knots & rope workshop" = "Workshop"
"Sail-making for beginners" = "Workshop"
"Kids' boat building" = "Family"
"Closing concert" = "Concert"
"Panel: ports and the climate" = "Talk"
"Volunteer" = "Volunteer"
"*" = "Other"

[value_maps.sessions]
# ticket or product names → session keys; "" = a ticket without a session
"General Admission" = ""
"Day pass Saturday" = ""
"Volunteer" = ""
"Harbour walk (Saturday)" = "harbour-walk-sat"
"Harbour walk (Sunday)" = "harbour-walk-sun"

[value_maps.regions]
"Hamburg" = "Hamburg"
"HH" = "Hamburg"
"Hamburg-Altona" = "Hamburg"
"Schleswig-Holstein" = "Schleswig-Holstein"
"SH" = "Schleswig-Holstein"
"Kiel" = "Schleswig-Holstein"
"Lübeck" = "Schleswig-Holstein"
"Niedersachsen" = "Lower Saxony"
"Lüneburg" = "Lower Saxony"
"Berlin" = "Berlin"
"Lisboa" = "Portugal"
"Lisbon" = "Portugal"
"Porto" = "Portugal"
"Denmark" = "Denmark"
"København" = "Denmark"
"*" = "Other"

[value_maps.dietary]
"None" = "none"
"Vegetarian" = "vegetarian"
"Vegan" = "vegan"
"Gluten-free" = "gluten-free"
"Lactose-free" = "lactose-free"
"*" = "other"
"""

OVERRIDES = """# Schedule changes on purpose. After the lock (2026-08-15) every change needs one.

[[override]]
session = "lighthouse-talk"
room = "Saal 1"                      # the programme moved it from Saal 2 after the lock
reason = "more registrations than Saal 2 holds"
author = "Mira K."
date = "2026-08-22"

[[override]]
session = "shipyard-tour"
starts_at = "2026-09-12 14:30"       # local time of the venue; the length is kept
reason = "the dock is busy until 14:15"
author = "Tobias R."
date = "2026-08-18"

[[override]]
session = "knots-workshop-sun"
cancelled = true
reason = "the instructor is ill"
author = "Mira K."
date = "2026-08-25"
"""

RULES = """# Capacities, who goes where, and the programme lock.

[lock]
date = "2026-08-15"                  # program/locked/programme.csv is the baseline

[capacity]
default = 40                         # sessions without a capacity in the programme
[capacity.sessions]
"sail-making" = 8                    # the workshop has 8 benches, not 10

# Volunteers attend the briefing.
[[assign]]
when = { category = "Volunteer" }
sessions = ["volunteer-briefing"]
"""

FIXTURES = """# The example registration drive (fake data)

Generated by `scripts/generate_pipeline_example.py` (seeded, deterministic).
Every name, address, e-mail and phone number is invented.

## Raw exports, in the real layouts (shared/data/registration/FORMATS.md)
- `raw/google-forms-responses.csv`: Google Forms response sheet. `Timestamp`
  first (en-US M/D/YYYY H:MM:SS; a few rows as Sheets serial numbers such as
  `46200.57`), `Email address`, then one column per question; checkbox answers
  joined by ", " with an option that itself contains commas ("Food, drinks and
  music on the pier").
- `raw/eventbrite-attendees.csv`: Eventbrite attendee report. The 23 standard
  columns (`Order #` … `Home Country`), then custom questions and profile
  fields; `Order Date` is M/D/YY H:MM; multi-ticket orders repeat `Order #`;
  `Attendee Status` Attending / Not Attending / Refunded.
- `raw/pretix-positions.csv`: pretix "Order data" positions export (CSV with a
  byte order mark); the invoice address block repeats `Company`, `Address`,
  `ZIP code`, `City`, `Country`, `State`; `Order date` and `Order time` in
  separate columns; `Status` Paid / Pending / Canceled.

## Mess on purpose
- trailing and doubled spaces, names in ALL CAPS and lower case, e-mails in
  mixed case; phone numbers as 0151 …, +49 151 …, 0049 151 …, 040 / …;
- free-text regions ("HH", "hamburg ", "Kiel", "København", "Hamborg");
- yes/no written Yes, no, Y, n or left empty;
- three people who sent the form twice (patched as duplicates), one person
  registered in two sources (same name and phone; reported, not merged);
- a late correction after the lock (`config/patches/2026-08-20…`), an e-mail
  correction (a personal field: its values never reach the public site);
- a session cancelled (`knots-workshop-sun`), a session moved, and a room
  change after the lock (`lighthouse-talk`, Saal 2 → Saal 1) covered by an
  override.
"""

if __name__ == "__main__":
    main()
