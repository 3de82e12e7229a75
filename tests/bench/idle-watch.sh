#!/usr/bin/env bash
# Benchmark, not a test: CPU time and wake-ups of an idle `clickatell-balance watch` with a
# 5-minute interval against a loopback Clickatell. Usage: tests/bench/idle-watch.sh [SECONDS]
# (default 600). Prints the figures; builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-600}
[ -n "${BENCH_BUILT:-}" ] || tests/bench/build.sh
bin=target/release/clickatell-balance
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 tests/bench/fake_clickatell.py "$work/port" >"$work/requests" &
while [ ! -s "$work/port" ]; do sleep 0.1; done
mkdir -p "$work/home"
HOME="$work/home" XDG_CONFIG_HOME="$work/home/c" XDG_DATA_HOME="$work/home/d" \
  DBUS_SESSION_BUS_ADDRESS="unix:path=$work/no-bus" CLICKATELL_TOKEN=bench-token \
  "$bin" --base-url "http://127.0.0.1:$(cat "$work/port")" watch --interval 5m 2>"$work/log" &
pid=$!
sleep 5
sample() {  # prints: cpu_ns context_switches threads (CPU from schedstat: nanoseconds, not ticks)
  local cpu=0 switches=0 n=0
  for t in /proc/$pid/task/*; do
    cpu=$((cpu + $(cut -d' ' -f1 "$t/schedstat")))
    switches=$((switches + $(awk '/^voluntary_ctxt_switches|^nonvoluntary_ctxt_switches/ {s += $2} END {print s}' "$t/status")))
    n=$((n + 1))
  done
  echo "$cpu $switches $n"
}
read -r cpu0 sw0 threads < <(sample)
requests0=$(wc -l <"$work/requests")
sleep "$duration"
read -r cpu1 sw1 threads < <(sample)
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
kill -TERM "$pid"; wait "$pid" || true
cpu_us=$(( (cpu1 - cpu0) / 1000 ))
wakeups=$(( sw1 - sw0 ))
echo "idle watch, interval 5m, measured over ${duration}s:"
echo "  CPU time:            ${cpu_us} µs"
echo "  context switches:    ${wakeups} (all ${threads} threads; $(awk "BEGIN {printf \"%.2f\", $wakeups / $duration * 60}") per minute)"
echo "  requests served:     $(( $(wc -l <"$work/requests") - requests0 ))"
echo "  resident memory:     $((rss / 1024)) MiB"
