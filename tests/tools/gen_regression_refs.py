#!/usr/bin/env python3
"""Frozen scikit-learn 1.2 / numpy references for tests/analysis/test_regression_metrics.cpp.

Run with Debian's python3 (scikit-learn 1.2.1, numpy 1.24):
    /usr/bin/python3 tests/tools/gen_regression_refs.py && clang-format -i tests/analysis/test_regression_metrics.cpp
"""
import numpy as np
from sklearn.metrics import (max_error, mean_absolute_error, mean_absolute_percentage_error,
                             mean_squared_error, median_absolute_error, r2_score)

from frozen_refs import Block, write_block

rng = np.random.default_rng(18)
b = Block()


def metrics(prefix, y, p, w=None):
    b.scalar(f"{prefix}Mae", mean_absolute_error(y, p, sample_weight=w))
    b.scalar(f"{prefix}Mse", mean_squared_error(y, p, sample_weight=w))
    b.scalar(f"{prefix}Rmse", mean_squared_error(y, p, sample_weight=w, squared=False))
    b.scalar(f"{prefix}R2", r2_score(y, p, sample_weight=w))
    b.scalar(f"{prefix}MedianAe", median_absolute_error(y, p, sample_weight=w))
    b.scalar(f"{prefix}Mape", mean_absolute_percentage_error(y, p, sample_weight=w))
    b.scalar(f"{prefix}MaxError", max_error(y, p))
    # sMAPE and the bias are not in scikit-learn: numpy from their definitions.
    den = np.abs(y) + np.abs(p)
    sape = np.where(den > 0, 2 * np.abs(p - y) / np.where(den > 0, den, 1), 0.0)
    b.scalar(f"{prefix}Smape", np.average(sape, weights=w))
    b.scalar(f"{prefix}MeanError", np.average(p - y, weights=w))


# 1. 61 rows (odd: the median is one value), labels around 10, noisy predictions, weights in [0.2, 3].
y = rng.normal(10, 3, 61)
p = y + rng.normal(0.4, 1.5, 61)
w = rng.uniform(0.2, 3.0, 61)
b.array("y", y)
b.array("p", p)
b.array("w", w)
metrics("plain", y, p)
metrics("weighted", y, p, w)

# 2. 40 rows (even: np.median averages the two middle values) with some labels near and at 0.
y2 = rng.normal(0, 1, 40)
y2[3] = 0.0
y2[7] = 1e-4
p2 = y2 + rng.normal(0, 0.3, 40)
b.array("y2", y2)
b.array("p2", p2)
metrics("nearZero", y2, p2)

# 3. Constant labels (R^2 edge case of r2_score's force_finite): exact predictions give 1, others 0.
yc = np.full(8, 2.5)
pc = yc + np.array([0.5, -0.25, 0, 0, 1, 0, 0, -1])
b.scalar("constantR2", r2_score(yc, pc))
b.scalar("constantExactR2", r2_score(yc, yc))

write_block("analysis/test_regression_metrics.cpp", b, "gen_regression_refs.py")
