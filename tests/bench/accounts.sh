#!/usr/bin/env bash
# Benchmark, not a test: the tray app watching ten accounts against the same app watching one,
# each for DURATION seconds (default 600) in a private desktop session under Xvfb with a real
# tray host, every account on loopback polled every INTERVAL seconds (default 30, the
# shortest). Prints, for each: PSS of the process tree after the run, CPU time and context
# switches over the run, requests served, and the seconds in which more than one request
# arrived.
# Usage: [INTERVAL=300] tests/bench/accounts.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
duration="${1:-600}"
interval="${INTERVAL:-30}"
[ -n "${BENCH_BUILT:-}" ] || tests/bench/build.sh

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; fusermount -uz "$work/runtime/doc" 2>/dev/null || true; rm -rf "$work" 2>/dev/null || true' EXIT

cat >"$work/session.sh" <<'INNER'
set -euo pipefail
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$WORK/display" 2>/dev/null &
while [ ! -s "$WORK/display" ]; do sleep 0.1; done
export DISPLAY=":$(cat "$WORK/display")"
status-notifier-watcher >/dev/null 2>&1 &
sleep 1
gtk-sni-tray-standalone >/dev/null 2>&1 &
sleep 1

tree_pids() {
  local all=("$1") frontier=("$1") next
  while ((${#frontier[@]})); do
    next=()
    for p in "${frontier[@]}"; do
      for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do next+=("$c"); all+=("$c"); done
    done
    frontier=("${next[@]}")
  done
  echo "${all[@]}"
}
pss_mb() {
  for p in $(tree_pids "$1"); do cat /proc/"$p"/smaps_rollup 2>/dev/null; done \
    | awk '/^Pss:/ {p += $2} END {printf "%.1f", p/1024}'
}
cpu_ms() {  # user + system time of every thread so far
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' /proc/"$1"/stat
}
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}'; }

run() {  # accounts
  local n=$1
  local home="$WORK/home-$n"
  mkdir -p "$home/.config/clickatell-balance"
  python3 "$ROOT/tests/bench/fake_clickatell.py" "$WORK/port-$n" >"$WORK/requests-$n" &
  local server=$!
  while [ ! -s "$WORK/port-$n" ]; do sleep 0.1; done
  local port; port=$(cat "$WORK/port-$n")
  local env=()
  {
    echo '{"accounts": ['
    for i in $(seq 1 "$n"); do
      [ "$i" -gt 1 ] && echo ','
      echo "{\"id\": \"a$i\", \"name\": \"Account $i\", \"base_url\": \"http://127.0.0.1:$port/a$i\", \"poll_interval_secs\": $INTERVAL}"
      env+=("CLICKATELL_TOKEN_A$i=bench-token-$i")
    done
    echo ']}'
  } >"$home/.config/clickatell-balance/settings.json"
  env "${env[@]}" HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    "$ROOT/target/release/clickatell-balance" >/dev/null 2>&1 &
  local pid=$!
  sleep 5  # start-up, first readings
  local cpu0 sw0; cpu0=$(cpu_ms "$pid"); sw0=$(switches "$pid")
  local served0; served0=$(wc -l <"$WORK/requests-$n")
  sleep "$DURATION"
  local cpu=$(( $(cpu_ms "$pid" | cut -d. -f1) - ${cpu0%.*} ))
  local sw=$(( $(switches "$pid") - sw0 ))
  local served=$(( $(wc -l <"$WORK/requests-$n") - served0 ))
  echo "$n account(s), every ${INTERVAL}s: $(pss_mb "$pid") MB PSS after ${DURATION}s; ${cpu} ms CPU and ${sw} context switches over ${DURATION}s; ${served} requests"
  # Seconds in which more than one request arrived, and the closest two requests.
  python3 - "$WORK/requests-$n" <<'PY'
import sys
times = sorted(float(l.split()[0]) for l in open(sys.argv[1]) if l.strip())
seconds = {}
for t in times:
    seconds[int(t)] = seconds.get(int(t), 0) + 1
crowded = sum(1 for c in seconds.values() if c > 1)
gap = min((b - a for a, b in zip(times, times[1:])), default=float("nan"))
print(f"  requests in the same second: {crowded} of {len(seconds)} seconds with requests; closest two {gap:.2f} s apart")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
}

run 1
run 10
INNER

mkdir -p "$work/runtime"; chmod 700 "$work/runtime"
env -i PATH="$PATH" HOME="$work" XDG_RUNTIME_DIR="$work/runtime" NO_AT_BRIDGE=1 \
  WORK="$work" ROOT="$root" DURATION="$duration" INTERVAL="$interval" \
  dbus-run-session -- bash "$work/session.sh" 2> >(grep -v -e '^dbus-daemon' -e 'Activat' >&2)
