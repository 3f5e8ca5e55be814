#!/usr/bin/env bash
# Parsing a 1M-row prediction log CSV into its table (bench_csv, median of 3) beside pandas.read_csv of the file.
set -euo pipefail
BIN=$1
OUT=$2
A="$OUT/preds_a.csv"
B="$OUT/preds_b.csv"
[ -s "$A" ] && [ -s "$B" ] || "$PY" "$ROOT/bench/py_gen_predictions.py" 1000000 "$A" "$B"
rl=$("$BIN/bench_csv" predictions "$A" 2 3)
py=$("$PY" "$ROOT/bench/py_csv_ref.py" "$A")
printf "%s\n" "$rl" "$py" | sed 's/^/    # /' >&2
ms_to_s() { awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }'; }
rl_s=$(ms_to_s "$(field prediction_parse_ms "$rl")")
rl_cpu=$(ms_to_s "$(field cpu "$rl")")
pd_s=$(field pandas_read_csv_s "$py")
row "parse a 1M-row prediction log CSV ($(( $(stat -L -c %s "$A") / 1000000 )) MB) into its table (median of 3)" \
    "${rl_s} s (CPU ${rl_cpu} s)" "pandas.read_csv: ${pd_s} s (CPU $(field cpu "$py") s)" \
    "<= pandas" "$(verdict "$rl_s" "$rl_cpu" "$pd_s")"
