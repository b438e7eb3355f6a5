# Shared by the end-to-end test scripts. Source it first thing, with the script's arguments:
#   . "$(dirname "$0")/testlib.sh"
# It sets `bin` (the prescient binary: $1, default the release build), `dir` (a scratch directory
# removed on exit), `pids` (append every process started; the exit trap kills them by PID) and
# PRESCIENT_DATA_DIR, and defines check, wait_for, free_port and store_history.
bin=$(realpath "${1:-.build/release/prescient}")
dir=$(mktemp -d)
pids=()
export PRESCIENT_DATA_DIR="$dir/data"
fail=0
check() { # check DESCRIPTION COMMAND...: prints ok/FAIL, remembers a failure
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
wait_for() { # wait_for SECONDS COMMAND...: polls every 50 ms until the command succeeds
  local n=$(( $1 * 20 )); shift
  for _ in $(seq "$n"); do "$@" && return 0; sleep 0.05; done
  return 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
store_history() { # store_history EVENTS.jsonl: profiles into sqlite:$dir/p.db, segments into $dir/segments.json
  "$bin" ingest "$1" --store "sqlite:$dir/p.db" >/dev/null 2>&1
  "$bin" segments --store "sqlite:$dir/p.db" --json "$dir/segments.json" >/dev/null 2>&1
}
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 0.2; for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
