#!/usr/bin/env bash
# Runs every benchmark beside the tool a user would otherwise use, and prints a Markdown table (make bench).
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/$BUILD/bin"
OUT="$ROOT/bench/out"
PY=/usr/bin/python3
mkdir -p "$OUT"
RESULTS="$OUT/results.md"
: > "$RESULTS"

row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" | tee -a "$RESULTS"; }

# time_cmd LABEL CMD...: prints "seconds peak_kib" of one run (wall clock, max RSS).
time_cmd() {
    /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" > /dev/null
    cat "$OUT/time.txt"
}

echo "Runlens benchmarks on $(nproc) cores, $(date -u +%Y-%m-%d), $(uname -m)"
echo
printf '| work | Runlens | reference tool (same run) | budget |\n|---|---|---|---|\n' | tee -a "$RESULTS"

# 1. 10M-row CSV import vs pandas.read_csv.
CSV="$OUT/scalars_10M.csv"
[ -s "$CSV" ] || "$BIN/bench_gen_data" csv 10000000 "$CSV"
CSV_MB=$(( $(stat -c %s "$CSV") / 1000000 ))
rm -f "$OUT/csv.runlens"*
read -r rl_s rl_kib < <(time_cmd "$BIN/runlens" import "$CSV" -w "$OUT/csv.runlens" --json)
read -r pd_s pd_kib < <(time_cmd "$PY" -c "import pandas as pd, sys; pd.read_csv(sys.argv[1])" "$CSV")
row "import 10M-row CSV (${CSV_MB} MB) into a workspace" "${rl_s} s, peak $((rl_kib / 1024)) MB" \
    "pandas.read_csv parse only: ${pd_s} s, peak $((pd_kib / 1024)) MB" "<= 1/3 of pandas, <= 300 MB"

# 2. tfevents import vs a plain-Python TFRecord + protobuf scan (TensorBoard itself is not packaged in Debian 12).
TFE="$OUT/events.out.tfevents.bench"
[ -s "$TFE" ] || "$BIN/bench_gen_data" tfevents 1000000 "$TFE"
TFE_MB=$(( $(stat -c %s "$TFE") / 1000000 ))
rm -f "$OUT/tfe.runlens"*
read -r tf_s tf_kib < <(time_cmd "$BIN/runlens" import "$TFE" -w "$OUT/tfe.runlens" --json)
read -r py_s py_kib < <(time_cmd "$PY" "$ROOT/bench/py_tfrecord_scan.py" "$TFE")
row "import tfevents (${TFE_MB} MB, 4M scalars)" "${tf_s} s = $(awk -v a="$TFE_MB" -v b="$tf_s" 'BEGIN{printf "%.0f", a/b}') MB/s, peak $((tf_kib / 1024)) MB" \
    "Python TFRecord scan: ${py_s} s" ">= 150 MB/s"

# 3. Decimation and smoothing of a 10M-point series.
while IFS=$'\t' read -r name value _; do
    case "$name" in
    decimate_10M_1600px_ms) row "decimate 10M points for 1,600 px" "${value} ms" "-" "<= 15 ms" ;;
    decimate_10M_zoomed_ms) row "decimate a zoomed 5% window of 10M points" "${value} ms" "-" "-" ;;
    ema_10M_ms) row "TensorBoard EMA over 10M points" "${value} ms" "-" "-" ;;
    esac
done < <("$BIN/bench_decimation")

# Further benchmarks add themselves here: each bench/bench_extra_*.sh prints table rows.
for extra in "$ROOT"/bench/bench_extra_*.sh; do
    [ -e "$extra" ] || continue
    bash "$extra" "$BIN" "$OUT" | tee -a "$RESULTS"
done
echo
echo "Table written to $RESULTS"
