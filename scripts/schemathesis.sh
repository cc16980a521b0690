#!/usr/bin/env bash
# Fuzzes the running API against its own OpenAPI description with schemathesis (PyPI), logged
# in as a fresh account. Not part of CI (it needs PyPI and takes a minute); run it after API
# changes: bash scripts/schemathesis.sh [max-examples]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v st >/dev/null || pip install -q schemathesis
BIN=${BIN:-target/debug/certfolio}
[ -x "$BIN" ] || cargo build -q
DATA=$(mktemp -d); PORT=${PORT:-18181}; U=http://127.0.0.1:$PORT; J='content-type: application/json'
"$BIN" serve --addr 127.0.0.1:$PORT --data "$DATA" 2>"$DATA/server.log" & PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs $U/healthz >/dev/null && break; sleep 0.1; done
PASS='correct horse battery staple'
curl -fs $U/api/v1/accounts -H "$J" -d "{\"email\":\"st@example.org\",\"password\":\"$PASS\",\"name\":\"ST\"}" >/dev/null
T=$(curl -fs $U/api/v1/session -H "$J" -d "{\"email\":\"st@example.org\",\"password\":\"$PASS\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
# Logging out or changing the password would end the session the run uses.
st run $U/api/openapi.json -H "Authorization: Bearer $T" --checks all --max-examples "${1:-50}" --seed 1 \
  --exclude-operation-id logout --exclude-operation-id change_password
echo "server errors logged: $(grep -c ' ERROR ' "$DATA/server.log" || true)"
