#!/usr/bin/env bash
# Share page throughput beside a static route of the same server, in one run (issue 4):
#   bash scripts/bench_share.sh [seconds]
# Starts the release binary on loopback with a 24-course record, then runs wrk -t2 -c64
# alternately on /robots.txt and /s/{token} (two rounds each), then the page again while
# PDFs are being generated from the link. Prints requests/s, p99 latency and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
BIN=${BIN:-target/release/certfolio}
[ -x "$BIN" ] || cargo build --release -q
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
DATA=$(mktemp -d); PORT=${PORT:-18282}; U=http://127.0.0.1:$PORT; J='content-type: application/json'
"$BIN" serve --addr 127.0.0.1:$PORT --data "$DATA" 2>"$DATA/server.log" & PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs $U/healthz >/dev/null && break; sleep 0.1; done
PASS='correct horse battery staple'
curl -fs $U/api/v1/accounts -H "$J" -d "{\"email\":\"b@example.org\",\"password\":\"$PASS\",\"name\":\"B\"}" >/dev/null
T=$(curl -fs $U/api/v1/session -H "$J" -d "{\"email\":\"b@example.org\",\"password\":\"$PASS\"}" | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
curl -fs $U/api/v1/import -H "$J" -H "authorization: Bearer $T" --data-binary @tests/fixtures/doc24.json >/dev/null
S=$(curl -fs $U/api/v1/shares -H "$J" -H "authorization: Bearer $T" -d '{"framing":"appetite"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["url"])')
SPATH=${S#$U}
echo "page: $(curl -fs $U$SPATH | wc -c) bytes; wrk -t2 -c64 -d${SECS}s on 2 cores"

run() { # label url -> "rps p99"
  local out; out=$(wrk -t2 -c64 -d"${SECS}s" --latency "$2")
  local rps p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  printf '%-34s %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "${non2xx:-0}" >&2
  echo "$rps"
}
declare -a R P
for round in 1 2; do
  R+=("$(run "/robots.txt (round $round)" "$U/robots.txt")")
  P+=("$(run "/s/{token} (round $round)" "$U$SPATH")")
done
python3 - "${R[@]}" "${P[@]}" <<'PY'
import sys, statistics
v = [float(x) for x in sys.argv[1:]]
r, p = v[:2], v[2:]
print(f"median: robots.txt {statistics.median(r):.0f} req/s, share page {statistics.median(p):.0f} req/s, ratio {statistics.median(p)/statistics.median(r):.2f}")
PY

# The page while PDFs are generated from the same link (4 clients asking for PDFs non-stop).
PDFLOG=$DATA/pdf.codes; : > "$PDFLOG"
for i in 1 2 3 4; do ( end=$((SECONDS + SECS)); while [ $SECONDS -lt $end ]; do
  curl -s -o /dev/null -w '%{http_code}\n' -m 30 "$U$SPATH/portfolio.pdf" >> "$PDFLOG"; done ) & done
run "/s/{token} while PDFs render" "$U$SPATH" >/dev/null
wait $(jobs -p | grep -v "^$PID$") 2>/dev/null || true
echo "PDF answers during that run: $(sort "$PDFLOG" | uniq -c | tr '\n' ' ')"
echo "server errors logged: $(grep -c ' ERROR ' "$DATA/server.log" || true)"
