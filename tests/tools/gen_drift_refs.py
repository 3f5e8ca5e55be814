#!/usr/bin/env python3
"""Frozen scipy 1.10 / numpy / statsmodels references for tests/analysis/test_drift_checks.cpp.

Run with Debian's python3 (scipy 1.10.1, numpy 1.24, statsmodels 0.13):
    /usr/bin/python3 tests/tools/gen_drift_refs.py && clang-format -i tests/analysis/test_drift_checks.cpp
"""
import warnings

import numpy as np
from scipy.stats import chi2_contingency, ks_2samp, kstwo, linregress
from statsmodels.stats.multitest import multipletests

from frozen_refs import Block, write_block

warnings.simplefilter("ignore")
rng = np.random.default_rng(2003)
b = Block()


def ks_case(name, x, y):
    r = ks_2samp(x, y)  # alternative='two-sided', method='auto'
    b.array(f"{name}X", x)
    b.array(f"{name}Y", y)
    b.scalar(f"{name}D", r.statistic)
    b.scalar(f"{name}P", r.pvalue)


ks_case("ksSmall", rng.normal(0, 1, 40), rng.normal(0.5, 1, 55))
ks_case("ksSquare", rng.normal(0, 1, 60), rng.normal(0.3, 1.2, 60))
ks_case("ksTies", np.round(rng.normal(0, 1, 200), 1), np.round(rng.normal(0.2, 1, 150), 1))
ks_case("ksTiny", rng.normal(0, 1, 500), rng.normal(1.5, 1, 600))

# Asymptotic mode (max(n1, n2) > 10000) on data both sides compute identically: i / n and affine maps of it.
for name, n1, n2, scale, shift in (("asymA", 12000, 15000, 1.02, 0.0), ("asymB", 12000, 15000, 1.0, 0.03),
                                   ("asymC", 20000, 30, 1.0, 0.1), ("asymD", 11000, 400, 1.0, 0.12)):
    x = np.arange(n1) / n1
    y = np.arange(n2) / n2 * scale + shift
    r = ks_2samp(x, y)
    b.scalar(f"{name}D", r.statistic)
    b.scalar(f"{name}P", r.pvalue)

# kstwo.sf over every branch of Simard & L'Ecuyer's scheme.
grid = []
for n in (5, 30, 100, 140, 141, 1000, 6667, 100000, 120000, 2000000):
    for d in (0.6 / n, 0.9 / n, 1.5 / n, 0.3 / np.sqrt(n), 0.8 / np.sqrt(n), 1.3 / np.sqrt(n), 1.8 / np.sqrt(n),
              3.0 / np.sqrt(n), 0.3, 0.55, 1 - 1.5 / n):
        if 0 < d < 1:
            grid.append((n, d, kstwo.sf(d, n)))
b.iarray("gridN", [g[0] for g in grid])
b.array("gridD", [g[1] for g in grid])
b.array("gridSf", [g[2] for g in grid])

# PSI from its definition: reference quantile edges, epsilon-floored shares.
ref = rng.normal(0, 1, 400)
cur = rng.normal(0.8, 1.3, 300)
edges = np.unique(np.quantile(ref, np.arange(11) / 10))
inner = edges[1:-1]
r_counts = np.bincount(np.searchsorted(inner, ref, side="left"), minlength=len(inner) + 1)
c_counts = np.bincount(np.searchsorted(inner, cur, side="left"), minlength=len(inner) + 1)
rs, cs = np.maximum(r_counts / len(ref), 1e-4), np.maximum(c_counts / len(cur), 1e-4)
b.array("psiRef", ref)
b.array("psiCur", cur)
b.scalar("psi", np.sum((cs - rs) * np.log(cs / rs)))
b.iarray("psiRefCounts", r_counts)
b.iarray("psiCurCounts", c_counts)
ksr = ks_2samp(ref, cur)
b.scalar("psiKsP", ksr.pvalue)

# Categorical: chi2_contingency on 2 x categories (no Yates: dof > 1), and a 2 x 2 table (Yates).
table = np.array([[120, 60, 20], [90, 80, 45]])
chi = chi2_contingency(table)
b.scalar("chiStat", chi[0])
b.scalar("chiP", chi[1])
table2 = np.array([[30, 10], [22, 18]])
chi2 = chi2_contingency(table2)
b.scalar("yatesStat", chi2[0])
b.scalar("yatesP", chi2[1])
table3 = np.array([[50, 30, 20], [40, 40, 20], [20, 30, 50]])
chi3 = chi2_contingency(table3)
b.scalar("labelStat", chi3[0])
b.scalar("labelP", chi3[1])
pri = table3 / table3.sum(axis=1, keepdims=True)
b.array("labelPsi", [np.sum((np.maximum(pri[s], 1e-4) - np.maximum(pri[0], 1e-4)) *
                            np.log(np.maximum(pri[s], 1e-4) / np.maximum(pri[0], 1e-4))) for s in range(3)])
# BH across: numeric PSI feature, the categorical feature (its table), an unchanged feature.
same_a, same_b = rng.normal(0, 1, 300), rng.normal(0, 1, 320)
b.array("sameA", same_a)
b.array("sameB", same_b)
ps = [ksr.pvalue, chi[1], ks_2samp(same_a, same_b).pvalue]
b.array("bhAdjusted", multipletests(ps, method="fdr_bh")[1])

# Trend: linregress of correctness on row order, accuracy falling from ~0.9 to ~0.7.
order = np.arange(400, dtype=float)
correct = (rng.random(400) < 0.9 - 0.2 * order / 400).astype(float)
lr = linregress(order, correct)
b.array("trendY", correct)
b.scalar("trendSlope", lr.slope)
b.scalar("trendIntercept", lr.intercept)
b.scalar("trendR", lr.rvalue)
b.scalar("trendP", lr.pvalue)
b.scalar("trendStderr", lr.stderr)
write_block("analysis/test_drift_checks.cpp", b, "gen_drift_refs.py")
