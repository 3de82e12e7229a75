#!/usr/bin/env bash
# Benchmark, not a test: CPU time, wake-ups and memory of an idle `clickatell-balance watch`
# (5-minute interval, loopback Clickatell), side by side with one serving Prometheus metrics
# (`--metrics-listen`) that is scraped every 15 s as Prometheus would, over the same time.
# Usage: tests/bench/idle-watch.sh [SECONDS] (default 600). Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-600}
[ -n "${BENCH_BUILT:-}" ] || tests/bench/build.sh
bin=target/release/clickatell-balance
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 tests/bench/fake_clickatell.py "$work/port" >"$work/requests" &
while [ ! -s "$work/port" ]; do sleep 0.1; done
metrics_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start_watch() {  # start_watch NAME [ARGS...]: a watch with a home of its own; its pid in $pid
  local name=$1; shift
  mkdir -p "$work/$name"
  HOME="$work/$name" XDG_CONFIG_HOME="$work/$name/c" XDG_DATA_HOME="$work/$name/d" \
    DBUS_SESSION_BUS_ADDRESS="unix:path=$work/no-bus" CLICKATELL_TOKEN=bench-token \
    "$bin" --base-url "http://127.0.0.1:$(cat "$work/port")" watch --interval 5m "$@" \
    2>"$work/$name.log" >/dev/null &
  pid=$!
}
start_watch plain
plain=$pid
start_watch metrics --metrics-listen "127.0.0.1:$metrics_port"
metrics=$pid
# Past start-up: the runtime's blocking threads (keyring, first request) have exited, so the
# threads summed at the start are those summed at the end.
sleep 15

sample() {  # sample PID: cpu_ns context_switches threads (CPU from schedstat: ns, not ticks)
  local cpu=0 switches=0 n=0
  for t in /proc/$1/task/*; do
    cpu=$((cpu + $(cut -d' ' -f1 "$t/schedstat")))
    switches=$((switches + $(awk '/^voluntary_ctxt_switches|^nonvoluntary_ctxt_switches/ {s += $2} END {print s}' "$t/status")))
    n=$((n + 1))
  done
  echo "$cpu $switches $n"
}
read -r pcpu0 psw0 _ < <(sample "$plain")
read -r mcpu0 msw0 _ < <(sample "$metrics")
scrapes=0
bytes=0
end=$((SECONDS + duration))
while [ $SECONDS -lt "$end" ]; do
  bytes=$(curl -sf "http://127.0.0.1:$metrics_port/metrics" | wc -c)
  scrapes=$((scrapes + 1))
  sleep 15
done
read -r pcpu1 psw1 pthreads < <(sample "$plain")
read -r mcpu1 msw1 mthreads < <(sample "$metrics")
prss=$(awk '/^VmRSS/ {print $2}' "/proc/$plain/status")
mrss=$(awk '/^VmRSS/ {print $2}' "/proc/$metrics/status")
kill -TERM "$plain" "$metrics"; wait "$plain" "$metrics" || true
report() {  # report TITLE CPU0 CPU1 SW0 SW1 THREADS RSS
  local switches=$(($5 - $4))
  echo "$1"
  echo "  CPU time:            $((($3 - $2) / 1000)) µs"
  echo "  context switches:    ${switches} (all $6 threads; $(awk "BEGIN {printf \"%.2f\", $switches / $duration * 60}") per minute)"
  echo "  resident memory:     $(($7 / 1024)) MiB ($7 KiB)"
}
echo "idle watch, interval 5m, both measured over the same ${duration}s ($(( $(wc -l <"$work/requests") )) requests served to both):"
report "plain watch:" "$pcpu0" "$pcpu1" "$psw0" "$psw1" "$pthreads" "$prss"
report "watch --metrics-listen, scraped every 15 s (${scrapes} scrapes of ${bytes} bytes):" \
  "$mcpu0" "$mcpu1" "$msw0" "$msw1" "$mthreads" "$mrss"
