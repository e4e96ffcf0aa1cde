#!/usr/bin/env bash
# Writes a generated programme of N events in Marquee's CSV layout to stdout:
# keys ev-0 … ev-(N-1) in 2031, Europe/Berlin, 40 venues, capacities 50–149,
# all taking registrations. Used by bench/publish.sh and bench/read.sh.
#   bench/generate-programme.sh N > events.csv
set -euo pipefail
awk -v n="${1:?usage: generate-programme.sh N}" 'BEGIN {
  print "key,title,description,starts_at,ends_at,time_zone,venue,room,category,tags,capacity,registration";
  for (i = 0; i < n; i++)
    printf "ev-%d,Event number %d,\"A **description** for event %d.\",2031-%02d-%02d %02d:00,%02d:45,Europe/Berlin,Venue %d,Room %d,Category %d,tag%d; tag%d,%d,true\n",
      i, i, i, 1 + (i % 12), 1 + (i % 28), 8 + (i % 12), 8 + (i % 12), i % 40, i % 7, i % 9, i % 13, i % 17, 50 + (i % 100);
}'
