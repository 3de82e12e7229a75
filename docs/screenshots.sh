#!/usr/bin/env bash
# Takes the README's screenshots from the demo mode, on a private X display (Xvfb) with its own
# D-Bus session, a real tray host (StatusNotifierWatcher + a standalone SNI tray) and a real
# notification server (dunst): nothing touches your own desktop, keyring or settings.
#
#   docs/screenshots.sh        # about 4 minutes: it waits for the demo balance to cross both
#                              # levels and be topped up, so the history chart has a full cycle
#
# Needs the packages in tests/debian-packages.txt plus xdotool and imagemagick (installed here
# when missing). Writes docs/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
docs="$PWD/docs"

missing=()
for p in xdotool imagemagick xvfb dunst dbus-daemon haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y "${missing[@]}"
fi

# The release binary as the .deb ships it (the bundler's build; a plain `cargo build --release`
# would relink a second variant over it).
npm ci --prefix src-tauri --no-audit --no-fund --silent
npm run --prefix src-tauri --silent deb >/dev/null
app="$PWD/target/release/clickatell-balance"

sandbox=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$sandbox"
}
trap cleanup EXIT
export HOME="$sandbox" XDG_CONFIG_HOME="$sandbox/config" XDG_DATA_HOME="$sandbox/data" \
  XDG_STATE_HOME="$sandbox/state" XDG_CACHE_HOME="$sandbox/cache" XDG_RUNTIME_DIR="$sandbox/run" \
  LANG=C.UTF-8 NO_AT_BRIDGE=1
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/dunst" && chmod 700 "$XDG_RUNTIME_DIR"

exec {displayfd}<> <(:)
Xvfb -displayfd "$displayfd" -screen 0 1024x800x24 -nolisten tcp &>/dev/null &
pids+=($!)
read -r -u "$displayfd" number
export DISPLAY=":$number"

exec {busfd}<> <(:)
dbus-daemon --session --nofork --print-address="$busfd" &
pids+=($!)
read -r -u "$busfd" DBUS_SESSION_BUS_ADDRESS
export DBUS_SESSION_BUS_ADDRESS

# Notifications stay up long enough to be photographed, at the top right.
cat > "$XDG_CONFIG_HOME/dunst/dunstrc" <<'RC'
[global]
    origin = top-right
    offset = 12x44
    width = 360
    font = DejaVu Sans 10
    frame_width = 1
    corner_radius = 6
[urgency_normal]
    background = "#ffffff"
    foreground = "#1b1f24"
    frame_color = "#e08a00"
    timeout = 0
[urgency_critical]
    background = "#ffffff"
    foreground = "#1b1f24"
    frame_color = "#d32f2f"
    timeout = 0
RC
dunst &>/dev/null &
pids+=($!)
status-notifier-watcher &>/dev/null &
pids+=($!)
sleep 1
gtk-sni-tray-standalone &>/dev/null &
pids+=($!)
sleep 1

"$app" --demo &>"$sandbox/app.log" &
pids+=($!)
started=$SECONDS

window=""
for _ in $(seq 100); do
  window=$(xdotool search --name '^Clickatell Balance' 2>/dev/null | head -1) && [ -n "$window" ] && break
  sleep 0.2
done
[ -n "$window" ] || { echo "the demo window did not open" >&2; cat "$sandbox/app.log" >&2; exit 1; }
# At a fixed size and place, so the tabs are where the clicks below expect them and neither
# the tray tooltip (top left) nor the notification (top right) ever covers the window.
xdotool windowsize "$window" 440 660 windowmove "$window" 20 120
sleep 1

shot_window() { import -window "$window" "$docs/$1.png"; echo "docs/$1.png"; }
tab() { xdotool mousemove --window "$window" "$1" 231 click 1; sleep 1; }
wait_until() { while ((SECONDS - started < $1)); do sleep 1; done; }

# Past the warning level (100 credits after 86 s): tray tooltip, notification and overview.
wait_until 95
xdotool mousemove 12 15
sleep 2
import -window root -crop 1024x300+0+0 "$docs/tray-and-notification.png"
echo "docs/tray-and-notification.png"
xdotool mousemove 1000 790
shot_window overview

# After the top-up (at 200 s) the chart holds a whole cycle: drain, both levels, top-up.
wait_until 215
tab 156
shot_window history
tab 243
shot_window settings
