#!/usr/bin/env bash
# 1,000 runs x 10 tags x 10,000 points: import once, then open the workspace to a filled run table.
set -euo pipefail
BIN=$1
OUT=$2
RUNS="$OUT/runs_1000"
WS="$OUT/runs_1000.runlens"
[ -s "$RUNS/run_999/metrics.csv" ] && [ "$(wc -l < "$RUNS/run_999/metrics.csv")" -gt 10000 ] ||
    { rm -rf "$RUNS"; "$BIN/bench_gen_data" runs 1000 10 10000 "$RUNS"; }
rm -f "$WS"*
read -r i_s i_kib i_cpu < <(time_cmd "$BIN/runlens" import "$RUNS" -w "$WS" --json)
row "import 1,000 runs (1,000 metrics.csv + hparams.yaml, 100M points)" "${i_s} s (CPU ${i_cpu} s), peak $((i_kib / 1024)) MB" \
    "-" "-" "-"

rl=$("$BIN/bench_workspace_open" "$WS" 5)
py=$("$PY" "$ROOT/bench/py_runs_table_ref.py" "$RUNS")
printf "%s\n" "$rl" "$py" | sed 's/^/    # /' >&2
wall=$(awk -v m="$(field workspace_open_ms "$rl")" 'BEGIN { printf "%.3f", m / 1000 }')
cpu=$(awk -v m="$(field cpu "$rl")" 'BEGIN { printf "%.3f", m / 1000 }')
row "open a workspace of $(field runs "$rl") runs / 100M points to a filled run table ($(field series "$rl") series summaries; median of 5)" \
    "${wall} s (CPU ${cpu} s)" \
    "no MLflow/TensorBoard in Debian 12; pandas reading every run's last row + hparams.yaml: $(field pandas_run_table_s "$py") s (CPU $(field cpu "$py") s)" \
    "<= 1 s" "$(verdict "$wall" "$cpu" 1)"
if [ -x "$BIN/bench_ui_open" ]; then
    ui=$(XDG_CONFIG_HOME="$OUT/config" QT_QPA_PLATFORM=offscreen "$BIN/bench_ui_open" "$WS" 3 2>/dev/null)
    echo "$ui" | sed 's/^/    # /' >&2
    ui_wall=$(awk -v m="$(field ui_open_ms "$ui")" 'BEGIN { printf "%.3f", m / 1000 }')
    ui_cpu=$(awk -v m="$(field cpu "$ui")" 'BEGIN { printf "%.3f", m / 1000 }')
    row "the same in the desktop window: File > Open until the run table ($(field rows "$ui") rows) is painted (median of 3)" \
        "${ui_wall} s (CPU ${ui_cpu} s)" "-" "<= 1 s" "$(verdict "$ui_wall" "$ui_cpu" 1)"
fi
