#!/usr/bin/env bash
# The serve load benchmark (issue 6): `prescient serve` (release) on loopback, loaded by
# `prescient-bench serve-load` from a separate process — batches of 1000 new events on keep-alive
# connections, /v1/route timed on another — with 1 and 3 loading connections; then, as the anchor
# measured in the same run, the file ingest of 1M events into SQLite (`prescient ingest`).
# SOAK=600 adds a 10-minute soak reporting the server's memory every minute.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product prescient 2>&1 | tail -n 1
swift build -c release --product prescient-bench 2>&1 | tail -n 1
bin=$(realpath .build/release/prescient); load=$(realpath .build/release/prescient-bench)
dir=$(mktemp -d); trap 'kill $serve 2>/dev/null; rm -rf "$dir"' EXIT
printf 'serve:\n  listen: 127.0.0.1:0\n  log_level: warn\n  queue: 64\n' > "$dir/c.yaml"
PRESCIENT_TOKEN=bench "$bin" serve --config "$dir/c.yaml" --store "sqlite:$dir/p.db" --port-file "$dir/port" 2>"$dir/serve.log" &
serve=$!
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
port=$(cat "$dir/port")
"$load" serve-load --port "$port" --token bench --seconds 30 --connections 1 --pid "$serve" --report-every 10
"$load" serve-load --port "$port" --token bench --seconds 30 --connections 3 --pid "$serve" --report-every 10
if [ -n "${SOAK:-}" ]; then
  "$load" serve-load --port "$port" --token bench --seconds "$SOAK" --connections 1 --pid "$serve" --report-every 60
fi
kill -TERM $serve; wait $serve || true
echo "anchor: the same kind of events from a file into SQLite, no HTTP (prescient ingest):"
"$bin" generate --users 100000 --days 4 --out "$dir/pop" >/dev/null 2>&1
n=$(wc -l < "$dir/pop/events.jsonl")
t0=$(date +%s.%N); "$bin" ingest "$dir/pop/events.jsonl" --store "sqlite:$dir/file.db" >/dev/null 2>&1; t1=$(date +%s.%N)
python3 -c "print(f'  file ingest: {$n / ($t1 - $t0) / 1000:.1f}k events/s ({$n} events)')"
