#!/usr/bin/env bash
# Takes the README's screenshots from the demo mode, on a private X display (Xvfb) with its own
# D-Bus session, a real tray host (StatusNotifierWatcher + a standalone SNI tray) and a real
# notification server (dunst); and GNOME's top bar at 100 % and 200 % (Debian's GNOME Shell
# with the AppIndicator extension, each on a display, session bus and system bus of its own).
# Nothing touches your own desktop, keyring or settings.
#
#   docs/screenshots.sh        # about 4 minutes: it waits for the demo balance to cross both
#                              # levels and be topped up, so the history chart has a full cycle
#
# Needs the packages in tests/debian-packages.txt and tests/debian-packages-without-recommends.txt
# plus xdotool and imagemagick (installed here when missing). Writes docs/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
docs="$PWD/docs"

missing=()
bare=()
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for p in xdotool imagemagick xvfb dunst dbus-daemon haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils libglib2.0-bin; do
  installed "$p" || missing+=("$p")
done
for p in gnome-shell gnome-shell-extension-appindicator; do
  installed "$p" || bare+=("$p")
done
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
if ((${#missing[@]})); then $sudo apt-get install -y "${missing[@]}"; fi
# GNOME Shell without its recommends (a whole desktop), as tests/run.sh installs it.
if ((${#bare[@]})); then $sudo apt-get install -y --no-install-recommends "${bare[@]}"; fi

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
# The window formats numbers and dates in the user's locale: a US user's, as the README's
# readers expect (WebKit takes it from LANG even where glibc has no such locale generated).
demo() { LANG=en_US.UTF-8 "$app" --demo; }
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/dunst" && chmod 700 "$XDG_RUNTIME_DIR"

# A private X display of this size and a session bus: DISPLAY and DBUS_SESSION_BUS_ADDRESS.
start_display_and_bus() {
  local displayfd busfd number
  exec {displayfd}<> <(:)
  Xvfb -displayfd "$displayfd" -screen 0 "$1" -nolisten tcp &>/dev/null &
  pids+=($!)
  read -r -u "$displayfd" number
  export DISPLAY=":$number"
  exec {busfd}<> <(:)
  dbus-daemon --session --nofork --print-address="$busfd" &
  pids+=($!)
  read -r -u "$busfd" DBUS_SESSION_BUS_ADDRESS
  export DBUS_SESSION_BUS_ADDRESS
}

# GNOME's top bar at display scale $1 with the demo in it, past the warning level, saved as
# docs/$2.png: a desktop of its own, run in the background beside the main one below.
gnome_top_bar() {
  local scale=$1 home="$sandbox/gnome-$1"
  pids=()
  trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
  trap 'exit 1' TERM
  export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/run"
  mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" && chmod 700 "$XDG_RUNTIME_DIR"
  # A display of the same size in the panel's own pixels at either scale, as a HiDPI screen is.
  start_display_and_bus "$((1024 * scale))x$((768 * scale))x24"
  # A private system bus, where the shell asks logind and nothing answers.
  sed "s|SOCKET|$home/system_bus_socket|" tests/support/gnome-system-bus.conf >"$home/system-bus.conf"
  dbus-daemon --config-file="$home/system-bus.conf" --nofork &>/dev/null &
  pids+=($!)
  until [ -S "$home/system_bus_socket" ]; do sleep 0.1; done
  gsettings set org.gnome.shell enabled-extensions "['ubuntu-appindicators@ubuntu.com']"
  gsettings set org.gnome.shell disable-user-extensions false
  gsettings set org.gnome.desktop.interface scaling-factor "$scale"
  DBUS_SYSTEM_BUS_ADDRESS="unix:path=$home/system_bus_socket" LIBGL_ALWAYS_SOFTWARE=1 \
    XDG_SESSION_TYPE=x11 XDG_CURRENT_DESKTOP=GNOME \
    gnome-shell --x11 --replace --sm-disable &>"$home/gnome-shell.log" &
  pids+=($!)
  local waited=0
  until gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.kde.StatusNotifierWatcher 2>/dev/null | grep -q true; do
    ((waited++ < 600)) || { echo "GNOME Shell's AppIndicator extension did not start" >&2; cat "$home/gnome-shell.log" >&2; exit 1; }
    sleep 0.1
  done
  demo &>"$home/app.log" &
  pids+=($!)
  # Past the first account's warning level (86 s): its balance and "low" in the label, amber.
  sleep 95 &
  wait $!
  import -window root -crop "$((1024 * scale))x$((32 * scale))+0+0" "$docs/$2.png"
  echo "docs/$2.png"
}
gnome_top_bar 1 gnome-top-bar &
pids+=($!)
gnome_100=$!
gnome_top_bar 2 gnome-top-bar-200 &
pids+=($!)
gnome_200=$!

start_display_and_bus 1280x1000x24

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

demo &>"$sandbox/app.log" &
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
xdotool windowsize "$window" 680 900 windowmove "$window" 20 120
sleep 1

shot_window() { import -window "$window" "$docs/$1.png"; echo "docs/$1.png"; }
tab() { xdotool mousemove --window "$window" "$1" 193 click 1; sleep 1; }
wait_until() { while ((SECONDS - started < $1)); do sleep 1; done; }

# Past the warning level (100 credits after 86 s): tray tooltip, notification and overview.
wait_until 95
xdotool mousemove 12 15
sleep 2
import -window root -crop 1280x300+0+0 "$docs/tray-and-notification.png"
echo "docs/tray-and-notification.png"
xdotool mousemove 1270 990
shot_window overview

# After the top-up (at 200 s) the chart holds a whole cycle: drain, both levels, top-up.
wait_until 215
tab 514
shot_window history
tab 600
shot_window settings
wait "$gnome_100"
wait "$gnome_200"
