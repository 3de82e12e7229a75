#!/usr/bin/env bash
# Builds what the benchmarks measure: the release binary exactly as the .deb ships it (through
# Tauri's bundler, which also makes the .deb) and the minimal Tauri tray app to compare with.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm ci --prefix src-tauri --no-audit --no-fund --silent
npm run --prefix src-tauri --silent deb >/dev/null
cargo build --release -p minimal-tray --quiet
