#!/usr/bin/env bash
# Runs the cargo-fuzz targets one after the other (one process, one core), each for SECONDS
# (default 300, the 5 minutes of R35), then minimises each corpus back into fuzz/corpus/<t>/.
# See docs/FUZZING.md. Usage: bash scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
mkdir -p fuzz/logs
for t in "${targets[@]}"; do
  echo "== $t: ${seconds}s"
  # `-s none`: no sanitizer (safe Rust; `unsafe_code` is forbidden), so stable Rust builds it.
  cargo fuzz run "$t" -s none -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=2 \
    -print_final_stats=1 2>&1 | tee "fuzz/logs/$t.log" | grep -E '^(Done|stat::)|panicked|SUMMARY|artifact'
  # Edge coverage only (no hit counters), inputs cut to 4 KiB: the committed corpus stays small.
  cargo fuzz cmin "$t" -s none -- -use_counters=0 -max_len=4096 >/dev/null 2>&1
  echo "   corpus after cmin: $(find "fuzz/corpus/$t" -type f | wc -l) files, $(du -sh "fuzz/corpus/$t" | cut -f1)"
done
