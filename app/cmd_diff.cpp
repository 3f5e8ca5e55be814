// `runlens diff A B`: what differs between two runs (params, tags, metrics) and whether prediction
// differences are real (the report itself is written in diff_output.cpp).
#include "app/cli.h"
#include "app/diff_output.h"
#include "app/paired_regression_output.h"
#include "app/prediction_input.h"
#include "core/analysis/binary_metrics.h"
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/run_diff.h"
#include "core/store/workspace.h"

#include <map>

namespace runlens::cli {

namespace {

std::vector<DiffEntry> diffMaps(const std::map<std::string, std::string>& a,
                                const std::map<std::string, std::string>& b) {
    const std::map<std::string, std::string>* maps[] = {&a, &b};
    std::vector<DiffEntry> out;
    for (const KeyDiff& k : diffKeyedValues(maps))
        out.push_back({k.key, k.values[0], k.values[1], k.differs, k.delta()});
    return out;
}

void addEvalMetrics(DiffSide& side) {
    if (!side.predictions) return;
    const auto& e = side.predictions->eval;
    if (e.multiclass) return;
    if (!e.hasScores()) {
        const auto cm = confusionFromPredictions(e.labels, e.predictions);
        side.metrics["eval/accuracy"] = formatNumber(accuracyOf(cm));
        side.metrics["eval/precision"] = formatNumber(precisionOf(cm));
        side.metrics["eval/recall"] = formatNumber(recallOf(cm));
        side.metrics["eval/f1"] = formatNumber(f1Of(cm));
        return;
    }
    const auto m = binaryMetrics(e.labels, e.scores, 0.5, e.predictions);
    const std::pair<const char*, double> values[] = {
        {"eval/accuracy", m.accuracy}, {"eval/precision", m.precision},
        {"eval/recall", m.recall},     {"eval/f1", m.f1},
        {"eval/log_loss", m.logLoss},  {"eval/brier", m.brier},
        {"eval/roc_auc", m.rocAuc},    {"eval/average_precision", m.averagePrecision}};
    for (const auto& [k, v] : values)
        side.metrics[k] = formatNumber(v);
}

PairedEvaluation pairedAnalysis(const LoadedPredictions& a, const LoadedPredictions& b, SliceMetric metric,
                                int resamples, std::uint64_t seed) {
    PairedOptions options;
    options.metric = metric;
    options.resamples = resamples;
    options.seed = seed;
    std::string error;
    auto paired = comparePaired(a.table, a.eval, b.table, b.eval, options, &error);
    if (!paired) throw InputError(a.path + " vs " + b.path + ": " + error);
    return std::move(*paired);
}

// core's pinnedOnPairs on the loaded logs.
PinnedOnPairs pinnedOnPairs(const LoadedPredictions& a, const LoadedPredictions& b,
                            const LoadedPredictions& pinned, const PairedEvaluation& p, SliceMetric metric) {
    return runlens::pinnedOnPairs(a.table, a.eval, b.table, b.eval, pinned.table, pinned.eval, p, metric);
}

DiffSide sideFromPredictions(std::unique_ptr<LoadedPredictions> predictions) {
    DiffSide side;
    side.predictions = std::move(predictions);
    side.name = side.predictions->name;
    addEvalMetrics(side);
    return side;
}

DiffSide sideFromFile(const std::string& path, const Args& args) {
    return sideFromPredictions(loadPredictions(path, args));
}

// Two regression logs: the paired comparison of regression A B, in diff's formats (Markdown by default).
int diffRegressionLogs(LoadedRegressionLog& a, LoadedRegressionLog& b, const Args& args, std::ostream& out) {
    for (const char* option : {"--baseline", "--flips-csv", "--metric", "--all"})
        if (args.has(option)) throw UsageError(std::string(option) + " is for classification logs");
    disambiguateNames({{&a.name, a.path}, {&b.name, b.path}});
    return writePairedRegression(
        {a.path, a.name, &a.log}, {b.path, b.name, &b.log}, args,
        args.has("--json") ? PairedRegressionFormat::Json : PairedRegressionFormat::Markdown, out);
}

DiffSide sideFromRun(const Workspace& ws, const std::string& runName, const Args& args,
                     const std::string& evalSet) {
    const auto id = ws.runId(runName);
    if (!id) throw InputError("no run named '" + runName + "' in " + ws.path().string());
    const auto run = ws.run(*id);
    DiffSide side;
    side.name = runName;
    side.params = run->params;
    side.tags = run->tags;
    for (const auto& s : run->series)
        side.metrics[s.tag] = formatNumber(s.last);
    const auto& p = run->provenance;
    const std::pair<const char*, std::string> prov[] = {{"provenance.code_version", p.codeVersion},
                                                        {"provenance.data_version", p.dataVersion},
                                                        {"provenance.seed", p.seed},
                                                        {"provenance.status", p.status},
                                                        {"provenance.source_path", p.sourcePath}};
    for (const auto& [k, v] : prov)
        if (!v.empty()) side.tags[k] = v;
    side.run = run;
    for (const auto& table : ws.predictionTables(*id))
        side.evalSets.push_back({table.name, table.rows});
    side.predictions = loadRunPredictions(ws, *id, runName, args, evalSet);
    addEvalMetrics(side);
    return side;
}

// What `runlens diff --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
    R"(Usage: runlens diff A B [-w WS] [--json] [--markdown]

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

int runDiffCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{
        {"--workspace", "-w", true}, {"--json", "", false},      {"--markdown", "", false},
        {"--all", "", false},        {"--metric", "", true},     {"--resamples", "", true},
        {"--seed", "", true},        {"--eval-set", "", true},   {"--flips-csv", "", true},
        {"--baseline", "", true},    {"--prediction", "", true}, {"--error", "", true},
        {"--top", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (parsed.positionals().size() != 2)
        throw UsageError("give exactly two runs or two prediction logs: A B");
    SliceMetric metric = SliceMetric::Accuracy;
    if (auto m = parsed.get("--metric"); m && !parseSliceMetric(*m, metric))
        throw UsageError("unknown metric '" + *m + "'");
    const int resamples = static_cast<int>(parsed.number("--resamples", 1000, 10, 1e6));
    const auto seed = static_cast<std::uint64_t>(parsed.number("--seed", 20261126, 0, 9.0e15));
    const auto& pos = parsed.positionals();

    DiffSide a, b;
    std::unique_ptr<Workspace> ws;
    if (auto wsPath = parsed.get("--workspace")) {
        requireReadable(*wsPath);
        ws = Workspace::open(*wsPath, Workspace::Mode::ReadOnly);
        a = sideFromRun(*ws, pos[0], parsed, parsed.get("--eval-set", ""));
        b = sideFromRun(*ws, pos[1], parsed, parsed.get("--eval-set", ""));
    } else {
        auto logA = loadAnyLog(pos[0], parsed);
        auto logB = loadAnyLog(pos[1], parsed);
        requireSameKind(logA, logB);
        if (logA.regression) return diffRegressionLogs(*logA.regression, *logB.regression, parsed, out);
        for (const char* option : {"--error", "--top"})
            if (parsed.has(option)) throw UsageError(std::string(option) + " is for two regression logs");
        a = sideFromPredictions(std::move(logA.classification));
        b = sideFromPredictions(std::move(logB.classification));
        disambiguateNames(*a.predictions, *b.predictions);
        a.name = a.predictions->name;
        b.name = b.predictions->name;
    }
    std::optional<DiffSide> pinned;
    if (auto spec = parsed.get("--baseline")) {
        // A run of the workspace when one is named so, else a prediction log.
        if (ws && ws->runId(*spec))
            pinned = sideFromRun(*ws, *spec, parsed, parsed.get("--eval-set", ""));
        else
            pinned = sideFromFile(*spec, parsed);
        if (!pinned->predictions) throw InputError("baseline " + *spec + " has no evaluation set");
    }
    const auto params = diffMaps(a.params, b.params);
    const auto tags = diffMaps(a.tags, b.tags);
    const auto metrics = diffMaps(a.metrics, b.metrics);
    std::optional<PairedEvaluation> paired;
    if (a.predictions && b.predictions)
        paired = pairedAnalysis(*a.predictions, *b.predictions, metric, resamples, seed);
    if (auto flips = parsed.get("--flips-csv")) {
        if (!paired) throw InputError("no shared evaluation set to list flipped examples from");
        writeFlipsCsv(*flips, a, b, *paired);
    }
    std::optional<PinnedOnPairs> pinnedPairs;
    if (paired && pinned)
        pinnedPairs = pinnedOnPairs(*a.predictions, *b.predictions, *pinned->predictions, *paired, metric);
    const DiffSide* pinnedSide = pinned ? &*pinned : nullptr;
    if (parsed.has("--json"))
        writeDiffJson(out, a, b, params, tags, metrics, paired, false, pinnedSide, pinnedPairs); // every key
    else
        writeDiffMarkdown(out, a, b, params, tags, metrics, paired, !parsed.has("--all"), pinnedSide,
                          pinnedPairs);
    return kExitOk;
}

} // namespace

const Command kDiffCommand{"diff", "differences between two runs or two prediction logs", kUsage,
                           &runDiffCommand};

} // namespace runlens::cli
