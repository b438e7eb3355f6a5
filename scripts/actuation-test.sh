#!/usr/bin/env bash
# End-to-end test of issue 7: `prescient serve` driving a real HAProxy (runtime API: the user map
# and region weights), a real BIND 9 (RFC 2136 updates signed with TSIG) and a real nginx cache
# (warming) from its control loop. Checks that a request through HAProxy lands where /v1/route
# says, that dig serves each region's records, that a popular path is cached before anyone asked
# nginx for it while a rare one is not, that a killed HAProxy is logged, counted and refilled
# once it is back, that the TSIG secret never reaches the log, and that SIGTERM exits 0.
# Everything on loopback in a scratch directory; every server stopped by its PID.
# Usage: scripts/actuation-test.sh PATH/TO/prescient
set -uo pipefail
. "$(dirname "$0")/testlib.sh"
regions=(us-east eu-west ap-northeast ap-southeast)

# --- nginx: one HTTP backend per region (answers its name), an origin, and eu-west's cache.
origin=$(free_port); cache=$(free_port)
declare -A backend
for r in "${regions[@]}"; do backend[$r]=$(free_port); done
mkdir -p "$dir/nginx/tmp" "$dir/nginx/cache"
{
  echo "user root; worker_processes 1; daemon off; pid $dir/nginx/nginx.pid; error_log $dir/nginx/error.log;"
  echo "events { worker_connections 256; }"
  echo "http { access_log $dir/nginx/access.log;"
  for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $dir/nginx/tmp/$t;"; done
  echo "  proxy_cache_path $dir/nginx/cache keys_zone=regional:10m;"
  for r in "${regions[@]}"; do echo "  server { listen 127.0.0.1:${backend[$r]}; location / { return 200 \"$r\n\"; } }"; done
  echo "  server { listen 127.0.0.1:$origin; location / { return 200 \"content of \$uri\n\"; } }"
  echo "  server { listen 127.0.0.1:$cache; location / { proxy_pass http://127.0.0.1:$origin; proxy_cache regional;"
  echo "           proxy_cache_valid 200 10m; add_header X-Cache-Status \$upstream_cache_status always; } }"
  echo "}"
} > "$dir/nginx/nginx.conf"
nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" -e "$dir/nginx/error.log" &
pids+=($!)

# --- HAProxy: route by the X-User header through the user map; weights in backend 'weights'.
hp=$(free_port)
: > "$dir/users.map"
{
  echo "global"
  echo "    stats socket $dir/haproxy.sock mode 600 level admin"
  echo "defaults"
  echo "    mode http"
  echo "    timeout connect 2s"
  echo "    timeout client 5s"
  echo "    timeout server 5s"
  echo "frontend fe"
  echo "    bind 127.0.0.1:$hp"
  echo "    use_backend %[req.hdr(X-User),map($dir/users.map,weights)]"
  echo "backend weights"
  echo "    balance roundrobin"
  for r in "${regions[@]}"; do echo "    server $r 127.0.0.1:${backend[$r]} weight 1"; done
  for r in "${regions[@]}"; do printf 'backend region-%s\n    server s1 127.0.0.1:%s\n' "$r" "${backend[$r]}"; done
} > "$dir/haproxy.cfg"
start_haproxy() { haproxy -db -f "$dir/haproxy.cfg" >>"$dir/haproxy.log" 2>&1 & haproxy_pid=$!; pids+=($haproxy_pid); }
haproxy -c -q -f "$dir/haproxy.cfg" || { echo "FAIL: haproxy config"; exit 1; }
start_haproxy

# --- BIND 9: zone prescient.test, updates only with the TSIG key prescient-key.
dns=$(free_port)
secret=$(head -c 32 /dev/urandom | base64)
mkdir -p "$dir/bind"
cat > "$dir/bind/named.conf" <<CONF
key "prescient-key" { algorithm hmac-sha256; secret "$secret"; };
options { directory "$dir/bind"; listen-on port $dns { 127.0.0.1; }; listen-on-v6 { none; };
          pid-file "$dir/bind/named.pid"; recursion no; dnssec-validation no; };
controls { };
zone "prescient.test" { type primary; file "$dir/bind/zone.db"; update-policy { grant prescient-key zonesub ANY; }; };
CONF
printf '$TTL 60\n@ IN SOA ns.prescient.test. admin.prescient.test. 1 3600 600 86400 60\n@ IN NS ns.prescient.test.\nns IN A 127.0.0.1\n' > "$dir/bind/zone.db"
named -c "$dir/bind/named.conf" -g -n 1 >"$dir/bind/named.log" 2>&1 &
pids+=($!)

accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
check "nginx, HAProxy and BIND are up" wait_for 10 eval "accepts $cache && accepts $hp && accepts $dns"

# --- A synthetic population from two days ago to now: the first day ingested into the store
# (profiles, segments), today's events posted to serve (its control loop's demand is what it
# ingests; events already in the store would be duplicates).
start=$(date -u -d '2 days ago' +%Y-%m-%d); today=$(date -u +%Y-%m-%d)
"$bin" generate --users 1500 --days 3 --start "$start" --seed 7 --out "$dir/pop" >/dev/null 2>&1
now=$(date -u +%Y-%m-%dT%H:%M:%S)
awk -v t="$today" -F'"ts":"' '{ if (substr($2, 1, 10) < t) print }' "$dir/pop/events.jsonl" > "$dir/history.jsonl"
awk -v t="$today" -v now="$now" -F'"ts":"' '{ d = substr($2, 1, 19); if (substr(d, 1, 10) >= t && d < now) print }' "$dir/pop/events.jsonl" > "$dir/past.jsonl"
store_history "$dir/history.jsonl"

cat > "$dir/config.yaml" <<YAML
scaling:
  interval: 1s
serve:
  listen: 127.0.0.1:0
  max_batch: 2000
integrations:
  haproxy: {socket: $dir/haproxy.sock, map_file: $dir/users.map, backend_prefix: region-, weights_backend: weights, refresh: 2}
  dns:
    server: 127.0.0.1
    port: $dns
    zone: prescient.test
    key_name: prescient-key
    key_secret_env: PRESCIENT_TSIG_SECRET
    ttl: 30
    addresses: {us-east: [192.0.2.1], eu-west: [192.0.2.2, "2001:db8::2"], ap-northeast: [192.0.2.3], ap-southeast: [192.0.2.4]}
  caches: {eu-west: "http://127.0.0.1:$cache"}
  warming: {interval: 10, rate: 50, items: 100, cache_ttl: 600}
YAML

PRESCIENT_TOKEN=t0k PRESCIENT_TSIG_SECRET=$secret "$bin" serve --config "$dir/config.yaml" --store "sqlite:$dir/p.db" \
  --port-file "$dir/port" 2>"$dir/serve.log" &
serve=$!; pids+=($serve)
wait_for 20 test -s "$dir/port"
base="http://127.0.0.1:$(cat "$dir/port")"

# Requests with paths from eu-west users over the last day: /popular every 5 minutes, /rare once.
python3 - "$dir/paths.jsonl" <<'PY'
import json, sys, time
now = int(time.time())
with open(sys.argv[1], "w") as f:
    for k in range(288):
        t = now - 86400 + k * 300
        f.write(json.dumps({"ts": t, "user": f"w{k}", "region": "eu-west", "feature": "docs", "path": "/popular"}) + "\n")
    f.write(json.dumps({"ts": now - 3600, "user": "w-rare", "region": "eu-west", "feature": "docs", "path": "/rare"}) + "\n")
PY
split -l 2000 "$dir/past.jsonl" "$dir/batch-"
ok=1; for b in "$dir"/batch-*; do
  [ "$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer t0k" --data-binary @"$b" "$base/v1/events")" = 200 ] || ok=0
done
check "the population's events posted ($(wc -l < "$dir/past.jsonl"))" test $ok = 1
check "events with paths accepted" test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer t0k' --data-binary @"$dir/paths.jsonl" "$base/v1/events")" = 200

show_map() { echo "show map $dir/users.map" | socat - "UNIX-CONNECT:$dir/haproxy.sock" 2>/dev/null; }
map_filled() { [ "$(show_map | wc -l)" -gt 1000 ]; }
check "HAProxy's map is filled by serve (runtime API)" wait_for 20 map_filled
check "… and the map file rewritten beside it" test "$(grep -vc '^#' "$dir/users.map")" -gt 1000
landed_ok=1; n=0
for u in $(show_map | awk '{print $2}' | head -n 12); do
  want=$(curl -s "$base/v1/route?user=$u" | sed 's/.*"region":"\([^"]*\)".*/\1/')
  got=$(curl -s -H "X-User: $u" "http://127.0.0.1:$hp/")
  [ "$want" = "$got" ] || { landed_ok=0; echo "   $u: route says $want, HAProxy sent it to $got"; }
  n=$((n + 1))
done
check "a request with X-User lands on the backend /v1/route names ($n users)" test $landed_ok = 1
weights() { echo "show servers state weights" | socat - "UNIX-CONNECT:$dir/haproxy.sock" | awk 'NF > 10 && $1 !~ /^#/ {print $4 "=" $8}' | sort | paste -sd' '; }
plan_weights() { curl -s "$base/v1/plan" | python3 -c '
import json, sys
regions = sorted(json.load(sys.stdin)["regions"], key=lambda r: r["region"])
print(" ".join(r["region"] + "=" + str(r["routing"]["weight"]) for r in regions))'; }
routes_current() { [ "$(weights)" = "$(plan_weights)" ]; }
forecast_in() { curl -s "$base/v1/forecast?region=eu-west&resource=cpu&horizon=1" | grep -q '"p90":0[.][0-9]*[1-9]'; }
check "the posted demand reaches the forecast" wait_for 10 forecast_in
check "… and HAProxy's weights follow the new plan" wait_for 10 routes_current
w=$(weights); pw=$(plan_weights)
check "HAProxy's region weights are the plan's ($w)" test "$w" = "$pw"
check "… not the configured 1s" test "$w" != "ap-northeast=1 ap-southeast=1 eu-west=1 us-east=1"

digs() { dig @127.0.0.1 -p "$dns" +short "$1" "$2" | sort | paste -sd' '; }
check "dig: eu-west.prescient.test A" wait_for 10 eval '[ "$(digs eu-west.prescient.test A)" = "192.0.2.2" ]'
check "dig: eu-west.prescient.test AAAA" test "$(digs eu-west.prescient.test AAAA)" = "2001:db8::2"
check "dig: us-east.prescient.test TXT carries the split" bash -c "[[ '$(digs us-east.prescient.test TXT)' == *'us-east='* ]]"

cache_status() { curl -s -o /dev/null -D - "http://127.0.0.1:$cache$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache-status" {print $2}'; }
warmed() { grep -q 'cache warmed.*region=eu-west.*fetched=1' "$dir/serve.log"; }
check "the warmer fetched eu-west's popular path" wait_for 20 warmed
check "… so the first user request for /popular is a HIT" test "$(cache_status /popular)" = HIT
check "… and /rare, asked for once a day, was not warmed (MISS)" test "$(cache_status /rare)" = MISS

# kill -9 HAProxy: the failure is logged and counted, the loop goes on; a new HAProxy is refilled.
kill -9 "$haproxy_pid"
failed() { grep -q 'actuation failed; retried next step.*target=routes' "$dir/serve.log"; }
check "a killed HAProxy: logged" wait_for 10 failed
check "… counted in /metrics" bash -c "curl -s '$base/metrics' | grep -q 'prescient_actuation_total{target=\"routes\",outcome=\"failed\"}'"
: > "$dir/users.map"
start_haproxy
check "… a restarted HAProxy (empty map) is refilled" wait_for 20 map_filled
check "the control loop kept going (ticks advance)" bash -c "curl -s '$base/v1/plan' | grep -q '\"ticks\"'"
check "the TSIG secret never reaches the log" bash -c "! grep -qF -- '$secret' '$dir/serve.log'"

kill -TERM "$serve"; wait "$serve"; rc=$?
check "SIGTERM: serve exits 0" test $rc = 0
if [ $fail != 0 ]; then echo "--- serve.log (tail)"; tail -n 30 "$dir/serve.log"; fi
[ $fail = 0 ] && echo "actuation test: all ok"
exit $fail
