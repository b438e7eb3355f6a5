#!/usr/bin/env bash
# Integration test of `prescient serve` with real clients (issue 6): curl against every endpoint
# (bad batches, oversize bodies, missing and wrong tokens), a real Prometheus scraping /metrics and
# answering a PromQL query for the forecast gauge, headless Chromium screenshotting the dashboard,
# and SIGTERM draining to exit 0. Everything on loopback, in a scratch directory, stopped by PID.
# Usage: scripts/serve-test.sh PATH/TO/prescient   (the screenshot stays in .build/serve-test/)
set -uo pipefail
. "$(dirname "$0")/testlib.sh"
keep=$(realpath -m .build/serve-test); mkdir -p "$keep"
token=serve-test-token

# Three days of history ending today, ingested and segmented before the server starts.
start=$(date -u -d '3 days ago' +%Y-%m-%d)
"$bin" generate --users 2000 --days 3 --start "$start" --seed 5 --out "$dir/pop" >/dev/null 2>&1
total=$(wc -l < "$dir/pop/events.jsonl")
head -n $((total - 5000)) "$dir/pop/events.jsonl" > "$dir/history.jsonl"
tail -n 5000 "$dir/pop/events.jsonl" > "$dir/live.jsonl"
store_history "$dir/history.jsonl"
cat > "$dir/config.yaml" <<YAML
scaling:
  interval: 1s
serve:
  listen: 127.0.0.1:0
  max_body: 1048576
  max_batch: 2000
YAML

PRESCIENT_TOKEN=$token "$bin" serve --config "$dir/config.yaml" --store "sqlite:$dir/p.db" --port-file "$dir/port" 2>"$dir/serve.log" &
serve=$!; pids+=("$serve")
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
port=$(cat "$dir/port" 2>/dev/null)
check "serve wrote its port" test -n "$port"
base="http://127.0.0.1:$port"
code() { curl -s -o "$dir/body" -w '%{http_code}' "$@"; }
auth=(-H "Authorization: Bearer $token")

check "GET /healthz 200" test "$(code "$base/healthz")" = 200
check "GET /readyz 200" test "$(code "$base/readyz")" = 200
# Events: batches of 1000 lines, each acknowledged after the store commits.
split -l 1000 "$dir/live.jsonl" "$dir/batch-"
ok=1; for b in "$dir"/batch-*; do [ "$(code "${auth[@]}" --data-binary @"$b" "$base/v1/events")" = 200 ] || ok=0; done
check "POST /v1/events: five batches of 1000 accepted" test $ok = 1
check "… the last one answered with 1000 accepted" grep -q '"accepted":1000' "$dir/body"
printf '%s\n{"user":"x"}\nnot json\n' "$(head -n 1 "$dir/live.jsonl")" > "$dir/bad.jsonl"
check "a bad batch is 400" test "$(code "${auth[@]}" --data-binary @"$dir/bad.jsonl" "$base/v1/events")" = 400
check "… naming each bad line and reason" grep -q '"rejected":\[{"line":2,"field":"ts","reason":"missing"},{"line":3,' "$dir/body"
check "… ?partial=true applies the good line" test "$(code "${auth[@]}" --data-binary @"$dir/bad.jsonl" "$base/v1/events?partial=true")" = 200
check "… (a re-delivery: a duplicate)" grep -q '"duplicates":1' "$dir/body"
head -c 2000000 /dev/zero | tr '\0' 'x' > "$dir/big"
check "an oversize body is 413" test "$(code "${auth[@]}" --data-binary @"$dir/big" "$base/v1/events")" = 413
check "a JSON array batch is taken (its two records re-delivered: duplicates)" test "$(code "${auth[@]}" --data-binary "[$(head -n 2 "$dir/live.jsonl" | paste -sd,)]" "$base/v1/events")" = 200
check "a missing token is 401" test "$(code --data-binary @"$dir/bad.jsonl" "$base/v1/events")" = 401
check "a wrong token is 403" test "$(code -H "Authorization: Bearer nope" --data-binary @"$dir/bad.jsonl" "$base/v1/events")" = 403
check "GET on /v1/events is 405" test "$(code "$base/v1/events")" = 405
user=$(head -n 1 "$dir/live.jsonl" | sed 's/.*"user":"\([^"]*\)".*/\1/')
check "GET /v1/profiles/{user} 200" test "$(code "$base/v1/profiles/$user")" = 200
check "… the profile" grep -q "\"user\":\"$user\"" "$dir/body"
check "GET /v1/profiles/nobody 404" test "$(code "$base/v1/profiles/nobody")" = 404
check "GET /v1/segments 200" test "$(code "$base/v1/segments")" = 200
for _ in $(seq 50); do [ "$(code "$base/v1/forecast?region=eu-west&resource=cpu&horizon=6")" = 200 ] && break; sleep 0.2; done
check "GET /v1/forecast 200 with 6 hourly points" test "$(grep -o '"ts"' "$dir/body" | wc -l)" = 6
check "GET /v1/forecast with a bad region is 400" test "$(code "$base/v1/forecast?region=mars")" = 400
check "GET /v1/plan 200 with reasons" test "$(code "$base/v1/plan")" = 200
check "… a basis per region" grep -q '"basis":"cpu forecast by' "$dir/body"
check "GET /v1/route?user= 200" test "$(code "$base/v1/route?user=$user")" = 200
check "… a region and why" grep -q '"reason":' "$dir/body"
check "GET /metrics 200" test "$(code "$base/metrics")" = 200
grep "^prescient_events_total" "$dir/body" | sed "s/^/   /"
check "… events accepted, latency histogram, loop duration" \
  grep -q 'prescient_events_total{outcome="accepted"} 5000' "$dir/body"
grep -q 'prescient_ingest_seconds_bucket' "$dir/body" && grep -q 'prescient_control_loop_seconds_count' "$dir/body" || { echo "FAIL: histograms"; fail=1; }
grep -q "$token" "$dir/serve.log" && { echo "FAIL: the token reached the log"; fail=1; }

# A real Prometheus scrapes /metrics; PromQL returns the forecast gauge.
if command -v prometheus >/dev/null; then
  pport=$(free_port)
  cat > "$dir/prometheus.yml" <<YAML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: prescient
    static_configs: [{targets: ["127.0.0.1:$port"]}]
YAML
  prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/tsdb" --web.listen-address="127.0.0.1:$pport" >"$dir/prom.log" 2>&1 &
  pids+=($!)
  got=""
  for _ in $(seq 60); do
    got=$(curl -s "http://127.0.0.1:$pport/api/v1/query" --data-urlencode 'query=prescient_forecast{region="eu-west",resource="cpu",quantile="0.5"}' 2>/dev/null)
    echo "$got" | grep -q '"result":\[{' && break; sleep 0.5
  done
  check "Prometheus scraped /metrics and PromQL returns prescient_forecast" sh -c "echo '$got' | grep -q '\"__name__\":\"prescient_forecast\"'"
else
  echo "FAIL: prometheus is not installed (scripts/install-deps.sh installs it)"; fail=1
fi

# Headless Chromium renders the dashboard: the DOM has its charts and the screenshot is not blank.
if command -v chromium >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --dump-dom "$base/" > "$dir/dom.html" 2>/dev/null
  check "the rendered dashboard has one chart per region" test "$(grep -o '<svg' "$dir/dom.html" | wc -l)" -ge 4
  rm -f "$keep/dashboard.png"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1300 --screenshot="$keep/dashboard.png" "$base/" >/dev/null 2>&1
  check "the screenshot shows charts (many colours, not a blank page)" python3 scripts/png_colours.py "$keep/dashboard.png" 4
  echo "   screenshot: $keep/dashboard.png"
else
  echo "FAIL: chromium is not installed (scripts/install-deps.sh installs it)"; fail=1
fi

# kill -9 after acknowledged batches: a restart on the same store replays the event log, and every
# acknowledged event is in the profiles.
kill -9 "$serve"; wait "$serve" 2>/dev/null
rm -f "$dir/port"
# The restarted server also has a small connection limit and a short idle timeout, to test them.
sed -e 's/max_batch: 2000/max_batch: 2000\n  connections: 4\n  request_timeout: 2s/' "$dir/config.yaml" > "$dir/config2.yaml"
PRESCIENT_TOKEN=$token "$bin" serve --config "$dir/config2.yaml" --store "sqlite:$dir/p.db" --port-file "$dir/port" 2>"$dir/serve2.log" &
serve=$!; pids+=("$serve")
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$dir/port")"
want=$(grep -c "\"user\":\"$user\"" "$dir/pop/events.jsonl")
code "$base/v1/profiles/$user" >/dev/null
got=$(sed 's/.*"events":\([0-9]*\).*/\1/' "$dir/body")
check "after kill -9 and a restart, the profile holds every acknowledged event ($got of $want)" test "$got" = "$want"
check "… the restart replayed the event log" grep -q 'msg="replayed the event log"' "$dir/serve2.log"
check "over the connection limit a connection is closed unanswered; idle ones close after the timeout" \
  python3 scripts/conn_limits.py "$(cat "$dir/port")" 4
check "… and the server still answers afterwards" test "$(code "$base/healthz")" = 200

# SIGTERM during a request still uploading (rate-limited to take ~1 s): the request completes and
# is acknowledged, then the server exits 0.
head -n 1000 "$dir/live.jsonl" | sed -e 's/"id":"\([^"]*\)"/"id":"inflight-\1"/' -e 's/"user":"\([^"]*\)"/"user":"inflight-\1"/' > "$dir/inflight.jsonl"
curl -s -o "$dir/inflight.out" -w '%{http_code}' --limit-rate 200k -H "Authorization: Bearer $token" \
  --data-binary @"$dir/inflight.jsonl" "$base/v1/events" > "$dir/inflight.code" &
upload=$!
sleep 0.3
kill -TERM "$serve"; wait "$serve"; status=$?
wait "$upload"
check "SIGTERM drains and exits 0 (got $status)" test "$status" = 0
check "… after finishing the request in flight ($(cat "$dir/inflight.code"): $(head -c 60 "$dir/inflight.out"))" \
  grep -q '"accepted":1000' "$dir/inflight.out"
check "… and said so" grep -q 'msg=stopped' "$dir/serve2.log"
[ $fail = 0 ] && echo "serve: all ok" || { echo "serve log:"; tail -n 20 "$dir/serve.log" "$dir/serve2.log"; }
exit $fail
