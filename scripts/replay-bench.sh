#!/usr/bin/env bash
# The scaling benchmark (issue 5): every policy on the simulated cloud over (1) a synthetic
# population's true minute demand, with the month × 8 regions speed figure, and (2) NASA-HTTP
# July 1995 requests per minute (../shared/data/nasa-http-per-second), each request costing one
# CPU-second (a stated scale, the same for every policy).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product prescient-bench 2>&1 | tail -n 1
swift build -c release --product prescient 2>&1 | tail -n 1
data="${PRESCIENT_DATA:-../shared/data}"
out=.build/replay-bench
mkdir -p "$out"
QUOTA=1000 .build/release/prescient-bench replay --users 20000 --days 30
echo
zcat "$data/nasa-http-per-second/nasa_requests_per_minute_DERIVED.csv.gz" \
    | awk -F, 'NR > 1 && $1 < "1995-07-29" { print "nasa," $1 ":00," $2 / 60 }' \
    | { echo "unique_id,ds,y"; cat; } > "$out/nasa-july.csv"
echo "NASA-HTTP July 1995, requests per minute × 1 CPU-second each, one region:"
.build/release/prescient simulate --series "$out/nasa-july.csv" --freq 1min --report "$out/nasa"
echo
echo "NASA-HTTP July 1995: what fewer under-provisioned minutes than every baseline would cost (scripts/nasa_bound.py):"
python3 scripts/nasa_bound.py "$out/nasa-july.csv"
