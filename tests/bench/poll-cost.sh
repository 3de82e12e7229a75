#!/usr/bin/env bash
# Benchmark, not a test: the floor under a watched account's cost, one request through the
# app's HTTP client to the loopback stand-in, COUNT times in a row (default 1000); prints CPU
# time and context switches per request. Usage: tests/bench/poll-cost.sh [COUNT]
exec "$(dirname "$0")/stand-in-example.sh" poll_cost "${1:-1000}"
