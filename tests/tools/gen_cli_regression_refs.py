#!/usr/bin/env python3
"""Fixtures and frozen scikit-learn / scipy / statsmodels references for tests/cli/test_cli_regression.cpp.

Run with Debian's python3 (scikit-learn 1.2.1, scipy 1.10.1, statsmodels 0.13.5, numpy 1.24.2):
    /usr/bin/python3 tests/tools/gen_cli_regression_refs.py && clang-format -i tests/cli/test_cli_regression.cpp
It writes tests/data/regression/{regression_a.csv, regression_b.csv, regression_weighted.jsonl}.
"""
import json
import os

import numpy as np
import scipy.stats
from sklearn.metrics import (max_error, mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
                             median_absolute_error, r2_score)
from statsmodels.stats.proportion import proportion_confint

from frozen_refs import Block, write_block

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "regression")
os.makedirs(DATA, exist_ok=True)
rng = np.random.default_rng(2018)
b = Block()

n = 200
ids = np.arange(n)
x = rng.uniform(0, 5, n)
y = 3 + 2 * x + rng.normal(0, 1.0, n)
pa = 3.2 + 2 * x + rng.normal(0, 0.6, n)           # A: biased by +0.2, its own noise
pb = 3.0 + 2 * x + 0.5 * (y - 3 - 2 * x) + rng.normal(0, 0.4, n)  # B: closer to the labels
half = 1.645 * 0.9                                 # a 90% interval a little too narrow for sd ~1.17
q05, q95 = pa - half, pa + half
train_mean = 8.25
with open(os.path.join(DATA, "regression_a.csv"), "w") as f:
    f.write("id,label,y_pred,q05,q95,train_mean,x\n")
    for i in range(n):
        f.write(f"{ids[i]},{y[i]!r},{pa[i]!r},{q05[i]!r},{q95[i]!r},{train_mean},{x[i]!r}\n")

# B: the same examples shuffled, id 7 missing, an extra id 999.
order = rng.permutation(n)
order = order[order != 7]
with open(os.path.join(DATA, "regression_b.csv"), "w") as f:
    f.write("id,label,prediction\n")
    for i in order:
        f.write(f"{ids[i]},{y[i]!r},{pb[i]!r}\n")
    f.write("999,1.5,2.5\n")

# Weighted, as JSON lines with other column names.
w = rng.uniform(0.5, 2.0, n)
with open(os.path.join(DATA, "regression_weighted.jsonl"), "w") as f:
    for i in range(n):
        f.write(json.dumps({"target": float(y[i]), "yhat": float(pa[i]), "sample_weight": float(w[i])}) + "\n")

b.comment("1. regression_a.csv: metrics (scikit-learn), sMAPE and bias (numpy), baselines, coverage.")
b.scalar("mae", mean_absolute_error(y, pa))
b.scalar("mse", mean_squared_error(y, pa))
b.scalar("rmse", mean_squared_error(y, pa, squared=False))
b.scalar("r2", r2_score(y, pa))
b.scalar("medianAe", median_absolute_error(y, pa))
b.scalar("mape", mean_absolute_percentage_error(y, pa))
b.scalar("maxError", max_error(y, pa))
b.scalar("smape", np.mean(2 * np.abs(pa - y) / (np.abs(y) + np.abs(pa))))
b.scalar("meanError", np.mean(pa - y))
b.scalar("trainMeanMae", mean_absolute_error(y, np.full(n, train_mean)))
b.scalar("trainMeanR2", r2_score(y, np.full(n, train_mean)))
b.scalar("medianBaselineMae", mean_absolute_error(y, np.full(n, np.median(y))))
# A plain numpy percentile bootstrap of the MAE (1,000 resamples): a different generator, so the test allows
# Monte Carlo error.
boot = [mean_absolute_error(y[s], pa[s]) for s in (rng.integers(0, n, n) for _ in range(1000))]
b.scalar("maeBootLow", np.percentile(boot, 2.5))
b.scalar("maeBootHigh", np.percentile(boot, 97.5))
inside = int(np.sum((y >= q05) & (y <= q95)))
b.integer("coverageInside", inside)
b.integer("coverageBelow", int(np.sum(y < q05)))
lo, hi = proportion_confint(inside, n, alpha=0.05, method="wilson")
b.scalar("coverageCiLow", lo)
b.scalar("coverageCiHigh", hi)
b.scalar("meanWidth", np.mean(q95 - q05))
r = y - pa
b.scalar("residualMean", np.mean(r))
b.scalar("residualSd", np.std(r, ddof=1))

b.comment("2. regression_weighted.jsonl: weighted metrics.")
b.scalar("wMae", mean_absolute_error(y, pa, sample_weight=w))
b.scalar("wRmse", mean_squared_error(y, pa, sample_weight=w, squared=False))
b.scalar("wR2", r2_score(y, pa, sample_weight=w))

b.comment("3. A against B on the 199 shared ids: per-example absolute errors, scipy's tests.")
keep = ids != 7
ea, eb = np.abs(pa - y)[keep], np.abs(pb - y)[keep]
b.integer("pairedN", int(keep.sum()))
b.scalar("maeA", ea.mean())
b.scalar("maeB", eb.mean())
b.scalar("maeDelta", eb.mean() - ea.mean())
b.scalar("rmseDelta", np.sqrt(np.mean(eb ** 2)) - np.sqrt(np.mean(ea ** 2)))
wil = scipy.stats.wilcoxon(eb - ea)
b.scalar("wilcoxonStatistic", wil.statistic)
b.scalar("wilcoxonP", wil.pvalue)
tt = scipy.stats.ttest_rel(eb, ea)
b.scalar("tStatistic", tt.statistic)
b.scalar("tP", tt.pvalue)
b.integer("bBetter", int(np.sum(eb < ea)))
worst = int(ids[keep][np.argmax(eb - ea)])
b.integer("largestRegressionId", worst)

write_block("cli/test_cli_regression.cpp", b, "gen_cli_regression_refs.py")
