"""Reference for the slices benchmarks: pandas groupby of the same slices, and an exhaustive 1-3 way search."""
import itertools
import sys
import time

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint


def slice_table(frame, by):
    grouped = frame.groupby(by, observed=True)["correct"].agg(["sum", "count"])
    low, high = proportion_confint(grouped["sum"], grouped["count"], alpha=0.05, method="wilson")
    return grouped.assign(accuracy=grouped["sum"] / grouped["count"], ci_low=low, ci_high=high)


def exhaustive_search(frame, features, min_support=32, alpha=0.5):
    """Every 1-, 2- and 3-way cross, scored with SliceLine's formula; no pruning."""
    cols = {}
    for f in features:
        col = frame[f]
        if pd.api.types.is_numeric_dtype(col) and col.nunique() > 10:
            col = pd.qcut(col, 4, duplicates="drop")
        cols[f] = col
    data = pd.DataFrame(cols)
    data["error"] = frame["error"]
    n_all = len(data)
    e_bar = data["error"].mean()
    best = []
    for level in (1, 2, 3):
        for combo in itertools.combinations(features, level):
            g = data.groupby(list(combo), observed=True)["error"].agg(["sum", "count"])
            g = g[g["count"] >= min_support]
            score = alpha * ((g["sum"] / g["count"]) / e_bar - 1) - (1 - alpha) * (n_all / g["count"] - 1)
            best.append(score.max())
    return max(best)


def main():
    path, f1, f2 = sys.argv[1], sys.argv[2], sys.argv[3]
    frame = pd.read_csv(path)
    frame["correct"] = ((frame["score"] >= 0.5).astype(int) == frame["label"]).astype(int)
    frame["error"] = 1 - frame["correct"]
    features = [c for c in frame.columns if c not in ("id", "label", "score", "correct", "error")]

    t0, c0 = time.perf_counter(), time.process_time()
    table = slice_table(frame, [f1, f2])
    t_slices, c_slices = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    top = exhaustive_search(frame, features)
    t_search, c_search = time.perf_counter() - t0, time.process_time() - c0
    print(f"pandas_slices_s\t{t_slices:.3f}\tcpu\t{c_slices:.3f}\tslices\t{len(table)}")
    print(f"pandas_search_s\t{t_search:.3f}\tcpu\t{c_search:.3f}\tfeatures\t{len(features)}\ttop_score\t{top:.4f}")


if __name__ == "__main__":
    main()
