#!/usr/bin/env bash
# Issue 8: one planner at a time. Two (then three) `prescient serve` instances campaign through a
# real etcd 3.4 (Debian etcd-server, HTTP/JSON gateway): one leads (plans and actuates), the other
# follows; kill -9 of the leader → the other leads within the lease TTL, and no interval has two
# leaders acting (the dead one's last step precedes the new one's first); SIGTERM of a leader →
# it resigns and the next leads at once.
# Usage: scripts/election-test.sh PATH/TO/prescient
set -uo pipefail
. "$(dirname "$0")/testlib.sh"
now_ms() { date +%s%3N; }
ttl=3

client=$(free_port); peer=$(free_port)
etcd --name e1 --data-dir "$dir/etcd" --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
  --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
  --initial-cluster "e1=http://127.0.0.1:$peer" >"$dir/etcd.log" 2>&1 &
pids+=($!)
check "etcd is up" wait_for 10 bash -c "curl -s -X POST http://127.0.0.1:$client/v3/maintenance/status -d '{}' | grep -q version"

printf 'scaling:\n  interval: 1s\nserve:\n  listen: 127.0.0.1:0\n' > "$dir/config.yaml"
start() { # start NAME
  PRESCIENT_TOKEN=t "$bin" serve --config "$dir/config.yaml" --store "sqlite:$dir/$1.db" --port-file "$dir/$1.port" \
    --etcd "http://127.0.0.1:$client" --lease-ttl $ttl --instance "$1" 2>"$dir/$1.log" &
  eval "pid_$1=$!"; pids+=($!)
  wait_for 10 test -s "$dir/$1.port"
}
leads() { curl -s "http://127.0.0.1:$(cat "$dir/$1.port")/metrics" | grep -q '^prescient_leader 1'; }
follows() { curl -s "http://127.0.0.1:$(cat "$dir/$1.port")/metrics" | grep -q '^prescient_leader 0'; }
steps() { grep -c 'msg="leader step"' "$dir/$1.log"; }
first_step() { grep 'msg="leader step"' "$dir/$1.log" | head -n 1 | sed 's/^ts=\([^ ]*\).*/\1/'; }
last_step() { grep 'msg="leader step"' "$dir/$1.log" | tail -n 1 | sed 's/^ts=\([^ ]*\).*/\1/'; }

start a
check "a leads" wait_for 10 leads a
start b
sleep 1
check "b follows (prescient_leader 0)" follows b
check "… and takes no control step" test "$(steps b)" = 0
check "a takes control steps" test "$(steps a)" -gt 0

t0=$(now_ms)
kill -9 "$pid_a"
check "kill -9 a: b leads within the lease TTL + etcd's expiry sweep" wait_for $((ttl + 3)) leads b
t1=$(now_ms)
echo "   takeover after $((t1 - t0)) ms (lease TTL ${ttl} s)"
check "… takeover ≤ TTL + 1 s" test $((t1 - t0)) -le $((ttl * 1000 + 1000))
wait_for 5 bash -c "[ \$(grep -c 'msg=\"leader step\"' '$dir/b.log') -gt 0 ]"
la=$(last_step a); fb=$(first_step b)
check "no interval with two leaders: a's last step ($la) < b's first ($fb)" test "$la" \< "$fb"

start c
sleep 0.5
check "c follows" follows c
t0=$(now_ms)
kill -TERM "$pid_b"; wait "$pid_b"; rb=$?
check "SIGTERM b: exits 0" test $rb = 0
check "… it resigned" grep -q 'leadership resigned' "$dir/b.log"
check "… c leads at once" wait_for 3 leads c
t1=$(now_ms)
echo "   handover after a resign: $((t1 - t0)) ms"
wait_for 5 bash -c "[ \$(grep -c 'msg=\"leader step\"' '$dir/c.log') -gt 0 ]"
lb=$(last_step b); fc=$(first_step c)
check "no overlap: b's last step ($lb) < c's first ($fc)" test "$lb" \< "$fc"
kill -TERM "$pid_c"; wait "$pid_c"
[ $fail = 0 ] && echo "election test: all ok"
exit $fail
