#!/usr/bin/env bash
# Benchmark, not a test: memory and start-up of the tray app against a minimal Tauri 2 tray app
# built the same way (release profile), each in a private desktop session under Xvfb with a real
# tray host. Usage: tests/bench/desktop-memory.sh. Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
[ -n "${BENCH_BUILT:-}" ] || tests/bench/build.sh
/usr/bin/python3 -c "import Xlib" 2>/dev/null \
  || { echo "installing python3-xlib"; apt-get install -y python3-xlib >/dev/null; }

work=$(mktemp -d)
# The desktop portal may leave its FUSE mount in the session's runtime folder.
trap 'kill $(jobs -p) 2>/dev/null || true; fusermount -uz "$work/runtime/doc" 2>/dev/null || true; rm -rf "$work" 2>/dev/null || true' EXIT
python3 tests/bench/fake_clickatell.py "$work/port" >/dev/null &
while [ ! -s "$work/port" ]; do sleep 0.1; done

cat >"$work/session.sh" <<'INNER'
set -euo pipefail
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$WORK/display" 2>/dev/null &
while [ ! -s "$WORK/display" ]; do sleep 0.1; done
export DISPLAY=":$(cat "$WORK/display")"
status-notifier-watcher >/dev/null 2>&1 &
sleep 1
gtk-sni-tray-standalone >/dev/null 2>&1 &
sleep 1

tree_pids() {  # the process and all its descendants
  local all=("$1") frontier=("$1") next
  while ((${#frontier[@]})); do
    next=()
    for p in "${frontier[@]}"; do
      for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do next+=("$c"); all+=("$c"); done
    done
    frontier=("${next[@]}")
  done
  echo "${all[@]}"
}
pss() {  # "PSS_MB ANON_MB PROCESSES" of the tree
  local pids; pids=$(tree_pids "$1")
  local n; n=$(wc -w <<<"$pids")
  for p in $pids; do cat /proc/"$p"/smaps_rollup 2>/dev/null; done \
    | awk -v n="$n" '/^Pss:/ {p += $2} /^Pss_Anon:/ {a += $2} END {printf "%.1f MB PSS (%.1f MB anonymous) in %d processes", p/1024, a/1024, n}'
}
now_ms() { date +%s%3N; }
switches() {  # context switches so far, all threads of the process
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n + 0}'
}
sni_name() { busctl --user call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ListNames 2>/dev/null | tr ' ' '\n' | tr -d '"' | grep "^org.kde.StatusNotifierItem-$1-" | head -1; }

measure() {  # label binary args...
  local label=$1; shift
  local start; start=$(now_ms)
  "$@" >/dev/null 2>&1 &
  local pid=$! name=""
  until name=$(sni_name "$pid") && [ -n "$name" ]; do sleep 0.02; done
  local registered; registered=$(( $(now_ms) - start ))
  echo "$label: tray item on the bus after ${registered} ms"
  if [ "$label" = clickatell-balance ]; then
    until busctl --user get-property "$name" /StatusNotifierItem org.kde.StatusNotifierItem ToolTip 2>/dev/null | grep -q 'Clickatell: 300.50'; do sleep 0.02; done
    echo "$label: first balance in the tooltip after $(( $(now_ms) - start )) ms"
  fi
  # The idle minute: wake-ups (context switches) and how often the icon was sent again.
  dbus-monitor --session "type='signal',sender='$name',member='NewIcon'" >"$WORK/newicon-$pid" 2>/dev/null &
  local monitor=$! before; before=$(switches "$pid")
  sleep 60
  local woke=$(( $(switches "$pid") - before ))
  kill "$monitor" 2>/dev/null || true
  echo "$label: tray only, after a minute idle: $(pss "$pid")"
  echo "$label: idle minute: $woke context switches (all threads), $(grep -c 'member=NewIcon' "$WORK/newicon-$pid" || true) icons sent"
  if [ "$label" = clickatell-balance ]; then
    local menu id
    menu=$(busctl --user get-property "$name" /StatusNotifierItem org.kde.StatusNotifierItem Menu | awk '{print $2}' | tr -d '"')
    id=$(busctl --user --json=short call -- "$name" "$menu" com.canonical.dbusmenu GetLayout iias 0 -1 0 \
      | python3 -c 'import json,sys; v=json.load(sys.stdin); print([c["data"][0] for c in v["data"][1][2] if c["data"][1].get("label",{}).get("data")=="Open Clickatell Balance"][0])')
    click_open() {  # the menu's "Open", timed to the window's settled content
      local start; start=$(now_ms)
      busctl --user call -- "$name" "$menu" com.canonical.dbusmenu Event isvu "$id" clicked s "" 0
      echo "$label: tray click → window content settled: $(/usr/bin/python3 "$ROOT/tests/bench/settle.py" "Clickatell Balance" "$start") ms"
    }
    click_open
    sleep 10
    echo "$label: window open (10 s after opening): $(pss "$pid")"
    /usr/bin/python3 "$ROOT/tests/support/close_window.py" "Clickatell Balance"
    sleep 10
    echo "$label: 10 s after closing the window: $(pss "$pid")"
    for _ in 1 2; do
      click_open
      /usr/bin/python3 "$ROOT/tests/support/close_window.py" "Clickatell Balance"
      sleep 3
    done
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

measure minimal-tray "$ROOT/target/release/minimal-tray"
for _ in 1 2 3; do  # the baseline for opening a window: a fresh minimal Tauri app showing one
  start=$(now_ms)
  "$ROOT/target/release/minimal-tray" --window >/dev/null 2>&1 &
  minimal=$!
  echo "minimal-tray --window: launch → window content settled: $(/usr/bin/python3 "$ROOT/tests/bench/settle.py" "Minimal Window" "$start") ms"
  kill "$minimal"; wait "$minimal" 2>/dev/null || true
done
CLICKATELL_TOKEN=bench-token measure clickatell-balance "$ROOT/target/release/clickatell-balance" --base-url "http://127.0.0.1:$PORT"
echo "release tray app: $(du -h "$ROOT/target/release/clickatell-balance-app" | cut -f1) (minimal-tray: $(du -h "$ROOT/target/release/minimal-tray" | cut -f1))"
INNER

mkdir -p "$work/home" "$work/runtime"; chmod 700 "$work/runtime"
env -i PATH="$PATH" HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
  XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime" NO_AT_BRIDGE=1 \
  WORK="$work" ROOT="$root" PORT="$(cat "$work/port")" \
  dbus-run-session -- bash "$work/session.sh" 2> >(grep -v -e '^dbus-daemon' -e 'Activat' >&2)
