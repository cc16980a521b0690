#!/usr/bin/env bash
# Course writes to one account, SQLite against PostgreSQL, binaries compared in the same
# minutes (issue 14; the host's speed drifts, so only ratios within a round mean anything):
#   BINS="old/certfolio new/certfolio" ROUNDS=3 SECS=5 bash scripts/bench_writes.sh
# Each round, for each binary: a fresh SQLite installation, then a fresh PostgreSQL database
# (+ SeaweedFS), `wrk -t2 -c16` POSTing new courses to one account; prints 2xx answers per second on
# each and their ratio. Release builds; everything on loopback (port 18560).
set -euo pipefail
cd "$(dirname "$0")/.."
BINS=${BINS:-target/release/certfolio}
for b in $BINS; do [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 1; }; done
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# Under target/ (not a 0700 mktemp folder: PostgreSQL runs as its own user and must reach it).
W=$(pwd)/target/bench-writes
rm -rf "$W"; mkdir -p "$W"; chmod o+x "$W"
PID=
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  bash scripts/services.sh stop "$W/services" >/dev/null 2>&1 || true
}
trap cleanup EXIT
bash scripts/services.sh start "$W/services" default >/dev/null
# shellcheck disable=SC1091
. "$W/services/env"
curl -fs -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
  "http://127.0.0.1:18333/certfolio-test" >/dev/null
cat >"$W/write.lua" <<'LUA'
local n = 0
local prefix
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  prefix = tostring(math.random(1, 1e9))
end
request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/courses",
    {["content-type"] = "application/json", ["authorization"] = "Bearer " .. os.getenv("TOK")},
    string.format('{"title":"Bench %s-%d"}', prefix, n))
end
LUA
J='content-type: application/json'
N=0
rate() { # binary engine -> writes/s
  local bin=$1 engine=$2 tok
  N=$((N + 1))
  local data=$W/d$N
  if [ "$engine" = pg ]; then
    psql "$CERTFOLIO_TEST_DATABASE" -qc "CREATE DATABASE bench_w$N"
    CERTFOLIO_DATABASE_URL=${CERTFOLIO_TEST_DATABASE%/*}/bench_w$N \
      CERTFOLIO_FILES_URL="s3://certfolio-test/w$N?endpoint=http://127.0.0.1:18333&region=us-east-1" \
      "$bin" serve --addr 127.0.0.1:18560 --data "$data" >"$W/log$N" 2>&1 &
  else
    env -u CERTFOLIO_DATABASE_URL -u CERTFOLIO_FILES_URL "$bin" serve --addr 127.0.0.1:18560 --data "$data" \
      >"$W/log$N" 2>&1 &
  fi
  PID=$!
  for _ in $(seq 100); do curl -fs 127.0.0.1:18560/healthz >/dev/null && break; sleep 0.1; done
  curl -fs 127.0.0.1:18560/api/v1/accounts -H "$J" \
    -d '{"email":"w@example.org","password":"correct horse battery staple","name":"W"}' >/dev/null
  tok=$(curl -fs 127.0.0.1:18560/api/v1/session -H "$J" \
    -d '{"email":"w@example.org","password":"correct horse battery staple"}' |
    python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
  # Answers that were not a 2xx (a 409, a 503) are not counted as writes.
  RATE=$(TOK=$tok wrk -t2 -c16 -d"${SECS:-5}s" -s "$W/write.lua" http://127.0.0.1:18560 | python3 -c '
import re, sys
out = sys.stdin.read()
m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
secs = float(m.group(2)) * {"s": 1, "ms": 1e-3, "m": 60}.get(m.group(3), 1)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(round((int(m.group(1)) - (int(bad.group(1)) if bad else 0)) / secs))')
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PID=
}
for r in $(seq "${ROUNDS:-3}"); do
  for b in $BINS; do
    rate "$b" sqlite; s=$RATE
    rate "$b" pg; p=$RATE
    echo "round $r  $b  SQLite $s/s  PostgreSQL $p/s  ratio $(python3 -c "print(round($p / $s, 2))")"
  done
done
