#!/usr/bin/env bash
# Fuzzes the running API against its own OpenAPI description with schemathesis (PyPI, pinned
# below; installed in a virtualenv under target/ when `st` is not that version), logged in as a
# fresh account, with a fixed seed. Exits non-zero on any schemathesis failure and on any ERROR
# the server logged. scripts/test.sh (CI) runs it; alone: bash scripts/schemathesis.sh [max-examples]
# What JSON Schema cannot state, and so what positive tests may be refused for, is in
# scripts/schemathesis.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
ST_VERSION=4.32.5
ST=st
if ! st --version 2>/dev/null | grep -qF "version $ST_VERSION"; then
  VENV=target/schemathesis-$ST_VERSION
  if [ ! -x "$VENV/bin/st" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$ST_VERSION"
  fi
  ST=$VENV/bin/st
fi
BIN=${BIN:-target/debug/certfolio}
[ -x "$BIN" ] || cargo build -q
DATA=$(mktemp -d); PORT=${PORT:-18181}; U=http://127.0.0.1:$PORT; J='content-type: application/json'
# Offline: the fuzzed records name arbitrary hosts, and the verification job must not reach them.
"$BIN" serve --offline --addr 127.0.0.1:$PORT --data "$DATA" 2>"$DATA/server.log" & PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -fs $U/healthz >/dev/null && break; sleep 0.1; done
PASS='correct horse battery staple'
curl -fs $U/api/v1/accounts -H "$J" -d "{\"email\":\"st@example.org\",\"password\":\"$PASS\",\"name\":\"ST\"}" >/dev/null
T=$(curl -fs $U/api/v1/session -H "$J" -d "{\"email\":\"st@example.org\",\"password\":\"$PASS\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
status=0
# Logging out or changing the password would end the session the run uses.
"$ST" --config-file scripts/schemathesis.toml run $U/api/openapi.json -H "Authorization: Bearer $T" \
  --checks all --max-examples "${1:-100}" --seed 1 --no-color \
  --exclude-operation-id logout --exclude-operation-id change_password || status=$?
errors=$(grep -c ' ERROR ' "$DATA/server.log" || true)
echo "server errors logged: $errors"
if [ "$errors" -gt 0 ]; then
  grep ' ERROR ' "$DATA/server.log" | head -20
  status=1
fi
exit $status
