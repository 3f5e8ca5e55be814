// The --help texts of the regression, confusion and behaviour commands (kept beside each other so cli.cpp
// registers each with one line).
#pragma once

#include <string_view>

namespace runlens::cli {

inline constexpr std::string_view kRegressionUsage =
    R"(Usage: runlens regression FILE [--json] [-o IMG]
       runlens regression A B [--json]        (two regressors on the same examples)

Regression metrics of a prediction log (a continuous label and prediction column) with seeded bootstrap 95%
intervals, beside constant baselines (the training mean when the log has a train_mean column, else the
evaluation mean, said so; the median) and a pinned run; coverage of logged prediction intervals against their
nominal level. With two logs: the paired comparison of B against A (paired bootstrap of the MAE and RMSE
difference, Wilcoxon signed-rank and paired t test on per-example errors, share of examples where B is better,
the largest regressions).

Columns (by name, any case; choose others with the options): label, target, y, y_true; prediction, y_pred,
pred, yhat, predicted; id, example_id; weight, sample_weight; intervals as quantile pairs q05,q95 (q10,q90,
quantile_25 ...) or lower,upper (lower_90,upper_90; a bare pair is taken as --level); train_mean, train_median.

Options:
  --label C, --prediction C, --id C, --weight C   choose the columns
  --level L            nominal coverage of a bare lower/upper pair (default 0.9)
  --baseline FILE      a pinned run's log of the same examples, scored as one more baseline row
  --resamples N        bootstrap resamples (default 1000); --seed S (default 20261126)
  --error KIND         per-example error of the paired tests: absolute (default) or squared
  --top N              largest regressions and improvements listed (default 10)
  -o, --output IMG     .png, .svg or .pdf of --plot (--size WxH, default 900x800)
  --plot P             actual (predicted against actual, density-shaded, default), residuals (residual mean
                       per prediction decile with 95% intervals) or histogram (residuals with a normal curve)
  --json               JSON, one file: kind "regression", n, skipped_rows, weighted, label, prediction,
                       weight, metrics {mae, mse, rmse, r2, median_ae, mape, smape, max_error, mean_error:
                       {value, ci_low, ci_high}}, mape_meaningful, mape_note, labels_at_zero, labels_near_zero,
                       bootstrap {resamples, seed, level, exact, method}, baselines[] {name, constant, note, mae,
                       mse, rmse, r2, median_ae, mae_skill (1 - MAE / baseline MAE)}, intervals[] {name, lower,
                       upper, nominal, nominal_assumed, n, inside, below, above, crossed, skipped, coverage,
                       ci_low, ci_high, mean_width, median_width, verdict, sentence}, residuals {n, mean, sd,
                       by_prediction[] {x_low, x_high, n, mean, ci_low, ci_high}}, notes[]
                       two files: kind "paired_regression", a, b, alignment {by, matched, only_a, only_b,
                       label_conflicts, duplicates}, n, error, metrics_a, metrics_b {mae, rmse, r2},
                       mae_delta, rmse_delta {delta (B - A), ci_low, ci_high}, bootstrap_exact, wilcoxon
                       {statistic, r_plus, r_minus, zeros, z, p, exact}, t_test {mean_difference, t, df, p},
                       b_better, a_better, ties, share_b_better, share_b_better_ci [low, high],
                       largest_regressions[], largest_improvements[] {row, id, error_a, error_b, change},
                       sentence
  -h, --help           show this help
)";

inline constexpr std::string_view kConfusionUsage =
    R"(Usage: runlens confusion FILE [--json] [-o IMG] [--normalize none|true|pred|all] [--cell TRUE:PRED]

The confusion matrix of a classification log (binary or multiclass) with per-class precision, recall, F1 and
support; macro, micro and weighted averages; accuracy, balanced accuracy and Cohen's kappa (plain, linear,
quadratic); with class scores also top-k accuracy and one-vs-rest ROC AUC per class, macro and weighted (as
scikit-learn's roc_auc_score(multi_class='ovr')). Without a prediction column the predicted class is the
argmax of the class scores (binary: score >= --threshold).

Options:
  --normalize N        what -o draws: counts (none, default), row shares (true), column shares (pred), all
  --cell TRUE:PRED     list the examples of one cell (by id when the log has one)
  --threshold T        binary logs without a prediction column (default 0.5)
  --label C, --score C, --positive CLASS   choose columns
  --json               JSON: kind "confusion", n, classes[], confusion[[]] (counts, row = true class),
                       confusion_true[[]], confusion_pred[[]] (row / column normalised), per_class[] {class,
                       precision, recall, f1, support, predicted, roc_auc, average_precision}, accuracy, macro,
                       micro, weighted {precision, recall, f1}, balanced_accuracy, kappa, kappa_linear,
                       kappa_quadratic, top_k[] (top_k[j] = top-(j+1) accuracy), roc_auc_ovr_macro,
                       roc_auc_ovr_weighted, note, cell_examples[] {row, id} with --cell
  -o, --output IMG     the matrix as .png, .svg or .pdf (--size WxH)
  -h, --help           show this help
)";

inline constexpr std::string_view kBehaviourUsage =
    R"(Usage: runlens behaviour FILE [--original ORIG] [--slice COL] [--compare FILE_B] [--json]

Behavioural tests in the style of CheckList: invariance (the predicted class should not flip) and
directional expectations (the score should go up / down) per perturbation, each rate with a Wilson 95%
interval, the distribution of the score change, the worst examples, per-slice rates and a severity.

A test-result log is a prediction log (label and score or class probability columns) with a column naming
each row's original example (orig_id, original_id or example_id), the perturbation (perturbation or test;
rows with an empty value or "original" are the originals, found by their id column) and optionally the
expected direction (expect: same, up, down or none). With --original ORIG the originals are another log
joined on its id column, and every row of FILE is a perturbed row.

With --compare FILE_B, model B's log of the same tests (matched by perturbation, original id and id) is
compared with FILE's, paired: per perturbation both flip rates, their difference with Newcombe's interval
for paired proportions, McNemar's exact test and which model is more robust.

Options:
  --original ORIG      the log of the original examples (a pair of logs aligned by id)
  --compare FILE_B     model B's test-result log of the same tests
  --compare-original O model B's log of the originals (default: B's own original rows)
  --perturbation C, --orig-id C, --expect C   choose those columns
  --slice COL          rates per value of COL too
  --target-class C     multiclass: the class whose score is tracked (default: the original's predicted class)
  --tolerance T        a directional test fails only when the score moves the wrong way by more than T
  --threshold T        binary decisions without a prediction column (default 0.5); --worst N (default 10)
  --label C, --score C, --positive CLASS   choose columns
  --json               JSON: kind "behaviour", rows, missing_original, duplicate_original_ids, sentence,
                       perturbations[] {name, expected, mixed_expectations, n, missing_original, flips,
                       flip_rate, flip_ci [low, high], mean_change, mean_abs_change, change_quantiles {q05,
                       q25, median, q75, q95}, directional, violations, violation_rate, violation_ci, tested,
                       failures, failure_rate, failure_ci, severity (none, minor, major), sentence, worst[]
                       {row, id, original, original_score, perturbed_score, change, flipped, violated},
                       slices[] {slice, n, flips, flip_rate, flip_ci, directional, violations,
                       violation_rate, violation_ci}}; with --compare, comparison {file_b, matched_tests,
                       perturbations[] {perturbation, n, flips_a, flips_b, flip_rate_a, flip_rate_b,
                       difference (B - A), difference_ci, mcnemar {a_only_stable, b_only_stable, exact_p},
                       violations_a, violations_b, violation_mcnemar_p, sentence}}
  -h, --help           show this help
)";

} // namespace runlens::cli
