#!/usr/bin/env bash
# The project's test command: installs the Debian/Ubuntu packages the tests need (when
# missing), builds the workspace, and runs every test: Rust (unit, end-to-end, desktop) and the
# web UI in a real browser. Each test that needs a desktop starts its own private D-Bus session,
# keyring, display and tray host, so nothing here touches the user's own.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# The packages of a list (one a line, # comments) that are not installed.
missing_of() {
  local p
  grep -v '^\s*#' "$1" | grep -v '^\s*$' | while read -r p; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}
mapfile -t missing < <(missing_of tests/debian-packages.txt)
mapfile -t bare < <(missing_of tests/debian-packages-without-recommends.txt)
# Node.js drives the browser tests; Debian's packages when the machine has none of its own.
command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]} + ${#bare[@]})); then
  echo "Installing missing packages: ${missing[*]} ${bare[*]}"
  $sudo apt-get update
  if ((${#missing[@]})); then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
  fi
  if ((${#bare[@]})); then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${bare[@]}"
  fi
fi

# Installs a tool from crates.io at a pinned version, unless it is there already.
cargo_tool() {  # name version
  command -v "$1" >/dev/null || [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/$1" ] \
    || cargo install "$1" --version "$2" --locked
}

# The real-webview tests drive the app through tauri-driver (and Debian's WebKitWebDriver).
cargo_tool tauri-driver 2.1.0

cargo build --workspace --locked
# Known vulnerabilities in the locked dependencies fail the run (RustSec's database, offline:
# a folder given by RUSTSEC_DB); warnings (unmaintained, unsound) are printed.
if [ -n "${RUSTSEC_DB:-}" ]; then
  cargo_tool cargo-audit 0.22.2
  cargo audit --db "$RUSTSEC_DB" --no-fetch --stale
else
  echo "Skipped: the known-vulnerability check (cargo audit) needs RustSec's advisory database; set RUSTSEC_DB to its folder."
fi
# The .deb, through Tauri's bundler (the prebuilt CLI from npm): a release build, then the
# package that tests/package.rs checks and, as root, installs with dpkg -i.
npm ci --prefix src-tauri --no-audit --no-fund
npm run --prefix src-tauri deb
# The headless package: the command line alone, for servers (cargo-deb, over the same release
# binary, manual and completions the desktop package ships).
cargo_tool cargo-deb 3.8.0
cargo deb -p clickatell-balance --no-build
cargo test --workspace --locked
# Tests that need what not every machine allows are marked ignored, so a run that cannot do
# them shows them as skipped, never as passed. Each runs here where it can.
if [ "$(id -u)" -eq 0 ]; then
  cargo test --locked --test package -- --ignored
  cargo test --locked --test network -- --ignored
else
  echo "Skipped: the dpkg -i install test needs root (CI runs it as root)."
  echo "Skipped: the company CA in the system store (a mount namespace) needs root (CI runs it as root)."
fi
if unshare --user --map-root-user --net true 2>/dev/null; then
  cargo test --locked --test balance -- --ignored
else
  echo "Skipped: the unresolvable-host test needs user and network namespaces, which this machine does not allow."
fi

# The web UI in a real browser (Debian's Chromium, driven by playwright-core from npm).
npm ci --prefix tests/ui --no-audit --no-fund
npm test --prefix tests/ui
