# Shared by bench/notify.sh and bench/messages.sh (sourced): a counting SMTP
# sink on loopback, the moment it accepted the last message, and many
# registrations for one event over HTTP. Needs $work (a temporary folder),
# $pids (an array of processes to stop) and $here (bench/).

now_ms() { date +%s%3N; }

# Starts a counting sink expecting $1 messages; sets sink_port and sink_out.
start_sink() {
  sink_out="$work/sink-$RANDOM.out"
  mkdir -p "$work/mail"
  node "$here/../tests/integration/smtp_sink.mjs" --dir "$work/mail" --count-only --expect "$1" >"$sink_out" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 200); do grep -q listening "$sink_out" 2>/dev/null && break; sleep 0.05; done
  sink_port=$(sed -n 's/^listening \([0-9]*\)$/\1/p' "$sink_out")
}

wait_done() {  # prints the epoch ms at which the sink in $1 accepted the last message
  until grep -q '^done ' "$1"; do sleep 0.02; done
  sed -n 's/^done \([0-9]*\)$/\1/p' "$1"
}

# register_many PORT N EVENT: N registrations (32 at a time, keep-alive); fails on any non-201.
register_many() {
  node -e '
    const http = require("node:http");
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const [port, n] = process.argv.slice(1, 3).map(Number);
    const key = process.argv[3];
    let next = 0, bad = 0;
    const one = (i) => new Promise((res) => {
      const body = JSON.stringify({ name: `Person ${i}`, email: `p${i}@example.org` });
      const req = http.request({ host: "127.0.0.1", port, agent, method: "POST", path: `/api/v1/events/${key}/registrations`,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (r) => { r.resume(); if (r.statusCode !== 201) bad++; r.on("end", res); });
      req.end(body);
    });
    (async () => { await Promise.all(Array.from({ length: 32 }, async () => { while (next < n) await one(next++); })); if (bad) { console.error(bad + " registrations failed"); process.exit(1); } })();
  ' "$1" "$2" "$3"
}

# start_serve DB [ARGS…]: `marquee serve` on a free port in the background; sets port and pid.
start_serve() {
  local db="$1"; shift
  port=$(bash "$here/../scripts/free-port.sh")
  "$bin" serve --db "$db" --port "$port" --no-seed --registration-rate 0 "$@" >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!; pids+=("$pid")
  for _ in $(seq 1 400); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
}
