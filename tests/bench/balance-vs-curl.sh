#!/usr/bin/env bash
# Benchmark, not a test: `clickatell-balance balance` against the seed's own curl command, both
# against the same loopback Clickatell, RUNS times each (default 50), alternating; prints the
# medians and their ratio, then the median of `clickatell-balance --version`. Usage: tests/bench/balance-vs-curl.sh [RUNS] (after build.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-50}"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
/usr/bin/python3 tests/bench/fake_clickatell.py "$work/port" >/dev/null &
while [ ! -s "$work/port" ]; do sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"
HOME="$work" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" CLICKATELL_TOKEN=bench-token \
/usr/bin/python3 - "$runs" "$url" "$PWD/target/release/clickatell-balance" <<'PY'
import statistics, subprocess, sys, time
runs, url, app = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ours = [app, "--base-url", url, "balance"]
# The seed's command, pointed at the same server.
seed = ["curl", "-s", "-X", "GET", "-H", "X-Version: 1", "-H", "Accept: application/json",
        "-H", "Authorization: Bearer bench-token", url + "/rest/account/balance"]
def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000
for cmd in (ours, seed):
    timed(cmd)  # warm the page cache
a, b = [], []
for _ in range(runs):
    a.append(timed(ours))
    b.append(timed(seed))
ma, mb = statistics.median(a), statistics.median(b)
print(f"clickatell-balance balance: median {ma:.1f} ms over {runs} runs (min {min(a):.1f}, max {max(a):.1f})")
print(f"seed's curl command:        median {mb:.1f} ms over {runs} runs (min {min(b):.1f}, max {max(b):.1f})")
print(f"ratio of medians:           {ma / mb:.2f}x")
v = [timed([app, "--version"]) for _ in range(runs)]
print(f"clickatell-balance --version: median {statistics.median(v):.1f} ms over {runs} runs (min {min(v):.1f}, max {max(v):.1f})")
PY
