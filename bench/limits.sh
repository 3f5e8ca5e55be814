#!/usr/bin/env bash
# Imports big generated inputs with the built `runlens import` and records wall time and peak RSS (make limits).
#
#   bash bench/limits.sh [BUILD-DIR]        (default: build; needs bin/runlens, bench_gen_limits, bench_limits_cancel)
#
# Cases (sizes can be shrunk for a quick try with the LIMITS_* variables below, LIMITS_CASES picks some):
#   a. a 5 GB long-form CSV log (20 runs x 10 tags): must stream in bounded memory;
#   b. a 10M-row x 100-column prediction CSV: over the prediction reader's 256 Mi-cell budget, so it must be
#      refused with one clear error in bounded memory;
#   b2. a 2.5M-row x 100-column prediction CSV (250M cells, just under the budget): stored whole;
#   c. 50,000 run folders with a 20-row metrics.csv each, then the same import cancelled after 2 s through
#      the importer API (bench_limits_cancel), with SQLite's integrity check of the workspace afterwards;
#   d. a 10-minute soak (bench/soak.sh): a simulated trainer writes CSV, JSONL and event files in pieces while
#      `import --watch`, `runs` and the desktop window read; every stored point must equal what was written.
# Inputs live in a scratch folder under $TMPDIR (or /tmp) that is deleted at exit; a case is skipped with a
# line saying so when the disk has less than twice its size free. Results: stdout and bench/out/limits.md.
set -uo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) BIN="$BUILD/bin" ;; *) BIN="$ROOT/$BUILD/bin" ;; esac
LONG_BYTES=${LIMITS_LONG_BYTES:-5000000000}
PRED_ROWS=${LIMITS_PRED_ROWS:-10000000}
PRED_FEATURES=${LIMITS_PRED_FEATURES:-97}
FIT_ROWS=${LIMITS_FIT_ROWS:-2500000}
SMALL_RUNS=${LIMITS_SMALL_RUNS:-50000}
SMALL_ROWS=20
CANCEL_AFTER=${LIMITS_CANCEL_AFTER:-2}
SOAK_SECONDS=${LIMITS_SOAK_SECONDS:-600}
CASES=${LIMITS_CASES:-a b b2 c d} # a subset, e.g. LIMITS_CASES="b c", to re-run some cases

for tool in runlens bench_gen_limits bench_limits_cancel; do
    [ -x "$BIN/$tool" ] || { echo "limits: $BIN/$tool is missing; build first (make build)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "limits: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/runlens-limits.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$ROOT/bench/out"
RESULTS="$ROOT/bench/out/limits.md"
: > "$RESULTS"

say() { echo "$*" | tee -a "$RESULTS"; }

free_bytes() { df -B1 --output=avail "$SCRATCH" | tail -1 | tr -d ' '; }

# enough_space BYTES CASE: false (after a line saying so) when less than twice BYTES is free.
enough_space() {
    local need=$(($1 * 2)) free
    free=$(free_bytes)
    if [ "$free" -lt "$need" ]; then
        say "| $2 | skipped: $((free >> 30)) GiB free, $((need >> 30)) GiB needed (twice the input) | | | |"
        return 1
    fi
}

# measure NAME CMD...: runs CMD with its output in $SCRATCH/NAME.{out,err}; sets WALL (s), PEAK (MiB), CPU (s)
# and RC. /usr/bin/time reports the peak resident set (ru_maxrss) of the process.
measure() {
    local name=$1
    shift
    /usr/bin/time -f '%e %M %U %S' -o "$SCRATCH/$name.time" "$@" > "$SCRATCH/$name.out" 2> "$SCRATCH/$name.err"
    RC=$?
    # After a failing command time(1) writes "Command exited with non-zero status N" first.
    read -r WALL PEAK_KIB USER_S SYS_S < <(tail -n 1 "$SCRATCH/$name.time")
    PEAK=$((PEAK_KIB / 1024))
    CPU=$(awk -v u="$USER_S" -v s="$SYS_S" 'BEGIN { printf "%.1f", u + s }')
}

# The import's one summary line, or its first error line when it failed.
outcome_of() {
    local name=$1
    if [ "$RC" -eq 0 ]; then
        grep -m1 '^Imported' "$SCRATCH/$name.out"
    else
        echo "exit $RC: $(grep -m1 -E 'error|nothing imported' "$SCRATCH/$name.err" | cut -c1-400)"
    fi
}

say "# runlens import on big inputs ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM)"
say ""
say "| Case | Input | Wall s (CPU s) | Peak RSS MiB | Outcome |"
say "|---|---|---|---|---|"

# a. Long-form CSV log.
wanted() { [[ " $CASES " == *" $1 "* ]]; }

if wanted a && enough_space "$LONG_BYTES" "a. long-form CSV"; then
    csv="$SCRATCH/long/metrics_long.csv"
    mkdir -p "$SCRATCH/long"
    gen_start=$(date +%s)
    "$BIN/bench_gen_limits" longcsv "$csv" "$LONG_BYTES" > "$SCRATCH/gen_a.txt" || exit 1
    echo "generated in $(($(date +%s) - gen_start)) s: $(cat "$SCRATCH/gen_a.txt")"
    size_mb=$(($(stat -L -c %s "$csv") / 1000000))
    measure a "$BIN/runlens" import -w "$SCRATCH/a.runlens" "$csv"
    ws_mb=$(($(stat -L -c %s "$SCRATCH/a.runlens") / 1000000))
    say "| a. long-form CSV, 20 runs x 10 tags | $size_mb MB | $WALL ($CPU) | $PEAK | $(outcome_of a); workspace $ws_mb MB |"
    rm -rf "$SCRATCH/long" "$SCRATCH"/a.runlens*
fi

# b. Wide prediction log: about 800 bytes a row.
pred_bytes=$((PRED_ROWS * (PRED_FEATURES * 8 + 24)))
if wanted b && enough_space "$pred_bytes" "b. prediction CSV"; then
    pred="$SCRATCH/pred/predictions.csv"
    mkdir -p "$SCRATCH/pred"
    gen_start=$(date +%s)
    "$BIN/bench_gen_limits" predictions "$pred" "$PRED_ROWS" "$PRED_FEATURES" > "$SCRATCH/gen_b.txt" || exit 1
    echo "generated in $(($(date +%s) - gen_start)) s: $(cat "$SCRATCH/gen_b.txt")"
    size_mb=$(($(stat -L -c %s "$pred") / 1000000))
    measure b "$BIN/runlens" import -w "$SCRATCH/b.runlens" "$pred"
    tables=$(sqlite3 "$SCRATCH/b.runlens" 'SELECT count(*) FROM predictions' 2>/dev/null || echo "?")
    say "| b. prediction CSV, $PRED_ROWS rows x $((PRED_FEATURES + 3)) columns | $size_mb MB | $WALL ($CPU) | $PEAK | $(outcome_of b); prediction tables stored: $tables |"
    rm -rf "$SCRATCH/pred" "$SCRATCH"/b.runlens*
fi

# b2. The largest prediction log the budget admits (default 2,500,000 x 100 = 250M cells): stored whole.
fit_bytes=$((FIT_ROWS * (PRED_FEATURES * 8 + 24)))
if wanted b2 && enough_space "$fit_bytes" "b2. prediction CSV under the budget"; then
    pred="$SCRATCH/fit/predictions.csv"
    mkdir -p "$SCRATCH/fit"
    "$BIN/bench_gen_limits" predictions "$pred" "$FIT_ROWS" "$PRED_FEATURES" > /dev/null || exit 1
    size_mb=$(($(stat -L -c %s "$pred") / 1000000))
    measure b2 "$BIN/runlens" import -w "$SCRATCH/b2.runlens" "$pred"
    rows=$(sqlite3 "$SCRATCH/b2.runlens" 'SELECT group_concat(rows) FROM predictions' 2>/dev/null || echo "?")
    ws_mb=$(($(stat -L -c %s "$SCRATCH/b2.runlens") / 1000000))
    say "| b2. prediction CSV, $FIT_ROWS rows x $((PRED_FEATURES + 3)) columns (under the budget) | $size_mb MB | $WALL ($CPU) | $PEAK | $(outcome_of b2); rows stored: $rows; workspace $ws_mb MB |"
    rm -rf "$SCRATCH/fit" "$SCRATCH"/b2.runlens*
fi

# c. Many small runs, then the same import cancelled.
if wanted c && enough_space $((SMALL_RUNS * 8192)) "c. $SMALL_RUNS run folders"; then
    runs="$SCRATCH/many_runs"
    "$BIN/bench_gen_limits" smallruns "$runs" "$SMALL_RUNS" "$SMALL_ROWS" > /dev/null || exit 1
    size_mb=$(($(du -sk "$runs" | cut -f1) / 1024))
    measure c "$BIN/runlens" import -w "$SCRATCH/c.runlens" "$runs"
    say "| c. $SMALL_RUNS run folders x $SMALL_ROWS-row metrics.csv | $size_mb MiB on disk | $WALL ($CPU) | $PEAK | $(outcome_of c) |"
    rm -f "$SCRATCH"/c.runlens*
    measure cancel "$BIN/bench_limits_cancel" "$runs" "$SCRATCH/cancel.runlens" "$CANCEL_AFTER"
    detail=$(tr '\n' ';' < "$SCRATCH/cancel.out" | sed 's/;$//; s/;/; /g')
    say "| c'. same import, cancelled after ${CANCEL_AFTER} s (bench_limits_cancel) | | $WALL ($CPU) | $PEAK | exit $RC: $detail |"
    rm -rf "$runs" "$SCRATCH"/cancel.runlens*
fi
# d. Soak: live files read on while they are written.
if wanted d; then
    start=$(date +%s)
    soak=$(bash "$ROOT/bench/soak.sh" "$BIN" "$SOAK_SECONDS" 3 2>&1)
    rc=$?
    say "| d. soak: trainer writing 3 runs x (CSV, JSONL, events) in pieces, watched and read | | $(($(date +%s) - start)) s | | $([ $rc -eq 0 ] && echo ok || echo FAILED): $(echo "$soak" | tr '\n' ' ') |"
fi
say ""
say "Results also in $RESULTS"
