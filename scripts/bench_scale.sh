#!/usr/bin/env bash
# Issue 14's benchmark: SQLite against PostgreSQL 15 (+ SeaweedFS), one instance against two.
#   bash scripts/bench_scale.sh [seconds]
# For each setup, on a fresh installation with the 24-course record and one share link:
# - wrk -t2 -c64 on /robots.txt (static route) and on /s/{token} (the recruiter page), ratio;
# - course writes: wrk -t2 -c16 POSTing new courses (each a distinct title) to /api/v1/courses
#   for another account, counting 201s per second.
# Setups: SQLite (the data folder); PostgreSQL 15 + SeaweedFS S3, one instance; the same, two
# instances (one wrk per instance at the same time, half the connections each, rates added).
# PostgreSQL runs with its default isolation here (`services.sh start DIR default`): certfolio's
# writes ask for SERIALIZABLE themselves. Release build; everything on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
# Course writes go to one account (every write on the same record: the worst case for a
# serializable engine) and then spread over WRITERS accounts (requests round-robin).
WRITERS=${WRITERS:-8}
BIN=${BIN:-target/release/certfolio}
[ -x "$BIN" ] || cargo build --release --locked -q
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# Under target/ (not a 0700 mktemp folder: PostgreSQL runs as its own user and must reach it).
WORK=$(pwd)/target/bench-scale
rm -rf "$WORK"; mkdir -p "$WORK"; chmod o+x "$WORK"
SERVICES=$WORK/services
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  bash scripts/services.sh stop "$SERVICES" >/dev/null 2>&1 || true
}
trap cleanup EXIT
bash scripts/services.sh start "$SERVICES" default >/dev/null
# shellcheck disable=SC1091
. "$SERVICES/env"
PG_ADMIN=$CERTFOLIO_TEST_DATABASE
J='content-type: application/json'
PASS='correct horse battery staple'

cat >"$WORK/write.lua" <<'LUA'
local n = 0
local prefix
local tokens = {}
for t in string.gmatch(os.getenv("TOKENS"), "[^,]+") do tokens[#tokens + 1] = t end
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  prefix = tostring(math.random(1, 1e9))
  n = math.random(0, #tokens - 1)
end
request = function()
  n = n + 1
  local body = string.format('{"title":"Bench course %s-%d"}', prefix, n)
  local token = tokens[(n % #tokens) + 1]
  return wrk.format("POST", "/api/v1/courses",
    {["content-type"] = "application/json", ["authorization"] = "Bearer " .. token}, body)
end
LUA

start() { # port data-dir [database-url files-url] -> pid in PIDS
  local port=$1 data=$2
  mkdir -p "$data"
  if [ $# -gt 2 ]; then
    CERTFOLIO_DATABASE_URL=$3 CERTFOLIO_FILES_URL=$4 "$BIN" serve --addr 127.0.0.1:"$port" --data "$data" \
      2>>"$data/server.log" &
  else
    env -u CERTFOLIO_DATABASE_URL -u CERTFOLIO_FILES_URL "$BIN" serve --addr 127.0.0.1:"$port" --data "$data" \
      2>>"$data/server.log" &
  fi
  PIDS+=($!)
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "the instance on $port did not start; see $data/server.log" >&2; exit 1
}

token() { # base email -> bearer token (account created)
  curl -fs "$1/api/v1/accounts" -H "$J" -d "{\"email\":\"$2\",\"password\":\"$PASS\",\"name\":\"Bench\"}" >/dev/null
  curl -fs "$1/api/v1/session" -H "$J" -d "{\"email\":\"$2\",\"password\":\"$PASS\"}" |
    python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])'
}

wrk_rps() { # wrk args... -> "rps ok_rps p99"
  local out; out=$(wrk --latency "$@")
  echo "$out" >>"$WORK/wrk.log"
  python3 - "$out" "$SECS" <<'PY'
import re, sys
out, secs = sys.argv[1], float(sys.argv[2])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
total = int(re.search(r"(\d+) requests in ([\d.]+)(\w+)", out).group(1))
dur = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
d = float(dur.group(2)) * {"s": 1, "ms": 1e-3, "m": 60}.get(dur.group(3), 1)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
ok = (total - (int(bad.group(1)) if bad else 0)) / d
p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
print(f"{rps:.0f} {ok:.0f} {p99}")
PY
}

# Prepares an installation through instance $1 (base URL): the 24-course record, a link, a
# second account for writes. Sets SPATH and WTOKEN.
prepare() {
  local u=$1 t s
  t=$(token "$u" "reader-$RANDOM@example.org")
  curl -fs "$u/api/v1/import" -H "$J" -H "authorization: Bearer $t" --data-binary @tests/fixtures/doc24.json >/dev/null
  s=$(curl -fs "$u/api/v1/shares" -H "$J" -H "authorization: Bearer $t" -d '{"framing":"appetite"}' |
    python3 -c 'import sys,json;print(json.load(sys.stdin)["url"])')
  SPATH=/s/${s##*/s/}
  WTOKEN=$(token "$u" "writer-$RANDOM@example.org")
  WTOKENS=$WTOKEN
  for i in $(seq 2 "$WRITERS"); do WTOKENS=$WTOKENS,$(token "$u" "writer$i-$RANDOM@example.org"); done
}

RESULTS=$WORK/results
: >"$RESULTS"
measure_one() { # label base
  local label=$1 u=$2 r p w m
  prepare "$u"
  curl -fs "$u$SPATH" >/dev/null
  r=$(wrk_rps -t2 -c64 -d"${SECS}s" "$u/robots.txt")
  p=$(wrk_rps -t2 -c64 -d"${SECS}s" "$u$SPATH")
  w=$(TOKENS=$WTOKEN wrk_rps -t2 -c16 -d"${SECS}s" -s "$WORK/write.lua" "$u")
  m=$(TOKENS=$WTOKENS wrk_rps -t2 -c16 -d"${SECS}s" -s "$WORK/write.lua" "$u")
  echo "$label|$r|$p|$w|$m" | tee -a "$RESULTS" >&2
}

measure_two() { # label baseA baseB
  local label=$1 a=$2 b=$3
  prepare "$a"
  curl -fs "$b$SPATH" >/dev/null
  local other
  wrk_rps -t1 -c32 -d"${SECS}s" "$a/robots.txt" >"$WORK/r1" & other=$!
  wrk_rps -t1 -c32 -d"${SECS}s" "$b/robots.txt" >"$WORK/r2"; wait "$other"
  wrk_rps -t1 -c32 -d"${SECS}s" "$a$SPATH" >"$WORK/p1" & other=$!
  wrk_rps -t1 -c32 -d"${SECS}s" "$b$SPATH" >"$WORK/p2"; wait "$other"
  TOKENS=$WTOKEN wrk_rps -t1 -c8 -d"${SECS}s" -s "$WORK/write.lua" "$a" >"$WORK/w1" & other=$!
  TOKENS=$WTOKEN wrk_rps -t1 -c8 -d"${SECS}s" -s "$WORK/write.lua" "$b" >"$WORK/w2"; wait "$other"
  TOKENS=$WTOKENS wrk_rps -t1 -c8 -d"${SECS}s" -s "$WORK/write.lua" "$a" >"$WORK/m1" & other=$!
  TOKENS=$WTOKENS wrk_rps -t1 -c8 -d"${SECS}s" -s "$WORK/write.lua" "$b" >"$WORK/m2"; wait "$other"
  sum() { python3 -c 'import sys
a, b = open(sys.argv[1]).read().split(), open(sys.argv[2]).read().split()
print(f"{float(a[0])+float(b[0]):.0f} {float(a[1])+float(b[1]):.0f} {a[2]}/{b[2]}")' "$1" "$2"; }
  echo "$label|$(sum "$WORK/r1" "$WORK/r2")|$(sum "$WORK/p1" "$WORK/p2")|$(sum "$WORK/w1" "$WORK/w2")|$(sum "$WORK/m1" "$WORK/m2")" |
    tee -a "$RESULTS" >&2
}

pgdb() { # name -> URL (database created)
  psql "$PG_ADMIN" -qc "CREATE DATABASE $1" >/dev/null
  echo "${PG_ADMIN%/*}/$1"
}

echo "wrk ${SECS}s per run on $(nproc) cores; $(psql "$PG_ADMIN" -tAc 'SHOW server_version'), SeaweedFS S3" >&2

# 1. SQLite, one instance.
start 18401 "$WORK/sqlite"
measure_one "SQLite, 1 instance" http://127.0.0.1:18401
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# 2. PostgreSQL + SeaweedFS, one instance.
DB=$(pgdb bench_one)
FILES="s3://certfolio-test?endpoint=http://127.0.0.1:18333&region=us-east-1"
# The bucket (SeaweedFS takes a signed PUT; curl signs it).
curl -fs -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
  "http://127.0.0.1:18333/certfolio-test" >/dev/null
start 18402 "$WORK/pg1" "$DB" "${FILES/certfolio-test?/certfolio-test\/one?}"
measure_one "PostgreSQL, 1 instance" http://127.0.0.1:18402
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# 3. PostgreSQL + SeaweedFS, two instances on one database and store.
DB=$(pgdb bench_two)
start 18403 "$WORK/pg2a" "$DB" "${FILES/certfolio-test?/certfolio-test\/two?}"
start 18404 "$WORK/pg2b" "$DB" "${FILES/certfolio-test?/certfolio-test\/two?}"
measure_two "PostgreSQL, 2 instances" http://127.0.0.1:18403 http://127.0.0.1:18404

echo >&2
python3 - "$RESULTS" <<'PY'
import sys
rows = [l.strip().split("|") for l in open(sys.argv[1]) if l.strip()]
print("| setup | /robots.txt req/s | /s/{token} req/s | page / static | page p99 | writes/s, 1 account (201s) | p99 | writes/s, several accounts (201s) | p99 |")
print("|---|---|---|---|---|---|---|---|---|")
base = None
for label, r, p, w, m in rows:
    r, p, w, m = r.split(), p.split(), w.split(), m.split()
    if base is None:
        base = (float(w[1]), float(m[1]))
    print(f"| {label} | {r[0]} | {p[0]} | {float(p[0])/float(r[0]):.2f} | {p[2]} | {w[1]} ({float(w[1])/base[0]:.2f}× SQLite) | {w[2]} | {m[1]} ({float(m[1])/base[1]:.2f}× SQLite) | {m[2]} |")
PY
for d in "$WORK"/sqlite "$WORK"/pg1 "$WORK"/pg2a "$WORK"/pg2b; do
  echo "server errors logged in ${d##*/}: $(grep -c ' ERROR ' "$d/server.log" || true)" >&2
done
