"""Writes two aligned 1M-row binary prediction logs (models A and B, 10 feature columns) for make bench."""
import sys

import numpy as np
import pandas as pd


def make(n, seed):
    rng = np.random.default_rng(seed)
    cats = {
        "region": np.array(["north", "south", "east", "west", "central", "islands"]),
        "device": np.array(["desktop", "phone", "tablet"]),
        "country": np.array([f"c{i:02d}" for i in range(20)]),
        "plan": np.array(["free", "basic", "pro", "team"]),
        "channel": np.array(["ads", "search", "social", "referral", "email"]),
    }
    frame = {"id": np.arange(n, dtype=np.int64)}
    for name, values in cats.items():
        frame[name] = values[rng.integers(0, len(values), n)]
    frame["age"] = rng.integers(18, 80, n)
    frame["income"] = np.round(rng.lognormal(10.5, 0.6, n), 2)
    frame["tenure_days"] = rng.integers(0, 3000, n)
    frame["sessions"] = rng.poisson(12, n)
    frame["latency_ms"] = np.round(rng.gamma(2.0, 40.0, n), 1)

    # True log-odds from a few features; the models see it through noise, worse on a few slices
    # (so slice finding has something to find) and model B a little less noisy than model A.
    logit = 0.8 * (frame["age"] - 45) / 20 + 0.5 * (frame["plan"] == "pro") - 0.3 * (frame["device"] == "phone")
    label = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    hard = (frame["region"] == "south") & (frame["device"] == "tablet")
    noise_a = rng.normal(0, 1.0, n) + np.where(hard, rng.normal(0, 2.5, n), 0)
    noise_b = rng.normal(0, 0.9, n) + np.where(hard, rng.normal(0, 1.5, n), 0)
    signal = np.where(label == 1, 1.2, -1.2) + 0.5 * logit
    frame["label"] = label
    score_a = 1 / (1 + np.exp(-(signal + noise_a)))
    score_b = 1 / (1 + np.exp(-(signal + noise_b)))
    return pd.DataFrame(frame), score_a, score_b


def main():
    n = int(sys.argv[1])
    out_a, out_b = sys.argv[2], sys.argv[3]
    frame, score_a, score_b = make(n, 20260101)
    for path, score in ((out_a, score_a), (out_b, score_b)):
        frame.assign(score=np.round(score, 6)).to_csv(path, index=False)


if __name__ == "__main__":
    main()
