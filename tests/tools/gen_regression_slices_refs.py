#!/usr/bin/env python3
"""Fixtures and frozen pandas / numpy / scipy references for the regression slices and regression diff tests.

Run with Debian's python3 (pandas 1.5.3, scipy 1.10.1, numpy 1.24.2):
    /usr/bin/python3 tests/tools/gen_regression_slices_refs.py && \
        clang-format -i tests/analysis/test_regression_slices.cpp tests/cli/test_cli_regression_slices.cpp
It writes tests/data/regression_slices/{slices_a,slices_b,simpson_a,simpson_b,planted,noise}.csv.
"""
import itertools
import os

import numpy as np
import pandas as pd
import scipy.stats

from frozen_refs import Block, write_block

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "regression_slices")
os.makedirs(DATA, exist_ok=True)
rng = np.random.default_rng(1818)


def metrics(y, p):
    """scikit-learn 1.2's definitions, in numpy: MAE, MSE, RMSE, R^2, bias (mean of p - y), median AE."""
    e = p - y
    mse = np.mean(e ** 2)
    ss_tot = np.sum((y - y.mean()) ** 2)
    return {"mae": np.mean(np.abs(e)), "mse": mse, "rmse": np.sqrt(mse), "r2": 1 - np.sum(e ** 2) / ss_tot,
            "bias": np.mean(e), "medae": np.median(np.abs(e))}


def pct(v):
    return "%g" % v


# 1. slices_a.csv / slices_b.csv: the same 300 ids (B shuffled); A errs most in west, B in north and south.
n = 300
region = rng.choice(["north", "south", "west"], size=n, p=[0.4, 0.4, 0.2])
size = np.round(rng.uniform(0, 100, n), 3)
y = 10 + 0.1 * size + rng.normal(0, 2, n)
sd_a = np.select([region == "west"], [3.0], 1.0)
sd_b = np.select([region == "west"], [2.0], 1.5)
pa = y + rng.normal(0, 1, n) * sd_a
pb = y + rng.normal(0, 1, n) * sd_b
ids = np.arange(1000, 1000 + n)
frame = pd.DataFrame({"id": ids, "region": region, "size": size, "label": y, "prediction_a": pa,
                      "prediction_b": pb})
with open(os.path.join(DATA, "slices_a.csv"), "w") as f:
    f.write("id,region,size,label,prediction\n")
    for i in range(n):
        f.write(f"{ids[i]},{region[i]},{size[i]!r},{y[i]!r},{pa[i]!r}\n")
order = rng.permutation(n)
with open(os.path.join(DATA, "slices_b.csv"), "w") as f:
    f.write("id,region,size,label,prediction\n")
    for i in order:
        f.write(f"{ids[i]},{region[i]},{size[i]!r},{y[i]!r},{pb[i]!r}\n")

b = Block()
cli = Block()
b.comment("1. slices_a/slices_b by region (pandas groupby, sorted by region): n, MAE, MSE, RMSE, R^2, bias,")
b.comment("   median AE per slice of A then B; then the overall row.")
regions = sorted(set(region))
cli.comment("1. slices_a/slices_b by region (pandas groupby, sorted by region) and overall, as in the core test.")
for tag, col in (("A", "prediction_a"), ("B", "prediction_b")):
    rows = {k: [] for k in ("n", "mae", "mse", "rmse", "r2", "bias", "medae")}
    for key, g in frame.groupby("region", sort=True):
        m = metrics(g["label"].to_numpy(), g[col].to_numpy())
        rows["n"].append(len(g))
        for k in m:
            rows[k].append(m[k])
    for k, v in rows.items():
        (b.iarray if k == "n" else b.array)(f"region{k.capitalize()}{tag}", v)
        (cli.iarray if k == "n" else cli.array)(f"region{k.capitalize()}{tag}", v)
    m = metrics(y, frame[col].to_numpy())
    for k in m:
        b.scalar(f"overall{k.capitalize()}{tag}", m[k])
        cli.scalar(f"overall{k.capitalize()}{tag}", m[k])

# Numeric size: quantile edges of the values pooled over both cohorts (numpy's linear percentiles), buckets
# [a, b) with the last closed, labelled with %g.
pooled = np.concatenate([size, size])
edges = np.unique(np.quantile(pooled, [0, 0.25, 0.5, 0.75, 1.0]))
inner = np.searchsorted(edges, size, side="right") - 1
inner = np.minimum(inner, len(edges) - 2)
labels = [f"[{pct(edges[k])}, {pct(edges[k + 1])}" + ("]" if k == len(edges) - 2 else ")") for k in inner]
frame["bucket"] = labels
b.comment("2. slices_a by size (4 pooled quantile buckets, in order of the label text): n and MAE of A, the edges.")
b.array("sizeEdges", edges)
ns, maes = [], []
for key, g in frame.groupby("bucket", sort=True):
    ns.append(len(g))
    maes.append(np.mean(np.abs(g["prediction_a"] - g["label"])))
b.iarray("sizeN", ns)
b.array("sizeMae", maes)

# 3. Simpson (hand-worked in the test, nothing frozen): A wins every slice, loses overall, because it has 80% of its examples in the hard slice.
def simpson_file(name, start, n_easy, n_hard, err_easy, err_hard):
    with open(os.path.join(DATA, name), "w") as f:
        f.write("id,difficulty,label,prediction\n")
        k = start
        for difficulty, count, err in (("easy", n_easy, err_easy), ("hard", n_hard, err_hard)):
            for j in range(count):
                label = 5.5 + (j % 7)  # not a whole number: read as a regression log
                sign = 1 if j % 2 == 0 else -1
                f.write(f"{k},{difficulty},{label!r},{label + sign * err!r}\n")
                k += 1


simpson_file("simpson_a.csv", 1, 20, 80, 1.0, 3.0)
simpson_file("simpson_b.csv", 501, 80, 20, 1.25, 3.5)

# 4. The finder: planted.csv with a high-error slice color=red & shape=square; noise.csv with none.
def finder_file(name, planted, seed):
    g = np.random.default_rng(seed)
    m = 2000
    color = g.choice(["red", "green", "blue", "grey"], size=m)
    shape = g.choice(["square", "circle", "star"], size=m)
    label = g.normal(50, 10, m)
    scale = np.where(planted & (color == "red") & (shape == "square"), 3.0, 1.0)
    pred = label + g.normal(0, 1, m) * scale
    with open(os.path.join(DATA, name), "w") as f:
        f.write("id,color,shape,label,prediction\n")
        for i in range(m):
            f.write(f"{i},{color[i]},{shape[i]},{label[i]!r},{pred[i]!r}\n")
    return pd.DataFrame({"color": color, "shape": shape, "loss": np.abs(label - pred)})


def enumerate_slices(df, min_support=32):
    """Single features and pairs, as the finder: every cell with min_support <= n < N."""
    out = []
    feats = ["color", "shape"]
    for level in (1, 2):
        for combo in itertools.combinations(feats, level):
            for key, g in df.groupby(list(combo) if len(combo) > 1 else combo[0]):
                if len(g) < min_support or len(g) == len(df):
                    continue
                rest = df.loc[~df.index.isin(g.index), "loss"]
                t = scipy.stats.ttest_ind(g["loss"], rest, equal_var=False, alternative="greater")
                out.append((combo, key if isinstance(key, tuple) else (key,), len(g), t.pvalue, t.statistic))
    return out


def bh(p):
    p = np.asarray(p)
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(len(p))
    out[order] = np.minimum(q, 1)
    return out


planted = finder_file("planted.csv", True, 77)
slices = enumerate_slices(planted)
q = bh([s[3] for s in slices])
b.comment("4. planted.csv: slices evaluated; scipy ttest_ind(equal_var=False, alternative='greater') of the")
b.comment("   planted slice (color=red, shape=square) and of color=red against the rest; BH q of the planted one.")
b.integer("plantedEvaluated", len(slices))
for (combo, key, size_, p, t), qq in zip(slices, q):
    if combo == ("color", "shape") and key == ("red", "square"):
        b.scalar("plantedP", p)
        b.scalar("plantedT", t)
        b.scalar("plantedQ", qq)
        b.integer("plantedN", size_)
    if combo == ("color",) and key == ("red",):
        b.scalar("redP", p)
        b.scalar("redT", t)
noise = finder_file("noise.csv", False, 78)
slices = enumerate_slices(noise)
q = bh([s[3] for s in slices])
b.comment("5. noise.csv: slices evaluated and the smallest BH q over them (no slice is real).")
b.integer("noiseEvaluated", len(slices))
b.scalar("noiseMinQ", q.min())
assert q.min() >= 0.05

# 6. diff A B: per-example absolute errors on the 300 shared ids (B's order does not matter: aligned by id).
ea = np.abs(pa - y)
eb = np.abs(pb - y)
d = eb - ea
w = scipy.stats.wilcoxon(d)
t = scipy.stats.ttest_rel(eb, ea)
cli.comment("6. diff slices_a slices_b: MAE/RMSE of B - A, scipy.stats.wilcoxon(eb - ea), ttest_rel(eb, ea),")
cli.comment("   share of examples where B is better, the ids of the 10 largest increases in |error|.")
cli.scalar("maeDelta", eb.mean() - ea.mean())
cli.scalar("rmseDelta", np.sqrt(np.mean(eb ** 2)) - np.sqrt(np.mean(ea ** 2)))
cli.scalar("wilcoxonStatistic", w.statistic)
cli.scalar("wilcoxonP", w.pvalue)
cli.scalar("tStatistic", t.statistic)
cli.scalar("tP", t.pvalue)
cli.scalar("shareBBetter", np.mean(eb < ea))
top = np.argsort(-d, kind="stable")[:10]
cli.iarray("topRegressionIds", ids[top])

write_block("analysis/test_regression_slices.cpp", b, "gen_regression_slices_refs.py")
write_block("cli/test_cli_regression_slices.cpp", cli, "gen_regression_slices_refs.py")
