#!/usr/bin/env bash
# `runlens chart` of 100 runs x 100k points to a PNG, beside pandas + matplotlib drawing the same runs.
set -euo pipefail
BIN=$1
OUT=$2
RUNS="$OUT/runs_100x100k"
WS="$OUT/runs_100x100k.runlens"
[ -s "$RUNS/run_99/metrics.csv" ] || { rm -rf "$RUNS"; "$BIN/bench_gen_data" runs 100 1 100000 "$RUNS"; }
[ -s "$WS" ] || "$BIN/runlens" import "$RUNS" -w "$WS" > /dev/null
read -r c_s c_kib c_cpu < <(time_cmd env QT_QPA_PLATFORM=offscreen "$BIN/runlens" chart -w "$WS" --tag metric_0 \
    -o "$OUT/chart_100x100k.png")
py=$("$PY" "$ROOT/bench/py_chart_ref.py" "$RUNS" "$OUT/chart_100x100k_matplotlib.png" 2> /dev/null ||
    echo "py_chart_s	-	cpu	-")
echo "$py" | sed 's/^/    # /' >&2
row "\`runlens chart\` of 100 runs x 100k points (one metric, 1200x700 PNG at 2x, from the workspace)" \
    "${c_s} s (CPU ${c_cpu} s), peak $((c_kib / 1024)) MB" \
    "pandas read_csv of the 100 files + matplotlib plot + savefig (Agg, same size): $(field py_chart_s "$py") s (CPU $(field cpu "$py") s)" \
    "<= 0.5 s" "$(verdict "$c_s" "$c_cpu" 0.5)"
