#!/usr/bin/env python3
"""Frozen scipy 1.10 references for tests/analysis/test_paired_regression.cpp.

Run with Debian's python3 (scipy 1.10.1, numpy 1.24):
    /usr/bin/python3 tests/tools/gen_paired_regression_refs.py && clang-format -i tests/analysis/test_paired_regression.cpp
"""
import warnings

import numpy as np
from scipy.stats import ttest_rel, wilcoxon

from frozen_refs import Block, write_block

warnings.simplefilter("ignore")  # scipy warns when it switches to the normal approximation
rng = np.random.default_rng(1810)
b = Block()


def case(name, d):
    res = wilcoxon(d)  # zero_method='wilcox', correction=False, two-sided, method='auto'
    b.array(f"{name}D", d)
    b.scalar(f"{name}Statistic", res.statistic)
    b.scalar(f"{name}P", res.pvalue)


case("exact", rng.normal(0.3, 1, 30))                      # n <= 50, no zeros, no ties: exact
ties = np.round(rng.normal(0.4, 1, 40), 1)
ties[ties == 0] = 0.1
case("exactTies", ties)                                    # ties, no zeros: scipy still exact
with_zeros = np.round(rng.normal(0.2, 1, 45), 1)
with_zeros[[2, 9, 30]] = 0.0
case("zeros", with_zeros)                                  # zeros: normal approximation
case("large", rng.normal(-0.1, 1, 200))                    # n > 50: normal approximation
case("largeTies", np.round(rng.normal(0.15, 1, 300), 0))   # normal approximation with tie correction

# Two regressors on 120 examples: B a bit better.
y = rng.normal(5, 2, 120)
pa = y + rng.normal(0, 1.0, 120)
pb = y + rng.normal(0, 0.8, 120)
b.array("y", y)
b.array("pa", pa)
b.array("pb", pb)
ea, eb = np.abs(pa - y), np.abs(pb - y)
w = wilcoxon(eb - ea)
t = ttest_rel(eb, ea)
b.scalar("absWilcoxonP", w.pvalue)
b.scalar("absWilcoxonStatistic", w.statistic)
b.scalar("absT", t.statistic)
b.scalar("absTP", t.pvalue)
sa, sb = (pa - y) ** 2, (pb - y) ** 2
w2 = wilcoxon(sb - sa)
t2 = ttest_rel(sb, sa)
b.scalar("sqWilcoxonP", w2.pvalue)
b.scalar("sqT", t2.statistic)
b.scalar("sqTP", t2.pvalue)
b.scalar("maeDelta", eb.mean() - ea.mean())
b.scalar("rmseDelta", np.sqrt(sb.mean()) - np.sqrt(sa.mean()))
b.integer("bBetter", int(np.sum(eb < ea)))
b.iarray("worstRows", np.argsort(-(eb - ea), kind="stable")[:5])
write_block("analysis/test_paired_regression.cpp", b, "gen_paired_regression_refs.py")
