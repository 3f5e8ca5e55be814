#!/usr/bin/env python3
"""Writes the frozen scikit-learn learning-curve fixture that the Runlens learning-curve tests read.

Run once with Debian's python3 (scikit-learn 1.2, numpy):
    /usr/bin/python3 tests/tools/gen_learning_curve_refs.py
It writes tests/data/learning_curve/breast_cancer_logreg.csv in the wide layout (train_size, train_score_0..4,
test_score_0..4) and prints, per size, numpy's mean and std (ddof = 0, as sklearn's plot_learning_curve example)
of both score sets; those printed values are written by hand into tests/analysis/test_learning_curve_scores.cpp.
"""
import os

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import learning_curve

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "learning_curve", "breast_cancer_logreg.csv")


def main():
    X, y = load_breast_cancer(return_X_y=True)
    sizes, train, test = learning_curve(LogisticRegression(max_iter=5000), X, y, cv=5,
                                        train_sizes=np.linspace(0.1, 1.0, 5))
    folds = train.shape[1]
    header = ["train_size"] + [f"train_score_{k}" for k in range(folds)] + [f"test_score_{k}" for k in range(folds)]
    with open(OUT, "w", newline="\n") as out:
        out.write(",".join(header) + "\n")
        for i, size in enumerate(sizes):
            cells = [str(int(size))] + [repr(float(v)) for v in train[i]] + [repr(float(v)) for v in test[i]]
            out.write(",".join(cells) + "\n")
    print("# sklearn", sklearn.__version__, "numpy", np.__version__)
    print("sizes", [int(s) for s in sizes])
    for name, scores in (("train", train), ("test", test)):
        print(name, "mean", [repr(float(v)) for v in scores.mean(axis=1)])
        print(name, "std ", [repr(float(v)) for v in scores.std(axis=1)])


if __name__ == "__main__":
    main()
