#!/usr/bin/env bash
# Benchmark, not a test: the floor under a watched account's cost, one request through the
# app's HTTP client to the loopback stand-in, COUNT times in a row (default 1000); prints CPU
# time and context switches per request. Usage: tests/bench/poll-cost.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 tests/bench/fake_clickatell.py "$work/port" >/dev/null &
while [ ! -s "$work/port" ]; do sleep 0.1; done
cargo run --quiet --release --locked -p clickatell-balance-core --example poll_cost -- \
  "http://127.0.0.1:$(cat "$work/port")" "${1:-1000}"
