#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine with Swift 6.3 at /opt/swift, as root:
# installs what it needs, builds (debug and release), runs the unit and integration tests,
# then checks the real binary's exit codes and output end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scripts/install-deps.sh
swift build -c release 2>&1 | tail -n 3
swift build --build-tests 2>&1 | tail -n 3
mkdir -p .build
if ! swift test > .build/test.log 2>&1; then
  grep -E "✘|error:|Fatal|failed" .build/test.log | head -n 60
  echo "swift test failed (full log: .build/test.log)" >&2
  exit 1
fi
grep -E "Test run with" .build/test.log
scripts/smoke.sh .build/release/prescient
scripts/serve-test.sh .build/release/prescient
scripts/actuation-test.sh .build/release/prescient
scripts/redis-test.sh .build/release/prescient
scripts/election-test.sh .build/release/prescient
echo "all tests passed"
