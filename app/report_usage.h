// The --help text of `runlens report` (the ship-decision report).
#pragma once

#include <string_view>

namespace runlens::cli {

inline constexpr std::string_view kReportUsage =
    R"(Usage: runlens report CANDIDATE... [-w WS] [--baseline NAME] [-o report.html|report.pdf] [--json]

Which model to ship, in one document a reviewer can sign: every candidate's evaluation set through the
checklist, ending in a recommendation table and every caveat in plain words.
  1. each candidate's metrics with 95% intervals beside the zero rule;
  2. whether the leader's lead over each other candidate is real (DeLong for AUC, McNemar otherwise, paired
     bootstrap interval of the lead);
  3. calibration (ECE, MCE, Brier) and whether Platt or isotonic recalibration helps, out of fold;
  4. slices per feature with Simpson's-paradox verdicts, and where each candidate errs most;
  5. fairness across --fairness COL;
  6. behavioural tests (perturbation flip and failure rates) where logged: --tests, or with -w a candidate
     run's other evaluation set that is a test log (perturbation and original-id columns);
  7. who wins with more data (with -w): each candidate's configuration (every param but the training-set
     size and the seed) at the sizes it was run with, its metric fitted by a * size^b + c, projected, and the
     size where another candidate's fit overtakes the leader;
  8. cost against quality with the Pareto front (with -w, when the runs log a cost);
  9. comparability: different evaluation sets, data versions or training budgets.
Sections with nothing logged are left out and the rest numbered in order.

CANDIDATE is a prediction log (CSV, TSV, JSONL), or with -w a run of the workspace (its --eval-set, else its
first evaluation set). The primary metric is AUC when every candidate is binary with scores, else accuracy.

Options:
  -w, --workspace WS   candidates are runs of this workspace
  --eval-set NAME      with -w: the evaluation set to judge
  --baseline NAME      the candidate that is in production now (a candidate's name, or another log or run,
                       which is then added as a candidate)
  --slice-by C[,C...]  feature columns to slice by (default: every shared feature column, at most 6)
  --fairness COL       a sensitive column for the fairness section
  --cost C             with -w: the cost axis (default: a recognised cost the runs log)
  --tests LOG[,LOG...] behavioural-test logs (tests and originals in one log), one per candidate in order
                       (the --baseline last when it was added); an empty entry skips a candidate
  --size-param KEY     with -w: the training-set size param (default: the candidates' param named like a
                       size: train_size, n_train, num_samples, dataset_size)
  --curve-metric TAG   with -w: the series whose last value is fitted (default: the validation series with a
                       direction in its name, e.g. val/loss, that most of those runs log)
  --project-to SIZE    with -w: the size to project to (default: 10x the largest size run)
  --threshold T        decision threshold on scores without a prediction column (default 0.5)
  --resamples N        bootstrap resamples (default 1000); --seed S
  -o, --output FILE    write the report: .html (self-contained, charts as inline SVG) or .pdf
  --json               the report's numbers: kind "ship_report", primary_metric, leader, recommendation,
                       candidates[] {name, n, metrics[] {name, value, ci_low, ci_high}, zero_rule, ece,
                       ece_after_platt, ece_after_isotonic, calibration, worst_slices[]}, pairs[] {leader,
                       other, test, p, significant, lead_ci, sentence}, slices[] {feature, reversal,
                       explanation}, recommendations[] {candidate, verdict, reason}, caveats[], comparability[],
                       candidates[].behaviour[] {perturbation, n, flip_rate, failure_rate, severity, sentence},
                       learning_curves {size_param, metric, higher_is_better, target_size, families[]
                       {candidate, runs[], fit {a, b, c, rmse} or {error}, at_target {value, ci_low, ci_high,
                       prediction_low, prediction_high}}, leader, overtaker, overtake_size, sentence, notes[]}
                       (or {error})
  --label C, --score C, --positive CLASS   choose columns of prediction logs
  -h, --help           show this help
)";

} // namespace runlens::cli
