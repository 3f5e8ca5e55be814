#!/usr/bin/python3
"""Reference numbers for tests/analysis/test_ensemble.cpp's multiclass ensemble case (Debian python3-sklearn).

Usage: /usr/bin/python3 tests/tools/gen_multiclass_ensemble_refs.py
Prints the members' probabilities (3 decimals, rows summing to 1) and what scikit-learn and numpy say about
each member, their average and their plurality vote (ties to the class the average ranks first).
"""
import numpy as np
from sklearn.metrics import accuracy_score, f1_score, log_loss

rng = np.random.RandomState(7)
n, k, members = 15, 3, 3
labels = rng.randint(0, k, size=n)
probs = []
for m in range(members):
    p = rng.dirichlet(np.ones(k), size=n)
    p[np.arange(n), labels] += 0.15 + 0.1 * m  # some skill, not much
    p = np.round(p / p.sum(axis=1, keepdims=True), 3)
    p[:, -1] = np.round(1 - p[:, :-1].sum(axis=1), 3)
    probs.append(p)
print("labels", list(labels))
for m, p in enumerate(probs):
    print(f"member {m}:", ", ".join(f"{v:.3f}" for v in p.ravel()))
for m, p in enumerate(probs):
    pred = p.argmax(axis=1)
    print(f"member {m} accuracy {accuracy_score(labels, pred):.17g} macro_f1 "
          f"{f1_score(labels, pred, average='macro', labels=range(k), zero_division=0):.17g}")
avg = np.mean(probs, axis=0)
pred = avg.argmax(axis=1)
print(f"average accuracy {accuracy_score(labels, pred):.17g} macro_f1 "
      f"{f1_score(labels, pred, average='macro', labels=range(k), zero_division=0):.17g} "
      f"log_loss {log_loss(labels, avg, labels=range(k)):.17g}")
tops = np.array([p.argmax(axis=1) for p in probs])
shares = np.stack([(tops == c).mean(axis=0) for c in range(k)], axis=1)
vote = []
for r in range(n):
    best = np.flatnonzero(shares[r] == shares[r].max())
    vote.append(best[np.argmax(avg[r, best])])
vote = np.array(vote)
print("vote", list(vote))
print(f"vote accuracy {accuracy_score(labels, vote):.17g} macro_f1 "
      f"{f1_score(labels, vote, average='macro', labels=range(k), zero_division=0):.17g}")
errors = np.array([(p.argmax(axis=1) != labels).astype(float) for p in probs])
print("error correlation 0-1", f"{np.corrcoef(errors)[0, 1]:.17g}", "0-2", f"{np.corrcoef(errors)[0, 2]:.17g}")
resid = np.array([1 - p[np.arange(n), labels] for p in probs])
print("residual correlation 0-1", f"{np.corrcoef(resid)[0, 1]:.17g}")
