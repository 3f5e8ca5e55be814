#!/usr/bin/env bash
# Regression metrics + 1,000-resample bootstrap on 1M rows (bench_regression) beside numpy/scikit-learn
# (bench/py_regression_ref.py, run by bench_regression on the same data in the same run).
set -euo pipefail
BIN=$1
[ -x "$BIN/bench_regression" ] || { echo "bench_extra_regression: $BIN/bench_regression is missing" >&2; exit 1; }
out=$("$BIN/bench_regression" 1000000 1000 "$ROOT/bench/py_regression_ref.py")
printf "%s\n" "$out" | sed 's/^/    # /' >&2
# "  runlens: 123.4 ms wall, 120.0 ms CPU  [method]" and "  numpy + scikit-learn: 456 ms wall, 450 ms CPU (...)"
ms_of() { sed -n "s/^  $1: \([0-9.]*\) ms wall, \([0-9.]*\) ms CPU.*/\1 \2/p" <<< "$out"; }
read -r rl_ms rl_cpu_ms < <(ms_of runlens)
read -r py_ms py_cpu_ms < <(ms_of "numpy + scikit-learn")
to_s() { awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }'; }
rl_s=$(to_s "$rl_ms")
rl_cpu=$(to_s "$rl_cpu_ms")
row "regression metrics (MAE, MSE, RMSE, R², median AE, MAPE, sMAPE, max error, bias) + 1,000-resample bootstrap, 1M rows (median of 5)" \
    "${rl_s} s (CPU ${rl_cpu} s)" \
    "numpy resampling + scikit-learn metrics per resample: $(to_s "$py_ms") s (CPU $(to_s "$py_cpu_ms") s; 20 resamples timed, scaled to 1,000)" \
    "<= 0.5 s" "$(verdict "$rl_s" "$rl_cpu" 0.5)"
