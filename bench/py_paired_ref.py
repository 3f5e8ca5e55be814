"""Reference for the paired benchmark: statsmodels McNemar, a numpy/scipy DeLong and a numpy paired bootstrap."""
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import norm, rankdata
from statsmodels.stats.contingency_tables import mcnemar


def delong(y, sa, sb):
    """Fast DeLong (Sun & Xu 2014) with midranks, two correlated AUCs."""
    pos, neg = y == 1, y == 0
    m, n = pos.sum(), neg.sum()
    v10, v01, aucs = [], [], []
    for s in (sa, sb):
        r_all = rankdata(s)
        r_pos = rankdata(s[pos])
        r_neg = rankdata(s[neg])
        auc = (r_all[pos].sum() - m * (m + 1) / 2) / (m * n)
        v10.append((r_all[pos] - r_pos) / n)
        v01.append(1 - (r_all[neg] - r_neg) / m)
        aucs.append(auc)
    s10, s01 = np.cov(np.vstack(v10)), np.cov(np.vstack(v01))
    var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / m + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / n
    z = (aucs[0] - aucs[1]) / np.sqrt(var)
    return z, 2 * norm.sf(abs(z))


class Clock:
    """Wall and process CPU seconds of a block; CPU time shows the work when other programs load the machine."""

    def __enter__(self):
        self.t0, self.c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.t0, time.process_time() - self.c0


def main():
    a = pd.read_csv(sys.argv[1], usecols=["id", "label", "score"])
    b = pd.read_csv(sys.argv[2], usecols=["id", "label", "score"])
    resamples = int(sys.argv[3]) if len(sys.argv) > 3 else 200

    with Clock() as align:
        both = a.merge(b, on="id", suffixes=("_a", "_b"))

    with Clock() as t_mcnemar:
        y = both["label_a"].to_numpy()
        ca = (both["score_a"].to_numpy() >= 0.5).astype(int) == y
        cb = (both["score_b"].to_numpy() >= 0.5).astype(int) == y
        table = [[np.sum(ca & cb), np.sum(ca & ~cb)], [np.sum(~ca & cb), np.sum(~ca & ~cb)]]
        exact = mcnemar(table, exact=True)
        chi2 = mcnemar(table, exact=False, correction=True)

    with Clock() as t_delong:
        z, _ = delong(y, both["score_a"].to_numpy(), both["score_b"].to_numpy())

    with Clock() as t_boot:
        rng = np.random.default_rng(20261126)
        diff = cb.astype(np.int8) - ca.astype(np.int8)
        deltas = [diff[rng.integers(0, len(diff), len(diff))].mean() for _ in range(resamples)]
        np.percentile(deltas, [2.5, 97.5])

    parts = (t_mcnemar, t_delong, t_boot)
    print(f"py_paired_align_s\t{align.wall:.3f}\tcpu\t{align.cpu:.3f}")
    print(f"py_paired_tests_s\t{sum(p.wall for p in parts):.3f}\tcpu\t{sum(p.cpu for p in parts):.3f}"
          f"\tmcnemar_s\t{t_mcnemar.wall:.3f}\tdelong_s\t{t_delong.wall:.3f}\tbootstrap_s\t{t_boot.wall:.3f}"
          f"\tdelong_cpu_s\t{t_delong.cpu:.3f}\tbootstrap_cpu_s\t{t_boot.cpu:.3f}"
          f"\texact_p\t{exact.pvalue:.3g}\tchi2\t{chi2.statistic:.3f}\tz\t{z:.4f}")


if __name__ == "__main__":
    main()
