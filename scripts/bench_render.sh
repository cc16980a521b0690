#!/usr/bin/env bash
# Whole-process comparison of `certfolio render` with `typst compile` on the same content
# (the peer kit in ../shared/bench: README.md there). Usage:
#   scripts/bench_render.sh [N]     # N courses, default 24; run setup.sh once before
# Prints hyperfine medians, peak memory (median of 5 runs of /usr/bin/time -v), sizes,
# pages, and the ratios docs/PERFORMANCE.md reports.
set -euo pipefail
N=${1:-24}
P=${PEERS:-/tmp/peers}
root=$(cd "$(dirname "$0")/.." && pwd)
KIT=${BENCH_KIT:-$root/../shared/bench}
TYPST=$P/typst-cli/bin/typst
command -v hyperfine >/dev/null || { echo "hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
[ -x "$TYPST" ] || { echo "$TYPST is missing: run $KIT/setup.sh first" >&2; exit 1; }
[ -f "$P/doc$N.typ" ] || bash "$KIT/prepare.sh" "$N" >/dev/null
(cd "$root" && cargo build --release --quiet)
BIN=$root/target/release/certfolio
FP=$("$P/venv/bin/python" -c "import rendercv_fonts,os;print(os.path.dirname(rendercv_fonts.__file__))")
out=$(mktemp -d)
export SOURCE_DATE_EPOCH=1795262400

typst_cmd="$TYPST compile --font-path $FP $P/doc$N.typ $out/t.pdf"
app_cmd="$BIN render $P/doc$N.json --framing appetite -o $out/a.pdf"
leg_cmd="$BIN render $P/doc$N.json --framing legitimacy --field computing -o $out/l.pdf"

hyperfine -N -w 3 -r 30 --export-json "$out/h.json" "$typst_cmd" "$app_cmd" "$leg_cmd" >&2

# Peak resident memory in KiB: median of 5 runs.
peak() {
    for _ in 1 2 3 4 5; do
        /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}'
    done | sort -n | sed -n 3p
}
# shellcheck disable=SC2086 # the commands are word lists on purpose
t_mem=$(peak $typst_cmd)
# shellcheck disable=SC2086
a_mem=$(peak $app_cmd)
# shellcheck disable=SC2086
l_mem=$(peak $leg_cmd)

python3 - "$out/h.json" "$t_mem" "$a_mem" "$l_mem" "$out" <<'EOF'
import json, subprocess, sys, os
h = json.load(open(sys.argv[1]))["results"]
t_mem, a_mem, l_mem, out = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
med = [r["median"] * 1000 for r in h]
def pages(p):
    info = subprocess.run(["pdfinfo", p], capture_output=True, text=True).stdout
    return next((l.split()[1] for l in info.splitlines() if l.startswith("Pages:")), "?")
rows = [("typst compile", med[0], t_mem, "t.pdf"), ("certfolio render (appetite)", med[1], a_mem, "a.pdf"),
        ("certfolio render (legitimacy --field computing)", med[2], l_mem, "l.pdf")]
print("| command | median time | peak memory | PDF size | pages |")
print("|---|---|---|---|---|")
for name, ms, kib, f in rows:
    p = os.path.join(out, f)
    print(f"| {name} | {ms:.1f} ms | {kib / 1024:.1f} MiB | {os.path.getsize(p) / 1024:.1f} KiB | {pages(p)} |")
print()
print(f"appetite / typst: time {med[1] / med[0]:.3f}x, peak memory {a_mem / t_mem:.3f}x")
print(f"legitimacy / typst: time {med[2] / med[0]:.3f}x, peak memory {l_mem / t_mem:.3f}x")
EOF
rm -rf "$out"
