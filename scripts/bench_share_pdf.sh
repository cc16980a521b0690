#!/usr/bin/env bash
# A share link's PDF under a flood (issue 10, point 4), in one run:
#   bash scripts/bench_share_pdf.sh [seconds]
# Starts the release binary on loopback with the 24-course record and one share link, then
# floods /s/{token}/portfolio.pdf with wrk -t2 -c64 for the given time while measuring, in the
# same seconds, the share page and the static /robots.txt route (wrk -t1 -c16, half the time
# each). Prints the rows added to generated_pdfs, the log lines written per second, and the
# page / static throughput ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
BIN=${BIN:-target/release/certfolio}
[ -x "$BIN" ] || cargo build --release -q
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
DATA=$(mktemp -d); PORT=${PORT:-18283}; U=http://127.0.0.1:$PORT; J='content-type: application/json'
RUST_LOG=${RUST_LOG:-info} "$BIN" serve --addr 127.0.0.1:$PORT --data "$DATA" 2>"$DATA/server.log" & PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs $U/healthz >/dev/null && break; sleep 0.1; done
PASS='correct horse battery staple'
curl -fs $U/api/v1/accounts -H "$J" -d "{\"email\":\"b@example.org\",\"password\":\"$PASS\",\"name\":\"B\"}" >/dev/null
T=$(curl -fs $U/api/v1/session -H "$J" -d "{\"email\":\"b@example.org\",\"password\":\"$PASS\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
curl -fs $U/api/v1/import -H "$J" -H "authorization: Bearer $T" --data-binary @tests/fixtures/doc24.json >/dev/null
S=$(curl -fs $U/api/v1/shares -H "$J" -H "authorization: Bearer $T" -d '{"framing":"appetite"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["url"])')
SPATH=${S#$U}
rows() { python3 -c "import sqlite3,sys;print(sqlite3.connect('file:$DATA/certfolio.sqlite3?mode=ro',uri=True).execute('select count(*) from generated_pdfs').fetchone()[0])"; }
rps() { wrk -t1 -c16 -d"$1s" "$2" | awk '/Requests\/sec/ {print $2}'; }

BEFORE_ROWS=$(rows); BEFORE_LINES=$(wc -l < "$DATA/server.log")
HALF=$(( SECS / 2 > 0 ? SECS / 2 : 1 ))
wrk -t2 -c64 -d"${SECS}s" "$U$SPATH/portfolio.pdf" > "$DATA/flood.txt" &
FLOOD=$!
sleep 0.5
PAGE=$(rps "$HALF" "$U$SPATH")
STATIC=$(rps "$HALF" "$U/robots.txt")
wait $FLOOD
AFTER_ROWS=$(rows); AFTER_LINES=$(wc -l < "$DATA/server.log")
echo "PDF flood (wrk -t2 -c64 -d${SECS}s): $(awk '/Requests\/sec/ {print $2}' "$DATA/flood.txt") req/s, $(awk '/requests in/ {print $1}' "$DATA/flood.txt") requests, non-2xx: $(awk '/Non-2xx/ {print $4}' "$DATA/flood.txt")"
echo "generated_pdfs rows: $BEFORE_ROWS -> $AFTER_ROWS (+$((AFTER_ROWS - BEFORE_ROWS)))"
echo "log lines written during the flood: $((AFTER_LINES - BEFORE_LINES)) ($(python3 -c "print(round(($AFTER_LINES-$BEFORE_LINES)/$SECS,1))") a second); ERROR lines: $(grep -c ' ERROR ' "$DATA/server.log" || true)"
python3 -c "p,s=$PAGE,$STATIC;print(f'meanwhile: share page {p:.0f} req/s, robots.txt {s:.0f} req/s, ratio {p/s:.2f}')"
