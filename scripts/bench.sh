#!/usr/bin/env bash
# Benchmarks in release mode; each prints its figure next to a baseline measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scripts/install-deps.sh
swift build -c release --product prescient 2>&1 | tail -n 1
swift build -c release --product prescient-bench 2>&1 | tail -n 1
.build/release/prescient-bench "${1:-all}" "${@:2}"
