#!/usr/bin/env bash
# Runs the core's benchmark example EXAMPLE (release) against the loopback stand-in
# (fake_clickatell.py), giving it the stand-in's URL and then ARGS.
# Usage: tests/bench/stand-in-example.sh EXAMPLE [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
example=$1
shift
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 tests/bench/fake_clickatell.py "$work/port" >/dev/null &
while [ ! -s "$work/port" ]; do sleep 0.1; done
cargo run --quiet --release --locked -p clickatell-balance-core --example "$example" -- \
  "http://127.0.0.1:$(cat "$work/port")" "$@"
