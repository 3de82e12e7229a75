#!/usr/bin/env bash
# Benchmark, not a test: what team alerts cost. A poll's CPU and context switches with two
# idle alert channels against none (same run, two rounds), and the time to deliver one alert
# to a loopback webhook receiver. Usage: tests/bench/alert-cost.sh [COUNT]
exec "$(dirname "$0")/stand-in-example.sh" alert_cost "${1:-500}"
