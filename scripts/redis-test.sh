#!/usr/bin/env bash
# Issue 8 end to end, against a real Redis Cluster (3 masters + 3 replicas, Debian redis-server):
# events appended to partitioned streams by `ingest --to`, applied by `ingest --from` workers of
# one consumer group into the Redis Cluster profile store. Reference: one worker, a clean run.
# Then three worker processes, one killed with kill -9 mid-stream: the survivors claim its
# entries, nothing stays pending, and every profile equals the clean run's (byte-identical
# `profiles export`). A malformed stream entry is reported, counted and acknowledged.
# BENCH=1 also measures throughput with 1, 2 and 3 workers (500k events, 100k users).
# Usage: scripts/redis-test.sh PATH/TO/prescient
set -uo pipefail
. "$(dirname "$0")/testlib.sh"

# --- The cluster: six nodes on ports whose bus ports (+10000) stay below the ephemeral range.
base=$(python3 -c 'import socket,random
r = random.Random()
for _ in range(500):
    b = r.randrange(12000, 21000)
    ok = True
    for p in list(range(b, b + 6)) + list(range(b + 10000, b + 10006)):
        s = socket.socket()
        try: s.bind(("127.0.0.1", p))
        except OSError: ok = False
        finally: s.close()
    if ok: print(b); break')
ports=$(seq "$base" $((base + 5)))
for p in $ports; do
  mkdir -p "$dir/redis/$p"
  redis-server --port "$p" --bind 127.0.0.1 --dir "$dir/redis/$p" --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout 2000 --appendonly yes --appendfsync everysec --save '' --protected-mode no >"$dir/redis/$p/log" 2>&1 &
  pids+=($!)
done
for p in $ports; do wait_for 10 redis-cli -p "$p" ping >/dev/null 2>&1; done
redis-cli --cluster create $(for p in $ports; do printf '127.0.0.1:%s ' "$p"; done) --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1
healthy() { for p in $ports; do redis-cli -p "$p" cluster info | grep -q cluster_state:ok || return 1; done; }
check "Redis Cluster of 3 masters + 3 replicas is up" wait_for 30 healthy
nodes=$(for p in $ports; do printf '127.0.0.1:%s,' "$p"; done); nodes=${nodes%,}
rc() { redis-cli -c -p "$base" "$@"; }

# --- Events: a synthetic population, appended to 12 partitions (WAIT 1 on every append).
"$bin" generate --users 10000 --days 14 --seed 11 --out "$dir/pop" >/dev/null 2>&1
total=$(wc -l < "$dir/pop/events.jsonl")
users=$(sed 's/.*"user":"\([^"]*\)".*/\1/' "$dir/pop/events.jsonl" | sort -u | wc -l)
for s in ref multi; do
  "$bin" ingest "$dir/pop/events.jsonl" --to "redis-stream://$nodes/ev-$s?partitions=12&wait=1" 2>"$dir/produce-$s.log" >/dev/null
done
check "ingest --to appended every event ($total)" grep -q "streams: $total events appended" "$dir/produce-ref.log"
# A malformed entry in the reference stream.
rc XADD "ev-ref:{ev-ref.3}" '*' e 'not an event batch' >/dev/null

# --- Reference: one worker, a clean run.
"$bin" ingest --from "redis-stream://$nodes/ev-ref" --store "redis://$nodes/p-ref?wait=1" --consumer solo --until-idle 1 2>"$dir/ref.log"
check "one worker: exits 0 after draining the stream" test $? = 0
check "… applied every event" grep -q "ingest: $total events applied by 1 worker" "$dir/ref.log"
"$bin" profiles export --store "redis://$nodes/p-ref" --format jsonl > "$dir/ref.jsonl" 2>/dev/null
check "… and the store holds a profile per user ($users)" test "$(wc -l < "$dir/ref.jsonl")" = "$users"
check "… the malformed entry reported, counted and acknowledged" bash -c "grep -q 'not an event batch\|ev-ref.3.*acknowledged, nothing applied' '$dir/ref.log' && grep -q ' 1 malformed entries' '$dir/ref.log'"

# --- Three worker processes; kill -9 one of them mid-stream.
for w in a b c; do
  "$bin" ingest --from "redis-stream://$nodes/ev-multi" --store "redis://$nodes/p-multi?wait=1" --consumer "w-$w" --until-idle 2 2>"$dir/w-$w.log" &
  eval "pid_$w=$!"; pids+=($!)
done
read_so_far() { for p in $(seq 0 11); do rc XINFO GROUPS "ev-multi:{ev-multi.$p}" | awk 'prev == "entries-read" {print; exit} {prev = $0}'; done | awk '{s += $1} END {print s + 0}'; }
pending_of() { for p in $(seq 0 11); do rc XPENDING "ev-multi:{ev-multi.$p}" prescient - + 1000000 "$1"; done | grep -c . | awk "{print int(\$1 / 4)}"; }
entries=$(for p in $(seq 0 11); do rc XLEN "ev-multi:{ev-multi.$p}"; done | awk '{s += $1} END {print s}')
b_working() { grep -q 'w-b: holds partitions' "$dir/w-b.log" && [ "$(read_so_far)" -gt 0 ]; }
wait_for 30 b_working
kill -9 "$pid_b"
at_kill=$(pending_of w-b)
echo "   killed worker w-b with kill -9 after $(read_so_far) of $entries entries were read; $at_kill read but not acknowledged"
wait "$pid_a"; ra=$?; wait "$pid_c"; rcode=$?
check "the two survivors exit 0" test "$ra$rcode" = 00
pending=$(for p in $(seq 0 11); do rc XPENDING "ev-multi:{ev-multi.$p}" prescient | head -n 1; done | awk '{s += $1} END {print s}')
check "no entry is left pending" test "$pending" = 0
claimed=$(grep -h "claimed from others" "$dir/w-a.log" "$dir/w-c.log" | sed 's/.* \([0-9]*\) claimed from others.*/\1/' | awk '{s += $1} END {print s}')
check "the survivors claimed exactly the killed worker's unacknowledged entries ($claimed of $at_kill)" test "${claimed:-0}" = "$at_kill"
# Every partition, the killed worker's included, was held by a survivor at some point.
held=$(grep -h "holds partitions" "$dir/w-a.log" "$dir/w-c.log" | sed 's/.*holds partitions \[\([^]]*\)\].*/\1/' | tr ',' '\n' | tr -d ' ' | grep '[0-9]' | sort -u | wc -l)
check "the survivors took over every partition, the killed worker's too ($held of 12)" test "$held" = 12
"$bin" profiles export --store "redis://$nodes/p-multi" --format jsonl > "$dir/multi.jsonl" 2>/dev/null
check "every profile equals the single clean run (byte-identical export, $(wc -l < "$dir/multi.jsonl") profiles)" cmp -s "$dir/ref.jsonl" "$dir/multi.jsonl"

if [ "${BENCH:-0}" = 1 ]; then
  echo
  echo "throughput: 1M events of 100k users, 12 partitions, 3-master cluster, workers (threads of one process) on the same 2 cores as the 6 redis-servers"
  "$bin" generate --users 100000 --days 4 --seed 3 --out "$dir/big" >/dev/null 2>&1
  head -n 1000000 "$dir/big/events.jsonl" > "$dir/big.jsonl"
  n=$(wc -l < "$dir/big.jsonl")
  for w in 1 2 3; do
    for waits in 0 1; do
      [ "$waits" = 1 ] && [ "$w" != 2 ] && continue
      "$bin" ingest "$dir/big.jsonl" --to "redis-stream://$nodes/bench-$w-$waits?partitions=12" >/dev/null 2>&1
      "$bin" ingest --from "redis-stream://$nodes/bench-$w-$waits" --store "redis://$nodes/pb-$w-$waits?wait=$waits" --workers "$w" --until-idle 1 2>"$dir/bench.log"
      echo "  $w worker(s), profile writes WAIT $waits: $(grep -o '[0-9.]* s from the first entry read.*' "$dir/bench.log")"
    done
  done
fi
[ $fail = 0 ] && echo "redis test: all ok"
exit $fail
