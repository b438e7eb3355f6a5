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
echo "== ingest it into user profiles (SQLite), with weather and matches as covariates"
rm -f "$out/synthetic.db" "$out/synthetic.db-wal" "$out/synthetic.db-shm"
$bin ingest "$out/synthetic/events.jsonl" --covariates "$out/synthetic/covariates.csv" --store "sqlite:$out/synthetic.db"
$bin profiles show u000042 --store "sqlite:$out/synthetic.db"
echo "== segments recovered from behaviour (ground truth: $out/synthetic/segments.csv)"
$bin segments --store "sqlite:$out/synthetic.db" --json "$out/synthetic-segments.json"
if [ -d "$data" ]; then
  echo "== real Apache combined log (client IP → country via GeoIP, user agent → device)"
  $bin ingest "$data/semicomplete-apache-2015-05/apache_logs.gz" --max-rejects all --store none --out "$out/apache.jsonl" --rejects "$out/apache.rejects"
  echo "== real NASA TSV, read as it is through a field map (host name → region)"
  rm -f "$out/nasa.db"*
  $bin ingest "$data/nasa-http-1995-08-01/nasa_19950801.tsv.gz" --map user=host,ts=time,path=url --max-rejects all --store "sqlite:$out/nasa.db" --rejects "$out/nasa.rejects"
  $bin segments --store "sqlite:$out/nasa.db" --json "$out/nasa-segments.json"
  echo "== real retail CSV (country names → region, London local times) → profiles → segments"
  rm -f "$out/retail.db"*
  $bin ingest "$data/uci-online-retail/online_retail.csv.gz" --config examples/retail.yaml --map user=CustomerID,ts=InvoiceDate,feature=StockCode,country=Country --tz Europe/London --max-rejects all --store "sqlite:$out/retail.db" --rejects "$out/retail.rejects"
  $bin segments --config examples/retail.yaml --store "sqlite:$out/retail.db" --json "$out/retail-segments.json"
fi
echo "outputs in $out/"
