#!/usr/bin/env bash
# Benchmark, not a test: one reading through a company's proxy. `clickatell-balance balance`
# against the seed's curl command, both over https to a loopback Clickatell (a test CA's
# certificate for localhost, trusted by --ca-file and --cacert), first direct, then both
# through the same loopback tinyproxy (CONNECT); RUNS times each (default 50), alternating;
# prints the medians and their ratios. Usage: tests/bench/proxy.sh [RUNS] (after build.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-50}"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj "/CN=Bench Company CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign" -keyout "$work/ca-key.pem" -out "$work/ca.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
  -keyout "$work/key.pem" -out "$work/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\n' >"$work/leaf.ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" \
  -CAcreateserial -days 1 -extfile "$work/leaf.ext" -out "$work/cert.pem" 2>/dev/null
TLS_CERT="$work/cert.pem" TLS_KEY="$work/key.pem" \
  /usr/bin/python3 tests/bench/fake_clickatell.py "$work/port" >/dev/null &
while [ ! -s "$work/port" ]; do sleep 0.1; done
proxy_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'Port %s\nListen 127.0.0.1\nAllow 127.0.0.1\nLogLevel Error\nMaxClients 20\n' "$proxy_port" >"$work/tinyproxy.conf"
tinyproxy -d -c "$work/tinyproxy.conf" >/dev/null 2>&1 &
until (exec 3<>"/dev/tcp/127.0.0.1/$proxy_port") 2>/dev/null; do sleep 0.1; done
url="https://localhost:$(cat "$work/port")"
env -i PATH="$PATH" HOME="$work" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" \
  CLICKATELL_TOKEN=bench-token \
/usr/bin/python3 - "$runs" "$url" "http://127.0.0.1:$proxy_port" "$work/ca.pem" \
  "$PWD/target/release/clickatell-balance" <<'PY'
import statistics, subprocess, sys, time
runs, url, proxy, ca, app = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def ours(via):
    return [app, "--base-url", url, "--ca-file", ca, "--proxy", via, "balance"]
def seed(via):
    # The seed's command, pointed at the same server, through the same proxy.
    cmd = ["curl", "-s", "-X", "GET", "-H", "X-Version: 1", "-H", "Accept: application/json",
           "-H", "Authorization: Bearer bench-token", "--cacert", ca]
    return cmd + (["--noproxy", "*"] if via == "none" else ["-x", via]) + [url + "/rest/account/balance"]
def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000
for label, via in (("direct (https)", "none"), ("through tinyproxy", proxy)):
    for cmd in (ours(via), seed(via)):
        timed(cmd)  # warm the page cache
    a, b = [], []
    for _ in range(runs):
        a.append(timed(ours(via)))
        b.append(timed(seed(via)))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{label}:")
    print(f"  clickatell-balance balance: median {ma:.1f} ms over {runs} runs (min {min(a):.1f}, max {max(a):.1f})")
    print(f"  seed's curl command:        median {mb:.1f} ms over {runs} runs (min {min(b):.1f}, max {max(b):.1f})")
    print(f"  ratio of medians:           {ma / mb:.2f}x")
PY
