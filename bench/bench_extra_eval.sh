#!/usr/bin/env bash
# Calibration + binary metrics, slices and slice finding on 1M predictions, each beside scikit-learn or pandas.
set -euo pipefail
BIN=$1
OUT=$2
A="$OUT/preds_a.csv"
B="$OUT/preds_b.csv"
[ -s "$A" ] && [ -s "$B" ] || "$PY" "$ROOT/bench/py_gen_predictions.py" 1000000 "$A" "$B"
ms_to_s() { awk -v m="$1" 'BEGIN { printf "%.3f", m / 1000 }'; }

# Calibration (10 uniform bins, Wilson intervals, ECE/MCE/L2, Brier decomposition) and every binary metric.
rl=$("$BIN/bench_eval" "$A" 5)
py=$("$PY" "$ROOT/bench/py_eval_ref.py" "$A")
printf "%s\n" "$rl" "$py" | sed 's/^/    # /' >&2
rl_s=$(ms_to_s "$(field eval_compute_ms "$rl")")
rl_cpu=$(ms_to_s "$(field cpu "$(grep eval_compute_ms <<< "$rl")")")
row "calibration + all binary metrics, 1M predictions (compute only, median of 5)" "${rl_s} s (CPU ${rl_cpu} s)" \
    "scikit-learn calibration_curve + roc_auc + average_precision + log_loss + brier + confusion_matrix: $(field sklearn_eval_s "$py") s (CPU $(field cpu "$py") s)" \
    "<= 0.5 s" "$(verdict "$rl_s" "$rl_cpu" 0.5)"

# Accuracy by two features with Wilson intervals, and slice finding over the 10 feature columns.
rl=$("$BIN/bench_slices" "$A" region device 3)
py=$("$PY" "$ROOT/bench/py_slices_ref.py" "$A" region device)
printf "%s\n" "$rl" "$py" | sed 's/^/    # /' >&2
slices_line=$(grep slices_2_features_ms <<< "$rl")
find_line=$(grep slice_finding_ms <<< "$rl")
pd_slices=$(grep pandas_slices_s <<< "$py")
pd_search=$(grep pandas_search_s <<< "$py")
rl_s=$(ms_to_s "$(field slices_2_features_ms "$slices_line")")
rl_cpu=$(ms_to_s "$(field cpu "$slices_line")")
row "slices: accuracy by 2 features with Wilson intervals, 1M rows (median of 3)" "${rl_s} s (CPU ${rl_cpu} s)" \
    "pandas groupby + statsmodels Wilson: $(field pandas_slices_s "$pd_slices") s (CPU $(field cpu "$pd_slices") s)" \
    "<= 0.5 s" "$(verdict "$rl_s" "$rl_cpu" 0.5)"
rl_s=$(ms_to_s "$(field slice_finding_ms "$find_line")")
rl_cpu=$(ms_to_s "$(field cpu "$find_line")")
row "slice finding, 1M rows x $(field features "$find_line") features, up to 3-way ($(field evaluated "$find_line") slices scored)" \
    "${rl_s} s (CPU ${rl_cpu} s)" \
    "pandas groupby of every 1-3 way cross (175 groupbys, no pruning): $(field pandas_search_s "$pd_search") s (CPU $(field cpu "$pd_search") s)" \
    "<= 5 s" "$(verdict "$rl_s" "$rl_cpu" 5)"
