"""Reference for the calibration benchmark: scikit-learn's calibration curve and binary metrics on one log."""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, confusion_matrix, log_loss, roc_auc_score


def main():
    frame = pd.read_csv(sys.argv[1], usecols=["label", "score"])
    y = frame["label"].to_numpy()
    s = frame["score"].to_numpy()
    t0, c0 = time.perf_counter(), time.process_time()
    frac, mean_pred = calibration_curve(y, s, n_bins=10, strategy="uniform")
    auc = roc_auc_score(y, s)
    ap = average_precision_score(y, s)
    ll = log_loss(y, s)
    brier = brier_score_loss(y, s)
    confusion_matrix(y, (s >= 0.5).astype(int))  # accuracy, precision, recall and F1 follow from it
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    # ECE from the same bins, to check both tools agree on the data (not timed).
    counts = np.bincount(np.searchsorted(np.linspace(0, 1, 11)[1:-1], s, side="left"), minlength=10)
    ece = float(np.sum(counts[counts > 0] / len(s) * np.abs(frac - mean_pred)))
    print(f"sklearn_eval_s\t{elapsed:.3f}\tcpu\t{cpu:.3f}\tauc\t{auc:.6f}\tap\t{ap:.6f}\tlog_loss\t{ll:.6f}\tbrier\t{brier:.6f}\tece\t{ece:.6f}")


if __name__ == "__main__":
    main()
