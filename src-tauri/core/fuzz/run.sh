#!/usr/bin/env bash
# Fuzzes the response parsers for a bounded time each (default 120 s), with cargo-fuzz on the
# nightly toolchain. Not part of tests/run.sh: it needs nightly and `cargo install cargo-fuzz`.
#   src-tauri/core/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-120}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in interpret parse_exact; do
  echo "== $target, $seconds s"
  cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 \
    | grep -E "^#[0-9]+ +(DONE|INITED)|Done [0-9]+ runs|ERROR|panicked|SUMMARY" || true
  test "${PIPESTATUS[0]}" -eq 0
done
