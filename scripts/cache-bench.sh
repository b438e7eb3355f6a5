#!/usr/bin/env bash
# Cache hit ratio with and without warming (issue 7) on replays of real access logs: the NASA KSC
# log of 1995-08-01 and the semicomplete.com Apache log of May 2015 (../shared/data). Each
# request goes through one cache per region (nginx proxy_cache semantics: fresh for the TTL,
# LRU at the item limit), once as it came and once with the warmer, which sees only the requests
# before each round. Prints the hit ratio in the busiest hour and over the whole replay.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product prescient 2>&1 | tail -n 1
data="${PRESCIENT_DATA:-../shared/data}"
out=.build/cache-bench
mkdir -p "$out"
echo "NASA KSC 1995-08-01 (30,969 requests):"
.build/release/prescient simulate --events "$data/nasa-http-1995-08-01/nasa_19950801.tsv.gz" --map user=host,ts=time,path=url \
    --policy HPA --report "$out/nasa" "$@" 2>/dev/null | sed -n '/^cache/,$p'
echo
echo "semicomplete.com Apache log, May 2015 (10,000 requests):"
.build/release/prescient simulate --events "$data/semicomplete-apache-2015-05/apache_logs.gz" \
    --policy HPA --report "$out/semicomplete" "$@" 2>/dev/null | sed -n '/^cache/,$p'
