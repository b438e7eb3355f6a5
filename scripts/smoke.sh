#!/usr/bin/env bash
# End-to-end checks of the built binary as a user runs it: exit codes, quiet output when piped,
# same seed same bytes. Usage: scripts/smoke.sh PATH/TO/prescient
set -uo pipefail
bin=${1:-.build/release/prescient}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export PRESCIENT_DATA_DIR="$dir/data"   # stores go to the scratch directory
fail=0
expect() { # expect STATUS DESCRIPTION -- COMMAND...
  local want=$1 what=$2; shift 3
  "$@" >"$dir/out" 2>"$dir/err"; local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  /' "$dir/err" | head -5; fail=1
  else echo "ok: $what (exit $got)"; fi
}
expect 64 "no arguments" -- "$bin"
expect 64 "unknown option" -- "$bin" ingest --nope x
expect 66 "missing input" -- "$bin" ingest "$dir/missing.jsonl"
printf '{"ts":"2026-03-02T00:00:00Z","user":"a","region":"eu-west","feature":"video"}\n{"ts":"bad"}\n' > "$dir/bad.jsonl"
expect 65 "bad data" -- "$bin" ingest "$dir/bad.jsonl"
grep -q "bad.jsonl:2: ts: not a timestamp: 'bad'" "$dir/err" || { echo "FAIL: rejection message"; fail=1; }
grep -q $'\r' "$dir/err" && { echo "FAIL: progress written while piped"; fail=1; }
expect 0 "tolerated bad data" -- "$bin" ingest "$dir/bad.jsonl" --max-rejects 1
expect 0 "generate" -- "$bin" generate --users 2000 --days 2 --seed 9 --out "$dir/a"
expect 0 "generate again" -- "$bin" generate --users 2000 --days 2 --seed 9 --out "$dir/b"
for f in events.jsonl users.csv demand.csv covariates.csv segments.csv manifest.json; do
  cmp -s "$dir/a/$f" "$dir/b/$f" || { echo "FAIL: $f differs for the same seed"; fail=1; }
done
expect 0 "ingest generated" -- "$bin" ingest "$dir/a/events.jsonl"
gzip -c "$dir/a/events.jsonl" > "$dir/events.gz"
expect 0 "ingest gzip from stdin" -- sh -c "\"$bin\" ingest - --store sqlite:$dir/stdin.db < \"$dir/events.gz\""
grep -q "rejected 0" "$dir/err" || { echo "FAIL: stdin ingest summary"; fail=1; }
expect 0 "profiles list" -- "$bin" profiles list --limit 3
expect 0 "segments" -- "$bin" segments
grep -q "allocation (share of each segment's activity per region)" "$dir/out" || { echo "FAIL: segments table"; fail=1; }
expect 66 "unknown user" -- "$bin" profiles show nobody
expect 0 "forecast from the profiles" -- "$bin" forecast --store "sqlite:$PRESCIENT_DATA_DIR/prescient.db" --horizon 24 --by-segment --out "$dir/regions.csv"
grep -q "^eu-west/cpu,.*" "$dir/regions.csv" || { echo "FAIL: bottom-up forecast rows"; fail=1; }
awk -F, 'NR > 1 && $1 ~ /^[a-z-]+\/(cpu|memory|network)\/segment/ { n++ } END { exit n > 0 ? 0 : 1 }' "$dir/regions.csv" || { echo "FAIL: per-segment rows"; fail=1; }
{ echo "unique_id,ds,y"; for d in $(seq 10 31); do for h in $(seq -w 0 23); do echo "web,2026-03-$d $h:00:00,$((100 + 10#$h * 5 + (d % 7) * 3))"; done; done; } > "$dir/series.csv"
expect 0 "forecast a series" -- "$bin" forecast --series "$dir/series.csv" --horizon 24 --level 80 90 --out "$dir/f.csv"
head -1 "$dir/f.csv" | grep -qx "unique_id,ds,Prescient,Prescient-lo-80,Prescient-hi-80,Prescient-lo-90,Prescient-hi-90" || { echo "FAIL: forecast header"; fail=1; }
expect 0 "backtest" -- "$bin" backtest --series "$dir/series.csv" --horizon 24 --windows 3 --out "$dir/cv.csv"
grep -q "^Prescient " "$dir/out" || { echo "FAIL: backtest table"; fail=1; }
expect 0 "simulate" -- "$bin" simulate --series "$dir/series.csv" --policy Prescient,HPA,Oracle --report "$dir/sim"
grep -q "^Oracle " "$dir/out" && grep -q "<svg" "$dir/sim/report.html" || { echo "FAIL: simulate table or report"; fail=1; }
printf 'unique_id,ds,y\nweb,2026-03-01 00:00:00,1\nweb,2026-03-01 01:00:00,x\n' > "$dir/bad.csv"
expect 65 "forecast bad series" -- "$bin" forecast --series "$dir/bad.csv" --horizon 2
grep -q "bad.csv:3: y: not a number: 'x'" "$dir/err" || { echo "FAIL: series error message"; fail=1; }
expect 0 "config show" -- "$bin" config show
"$bin" config show > "$dir/c.yaml"
expect 0 "config check" -- "$bin" config check "$dir/c.yaml"
printf 'scaling:\n  cooldwn: 5s\n' > "$dir/bad.yaml"
expect 65 "config check with a mistake" -- "$bin" config check "$dir/bad.yaml"
grep -q "bad.yaml:2: scaling.cooldwn: unknown key (did you mean 'cooldown'?)" "$dir/err" || { echo "FAIL: config message"; fail=1; }
exit $fail
