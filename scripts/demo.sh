#!/usr/bin/env bash
# The main job so far (until 'prescient demo' exists): build, generate a synthetic multi-region
# population with ground truth, ingest it back, then ingest the real public logs as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scripts/install-deps.sh
swift build -c release 2>&1 | tail -n 1
bin=.build/release/prescient
out=${OUT:-demo-out}
data=${PRESCIENT_DATA:-$( [ -d ../shared/data ] && echo ../shared/data || echo /work/shared/data )}
mkdir -p "$out"
echo "== synthetic population: 100,000 users × 7 days, 4 regions"
$bin generate --users 100000 --days 7 --seed 42 --out "$out/synthetic"
cat "$out/synthetic/segments.csv"
echo "== ingest it back"
$bin ingest "$out/synthetic/events.jsonl"
if [ -d "$data" ]; then
  echo "== real Apache combined log (client IP → country via GeoIP, user agent → device)"
  $bin ingest "$data/semicomplete-apache-2015-05/apache_logs.gz" --max-rejects all --out "$out/apache.jsonl" --rejects "$out/apache.rejects"
  echo "== real NASA TSV, read as it is through a field map (host name → region)"
  $bin ingest "$data/nasa-http-1995-08-01/nasa_19950801.tsv.gz" --map user=host,ts=time,path=url --max-rejects all --out "$out/nasa.jsonl" --rejects "$out/nasa.rejects"
  echo "== real retail CSV (country names → region, London local times)"
  $bin ingest "$data/uci-online-retail/online_retail.csv.gz" --map user=CustomerID,ts=InvoiceDate,feature=StockCode,country=Country --tz Europe/London --max-rejects all --out "$out/retail.jsonl" --rejects "$out/retail.rejects"
fi
echo "outputs in $out/"
