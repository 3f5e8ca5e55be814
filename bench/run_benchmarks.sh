#!/usr/bin/env bash
# Runs every benchmark beside the tool a user would otherwise use, and prints a Markdown table (make bench).
# Usage: run_benchmarks.sh [BUILD_DIR]  (relative to the source tree or absolute); RUNLENS_BENCH_OUT=DIR
# writes the generated data and results there instead of bench/out.
# Each row: work | Runlens | reference tool (same run) | budget | met. Wall time is what a user waits; CPU time
# (user + sys of the process) is shown beside it because a loaded machine inflates wall time, not CPU time.
# Further rows come from bench/bench_extra_*.sh, called with BIN and OUT; they use the functions exported here.
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) BIN="$BUILD/bin" ;; *) BIN="$ROOT/$BUILD/bin" ;; esac
# Data and results go to RUNLENS_BENCH_OUT when set (e.g. a scratch disk), else bench/out in the tree.
OUT=${RUNLENS_BENCH_OUT:-$ROOT/bench/out}
PY=/usr/bin/python3 # Debian's, with pandas 1.5, scikit-learn 1.2, statsmodels 0.13
mkdir -p "$OUT"
RESULTS="$OUT/results.md"
: > "$RESULTS"
export ROOT PY RESULTS

for tool in runlens bench_gen_data bench_decimation; do
    [ -x "$BIN/$tool" ] || { echo "run_benchmarks: $BIN/$tool is missing; build first (make build)" >&2; exit 1; }
done

row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" | tee -a "$RESULTS"; }

# time_cmd CMD...: prints "wall_s peak_kib cpu_s" of one run (wall clock, max RSS, user + sys).
time_cmd() {
    /usr/bin/time -f '%e %M %U %S' -o "$OUT/time.txt" "$@" > /dev/null
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$OUT/time.txt"
}

# verdict WALL CPU LIMIT [le|ge]: "yes" when the wall figure meets the budget; "CPU only" when only the CPU
# figure does (the run was slowed by other load: re-run on a quiet machine); else "**no**".
verdict() {
    awk -v w="$1" -v c="$2" -v b="$3" -v dir="${4:-le}" 'BEGIN {
        if (dir == "le") { okw = (w <= b); okc = (c <= b) } else { okw = (w >= b); okc = (c >= b) }
        if (okw) print "yes"; else if (okc) print "CPU only"; else print "**no**" }'
}

# field NAME LINE...: the value after NAME in tab-separated "key value key value" output.
field() {
    local name=$1
    shift
    printf '%s\n' "$@" | awk -F'\t' -v k="$name" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}
export -f row time_cmd verdict field
export OUT

load_avg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "Runlens benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), \
$(awk '/MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo), $(uname -m); load average at start: $(load_avg)"
echo
printf '| work | Runlens | reference tool (same run) | budget | met |\n|---|---|---|---|---|\n' | tee -a "$RESULTS"

# 1. 10M-row CSV import vs pandas.read_csv.
CSV="$OUT/scalars_10M.csv"
[ -s "$CSV" ] || "$BIN/bench_gen_data" csv 10000000 "$CSV"
CSV_MB=$(( $(stat -L -c %s "$CSV") / 1000000 ))
rm -f "$OUT/csv.runlens"*
read -r rl_s rl_kib rl_cpu < <(time_cmd "$BIN/runlens" import "$CSV" -w "$OUT/csv.runlens" --json)
read -r pd_s pd_kib pd_cpu < <(time_cmd "$PY" -c "import pandas as pd, sys; pd.read_csv(sys.argv[1])" "$CSV")
csv_ok=$(verdict "$rl_s" "$rl_cpu" "$(awk -v p="$pd_s" 'BEGIN { print p / 3 }')")
[ $((rl_kib / 1024)) -le 300 ] || csv_ok="**no** (memory)"
row "import 10M-row CSV (${CSV_MB} MB) into a workspace" "${rl_s} s (CPU ${rl_cpu} s), peak $((rl_kib / 1024)) MB" \
    "pandas.read_csv, parse only: ${pd_s} s (CPU ${pd_cpu} s), peak $((pd_kib / 1024)) MB" \
    "<= 1/3 of pandas, <= 300 MB" "$csv_ok"

# 2. tfevents import vs a plain-Python TFRecord + protobuf scan (TensorBoard itself is not packaged in Debian 12).
TFE="$OUT/events.out.tfevents.bench"
[ -s "$TFE" ] || "$BIN/bench_gen_data" tfevents 1000000 "$TFE"
TFE_MB=$(( $(stat -L -c %s "$TFE") / 1000000 ))
rm -f "$OUT/tfe.runlens"*
read -r tf_s tf_kib tf_cpu < <(time_cmd "$BIN/runlens" import "$TFE" -w "$OUT/tfe.runlens" --json)
read -r py_s py_kib py_cpu < <(time_cmd "$PY" "$ROOT/bench/py_tfrecord_scan.py" "$TFE")
tf_rate=$(awk -v a="$TFE_MB" -v b="$tf_s" 'BEGIN { printf "%.0f", a / b }')
tf_cpu_rate=$(awk -v a="$TFE_MB" -v b="$tf_cpu" 'BEGIN { printf "%.0f", a / b }')
row "import tfevents (${TFE_MB} MB, 4M scalars)" \
    "${tf_s} s = ${tf_rate} MB/s (CPU ${tf_cpu} s = ${tf_cpu_rate} MB/s), peak $((tf_kib / 1024)) MB" \
    "Python TFRecord scan: ${py_s} s (CPU ${py_cpu} s)" ">= 150 MB/s" "$(verdict "$tf_rate" "$tf_cpu_rate" 150 ge)"

# 3. Decimation and smoothing of a 10M-point series (medians of 9 and 5 runs).
while IFS=$'\t' read -r name wall _ cpu _; do
    case "$name" in
    decimate_10M_1600px_ms)
        row "decimate 10M points for 1,600 px (median of 9)" "${wall} ms (CPU ${cpu} ms)" "-" "<= 15 ms" \
            "$(verdict "$wall" "$cpu" 15)" ;;
    decimate_10M_zoomed_ms) row "decimate a zoomed 5% window of 10M points" "${wall} ms (CPU ${cpu} ms)" "-" "-" "-" ;;
    ema_10M_ms) row "TensorBoard EMA over 10M points" "${wall} ms (CPU ${cpu} ms)" "-" "-" "-" ;;
    esac
done < <("$BIN/bench_decimation")

# Further benchmarks add themselves here: each bench/bench_extra_*.sh prints table rows.
for extra in "$ROOT"/bench/bench_extra_*.sh; do
    [ -e "$extra" ] || continue
    bash "$extra" "$BIN" "$OUT"
done
echo
echo "Load average at end: $(load_avg)"
echo "Table written to $RESULTS"
