#!/usr/bin/python3
"""Writes real Optuna studies for tests/io/test_optuna_reader.cpp and prints what Optuna itself reads back.

Usage: gen_optuna_studies.py DIR   (Debian's python3-optuna; exit status 3 when optuna is not installed)

DIR/optuna.db     SQLite storage: study "demo" (minimize; float, int and categorical params incl. a None and a
                  bool choice from enqueued trials; reported intermediate values; one pruned, one failed, one
                  infinite and one added trial) and study "pareto" (minimize, maximize).
DIR/journal.log   JournalStorage file with the same two studies (JournalFileStorage, Optuna >= 3.1).
stdout            JSON: for each storage, Optuna's own view of every trial, loaded back through
                  optuna.load_study. Floats are given as float.hex() so the test compares them exactly.
"""
import json
import math
import sys

try:
    import optuna
    from optuna.storages import JournalFileStorage, JournalStorage
except ImportError:
    sys.exit(3)

import warnings

warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)


def objective(trial):
    x = trial.suggest_float("x", -10, 10)
    lr = trial.suggest_float("lr", 1e-3, 1.0, log=True)
    layers = trial.suggest_int("layers", 1, 4)
    opt = trial.suggest_categorical("optimizer", ["adam", "sgd", None, True])
    for step in range(4):
        trial.report((x - 2) ** 2 + 1.0 / (step + 1), step * 10)
    if trial.number == 2:
        raise optuna.TrialPruned()
    if trial.number == 3:
        raise ValueError("a failed trial")
    if trial.number == 4:
        return float("inf")
    return (x - 2) ** 2 + layers * lr


def pareto(trial):
    a = trial.suggest_float("a", 0, 1)
    b = trial.suggest_int("b", 0, 3)
    return a * b, a + b


def write(storage):
    demo = optuna.create_study(study_name="demo", storage=storage, direction="minimize",
                               sampler=optuna.samplers.RandomSampler(seed=7))
    demo.enqueue_trial({"optimizer": None})  # enqueued trials take their params from the queue
    demo.enqueue_trial({"optimizer": True})
    demo.optimize(objective, n_trials=6, catch=(ValueError,))
    dists = {"x": optuna.distributions.FloatDistribution(-10, 10),
             "lr": optuna.distributions.FloatDistribution(1e-3, 1.0, log=True),
             "layers": optuna.distributions.IntDistribution(1, 4),
             "optimizer": optuna.distributions.CategoricalDistribution(["adam", "sgd", None, True])}
    # A trial added whole (the journal writes it as one create_trial operation with everything in it).
    demo.add_trial(optuna.trial.create_trial(params={"x": 1.5, "lr": 0.5, "layers": 3, "optimizer": "adam"},
                                             distributions=dists, value=0.25,
                                             intermediate_values={0: 1.0, 5: 0.5}))
    multi = optuna.create_study(study_name="pareto", storage=storage, directions=["minimize", "maximize"],
                                sampler=optuna.samplers.RandomSampler(seed=3))
    multi.optimize(pareto, n_trials=3)


def hexed(v):
    return None if v is None else float.hex(float(v))


def param_text(dist, value):
    if isinstance(dist, optuna.distributions.FloatDistribution):
        return {"float": float.hex(value)}
    return {"text": str(value)}


def describe(storage):
    out = []
    for summary in optuna.get_all_study_summaries(storage):
        study = optuna.load_study(study_name=summary.study_name, storage=storage)
        trials = []
        for t in study.get_trials(deepcopy=False):
            trials.append({
                "number": t.number,
                "state": t.state.name,
                "params": {k: param_text(t.distributions[k], v) for k, v in t.params.items()},
                "values": [hexed(v) for v in (t.values or [])],
                "intermediate": {str(k): hexed(v) for k, v in sorted(t.intermediate_values.items())},
            })
        out.append({"name": study.study_name,
                    "directions": [d.name.lower() for d in study.directions],
                    "trials": trials})
    return out


def main():
    root = sys.argv[1]
    sql = "sqlite:///" + root + "/optuna.db"
    write(sql)
    journal = JournalStorage(JournalFileStorage(root + "/journal.log"))
    write(journal)
    json.dump({"optuna.db": describe(sql), "journal.log": describe(journal)}, sys.stdout)


main()
