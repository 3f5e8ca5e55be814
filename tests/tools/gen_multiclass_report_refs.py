#!/usr/bin/env python3
"""Frozen scikit-learn 1.2 references for tests/analysis/test_multiclass_report.cpp.

Run with Debian's python3 (scikit-learn 1.2.1, numpy 1.24):
    /usr/bin/python3 tests/tools/gen_multiclass_report_refs.py && clang-format -i tests/analysis/test_multiclass_report.cpp
"""
import warnings

import numpy as np
from sklearn.metrics import (average_precision_score, balanced_accuracy_score, classification_report,
                             cohen_kappa_score, confusion_matrix, precision_recall_curve, roc_auc_score, roc_curve,
                             top_k_accuracy_score)

from frozen_refs import Block, write_block

warnings.simplefilter("ignore")
rng = np.random.default_rng(1818)
b = Block()
n, k = 240, 4
y = rng.integers(0, k, n)
logits = rng.normal(0, 1, (n, k))
logits[np.arange(n), y] += 1.2
probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
# One decimal: many tied scores, for top-k ties and the ROC thresholds (rows no longer sum to exactly 1, so
# roc_auc_score gets the unrounded probabilities).
rounded = np.round(probs, 1)
pred = probs.argmax(axis=1)
b.iarray("y", y)
b.array("probs", probs.ravel())
b.array("rounded", rounded.ravel())
b.iarray("pred", pred)

rep = classification_report(y, pred, output_dict=True, zero_division=0)
b.array("precision", [rep[str(c)]["precision"] for c in range(k)])
b.array("recall", [rep[str(c)]["recall"] for c in range(k)])
b.array("f1", [rep[str(c)]["f1-score"] for c in range(k)])
b.iarray("support", [rep[str(c)]["support"] for c in range(k)])
b.scalar("accuracy", rep["accuracy"])
b.array("macroAvg", [rep["macro avg"][m] for m in ("precision", "recall", "f1-score")])
b.array("weightedAvg", [rep["weighted avg"][m] for m in ("precision", "recall", "f1-score")])
b.scalar("balanced", balanced_accuracy_score(y, pred))
b.scalar("kappa", cohen_kappa_score(y, pred))
b.scalar("kappaLinear", cohen_kappa_score(y, pred, weights="linear"))
b.scalar("kappaQuadratic", cohen_kappa_score(y, pred, weights="quadratic"))
b.array("topK", [top_k_accuracy_score(y, probs, k=t, labels=range(k)) for t in (1, 2, 3)])
b.array("topKRounded", [top_k_accuracy_score(y, rounded, k=t, labels=range(k)) for t in (1, 2, 3)])
b.scalar("macroAuc", roc_auc_score(y, probs, multi_class="ovr", average="macro"))
b.scalar("weightedAuc", roc_auc_score(y, probs, multi_class="ovr", average="weighted"))
b.array("classAuc", [roc_auc_score(y == c, probs[:, c]) for c in range(k)])
b.array("classAp", [average_precision_score(y == c, probs[:, c]) for c in range(k)])
# roc_curve with its default drop_intermediate=True on the tied scores of class 2.
fpr, tpr, thr = roc_curve(y == 2, rounded[:, 2])
b.array("rocFpr2", fpr)
b.array("rocTpr2", tpr)
b.array("rocThr2", thr)
fpr, tpr, thr = roc_curve(y == 1, probs[:, 1])
b.array("rocFpr1", fpr)
b.array("rocTpr1", tpr)
prec, rec, _ = precision_recall_curve(y == 2, rounded[:, 2])
b.array("prPrecision2", prec)
b.array("prRecall2", rec)
for name, norm in (("cmTrue", "true"), ("cmPred", "pred"), ("cmAll", "all")):
    b.array(name, confusion_matrix(y, pred, normalize=norm).ravel())
b.iarray("cm", confusion_matrix(y, pred).ravel())

# Kappa with a class missing from both arrays: scikit-learn's classes are {0, 1, 3}, so 3 sits next to 1.
ya = np.array([0, 0, 1, 1, 3, 3, 3, 0, 1, 3])
pa = np.array([0, 1, 1, 3, 3, 3, 0, 0, 1, 1])
b.iarray("gapY", ya)
b.iarray("gapPred", pa)
b.scalar("gapKappaLinear", cohen_kappa_score(ya, pa, weights="linear"))
b.scalar("gapBalanced", balanced_accuracy_score(ya, pa))
write_block("analysis/test_multiclass_report.cpp", b, "gen_multiclass_report_refs.py")
