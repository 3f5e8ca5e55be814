#!/usr/bin/env python3
"""Frozen numpy / scipy references for tests/analysis/test_residual_views.cpp and
tests/analysis/test_interval_coverage.cpp.

Run with Debian's python3 (numpy 1.24, scipy 1.10, statsmodels 0.13):
    /usr/bin/python3 tests/tools/gen_residual_refs.py
    clang-format -i tests/analysis/test_residual_views.cpp tests/analysis/test_interval_coverage.cpp
"""
import numpy as np
from scipy.stats import norm, t
from statsmodels.stats.proportion import proportion_confint

from frozen_refs import Block, write_block

rng = np.random.default_rng(20)

# --- residual views ---
b = Block()
y = rng.normal(50, 10, 300)
p = y + rng.standard_t(4, 300) * 3 + 0.1 * (y - 50)
res = y - p
b.array("y", y)
b.array("p", p)
b.comment("numpy.histogram(res, bins='auto') and bins=12")
counts, edges = np.histogram(res, bins="auto")
b.iarray("autoCounts", counts)
b.array("autoEdges", edges)
counts12, edges12 = np.histogram(res, bins=12)
b.iarray("counts12", counts12)
b.array("edges12", edges12)
centres = (edges12[:-1] + edges12[1:]) / 2
sd = res.std(ddof=1)
b.scalar("resMean", res.mean())
b.scalar("resSd", sd)
b.array("density12", norm.pdf(centres, loc=res.mean(), scale=sd))

b.comment("binned residual mean against the prediction: 8 quantile bins, numpy.histogram with those edges")
qedges = np.unique(np.quantile(p, np.arange(9) / 8))
n_b, _ = np.histogram(p, bins=qedges)
s_b, _ = np.histogram(p, bins=qedges, weights=res)
b.array("binEdges", qedges)
b.iarray("binCounts", n_b)
b.array("binMeans", s_b / n_b)
idx = np.clip(np.searchsorted(qedges, p, side="right") - 1, 0, len(qedges) - 2)
sds = np.array([res[idx == k].std(ddof=1) for k in range(len(qedges) - 1)])
half = t.ppf(0.975, n_b - 1) * sds / np.sqrt(n_b)
b.array("binCiLow", s_b / n_b - half)
b.array("binCiHigh", s_b / n_b + half)

b.comment("numpy.histogram2d(p, y, bins=[7, 5]) with its own range, and with range=[[30, 70], [35, 65]]")
h, _, _ = np.histogram2d(p, y, bins=[7, 5])
b.iarray("hist2d", h.ravel())
h2, _, _ = np.histogram2d(p, y, bins=[7, 5], range=[[30, 70], [35, 65]])
b.iarray("hist2dRange", h2.ravel())
b.integer("hist2dRangeInside", h2.sum())
write_block("analysis/test_residual_views.cpp", b, "gen_residual_refs.py")

# --- interval coverage ---
c = Block()
yc = rng.normal(0, 1, 500)
centre = yc + rng.normal(0, 0.5, 500)
# A 90% interval that is too narrow: +-1.2 around a prediction whose error sd is 0.5 * ... on purpose.
lo = centre - 0.7
hi = centre + 0.7
c.array("y", yc)
c.array("lower", lo)
c.array("upper", hi)
inside = int(np.sum((yc >= lo) & (yc <= hi)))
c.integer("inside", inside)
c.integer("below", int(np.sum(yc < lo)))
c.integer("above", int(np.sum(yc > hi)))
wl, wh = proportion_confint(inside, 500, alpha=0.05, method="wilson")
c.scalar("wilsonLow", wl)
c.scalar("wilsonHigh", wh)
write_block("analysis/test_interval_coverage.cpp", c, "gen_residual_refs.py")
