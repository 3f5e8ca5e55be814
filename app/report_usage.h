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
  6. cost against quality with the Pareto front (with -w, when the runs log a cost);
  7. comparability: different evaluation sets, data versions or training budgets.

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
  --threshold T        decision threshold on scores without a prediction column (default 0.5)
  --resamples N        bootstrap resamples (default 1000); --seed S
  -o, --output FILE    write the report: .html (self-contained, charts as inline SVG) or .pdf
  --json               the report's numbers: kind "ship_report", primary_metric, leader, recommendation,
                       candidates[] {name, n, metrics[] {name, value, ci_low, ci_high}, zero_rule, ece,
                       ece_after_platt, ece_after_isotonic, calibration, worst_slices[]}, pairs[] {leader,
                       other, test, p, significant, lead_ci, sentence}, slices[] {feature, reversal,
                       explanation}, recommendations[] {candidate, verdict, reason}, caveats[], comparability[]
  --label C, --score C, --positive CLASS   choose columns of prediction logs
  -h, --help           show this help
)";

} // namespace runlens::cli
