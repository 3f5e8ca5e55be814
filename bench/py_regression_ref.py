"""Reference for bench_regression: the same metrics and bootstrap with numpy and scikit-learn 1.2.

usage: py_regression_ref.py Y.bin P.bin RESAMPLES  (float64 files written by bench_regression)
A notebook user would resample row indices with numpy and call scikit-learn's metrics per resample. A full
1,000-resample run takes minutes on 1M rows, so this times 20 resamples and scales the time linearly (each
resample costs the same), saying so.
"""
import sys
import time

import numpy as np
from sklearn.metrics import (max_error, mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
                             median_absolute_error, r2_score)


def metrics(y, p):
    den = np.abs(y) + np.abs(p)
    smape = np.mean(np.where(den > 0, 2 * np.abs(p - y) / np.where(den > 0, den, 1), 0.0))
    return [mean_absolute_error(y, p), mean_squared_error(y, p), mean_squared_error(y, p, squared=False),
            r2_score(y, p), median_absolute_error(y, p), mean_absolute_percentage_error(y, p), smape,
            max_error(y, p), np.mean(p - y)]


def main():
    y = np.fromfile(sys.argv[1], dtype=np.float64)
    p = np.fromfile(sys.argv[2], dtype=np.float64)
    resamples = int(sys.argv[3])
    timed = min(resamples, 20)
    rng = np.random.default_rng(0)
    t0, c0 = time.perf_counter(), time.process_time()
    point = metrics(y, p)
    values = []
    for _ in range(timed):
        idx = rng.integers(0, len(y), len(y))
        values.append(metrics(y[idx], p[idx]))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    scale = resamples / timed
    lo, hi = np.percentile(np.array(values), [2.5, 97.5], axis=0)
    print(f"  numpy + scikit-learn: {wall * scale * 1e3:.0f} ms wall, {cpu * scale * 1e3:.0f} ms CPU "
          f"(timed {timed} resamples, x{scale:g}); MAE {point[0]:.5f} [{lo[0]:.5f}, {hi[0]:.5f}] "
          f"(interval from {timed} resamples only)")


if __name__ == "__main__":
    main()
