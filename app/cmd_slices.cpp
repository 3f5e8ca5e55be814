// `runlens slices`: per-slice metrics per cohort and the Simpson verdict, as text, JSON and a chart.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "app/slices_fairness.h"
#include "app/slices_regression.h"
#include "core/analysis/number_format.h"
#include "core/store/workspace.h"
#include "ui/slices/slice_chart.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace runlens::cli {

namespace {

void writeCell(JsonWriter& json, const SliceCell& cell) {
    json.beginObject()
        .field("n", cell.n)
        .field("value", cell.value)
        .field("ci_low", cell.ciLow)
        .field("ci_high", cell.ciHigh)
        .field("share", cell.share)
        .field("zero_rule", cell.zeroRule)
        .endObject();
}

// Model minus pinned baseline per cohort (as diff's lift_a/lift_b: positive is better only for metrics where
// higher is better); null where either side has no value.
void writeLift(JsonWriter& json, const SliceReport& r, const std::vector<SliceCell>& cells,
               const SliceCell& baseline) {
    json.key("lift").beginObject();
    for (std::size_t c = 0; c < r.cohorts.size(); ++c) {
        json.key(r.cohorts[c]);
        const double lift = cells[c].value - baseline.value;
        if (cells[c].n > 0 && baseline.n > 0 && std::isfinite(lift))
            json.value(lift);
        else
            json.null();
    }
    json.endObject();
}

void writeJson(std::ostream& out, const SliceReport& r) {
    JsonWriter json(out);
    json.beginObject();
    json.field("metric", std::string(sliceMetricInfo(r.metric).name));
    json.key("by").beginArray();
    for (const auto& b : r.by)
        json.value(b);
    json.endArray();
    json.key("cohorts").beginArray();
    for (const auto& c : r.cohorts)
        json.value(c);
    json.endArray();
    json.field("interval_method", r.intervalMethod);
    if (r.bootstrapResamples > 0)
        json.field("bootstrap_resamples", r.bootstrapResamples)
            .field("bootstrap_seed", static_cast<std::int64_t>(r.seed));
    json.field("identical_examples", r.identicalExamples).field("same_strata", r.sameStrata);
    if (!r.examplesNote.empty()) json.field("examples_note", r.examplesNote);
    json.key("overall").beginObject();
    for (std::size_t c = 0; c < r.cohorts.size(); ++c) {
        json.key(r.cohorts[c]);
        writeCell(json, r.overall[c]);
    }
    json.endObject();
    // The baseline beside every cell: zero_rule in each cell, and here per cohort overall.
    json.key("baselines").beginObject().key("zero_rule").beginObject();
    for (std::size_t c = 0; c < r.cohorts.size(); ++c)
        json.field(r.cohorts[c], r.overall[c].zeroRule);
    json.endObject().endObject();
    if (r.baseline) {
        json.key("baseline").beginObject().field("name", r.baseline->name).key("overall");
        writeCell(json, r.baseline->overall);
        writeLift(json, r, r.overall, r.baseline->overall);
        json.field("unmatched_rows", r.baseline->unmatchedRows).endObject();
    }
    json.key("slices").beginArray();
    for (const auto& row : r.slices) {
        json.beginObject().key("key").beginObject();
        for (const auto& [feature, value] : row.key)
            json.field(feature, value);
        json.endObject().key("cohorts").beginObject();
        for (std::size_t c = 0; c < r.cohorts.size(); ++c) {
            json.key(r.cohorts[c]);
            writeCell(json, row.cohorts[c]);
        }
        json.endObject().key("winner");
        if (row.winner.empty())
            json.null();
        else
            json.value(row.winner);
        if (row.baseline) {
            json.key("baseline").beginObject().field("name", r.baseline->name).key("cell");
            writeCell(json, *row.baseline);
            writeLift(json, r, row.cohorts, *row.baseline);
            json.endObject();
        }
        json.endObject();
    }
    json.endArray();
    json.key("simpson");
    if (r.cohorts.size() < 2) {
        json.null();
    } else {
        const auto& s = r.simpson;
        json.beginObject();
        writeSimpsonVerdictFields(json, s);
        json.field("complete_reversal_possible",
                   !(s.identicalExamples && s.sameStrata && s.allStrataComparable && s.decomposable));
        json.field("explanation", s.explanation);
        json.endObject();
    }
    json.endObject();
    json.finish();
}

// The interval decides the digits: "80% [49%, 94%] n=10", not "80.0% [49.0%, 94.3%]".
std::string cellText(const SliceCell& cell, bool percent) {
    if (cell.n == 0) return "-";
    return formatEstimate(cell.value, cell.ciLow, cell.ciHigh, percent) + " n=" + std::to_string(cell.n);
}

std::string zeroRuleText(const SliceCell& cell, bool percent) {
    return cell.n == 0 || !std::isfinite(cell.zeroRule) ? "-" : formatMetricValue(cell.zeroRule, percent);
}

void writeText(std::ostream& out, const SliceReport& r) {
    const auto& info = sliceMetricInfo(r.metric);
    const bool percent = info.rate;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"SLICE"};
    for (const auto& c : r.cohorts)
        header.push_back(c);
    if (r.cohorts.size() > 1) header.push_back("WINNER");
    // The zero-rule beside the model in text too, as in the JSON and the Slices table.
    for (const auto& c : r.cohorts)
        header.push_back(r.cohorts.size() > 1 ? "ZERO-RULE " + c : "ZERO-RULE");
    if (r.baseline) header.push_back("BASELINE " + r.baseline->name);
    rows.push_back(header);
    for (const auto& row : r.slices) {
        std::string key;
        for (const auto& [f, v] : row.key)
            key += (key.empty() ? "" : ", ") + f + "=" + v;
        std::vector<std::string> line{key};
        for (const auto& cell : row.cohorts)
            line.push_back(cellText(cell, percent));
        if (r.cohorts.size() > 1) line.push_back(row.winner.empty() ? "-" : row.winner);
        for (const auto& cell : row.cohorts)
            line.push_back(zeroRuleText(cell, percent));
        if (row.baseline) line.push_back(cellText(*row.baseline, percent));
        rows.push_back(line);
    }
    std::vector<std::string> overall{"(overall)"};
    for (const auto& cell : r.overall)
        overall.push_back(cellText(cell, percent));
    if (r.cohorts.size() > 1) overall.push_back(r.simpson.overallWinner);
    for (const auto& cell : r.overall)
        overall.push_back(zeroRuleText(cell, percent));
    if (r.baseline) overall.push_back(cellText(r.baseline->overall, percent));
    rows.push_back(overall);
    std::vector<std::size_t> widths(header.size(), 0);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    out << info.name << " (95% " << r.intervalMethod << " intervals)\n";
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i)
            out << std::left << std::setw(int(widths[i] + 2)) << row[i];
        out << '\n';
    }
    if (r.baseline && r.baseline->unmatchedRows > 0)
        out << "\nbaseline " << r.baseline->name << ": " << r.baseline->unmatchedRows
            << " rows fall in slices no cohort has and are not shown\n";
    if (r.cohorts.size() > 1)
        out << "\nSimpson: " << reversalName(r.simpson.reversal) << ". " << r.simpson.explanation << '\n';
}

// What `runlens slices --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
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

int runSlicesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{
        {"--by", "", true},          {"--compare", "", true},    {"--metric", "", true},
        {"--min-n", "", true},       {"--buckets", "", true},    {"--edges", "", true},
        {"--threshold", "", true},   {"--seed", "", true},       {"--resamples", "", true},
        {"--json", "", false},       {"--output", "-o", true},   {"--size", "", true},
        {"--fairness", "", true},    {"--baseline", "", true},   {"--workspace", "-w", true},
        {"--eval-set", "", true},    {"--prediction", "", true}, {"--find", "", false},
        {"--min-support", "", true}, {"--max-level", "", true},  {"--top", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (auto column = parsed.get("--fairness")) return runFairnessReport(parsed, *column, out);
    const auto& files = parsed.positionals();
    if (files.empty() || files.size() > 2) throw UsageError("give one prediction log, or two to compare");
    SliceOptions options;
    options.by = splitCommaList(parsed.require("--by"));
    if (options.by.empty() || options.by.size() > 3) throw UsageError("--by takes one to three column names");
    if (auto metric = parsed.get("--metric"); metric && !parseSliceMetric(*metric, options.metric))
        throw UsageError(
            "unknown metric '" + *metric +
            "' (accuracy, error_rate, positive_rate, precision, recall, f1, auc, log_loss, brier, "
            "mean_score)");
    options.minN = static_cast<std::int64_t>(parsed.number("--min-n", 10, 1, 1e12));
    options.quantileBuckets = static_cast<int>(parsed.number("--buckets", 4, 1, 100));
    options.threshold = parsed.number("--threshold", 0.5, 0, 1);
    options.seed = static_cast<std::uint64_t>(parsed.number("--seed", 20261126, 0, 9.0e15));
    options.bootstrapResamples = static_cast<int>(parsed.number("--resamples", 500, 10, 100000));
    if (auto edges = parsed.get("--edges")) {
        auto [column, values] = parseEdgesOption(*edges);
        options.edges[column] = std::move(values);
    }
    if (files.size() == 2 && parsed.has("--compare"))
        throw UsageError("--compare splits one file; give one file");

    std::vector<LoadedLog> logs;
    for (const auto& f : files)
        logs.push_back(loadAnyLog(f, parsed));
    if (logs.size() == 2) requireSameKind(logs[0], logs[1]);
    if (logs.front().regression) {
        std::vector<LoadedRegressionLog*> regression;
        for (auto& l : logs)
            regression.push_back(l.regression.get());
        std::vector<NamedLog> named;
        for (auto* r : regression)
            named.push_back({&r->name, r->path});
        disambiguateNames(named);
        return runRegressionSlices(parsed, regression, out);
    }
    for (const char* option : {"--find", "--min-support", "--max-level", "--top"})
        if (parsed.has(option)) throw UsageError(std::string(option) + " searches slices of regression logs");
    std::vector<std::unique_ptr<LoadedPredictions>> loaded;
    for (auto& l : logs)
        loaded.push_back(std::move(l.classification));
    if (loaded.size() == 2) disambiguateNames(*loaded[0], *loaded[1]);
    std::vector<CohortInput> cohorts;
    for (const auto& l : loaded)
        cohorts.push_back(cohortOf(*l));
    for (std::size_t i = 0; i < loaded.size(); ++i)
        if (loaded[i]->eval.multiclass && options.metric != SliceMetric::Accuracy &&
            options.metric != SliceMetric::ErrorRate)
            throw InputError(loaded[i]->path +
                             " is multiclass: slices support accuracy and error_rate for it");
    if (auto compare = parsed.get("--compare")) {
        std::string error;
        auto split = splitByColumn(cohorts.front(), *compare, &error);
        if (!split) throw InputError(files.front() + ": " + error);
        cohorts = std::move(*split);
    }
    // A pinned baseline (--baseline): a run of -w WS when one is named so, else a prediction log.
    std::unique_ptr<LoadedPredictions> pinned;
    if (auto spec = parsed.get("--baseline")) {
        std::unique_ptr<Workspace> ws;
        if (auto wsPath = parsed.get("--workspace")) {
            requireReadable(*wsPath);
            ws = Workspace::open(*wsPath, Workspace::Mode::ReadOnly);
        }
        if (const auto id = ws ? ws->runId(*spec) : std::nullopt) {
            pinned = loadRunPredictions(*ws, *id, *spec, parsed, parsed.get("--eval-set", ""));
            if (!pinned) throw InputError("baseline " + *spec + " has no evaluation set");
        } else {
            pinned = loadPredictions(*spec, parsed);
        }
        if (pinned->eval.multiclass && options.metric != SliceMetric::Accuracy &&
            options.metric != SliceMetric::ErrorRate)
            throw InputError("baseline " + *spec +
                             " is multiclass: slices support accuracy and error_rate for it");
    } else if (parsed.has("--workspace") || parsed.has("--eval-set")) {
        throw UsageError("-w and --eval-set name the run given to --baseline");
    }
    std::optional<CohortInput> baseline;
    if (pinned) baseline = cohortOf(*pinned);
    std::string error;
    const auto report = compareSlices(cohorts, options, &error, baseline ? &*baseline : nullptr);
    if (!report) throw InputError(error);

    if (parsed.has("--json"))
        writeJson(out, *report);
    else
        writeText(out, *report);
    if (auto output = parsed.get("--output")) {
        const QSize size = parseChartSize(parsed.get("--size", "1200x700"));
        writeChartFile([&] { return ui::buildSliceChart(*report); }, size, *output);
        if (!parsed.has("--json")) out << "wrote " << *output << '\n';
    }
    return kExitOk;
}

} // namespace

const Command kSlicesCommand{"slices", "per-slice metrics and Simpson's-paradox check", kUsage,
                             &runSlicesCommand};

} // namespace runlens::cli
