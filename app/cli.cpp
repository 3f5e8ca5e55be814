// Dispatches `runlens <command> ...` to its subcommand; every failure becomes one line and an exit code.
#include "app/cli.h"

#include "app/json_writer.h"
#include "core/io/reader.h"
#include "core/library_versions.h"
#include "core/model/number_text.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <unistd.h>

namespace runlens::cli {

namespace {

constexpr std::string_view kImportUsage =
    R"(Usage: runlens import PATH... -w WS.runlens [--json] [--format NAME] [--run NAME]
                      [--watch [--interval S] [--watch-seconds N]] [--restart-semantics]

Imports log files and folders into a workspace (created when it does not exist). A folder is walked: each
folder holding logs becomes a run named by its path relative to the imported folder; a file given directly
is a run named after its stem. Files imported before are read on from where they stopped.

Options:
  -w, --workspace WS   workspace file to import into (required)
  --format NAME        use this reader for every file instead of detecting the format
  --run NAME           run name for a single imported file
  --json               print a JSON summary: runs_added, runs, series, points, files_read, files_unchanged,
                       warnings[], errors[] ({file, line, kind, message})
  --watch              keep watching the paths: new files and runs are imported, grown files read on; one
                       line per poll that found something (JSON lines with --json); Ctrl+C stops
  --interval S         seconds between polls (default 2)
  --watch-seconds N    stop watching after N seconds
  --restart-semantics  where a series' steps go back (a restarted run), keep only the newest points at those
                       steps, as TensorBoard does
  -h, --help           show this help

Exit status: 0 imported (warnings allowed), 1 nothing could be imported, 2 usage error.
)";

constexpr std::string_view kRunsUsage = R"(Usage: runlens runs -w WS [--json]

Lists the runs of a workspace with their params, tags, provenance and a summary of each series.

Options:
  -w, --workspace WS   workspace file (required)
  --json               print JSON: runs[] {name, params{}, tags{}, provenance{}, summary{} (final values
                       logged as summaries, e.g. W&B summary, *_results.json), series[] {tag, points,
                       first_step, last_step, min, max, last}}
  -h, --help           show this help
)";

constexpr std::string_view kSeriesUsage =
    R"(Usage: runlens series -w WS --run NAME --tag TAG [--smoothing W] [--smoother KIND] [--csv|--json]

Prints the points of one series: step, wall_time, value and the smoothed value.

Options:
  -w, --workspace WS   workspace file (required)
  --run NAME           run name as `runlens runs` lists it (required)
  --tag TAG            series tag, e.g. val_loss (required)
  --smoothing W        smoothing weight in [0, 1); 0 (default) leaves values unchanged
  --smoother KIND      ema (TensorBoard's, default), twema (time-weighted), gaussian, average
  --csv                comma-separated values with a header line
  --json               JSON: run, tag, smoother, smoothing, points[] {step, wall_time, value, smoothed}
  -h, --help           show this help

Empty CSV cells and JSON nulls mean "not a number" (or no wall time recorded).
)";

constexpr std::string_view kChartUsage = R"(Usage: runlens chart -w WS --tag TAG -o FILE.png|svg|pdf [options]

Writes a chart of one metric across runs. Smoothed curves are drawn solid, the raw values faintly behind.

Options:
  -w, --workspace WS   workspace file (required)
  --tag TAG            series tag to draw (required)
  -o, --output FILE    output file; the extension picks the format: .png, .svg or .pdf (required)
  --runs REGEX         only runs whose name matches (ECMAScript regular expression, searched)
  --smoothing W        smoothing weight in [0, 1) (default 0: no smoothing)
  --smoother KIND      ema (default), twema, gaussian, average
  --x AXIS             step (default), relative (seconds since the run's first point) or wall (clock time)
  --log-y              logarithmic y axis (non-positive values are not drawn)
  --robust-y           y range from the 5th to 95th percentile of the curves, ignoring spikes
  --size WxH           chart size in logical pixels (default 1200x700; PNG is written at twice that)
  --title T            chart title (default: the tag)
  --group-by P[,P]     one line per group of runs sharing these params (mean or median) with a spread band
  --band KIND          minmax, std (default: mean +/- sample std), stderr, ci95 (t interval of the mean)
  --center KIND        mean (default) or median
  --data FILE.csv      also write the group lines: group,x,runs,center,lower,upper
  -h, --help           show this help
)";

constexpr std::string_view kCalibrationUsage =
    R"(Usage: runlens calibration FILE [--label C] [--score C] [--bins N] [--strategy uniform|quantile] [--json] [-o IMG]

Reliability bins and calibration metrics of a prediction log, beside the baselines (uniform random, zero-rule,
prior). Binary logs: a label column and a score column (P(label = positive)); multiclass logs: one probability
column per class (top-label calibration, plus the class-wise ECE).

Options:
  --bins N             number of bins (default 10)
  --strategy S         uniform (equal-width, default) or quantile (equal-count) bins, as scikit-learn's
                       calibration_curve
  --interval M         per-bin 95% interval: wilson (default) or clopper-pearson
  --consistency        add Broecker-Smith consistency bars (where a calibrated model's bins would fall)
  --threshold T        threshold for accuracy/precision/recall without a prediction column (default 0.5)
  --label C, --score C choose the label and score columns; --positive CLASS the positive class
  --baseline FILE      pin a baseline model's log; its numbers on the examples it shares with FILE (by id, else
                       by row when the labels agree on every row) join the baselines (JSON `baselines.pinned`
                       with n, only_model, only_baseline)
  --seed S             seed of the uniform-random baseline's simulated numbers (default 0)
  --json               JSON: n, positives, bins[] (edges at numpy's linear percentiles for quantile bins),
                       ece, mce, ace_avg_bins, l2_ce_debiased, brier, brier_decomposition, log_loss, roc_auc,
                       average_precision, accuracy, baselines {uniform_random, zero_rule, prior, pinned}:
                       each with the same metric fields and, for uniform_random, expected_exactly[] (exact
                       expectations) and simulated[] (one draw with `seed`).
                       Multiclass (kind multiclass_top_label): n, correct, bins[] with fraction_correct,
                       brier_top_label and brier_top_label_decomposition (the event "top class correct"),
                       brier (multiclass: sum over classes), log_loss, roc_auc (one-vs-rest macro),
                       accuracy, macro_f1, classwise_ece, baselines, per_class[] {class, positives, ece,
                       mce, brier (one-vs-rest calibration of P(class)), precision, recall, f1, support,
                       roc_auc, average_precision}
  -o, --output IMG     the reliability diagram as .png, .svg or .pdf (--size WxH, default 900x800)
  -h, --help           show this help
)";

constexpr std::string_view kSlicesUsage =
    R"(Usage: runlens slices FILE [FILE2] --by COL[,COL[,COL]] [--compare COL] [--metric M] [--min-n N]
                      [--baseline RUN_OR_FILE [-w WS] [--eval-set NAME]] [--json] [-o IMG]
       runlens slices FILE --fairness COL [--json]

Per-slice metrics per cohort with 95% intervals, and the Simpson's-paradox verdict: does the cohort that wins
overall lose within the slices? Cohorts are the two files, or the values of --compare COL in one file.

Options:
  --by COLS            one to three feature columns to slice by (numeric ones are bucketed by quantiles)
  --compare COL        split one file into cohorts by the values of COL (e.g. period, group)
  --metric M           accuracy (default), error_rate, positive_rate, precision, recall, f1, auc, log_loss,
                       brier, mean_score
  --min-n N            a slice is compared only when every cohort has at least N examples (default 10)
  --buckets N          quantile buckets for numeric features (default 4)
  --edges COL:E1,E2..  typed bucket edges for a numeric column
  --threshold T        score threshold for predictions when there is no prediction column (default 0.5)
  --resamples N        bootstrap resamples for non-rate metrics (default 500), --seed S (default 20261126)
  --label C, --score C choose the label and score columns; --positive CLASS the positive class
  --baseline RUN_OR_FILE  pin a baseline model (a run of -w WS, its set --eval-set NAME or the first, else a
                       prediction log with the --by columns): its rows are bucketed on the cohorts' edges and
                       scored per slice beside them; it takes no part in winners or the verdict
  --json               JSON: metric, by[], cohorts[], identical_examples, same_strata, examples_note,
                       overall, baselines {zero_rule {cohort -> value}}, slices[] (each cell with n, value,
                       ci_low, ci_high, share and zero_rule: always the slice's majority label),
                       with --baseline: baseline {name, overall (a cell), lift {cohort -> model value minus
                       baseline value, null when either is empty}, unmatched_rows (baseline rows in slices no
                       cohort has)} and in every slice baseline {name, cell, lift},
                       simpson {reversal, overall_winner, strata_won, standardized, mix, mix_explains,
                       conditions {identical_examples, same_strata, all_strata_comparable, decomposable_metric},
                       complete_reversal_possible, explanation}
  --fairness COL       instead: per-group selection rate, TPR, FPR, precision (Wilson 95%) across the values of
                       COL and Fairlearn's demographic-parity and equalized-odds differences and ratios; JSON:
                       kind "fairness", column, groups[] {group, n, weight, selection_rate, tpr, fpr,
                       precision (null when undefined), each with <name>_ci [low, high]},
                       demographic_parity_difference, demographic_parity_ratio, equalized_odds_difference,
                       equalized_odds_ratio, tpr_difference, fpr_difference, severity, sentence

Verdicts: complete when the overall loser wins every comparable slice (at least two), partial when it wins a
strict majority, else none. "impossible" only when the files hold the identical examples PROVEN by ids (each id
once, the same set), each example is in the same slice in both, --min-n excludes no example, and the metric is
an average over examples (accuracy, error_rate, positive_rate, log_loss, brier, mean_score); even then a
partial reversal is reported as partial. The explanation blames the mix only when the mix-standardised
comparison has another winner.
  -o, --output IMG     the Simpson chart as .png, .svg or .pdf (--size WxH, default 1200x700)

Regression logs (a continuous label and prediction; one or two files, or --compare COL): per slice and log n
and MAE, RMSE, MSE, R^2, bias (mean of prediction - label) and median absolute error, each with a seeded
bootstrap 95% interval (--resamples N, default 500; --seed S), and the overall row. With two logs MAE and MSE
get the verdict above (they are means over examples; RMSE, R^2 and the median AE get none), with the overall
and per-slice differences (second log minus first) and the mix-standardised values. -o, --metric,
--threshold and --baseline are for classification logs.
  --prediction C       the prediction column of a regression log
  --find               also search slices whose mean absolute error exceeds the rest's: single features and
                       pairs (--max-level L, default 2), --min-support N (default 32), --top K (default 10);
                       SliceLine's score with the mean |error|, one-sided Welch t-test, BH q, Cohen's d
  --json               regression: kind "regression_slices", by[], cohorts[], bootstrap {resamples, seed,
                       level}, identical_examples, same_strata, examples_note, overall {cohort -> cell},
                       slices[] {key {column: value}, cohorts {cohort -> cell}}; a cell is {n, share, mae, mse,
                       rmse, r2, mean_error, median_ae}, each {value, ci_low, ci_high} (null when n = 0);
                       simpson (null with one cohort) {mae, mse: {overall_delta, slice_deltas[] (per slice,
                       null when a side is empty), reversal, overall_winner, comparable_strata, strata_won,
                       standardized {cohort -> value, winner}, mix, mix_explains, conditions, explanation},
                       not_decomposable}; with --find, finder {cohort -> {loss "absolute_error",
                       overall_mean_loss, slices_evaluated, skipped_rows, skipped_features[], slices[] {key, n,
                       mean_loss, rest_mean_loss, score, effect_size, t, df, p, q}}}
  -h, --help           show this help
)";

constexpr std::string_view kLearningCurveUsage =
    R"(Usage: runlens learning-curve -w WS --metric M --size-param P [--extrapolate N] [--json] [-o IMG]

A metric against training-set size across runs, the power-law fit value = a*size^b + c (Levenberg-Marquardt)
and its extrapolation to a larger size with a 95% interval (delta method; a residual bootstrap in JSON).

Options:
  -w, --workspace WS   workspace file (required)
  --metric M           series tag whose value per run is fitted, e.g. val_loss (required)
  --size-param P       the param (or series) holding each run's training-set size (required)
  --reduce R           the run's value of the metric: last (default), min or max
  --family-param F     fit one curve per value of this param (e.g. model) to compare families
  --extrapolate N      predict the metric at size N
  --json               JSON: points[] {run, size, value}, fit {a, b, c, rmse}, extrapolated {size, value,
                       ci_low, ci_high (95% interval of the fitted mean curve), prediction_low,
                       prediction_high (95% prediction interval for one new run: adds the residual
                       variance), bootstrap_ci_low, bootstrap_ci_high}, and families[] with --family-param
  -o, --output IMG     the chart as .png, .svg or .pdf (--size WxH, default 1100x700)
  -h, --help           show this help
)";

constexpr std::string_view kDiffUsage = R"(Usage: runlens diff A B [-w WS] [--json] [--markdown]

What differs between two runs of a workspace (params, tags, provenance, last metric values) or two prediction
logs, and whether the difference in predictions is real: the 2x2 table of right/wrong on shared examples
(aligned by id when both logs have one; without ids, by row only when both have the same rows with the same
labels, else refused), McNemar's test (exact and continuity-corrected chi-square), a paired bootstrap
interval of the metric difference, DeLong's test of the two ROC AUCs, the flipped examples and the slices that
changed significantly (Benjamini-Hochberg q < 0.05).

Options:
  -w, --workspace WS   A and B are run names in this workspace (their evaluation sets are compared), and
                       the Compare tab's comparability warnings are printed first (different evaluation
                       sets, data versions or training budgets; runs that differ only by seed)
  --eval-set NAME      which evaluation set of the runs to compare (default: the first)
  --metric M           metric for the paired bootstrap (default accuracy; see runlens slices --help)
  --resamples N        bootstrap resamples (default 1000), --seed S (default 20261126)
  --flips-csv FILE     write every flipped example with its features to FILE
  --baseline RUN_OR_FILE  pin a baseline model (a run of -w WS, else a prediction log): JSON baseline {name,
                       metrics, lift_a, lift_b} over each log's own rows (lift = model minus baseline, so
                       negative is better for log_loss, brier and error_rate), and paired.baselines.pinned on
                       the shared pairs; the Markdown report adds a "Pinned baseline" table and line
  --label C, --score C, --positive CLASS   choose columns of prediction logs
  --json               JSON: warnings[] (sentences, empty for two log files), params[], tags[], metrics[]
                       {key, a, b, differs, delta}, paired {n, alignment
                       {by, matched, only_a, only_b, label_conflicts, duplicates, used}, both_correct,
                       a_only_correct, b_only_correct, both_wrong, mcnemar, bootstrap, delong (null with
                       delong_skipped when a model has no scores or the pairs hold fewer than two of a
                       class), baselines {zero_rule {metric, value, a, b, lift_a, lift_b}, with --baseline
                       pinned {name, metric, n, value, a, b, lift_a, lift_b}: on the n pairs the baseline's
                       log shares (by id, else by row), skipped says why when none}, flips[],
                       per_class_flips[] (multiclass logs with one class set: class, n, both_correct,
                       fixed, broken, both_wrong, wrong_changed, mcnemar_p), slice_changes[]}. Ids in one file only, ids repeated within a file
                       and ids whose labels differ are counted and left out (a one-line warning in the
                       Markdown report); the tests use the remaining `used` pairs.
  --markdown           a Markdown report (the default output), e.g. for a CI comment
  --all                list equal params and tags too in the Markdown report
  -h, --help           show this help

Two regression logs (a continuous label and prediction): the paired comparison of runlens regression A B
(aligned by id, else by row when the labels agree): paired bootstrap interval of the MAE and RMSE difference
B - A, Wilcoxon signed-rank and paired t p-values on the per-example errors (--error absolute|squared),
the share of examples where B is better and the --top N (default 10) largest increases in |error| with their
ids, as the Markdown report or --json: kind "paired_regression", a, b, alignment {by, matched, only_a,
only_b, label_conflicts, duplicates}, n, skipped, error, metrics_a, metrics_b {mae, mse, rmse, r2,
median_ae}, mae_delta, rmse_delta {delta, ci_low, ci_high, resamples, seed}, bootstrap_exact, wilcoxon
{statistic, r_plus, r_minus, zeros, z, p, exact, note}, t_test {mean_difference, t, df, p}, b_better,
a_better, ties, share_b_better, share_b_better_ci [low, high], largest_regressions[],
largest_improvements[] {row, id, error_a, error_b, change}, sentence. --prediction C chooses the prediction
column. A regression log and a classification log are refused with one line.
)";

// Adding a command: one line here and one file app/cmd_<name>.cpp defining its run function
// (declared in cli.h). nullptr marks a command that this build does not have yet.
const std::vector<Command> kCommands = {
    {"import", "import logs into a workspace", kImportUsage, &runImportCommand},
    {"runs", "list the runs of a workspace", kRunsUsage, &runRunsCommand},
    {"series", "print the points of one series", kSeriesUsage, &runSeriesCommand},
    {"chart", "write a chart of one metric as PNG, SVG or PDF", kChartUsage, &runChartCommand},
    {"calibration", "reliability bins and calibration metrics of a prediction log", kCalibrationUsage,
     runCalibrationCommand},
    {"slices", "per-slice metrics and Simpson's-paradox check", kSlicesUsage, runSlicesCommand},
    {"learning-curve", "metric against training-set size, with a power-law fit", kLearningCurveUsage,
     runLearningCurveCommand},
    {"diff", "differences between two runs or two prediction logs", kDiffUsage, runDiffCommand},
    {"regression", "regression metrics with intervals, baselines, coverage; two regressors paired",
     kRegressionUsage, runRegressionCommand},
    {"confusion", "confusion matrix, per-class metrics, kappa, top-k and one-vs-rest AUC", kConfusionUsage,
     runConfusionCommand},
    {"behaviour", "invariance and directional behavioural tests per perturbation", kBehaviourUsage,
     runBehaviourCommand},
    {"pareto", "cost against quality: the Pareto front and the cheapest run near the best", kParetoUsage,
     runParetoCommand},
    {"report", "which model to ship: the checklist report as HTML, PDF or JSON", kReportUsage,
     runReportCommand},
    {"checks", "drift, label shift, accuracy trend and leakage checks on prediction logs", kChecksUsage,
     runChecksCommand},
    {"check", "release gates: PASS/FAIL per gate on a candidate's predictions, exit 1 when one fails",
     kCheckUsage, runCheckCommand},
};

void printProgramUsage(std::ostream& out) {
    out << "Usage: runlens [PATH...]              start the desktop application (PATH: a workspace or logs)\n"
           "       runlens COMMAND [OPTIONS]      run headless\n\nCommands:\n";
    for (const Command* command : kCommands) {
        std::string name(command->name);
        name.resize(std::max<std::size_t>(name.size(), 16), ' ');
        out << "  " << name << command->summary << (command->run ? "" : " (not in this build)") << '\n';
    }
    out << "\nOptions:\n"
           "  -h, --help        show this help; runlens COMMAND --help shows a command's options\n"
           "  --version         print the version and the versions of the libraries in use\n\n"
           "Exit status: 0 success, 1 bad input, 2 usage error.\n";
}

// Error text on one line whatever the exception carried.
std::string oneLine(std::string text) {
    std::replace_if(
        text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text;
}

bool isHelpFlag(std::string_view arg) {
    return arg == "--help" || arg == "-h";
}

bool asksForHelp(const std::vector<std::string>& args) {
    for (const auto& arg : args) {
        if (arg == "--") return false;
        if (isHelpFlag(arg)) return true;
    }
    return false;
}

int runCommand(const Command& command, const std::vector<std::string>& args, std::ostream& out,
               std::ostream& err) {
    const std::string prefix = "runlens " + std::string(command.name);
    if (asksForHelp(args)) {
        out << command.usage;
        return kExitOk;
    }
    if (!command.run) {
        err << prefix << ": not available in this build\n";
        return kExitUsage;
    }
    try {
        return command.run(args, out, err);
    } catch (const UsageError& e) {
        err << prefix << ": " << oneLine(e.what()) << " (see " << prefix << " --help)\n";
        return kExitUsage;
    } catch (const InputError& e) {
        err << "runlens: " << oneLine(e.what()) << '\n';
    } catch (const WorkspaceError& e) {
        err << "runlens: " << oneLine(e.what()) << '\n';
    } catch (const std::bad_alloc&) {
        err << "runlens: out of memory\n";
    } catch (const std::exception& e) {
        err << "runlens: " << oneLine(e.what()) << '\n';
    } catch (...) {
        err << "runlens: unexpected error\n";
    }
    return kExitBadInput;
}

} // namespace

std::span<const Command* const> commands() {
    return kCommands;
}

const Command* findCommand(std::string_view name) {
    for (const Command* command : kCommands)
        if (command->name == name) return command;
    return nullptr;
}

namespace {

// Levenshtein distance, for "did you mean" on a mistyped command (names are short: O(n*m) is nothing).
std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            diagonal = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
        }
    }
    return row[b.size()];
}

// A bare word that is no file: what a user types as a command, never a log to open in the GUI.
bool looksLikeCommandWord(std::string_view arg) {
    if (arg.empty() || arg.size() > 40) return false;
    const bool wordy = std::all_of(arg.begin(), arg.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    });
    if (!wordy || arg.front() == '-') return false;
    std::error_code ec;
    return !std::filesystem::exists(std::filesystem::path(arg), ec);
}

std::string unknownCommandMessage(std::string_view name) {
    std::string message = "runlens: unknown command '" + oneLine(std::string(name)) + "'";
    std::string_view best;
    std::size_t bestDistance = 3; // suggest only near misses (two edits at most)
    for (const Command* command : kCommands) {
        const std::size_t d = editDistance(name, command->name);
        if (d < bestDistance) bestDistance = d, best = command->name;
    }
    if (!best.empty()) message += "; did you mean " + std::string(best) + "?";
    return message + " (see runlens --help)";
}

} // namespace

bool wantsCli(int argc, char** argv) {
    if (argc < 2 || !argv[1]) return false;
    const std::string_view first = argv[1];
    return isHelpFlag(first) || first == "--version" || findCommand(first) != nullptr ||
           looksLikeCommandWord(first);
}

int runCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
    if (argc < 2 || !argv[1]) {
        printProgramUsage(err);
        return kExitUsage;
    }
    const std::string_view first = argv[1];
    if (isHelpFlag(first)) {
        printProgramUsage(out);
        return kExitOk;
    }
    if (first == "--version") {
        out << "runlens " << RUNLENS_VERSION << '\n' << libraryVersions();
        return kExitOk;
    }
    const Command* command = findCommand(first);
    if (!command) {
        err << unknownCommandMessage(first) << '\n';
        return kExitUsage;
    }
    std::vector<std::string> args;
    for (int i = 2; i < argc; ++i)
        args.emplace_back(argv[i] ? argv[i] : "");
    return runCommand(*command, args, out, err);
}

Args::Args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs) {
    const auto findSpec = [&](std::string_view name) -> const OptionSpec* {
        for (const auto& spec : specs)
            if (spec.name == name || (!spec.alias.empty() && spec.alias == name)) return &spec;
        return nullptr;
    };
    bool onlyPositionals = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (onlyPositionals || arg.size() < 2 || arg[0] != '-') {
            m_positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            onlyPositionals = true;
            continue;
        }
        std::string name = arg;
        std::optional<std::string> inlineValue;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
            name = arg.substr(0, eq);
            inlineValue = arg.substr(eq + 1);
        }
        const OptionSpec* spec = findSpec(name);
        if (!spec) throw UsageError("unknown option " + name);
        const std::string key(spec->name);
        if (m_values.contains(key)) throw UsageError("option " + key + " given twice");
        if (!spec->takesValue) {
            if (inlineValue) throw UsageError("option " + key + " takes no value");
            m_values[key] = "";
            continue;
        }
        if (inlineValue) {
            m_values[key] = *inlineValue;
            continue;
        }
        if (i + 1 >= args.size()) throw UsageError("option " + key + " needs a value");
        m_values[key] = args[++i];
    }
}

bool Args::has(std::string_view name) const {
    return m_values.find(name) != m_values.end();
}

std::optional<std::string> Args::get(std::string_view name) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

std::string Args::get(std::string_view name, std::string_view fallback) const {
    const auto it = m_values.find(name);
    return it == m_values.end() ? std::string(fallback) : it->second;
}

std::string Args::require(std::string_view name) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) throw UsageError("missing required option " + std::string(name));
    if (it->second.empty()) throw UsageError("option " + std::string(name) + " needs a non-empty value");
    return it->second;
}

double Args::number(std::string_view name, double fallback, double lo, double hi) const {
    const auto text = get(name);
    if (!text) return fallback;
    double value = 0;
    const char* begin = text->data();
    const char* end = begin + text->size();
    const auto result = std::from_chars(begin, end, value);
    if (result.ec != std::errc() || result.ptr != end || !std::isfinite(value))
        throw UsageError("option " + std::string(name) + " needs a number, not '" + *text + "'");
    if (value < lo || value > hi)
        throw UsageError("option " + std::string(name) + " is out of range [" + formatNumber(lo) + ", " +
                         formatNumber(hi) + "]: " + *text);
    return value;
}

void requireReadable(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec) throw InputError("cannot read " + path.string() + ": " + ec.message());
    if (std::filesystem::is_directory(status)) {
        std::filesystem::directory_iterator probe(path, ec);
        if (ec) throw InputError("cannot read " + path.string() + ": " + ec.message());
        return;
    }
    std::string reason; // a FIFO or device is refused without blocking on it
    const int fd = openRegularFile(path, reason);
    if (fd < 0) throw InputError("cannot read " + path.string() + ": " + reason);
    ::close(fd);
}

std::pair<std::string, std::vector<double>> parseEdgesOption(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw UsageError("--edges takes COL:e1,e2,...");
    std::vector<double> edges;
    for (const auto& item : splitCommaList(text.substr(colon + 1))) {
        char* end = nullptr;
        const double v = std::strtod(item.c_str(), &end);
        if (!end || *end != '\0' || !std::isfinite(v))
            throw UsageError("--edges takes numbers like COL:0,10,100");
        edges.push_back(v);
    }
    if (edges.size() < 2 || !std::is_sorted(edges.begin(), edges.end()))
        throw UsageError("--edges needs at least two increasing numbers");
    return {text.substr(0, colon), std::move(edges)};
}

std::vector<std::string> splitCommaList(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) out.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

std::string formatNumber(double value) {
    return numberText(value, kCsvNonFinite, Notation::PlainInEverydayRange);
}

} // namespace runlens::cli
