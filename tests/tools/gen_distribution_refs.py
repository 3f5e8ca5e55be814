#!/usr/bin/env python3
"""Frozen scipy 1.10 references for tests/analysis/test_statistics_distributions.cpp.

Run with Debian's python3 (scipy 1.10.1):
    /usr/bin/python3 tests/tools/gen_distribution_refs.py && clang-format -i tests/analysis/test_statistics_distributions.cpp
"""
import numpy as np
from scipy.special import gammaincc
from scipy.stats import chi2, norm, t

from frozen_refs import Block, write_block

b = Block()
tcases = [(-3.5, 2), (0.3, 5), (1.96, 30), (4.2, 9), (-12.0, 100), (2.5, 5e5), (0.0, 7)]
b.array("tT", [c[0] for c in tcases])
b.array("tDf", [c[1] for c in tcases])
b.array("tCdf", [t.cdf(x, df) for x, df in tcases])
b.array("tTwoSided", [2 * t.sf(abs(x), df) for x, df in tcases])
qcases = [(0.975, 1), (0.975, 4), (0.9, 12), (0.995, 60), (0.025, 3)]
b.array("qP", [c[0] for c in qcases])
b.array("qDf", [c[1] for c in qcases])
b.array("tPpf", [t.ppf(p, df) for p, df in qcases])
ccases = [(0.5, 1), (3.84, 1), (10.0, 3), (40.0, 10), (200.0, 150), (1500.0, 1200), (0.01, 20)]
b.array("cX", [c[0] for c in ccases])
b.array("cDf", [c[1] for c in ccases])
b.array("cSf", [chi2.sf(x, df) for x, df in ccases])
gcases = [(0.5, 0.2), (3.0, 2.5), (10.0, 15.0), (100.0, 90.0)]
b.array("gA", [c[0] for c in gcases])
b.array("gX", [c[1] for c in gcases])
b.array("gQ", [gammaincc(a, x) for a, x in gcases])
b.array("pdfZ", [-2.0, 0.0, 0.7])
b.array("pdf", norm.pdf([-2.0, 0.0, 0.7]))
write_block("analysis/test_statistics_distributions.cpp", b, "gen_distribution_refs.py")
