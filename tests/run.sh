#!/usr/bin/env bash
# The project's test command: installs the Debian/Ubuntu packages the tests need (when
# missing), builds the workspace, and runs every test. Each test that needs a desktop starts
# its own private D-Bus session and keyring, so nothing here touches the user's own.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t packages < <(grep -v '^\s*#' tests/debian-packages.txt | grep -v '^\s*$')
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing missing packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
fi

cargo build --workspace --locked
cargo test --workspace --locked
