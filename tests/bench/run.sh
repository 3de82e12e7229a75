#!/usr/bin/env bash
# The benchmark, in one run on this machine (not a test): builds the release binaries, then
# measures side by side and writes BENCHMARKS.md at the repository root:
#   - memory (whole process tree PSS and anonymous) of the tray app: tray only, window open,
#     after closing it; against a minimal Tauri 2 tray app built the same way;
#   - launch to tray item registered and to the first balance in the tooltip; wake-ups and
#     icons sent during an idle minute;
#   - drawing the tray icon, per style and size;
#   - idle CPU time, wake-ups and memory of `watch` over IDLE_SECONDS (default 600), with and
#     without Prometheus metrics scraped every 15 s;
#   - `clickatell-balance balance` against the seed's curl command (ratio of medians), also
#     through a loopback proxy; the trust store's load time;
#   - release binary and .deb sizes.
#   - the tray app watching ten accounts against one (memory, CPU, wake-ups, request spread),
#     and the floor under it: one request through the app's client;
#   - the history of 20 accounts at 1, 100 and 400 days (size, opening, a poll's work);
#   - team alerts: a poll with two idle alert channels against none, and one alert's delivery;
# Usage: tests/bench/run.sh   (about 40 minutes; IDLE_SECONDS=60 for a quick look)
set -euo pipefail
cd "$(dirname "$0")/../.."
idle="${IDLE_SECONDS:-600}"
out=BENCHMARKS.md

echo "building release binaries and the .deb…" >&2
tests/bench/build.sh
export BENCH_BUILT=1

section() { echo "running: $1" >&2; }
section "desktop memory and launch"
desktop=$(tests/bench/desktop-memory.sh)
section "idle watch for ${idle}s"
idle_out=$(tests/bench/idle-watch.sh "$idle")
section "tray icon render"
render_out=$(cargo run --quiet --release --locked -p clickatell-balance-core --example tray_icon_render)
section "balance vs curl"
curl_out=$(tests/bench/balance-vs-curl.sh 50)
section "balance vs curl through a proxy"
proxy_out=$(tests/bench/proxy.sh 50; cargo run --quiet --release --locked -p clickatell-balance-core --example trust_store_load)
section "ten accounts against one for ${idle}s each"
accounts_out=$(INTERVAL=300 tests/bench/accounts.sh "$idle"; tests/bench/accounts.sh "$idle"; tests/bench/poll-cost.sh)
section "team alerts"
alerts_out=$(tests/bench/alert-cost.sh 500)
section "history at scale"
history_out=$(cargo run --quiet --release --locked -p clickatell-balance-core --example history_scale)
deb=$(ls target/release/bundle/deb/*_amd64.deb | head -1)

{
  echo "# Benchmarks"
  echo
  echo "Written by \`tests/bench/run.sh\` on $(date -u +%Y-%m-%d); figures from one run on one"
  echo "machine, side by side. They move with whatever else shares the machine's libraries and"
  echo "CPUs: compare figures of the same run, not across runs."
  echo
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r),"
  echo "WebKitGTK $(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null), $(rustc --version)."
  echo
  echo "## Tray app against a minimal Tauri 2 tray app"
  echo
  echo "Each in a private session under Xvfb with a real tray host (status-notifier-watcher and"
  echo "gtk-sni-tray-standalone), polling a loopback Clickatell. PSS of the whole process tree."
  echo
  echo '```'
  echo "$desktop"
  echo '```'
  echo
  echo "## Drawing the tray icon"
  echo
  echo "One picture (\"1.2k\", warning), per style and size, and the whole set the Linux tray publishes at each change (16–64 px), release build, mean of 2,000 draws."
  echo
  echo '```'
  echo "$render_out"
  echo '```'
  echo
  echo "## Idle \`watch\`, with and without Prometheus metrics"
  echo
  echo '```'
  echo "$idle_out"
  echo '```'
  echo
  echo "## One reading: \`clickatell-balance balance\` against the seed's curl command"
  echo
  echo '```'
  echo "$curl_out"
  echo '```'
  echo
  echo "## One reading through a company's proxy"
  echo
  echo "Over https to a loopback Clickatell (a test CA's certificate, trusted by \`--ca-file\` and"
  echo "curl's \`--cacert\`), direct and through the same loopback tinyproxy (CONNECT)."
  echo
  echo '```'
  echo "$proxy_out"
  echo '```'
  echo
  echo "## Ten accounts against one"
  echo
  echo "The tray app in a private session with a real tray host, watching one account, then ten,"
  echo "each on loopback, at the default interval (5 min) and at the shortest (30 s), measured over"
  echo "${idle}s after a 5 s start. CPU time and context switches are all threads' of the process."
  echo
  echo '```'
  echo "$accounts_out"
  echo '```'
  echo
  echo "## Team alerts"
  echo
  echo "A poll through the monitor (release build, one thread) with two alert channels set up"
  echo "(Slack and email) and idle, the balance above every level, against the same monitor"
  echo "without channels, in turn, twice; then one alert delivered to a loopback Slack-format"
  echo "receiver. CPU time comes in 10 ms ticks, so per-poll figures move by about 0.03 ms."
  echo
  echo '```'
  echo "$alerts_out"
  echo '```'
  echo
  echo "## History at scale"
  echo
  echo "20 accounts read every 30 s, kept as the app keeps them (every reading of the last 30"
  echo "days, the last of each hour before), generated into SQLite; medians. \"A poll\" is what the"
  echo "monitor does with each reading: record it and make the forecast. The old per-poll read is"
  echo "what 0.1.0 did instead (every reading of the last 7 days); 0.1.0 also ran the full"
  echo "integrity check (now the background upkeep's) before the app started."
  echo
  echo "$history_out"
  echo
  echo "## Sizes"
  echo
  echo '```'
  echo "command line:       $(stat -c %s target/release/clickatell-balance | numfmt --to=iec-i --suffix=B) ($(stat -c %s target/release/clickatell-balance) bytes)"
  echo "tray app:           $(stat -c %s target/release/clickatell-balance-app | numfmt --to=iec-i --suffix=B) ($(stat -c %s target/release/clickatell-balance-app) bytes)"
  echo "minimal tray app:   $(stat -c %s target/release/minimal-tray | numfmt --to=iec-i --suffix=B)"
  echo ".deb package:       $(stat -c %s "$deb" | numfmt --to=iec-i --suffix=B) ($(basename "$deb"))"
  echo "web UI (ui/):       $(cat ui/* | wc -c) bytes, $(gzip -9c ui/* | wc -c) gzipped"
  echo '```'
} >"$out"
echo "wrote $out" >&2
cat "$out"
