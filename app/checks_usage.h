// The --help text of `runlens checks` (assumption checks on prediction logs).
#pragma once

#include <string_view>

namespace runlens::cli {

inline constexpr std::string_view kChecksUsage =
    R"(Usage: runlens checks CURRENT [REFERENCE] [--json] [--time COL] [--features C1,C2,...]
                      [--label C --score C --positive CLASS]

Assumption checks on logged predictions, each ending in a plain sentence and a severity (none, minor, major):
  drift        with REFERENCE (e.g. the training set or an earlier evaluation set): per feature in both
               logs, PSI (10 bins at the reference's quantiles) and the two-sample KS test for numeric
               features, PSI over the categories and the chi-square test otherwise; p-values are
               Benjamini-Hochberg adjusted across the features. Major: PSI >= 0.25 and adjusted p < 0.05;
               minor: PSI >= 0.1 and adjusted p < 0.05, or PSI >= 0.25 without significance
  label shift  with REFERENCE: the class priors of both logs and their chi-square homogeneity test
  trend        on CURRENT: accuracy (right or wrong per row) against time, by the slope of a least-squares
               line and its t-test; the x is --time COL, else a column named timestamp, time, date or
               created_at, else the row order (said which). Numbers are taken as they are, ISO-8601 text as
               Unix seconds
  leakage      on CURRENT and REFERENCE: a feature that alone predicts the label (numeric with a binary
               label: AUC >= 0.98 in either direction; otherwise leave-one-out purity >= 0.98 that halves
               the majority class's error); a suspicious feature counts as major

Features are the columns that are not the label, score, class probabilities, prediction or id (and not the
column used as time), or those --features names. A row is right when its prediction column says the label,
else (binary) when score >= --threshold says it, else (multiclass) when the most probable class is the label.

Options:
  --time COL           the column holding each row's time (number, or ISO-8601 text)
  --features C1,C2     check only these columns
  --threshold T        binary logs without a prediction column (default 0.5)
  --label C, --score C, --positive CLASS   choose columns
  --json               JSON: kind "checks", file, reference (null without one), severity, sentence,
                       drift (null without REFERENCE) {features[] {feature, numeric, n_reference,
                       n_current, psi, test (ks or chi2), statistic, p, p_adjusted, severity, sentence},
                       skipped[] {feature, reason}, major, minor, severity, sentence},
                       label_shift (null without REFERENCE) {sets[], classes[], priors[][] (per set, per
                       class), chi2, dof, p, psi (current against reference), severity, sentence},
                       trend {x (the column or "row order"), x_source (option, auto or row_order), metric,
                       n, slope, intercept, p, change_over_range, mean, severity, sentence, windows[]
                       {x_low, x_high, n, mean, ci_low, ci_high}},
                       leakage[] {feature, set, numeric, auc (numeric feature, binary label) or purity and
                       majority_share, suspicious, severity, sentence}

Exit status: 0 when the checks ran, whatever they found; 1 bad input; 2 usage error.
)";

} // namespace runlens::cli
