#!/usr/bin/env bash
# Paired comparison of two 1M-row prediction logs: core tests, `runlens diff` end to end, statsmodels/numpy.
set -euo pipefail
BIN=$1
OUT=$2
A="$OUT/preds_a.csv"
B="$OUT/preds_b.csv"
[ -s "$A" ] && [ -s "$B" ] || "$PY" "$ROOT/bench/py_gen_predictions.py" 1000000 "$A" "$B"
ms_to_s() { awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }'; }

rl=$("$BIN/bench_paired" "$A" "$B" 200)
py=$("$PY" "$ROOT/bench/py_paired_ref.py" "$A" "$B" 200)
printf "%s\n" "$rl" "$py" | sed 's/^/    # /' >&2
tests=$(grep paired_tests_ms <<< "$rl")
py_tests=$(grep py_paired_tests_s <<< "$py")
rl_s=$(ms_to_s "$(field paired_tests_ms "$tests")")
rl_cpu=$(ms_to_s "$(field cpu "$tests")")
detail="McNemar $(field paired_mcnemar_ms "$rl") ms, DeLong $(field paired_delong_ms "$rl") ms, bootstrap $(field paired_bootstrap_ms "$rl") ms"
py_detail="McNemar $(field mcnemar_s "$py_tests") s, DeLong $(field delong_s "$py_tests") s, bootstrap $(field bootstrap_s "$py_tests") s"
row "paired comparison, 1M aligned pairs: McNemar + DeLong + 200-resample bootstrap of accuracy" \
    "${rl_s} s (CPU ${rl_cpu} s; ${detail})" \
    "statsmodels mcnemar + numpy/scipy DeLong + numpy bootstrap: $(field py_paired_tests_s "$py_tests") s (CPU $(field cpu "$py_tests") s; ${py_detail})" \
    "<= 1 s" "$(verdict "$rl_s" "$rl_cpu" 1)"
align=$(grep paired_align_ms <<< "$rl")
py_align=$(grep py_paired_align_s <<< "$py")
compact=$(grep paired_bootstrap_compact_ms <<< "$rl")
row "the same 200-resample bootstrap with a callback over precomputed per-pair correctness (diagnostic)" \
    "$(ms_to_s "$(field paired_bootstrap_compact_ms "$compact")") s (CPU $(ms_to_s "$(field cpu "$compact")") s)" \
    "numpy bootstrap above: $(field bootstrap_s "$py_tests") s (CPU $(field bootstrap_cpu_s "$py_tests") s)" "-" "-"
row "align 1M + 1M examples by id" "$(ms_to_s "$(field paired_align_ms "$align")") s (CPU $(ms_to_s "$(field cpu "$align")") s)" \
    "pandas merge on id: $(field py_paired_align_s "$py_align") s (CPU $(field cpu "$py_align") s)" "-" "-"

# End to end: parse both CSVs, align, tests, slice changes, JSON.
read -r d_s d_kib d_cpu < <(time_cmd "$BIN/runlens" diff "$A" "$B" --json --resamples 200)
row "\`runlens diff a.csv b.csv --json --resamples 200\` end to end (2 x 1M rows, 71 MB each)" \
    "${d_s} s (CPU ${d_cpu} s), peak $((d_kib / 1024)) MB" "-" "-" "-"
