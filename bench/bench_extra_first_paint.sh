#!/usr/bin/env bash
# 1,000 runs x 10 tags x 10,000 points in the desktop window as the app builds it: File > Open until the
# Curves tab's visible cards have painted their curves (issue 19), with the process's peak memory.
set -euo pipefail
BIN=$1
OUT=$2
if [ ! -x "$BIN/bench_ui_first_paint" ]; then
    row "open 1,000 runs to painted curves" "not built (RUNLENS_BUILD_GUI=OFF)" "-" "<= 0.5 s, <= 400 MB" "-"
    exit 0
fi
RUNS="$OUT/runs_1000"
WS="$OUT/runs_1000.runlens"
[ -s "$RUNS/run_999/metrics.csv" ] && [ "$(wc -l < "$RUNS/run_999/metrics.csv")" -gt 10000 ] ||
    { rm -rf "$RUNS"; "$BIN/bench_gen_data" runs 1000 10 10000 "$RUNS"; }
[ -s "$WS" ] || "$BIN/runlens" import "$RUNS" -w "$WS" --json > /dev/null
# One process per open (peak memory is per process); the median of 3 by wall time.
results=""
for i in 1 2 3; do
    fp=$(XDG_CONFIG_HOME="$OUT/config" QT_QPA_PLATFORM=offscreen "$BIN/bench_ui_first_paint" "$WS" \
        "$OUT/first_paint.png" 2>/dev/null)
    echo "$fp" | sed 's/^/    # /' >&2
    results+="$fp"$'\n'
done
fp=$(printf "%s" "$results" | sort -t$'\t' -k2,2n | sed -n 2p)
wall=$(awk -v m="$(field ui_first_paint_ms "$fp")" 'BEGIN { printf "%.3f", m / 1000 }')
cpu=$(awk -v m="$(field cpu "$fp")" 'BEGIN { printf "%.3f", m / 1000 }')
row "open 1,000 runs x 10 tags x 10k points in the window (standard views) until the $(field cards "$fp") visible Curves cards have painted (median of 3)" \
    "${wall} s (CPU ${cpu} s), peak $(field peak_rss_mb "$fp") MB; run table after $(field table_ms "$fp") ms" \
    "-" "<= 0.5 s, <= 400 MB" "$(verdict "$wall" "$cpu" 0.5)"
