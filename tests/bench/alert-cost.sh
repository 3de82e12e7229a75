#!/usr/bin/env bash
# Benchmark, not a test: what team alerts cost. A poll's CPU and context switches with two
# idle alert channels against none (same run, two rounds), and the time to deliver one alert
# to a loopback webhook receiver. Usage: tests/bench/alert-cost.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 tests/bench/fake_clickatell.py "$work/port" >/dev/null &
while [ ! -s "$work/port" ]; do sleep 0.1; done
cargo run --quiet --release --locked -p clickatell-balance-core --example alert_cost -- \
  "http://127.0.0.1:$(cat "$work/port")" "${1:-500}"
