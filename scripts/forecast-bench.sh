#!/usr/bin/env bash
# The forecasting benchmark (issue 4): Prescient against statsforecast's SeasonalNaive(24),
# SeasonalNaive(168), AutoETS, MSTL(24,168), AutoTheta and Prophet on the real hourly series of
# ../shared/data (NASA, 7 Melbourne sensors, Online Retail UK / other countries), horizon 24 h,
# 7 daily origins, 12 weeks of history each; then forecasting speed on 8-week windows; then the
# synthetic population in which a segment moves region and a match is scheduled (the profile-driven
# forecast against every aggregate-only model, the Python ones included).
#
# The Python anchors run in a virtual environment this script creates (.build/forecast-venv); they
# are never a runtime dependency. Their cross-validation output is cached under
# .build/forecast-bench/ keyed by the input's checksum (delete it to re-run them).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scripts/install-deps.sh
swift build -c release --product prescient-bench 2>&1 | tail -n 1
swift build -c release --product prescient 2>&1 | tail -n 1
out=.build/forecast-bench
venv=.build/forecast-venv
mkdir -p "$out"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import statsforecast, prophet" 2>/dev/null; then
    echo "forecast-bench: creating the Python environment for the anchors (statsforecast, prophet)…"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check statsforecast prophet pandas
fi
.build/release/prescient-bench forecast-data --out "$out" >/dev/null
declare -A calendar=([nasa]=us-federal-1995.csv [melbourne]=victoria-2016-2017.csv [retail]=england-2010-2011.csv)
for set in nasa melbourne retail; do
    sum=$(cat "$out/$set.csv" "examples/calendars/${calendar[$set]}" scripts/forecast_anchors.py | sha256sum | cut -c1-16)
    if [ ! -s "$out/${set}_cv.csv" ] || [ "$(cat "$out/${set}.sum" 2>/dev/null)" != "$sum" ]; then
        echo "forecast-bench: running the Python anchors on $set (minutes)…"
        "$venv/bin/python" scripts/forecast_anchors.py "$out/$set.csv" "$out/${set}_cv.csv" "$out/${set}_times.csv" --input-size 2016 \
            --holidays "examples/calendars/${calendar[$set]}" \
            2> "$out/${set}_anchors.log"
        echo "$sum" > "$out/${set}.sum"
    fi
done
.build/release/prescient-bench forecast-check --anchors "$out"
echo
.build/release/prescient-bench forecast-speed --export "$out/speed.csv"
"$venv/bin/python" scripts/forecast_anchors.py "$out/speed.csv" /dev/null /dev/null --speed 20 2>/dev/null
echo
# The scenario's region series (history + the forecast day) for the anchors: one origin, h = 24.
.build/release/prescient-bench scenario --export "$out/scenario.csv" >/dev/null
sum=$(cat "$out/scenario.csv" scripts/forecast_anchors.py | sha256sum | cut -c1-16)
if [ ! -s "$out/scenario_cv.csv" ] || [ "$(cat "$out/scenario.sum" 2>/dev/null)" != "$sum" ]; then
    "$venv/bin/python" scripts/forecast_anchors.py "$out/scenario.csv" "$out/scenario_cv.csv" "$out/scenario_times.csv" --windows 1 --h 24 \
        2> "$out/scenario_anchors.log"
    echo "$sum" > "$out/scenario.sum"
fi
.build/release/prescient-bench scenario --anchors "$out/scenario_cv.csv"
