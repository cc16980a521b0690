#!/usr/bin/env bash
# Runs every test of certfolio on a fresh machine: installs what the tests need (Debian
# packages, once), then checks formatting and lints and runs the whole test suite.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests call outside Rust: poppler's pdftotext/pdfinfo/pdffonts read generated PDFs back.
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked
