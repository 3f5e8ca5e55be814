#!/usr/bin/env python3
"""Reference values for tests/analysis/test_numbers_refs.cpp (issue 14: quantile edges, Wilson bounds,
uniform-random baselines). Run with Debian's python3 (numpy 1.24, scipy 1.10, statsmodels 0.13):
    /usr/bin/python3 tests/tools/gen_numbers_refs.py
and paste the printed lines into the test."""
import numpy as np
import scipy.special
import scipy.stats
from statsmodels.stats.proportion import proportion_confint


def scores(n):
    # i/(n-1) mapped to [0.05, 0.95] and rounded to 6 decimals: short decimals that double cannot hold
    # exactly, where a floating-point percentile position lands one ulp off.
    return np.round(np.arange(n) / (n - 1) * 0.9 + 0.05, 6)


# Quantile edges where (n-1)k/B is not an integer: numpy's linear percentiles (the position (n-1)q).
s = scores(13)
print("// np.percentile(scores(13), np.linspace(0, 1, 6) * 100)")
print("edges13 =", [repr(float(v)) for v in np.percentile(s, np.linspace(0, 1, 6) * 100)])
print("scores13 =", [repr(float(v)) for v in s])

# Wilson 95% bounds at k = 0 and k = n, and one ordinary case.
for k, n in [(0, 7), (7, 7), (3, 7)]:
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    print(f"wilson({k}, {n}) = ({lo!r}, {hi!r})")

# Uniform-random multiclass baseline (flat Dirichlet rows): exact expectations.
for k in [2, 3, 5]:
    d = scipy.stats.dirichlet(np.ones(k))
    mean, var = d.mean(), d.var()
    e_p2 = var + mean ** 2  # E[p_c^2]
    brier = k * e_p2[0] - 2 * mean[0] + 1  # E[sum_c (p_c - y_c)^2]
    log_loss = scipy.special.digamma(k) - scipy.special.digamma(1)  # E[-log p_true], p_true ~ Beta(1, k-1)
    print(f"k={k}: accuracy {1 / k!r} brier {brier!r} log_loss {log_loss!r}")
