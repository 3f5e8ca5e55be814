// The --help text of `runlens check` (release gates on a candidate model's prediction log).
#pragma once

#include <string_view>

namespace runlens::cli {

inline constexpr std::string_view kCheckUsage =
    R"(Usage: runlens check CANDIDATE --gates GATES.yaml [--baseline B] [--tests FILE] [--json | --markdown]
                     [-w WS [--eval-set NAME]] [--threshold T] [--resamples N] [--seed S]
                     [--label C --score C --positive CLASS]

Release gates for CI: every gate in GATES.yaml is checked on CANDIDATE (a prediction log, or with -w a run of
the workspace, as is --baseline B) and prints one line, PASS or FAIL, then a summary line.

GATES.yaml holds `gates:` and a list; each gate is one of
  - metric: auc          min: 0.80 (or max:)     accuracy, error_rate, auc, f1, precision, recall, log_loss,
                                                 brier, ece (uniform bins, `bins: 10`; multiclass: top-label)
    The point value is held to the limit; its 95% interval (Wilson for rates, bootstrap otherwise) is shown.
  - metric: auc          not_worse_than_baseline: true   [margin: 0.01]
    Paired on the examples both logs share (by id, else by row): fails when the candidate is significantly
    worse (alpha 0.05). Without a margin the test decides: DeLong for auc, exact McNemar for accuracy and
    error_rate; other metrics, and any gate with a margin, fail when the whole 95% interval of
    candidate - baseline (DeLong's normal interval for auc, the paired bootstrap otherwise) is worse than
    the margin.
  - slices: [region, device, [region, device]]   min_n: 100   max_drop: 0.05   [metric: accuracy]
    Each entry is a slicing (a list is a cross of up to three columns; numeric columns in quartiles). Fails
    when a slice with n >= min_n (in both logs with a baseline) is worse by more than max_drop (0.05 = 5
    points) than the baseline's same slice, or, without --baseline, than the candidate's overall metric.
  - perturbation: typo   max_flip_rate: 0.02 (or max_failure_rate:)
    From the behavioural test log --tests FILE (see runlens behaviour --help): the share of tests whose
    predicted class flipped (or that failed their expectation) must stay at or under the limit.
  - fairness: gender     min_ratio: 0.8 (or max_difference:)   [measure: demographic_parity | equalized_odds]
    Fairlearn's ratio (or difference) across the column's groups, from score >= --threshold.
Any gate may have `name: TEXT`, shown before its description. A value that cannot be computed (an AUC on one
class) fails its gate.

Options:
  --gates FILE         the gates file (required)
  --baseline B         the model to compare with (a prediction log, or a run with -w)
  --tests FILE         the candidate's behavioural test-result log, for perturbation gates
  -w WS                CANDIDATE and B are runs of this workspace (their evaluation set; --eval-set NAME)
  --threshold T        score >= T predicts the positive class without a prediction column (default 0.5)
  --resamples N        bootstrap resamples (default 1000); --seed S (default 20261126)
  --label C, --score C, --positive CLASS   choose columns
  --json               JSON for CI: kind "check", candidate, baseline (or null), tests (or null), passed,
                       passed_count, failed_count, gates[] {index, kind (metric, baseline, slices,
                       perturbation, fairness), name, description, passed, value, ci [low, high] or null,
                       threshold, direction (min: value >= threshold passes; max: <=), line, sentence,
                       details {metric, n, ...: interval_method; candidate, baseline, test, p; reference,
                       slices[] {key, n, reference_n, value, reference, drop, failed}, small_slices,
                       undefined_slices; perturbation, tested, flips, failures; column, groups[]}}
  --markdown           a GitHub-flavoured summary: a table | | gate | value | threshold | result | and a line

Exit status: 0 every gate passed; 1 at least one gate failed (the report is still printed); 2 the gates could
not be checked: a usage error, a gates file that cannot be read or used (its error names the gate and key),
or an input log that cannot be read, so that 1 always means the model failed a gate.
)";

} // namespace runlens::cli
