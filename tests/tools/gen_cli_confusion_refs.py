#!/usr/bin/env python3
"""Frozen scikit-learn 1.2 references for tests/cli/test_cli_confusion.cpp, from tests/data/eval/iris_predictions.csv
and tests/data/eval/breast_cancer_predictions.csv (written by gen_sklearn_refs.py).

Run with Debian's python3 (scikit-learn 1.2.1, numpy 1.24.2, pandas 1.5):
    /usr/bin/python3 tests/tools/gen_cli_confusion_refs.py && clang-format -i tests/cli/test_cli_confusion.cpp
"""
import os

import numpy as np
import pandas as pd
from sklearn.metrics import (balanced_accuracy_score, classification_report, cohen_kappa_score, confusion_matrix,
                             roc_auc_score, top_k_accuracy_score)

from frozen_refs import Block, write_block

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.join(HERE, "..", "data", "eval")
b = Block()

iris = pd.read_csv(os.path.join(EVAL, "iris_predictions.csv"))
classes = ["setosa", "versicolor", "virginica"]  # the order of the prob_ columns
probs = iris[[f"prob_{c}" for c in classes]].to_numpy()
y = np.array([classes.index(v) for v in iris["label"]])
pred = probs.argmax(axis=1)
b.comment("iris: argmax predictions of the three prob_ columns.")
b.iarray("irisConfusion", confusion_matrix(y, pred).ravel())
b.array("irisConfusionTrue", confusion_matrix(y, pred, normalize="true").ravel())
b.array("irisConfusionPred", confusion_matrix(y, pred, normalize="pred").ravel())
rep = classification_report(y, pred, output_dict=True, zero_division=0)
b.array("irisPrecision", [rep[str(c)]["precision"] for c in range(3)])
b.array("irisRecall", [rep[str(c)]["recall"] for c in range(3)])
b.array("irisF1", [rep[str(c)]["f1-score"] for c in range(3)])
b.iarray("irisSupport", [rep[str(c)]["support"] for c in range(3)])
b.array("irisMacro", [rep["macro avg"][m] for m in ("precision", "recall", "f1-score")])
b.array("irisWeighted", [rep["weighted avg"][m] for m in ("precision", "recall", "f1-score")])
b.scalar("irisAccuracy", rep["accuracy"])
b.scalar("irisBalanced", balanced_accuracy_score(y, pred))
b.scalar("irisKappa", cohen_kappa_score(y, pred))
b.scalar("irisKappaQuadratic", cohen_kappa_score(y, pred, weights="quadratic"))
b.scalar("irisTop2", top_k_accuracy_score(y, probs, k=2, labels=range(3)))
b.scalar("irisMacroAuc", roc_auc_score(y, probs, multi_class="ovr", average="macro"))
b.scalar("irisWeightedAuc", roc_auc_score(y, probs, multi_class="ovr", average="weighted"))
b.array("irisClassAuc", [roc_auc_score(y == c, probs[:, c]) for c in range(3)])
cell = iris["id"][(y == 1) & (pred == 2)].tolist()  # true versicolor, predicted virginica
b.iarray("irisCellVersicolorVirginica", cell)

bc = pd.read_csv(os.path.join(EVAL, "breast_cancer_predictions.csv"))
b.comment("breast cancer: binary, " + ", ".join(bc.columns) + "; predicted class = score >= 0.5.")
by = bc["label"].to_numpy()
bpred = (bc["score"].to_numpy() >= 0.5).astype(int)
b.iarray("bcConfusion", confusion_matrix(by, bpred).ravel())
b.scalar("bcKappa", cohen_kappa_score(by, bpred))
b.scalar("bcBalanced", balanced_accuracy_score(by, bpred))

write_block("cli/test_cli_confusion.cpp", b, "gen_cli_confusion_refs.py")
