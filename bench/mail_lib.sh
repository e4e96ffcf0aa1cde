# Shared by bench/notify.sh and bench/messages.sh (sourced): a counting SMTP
# sink on loopback, the moment it accepted the last message, and many
# registrations for one event over HTTP. Needs $work (a temporary folder),
# $pids (an array of processes to stop) and $here (bench/).

now_ms() { date +%s%3N; }

# Starts a counting sink expecting $1 messages; sets sink_port and sink_fd
# (the read end of a pipe from the sink's standard output: "listening PORT",
# then "done EPOCH_MS BYTES"). Its errors go to $work/sink.err.
start_sink() {
  local fifo="$work/sink-$RANDOM.fifo" line
  mkfifo "$fifo"
  node "$here/../tests/integration/smtp_sink.mjs" --count-only --expect "$1" >"$fifo" 2>>"$work/sink.err" &
  pids+=("$!")
  if [ -n "${sink_fd:-}" ]; then exec {sink_fd}<&-; fi  # the previous sink's pipe, done with
  exec {sink_fd}<"$fifo"  # opens once the sink's end is open
  rm -f "$fifo"
  IFS= read -r -t 20 line <&"$sink_fd" || { echo "the SMTP sink did not start" >&2; cat "$work/sink.err" >&2; exit 1; }
  [[ "$line" =~ ^listening\ ([0-9]+)$ ]] || { echo "the SMTP sink said \"$line\", not its port" >&2; exit 1; }
  sink_port=${BASH_REMATCH[1]}
}

# wait_done FD: prints the epoch ms at which the sink reading into FD
# accepted its last message, and writes the bytes of all the messages it
# accepted to $work/sink.bytes (the baselines send messages of their mean size). It blocks on the pipe: no polling process takes
# the cores from the delivery being measured (a loop of grep and sleep every
# 20 ms took 10–15% of them, and only while Marquee delivered: the baseline
# is waited for after it ends).
wait_done() {
  local line
  IFS= read -r -t 900 line <&"$1" || { echo "the SMTP sink never accepted its last message" >&2; exit 1; }
  [[ "$line" =~ ^done\ ([0-9]+)\ ([0-9]+)$ ]] || { echo "the SMTP sink said \"$line\", not done" >&2; exit 1; }
  echo "${BASH_REMATCH[2]}" >"$work/sink.bytes"
  echo "${BASH_REMATCH[1]}"
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
# Fails, with what the server printed, when it has not said it listens within 20 s or has ended.
start_serve() {
  local db="$1"; shift
  port=$(bash "$here/../scripts/free-port.sh")
  "$bin" serve --db "$db" --port "$port" --no-seed --registration-rate 0 "$@" >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!; pids+=("$pid")
  for _ in $(seq 1 400); do
    grep -q "listening on" "$work/serve.out" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "marquee serve on port $port did not start ($(kill -0 "$pid" 2>/dev/null && echo "still silent after 20 s" || echo "it ended")):" >&2
  tail -n 20 "$work/serve.out" "$work/serve.err" >&2
  return 1
}
