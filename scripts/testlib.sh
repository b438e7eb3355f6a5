# Helpers shared by the end-to-end test scripts (source it after setting `dir` and `pids`):
# check, wait_for, free_port, and a cleanup trap that kills what the script started and removes
# its scratch directory.
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
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; sleep 0.2; for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
