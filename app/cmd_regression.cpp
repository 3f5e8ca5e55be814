// `runlens regression`: a regressor's metrics with bootstrap intervals, baselines and interval coverage, or
// the paired comparison of two regressors on the same examples.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "app/json_writer.h"
#include "app/paired_regression_output.h"
#include "core/analysis/paired_regression.h"
#include "core/analysis/regression_report.h"
#include "core/analysis/report_text.h"
#include "core/io/regression_log.h"
#include "ui/regression/regression_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace runlens::cli {

namespace {

struct LoadedRegression {
    std::string path, name;
    RegressionLog log;
};

LoadedRegression loadRegression(const std::string& path, const Args& args) {
    requireReadable(path);
    if (std::filesystem::is_directory(path))
        throw InputError(path + " is a folder; give a prediction log file");
    PredictionRoles roles;
    roles.label = args.get("--label", "");
    roles.prediction = args.get("--prediction", "");
    roles.id = args.get("--id", "");
    RegressionLogOptions options;
    options.weightColumn = args.get("--weight", "");
    options.assumedLevel = args.number("--level", 0.9, 1e-6, 1 - 1e-6);
    ReadReport report;
    auto log = readRegressionLog(path, roles, report, options);
    for (const auto& issue : report.issues)
        if (issue.severity == Severity::Error) throw InputError(issue.toString());
    if (!log) throw InputError(path + ": not a regression log");
    if (log->rows() == 0) throw InputError(path + ": no data rows");
    return {path, std::filesystem::path(path).stem().string(), std::move(*log)};
}

std::string num(double v) {
    return regressionNumber(v);
}

struct NamedInterval {
    const char* key;
    const char* label;
    const MetricInterval* interval;
};

std::vector<NamedInterval> namedIntervals(const RegressionBootstrap& b) {
    return {{"mae", "MAE", &b.mae},
            {"mse", "MSE", &b.mse},
            {"rmse", "RMSE", &b.rmse},
            {"r2", "R^2", &b.r2},
            {"median_ae", "median absolute error", &b.medianAe},
            {"mape", "MAPE (fraction)", &b.mape},
            {"smape", "sMAPE (fraction, 0-2)", &b.smape},
            {"max_error", "max error", &b.maxError},
            {"mean_error", "mean error (bias, pred - label)", &b.meanError}};
}

RegressionReport analyse(const RegressionLog& log, const std::optional<LoadedRegression>& pinned,
                         const Args& args) {
    auto input = reportInputOf(log);
    input.bootstrap = bootstrapOptionsOf(args);
    if (pinned) {
        const auto aligned = alignRegressionLogs(log, pinned->log);
        if (!aligned.refusal.empty()) throw InputError(pinned->path + ": " + aligned.refusal);
        if (aligned.matched != std::int64_t(log.rows()))
            throw InputError(pinned->path + ": the pinned run covers " + std::to_string(aligned.matched) +
                             " of " + std::to_string(log.rows()) +
                             " examples; a baseline must cover all of them");
        // Every row matched, so the aligned rows are this log's rows in their order and the weights fit.
        input.pinned = pinnedRunBaseline(pinned->name, aligned.labels, aligned.predictionsB, log.weights);
    }
    return regressionReport(input);
}

void writeSingleJson(std::ostream& out, const LoadedRegression& in, const RegressionReport& r) {
    const auto& p = r.bootstrap.point;
    JsonWriter json(out);
    json.beginObject()
        .field("kind", "regression")
        .field("file", in.path)
        .field("n", p.n)
        .field("skipped_rows", p.skippedRows)
        .field("weighted", p.weighted)
        .field("label", in.log.labelColumn)
        .field("prediction", in.log.predictionColumn);
    if (in.log.weightColumn.empty())
        json.key("weight").null();
    else
        json.field("weight", in.log.weightColumn);
    json.key("metrics").beginObject();
    for (const auto& m : namedIntervals(r.bootstrap))
        json.key(m.key)
            .beginObject()
            .field("value", m.interval->value)
            .field("ci_low", m.interval->low)
            .field("ci_high", m.interval->high)
            .endObject();
    json.endObject();
    json.field("mape_meaningful", p.mapeMeaningful)
        .field("mape_note", p.mapeNote)
        .field("labels_at_zero", p.labelsAtZero)
        .field("labels_near_zero", p.labelsNearZero);
    json.key("bootstrap")
        .beginObject()
        .field("resamples", r.bootstrap.resamples)
        .field("seed", static_cast<std::int64_t>(r.bootstrap.seed))
        .field("level", r.bootstrap.level)
        .field("exact", r.bootstrap.exact)
        .field("method", r.bootstrap.method)
        .endObject();
    json.key("baselines").beginArray();
    for (const auto& b : r.baselines)
        json.beginObject()
            .field("name", b.name)
            .field("constant", b.constant)
            .field("note", b.note)
            .field("mae", b.metrics.mae)
            .field("mse", b.metrics.mse)
            .field("rmse", b.metrics.rmse)
            .field("r2", b.metrics.r2)
            .field("median_ae", b.metrics.medianAe)
            .field("mae_skill", skillOver(p.mae, b.metrics.mae))
            .endObject();
    json.endArray();
    json.key("intervals").beginArray();
    for (std::size_t i = 0; i < r.coverage.size(); ++i) {
        const auto& c = r.coverage[i];
        const auto& columns = in.log.intervals[i];
        json.beginObject()
            .field("name", c.name)
            .field("lower", columns.lowerColumn)
            .field("upper", columns.upperColumn)
            .field("nominal", c.nominal)
            .field("nominal_assumed", columns.nominalAssumed)
            .field("n", c.n)
            .field("inside", c.inside)
            .field("below", c.below)
            .field("above", c.above)
            .field("crossed", c.crossed)
            .field("skipped", c.skipped)
            .field("coverage", c.coverage)
            .field("ci_low", c.coverageCi.low)
            .field("ci_high", c.coverageCi.high)
            .field("mean_width", c.meanWidth)
            .field("median_width", c.medianWidth)
            .field("verdict", std::string(coverageVerdictName(c.verdict)))
            .field("sentence", c.sentence)
            .endObject();
    }
    json.endArray();
    json.key("residuals")
        .beginObject()
        .field("n", r.histogram.n)
        .field("mean", r.histogram.mean)
        .field("sd", r.histogram.sd);
    json.key("by_prediction").beginArray();
    for (const auto& b : r.byPrediction)
        json.beginObject()
            .field("x_low", b.xLow)
            .field("x_high", b.xHigh)
            .field("n", b.n)
            .field("mean", b.mean)
            .field("ci_low", b.ciLow)
            .field("ci_high", b.ciHigh)
            .endObject();
    json.endArray().endObject();
    json.key("notes").beginArray();
    for (const auto& note : in.log.notes)
        json.value(note);
    json.endArray();
    json.endObject();
    json.finish();
}

void writeSingleText(std::ostream& out, const LoadedRegression& in, const RegressionReport& r) {
    const auto& p = r.bootstrap.point;
    out << in.name << ": " << p.n << " examples (label '" << in.log.labelColumn << "', prediction '"
        << in.log.predictionColumn << "'";
    if (p.weighted) out << ", weighted by '" << in.log.weightColumn << "'";
    out << ")";
    if (p.skippedRows > 0) out << "; " << p.skippedRows << " rows skipped (not finite)";
    out << "\n\n";
    char line[200];
    std::snprintf(line, sizeof line, "%-34s %12s   %s\n", "metric", "value", "95% bootstrap interval");
    out << line;
    for (const auto& m : namedIntervals(r.bootstrap)) {
        std::snprintf(line, sizeof line, "%-34s %12s   [%s, %s]\n", m.label, num(m.interval->value).c_str(),
                      num(m.interval->low).c_str(), num(m.interval->high).c_str());
        out << line;
    }
    out << "(" << r.bootstrap.resamples << " resamples, seed " << r.bootstrap.seed << "; "
        << r.bootstrap.method << ")\n";
    if (!p.mapeMeaningful) out << "note: " << p.mapeNote << '\n';
    out << "\nbaseline             constant        MAE       RMSE        R^2   model's MAE skill\n";
    for (const auto& b : r.baselines) {
        std::snprintf(line, sizeof line, "%-18s %10s %10s %10s %10s   %s\n", b.name.c_str(),
                      num(b.constant).c_str(), num(b.metrics.mae).c_str(), num(b.metrics.rmse).c_str(),
                      num(b.metrics.r2).c_str(), formatPercent(skillOver(p.mae, b.metrics.mae)).c_str());
        out << line;
    }
    for (const auto& b : r.baselines)
        if (!b.note.empty()) out << "  " << b.name << ": " << b.note << '\n';
    if (!r.coverage.empty()) out << "\nprediction intervals\n";
    for (const auto& c : r.coverage)
        out << "  " << c.name << ": " << c.sentence << '\n';
    out << "\nresiduals (actual - predicted): mean " << num(r.histogram.mean) << ", sd "
        << num(r.histogram.sd) << '\n';
    for (const auto& note : in.log.notes)
        out << "note: " << note << '\n';
}

void writeSingleChart(const LoadedRegression& in, const RegressionReport& r, const Args& args,
                      const std::string& path) {
    const std::string plot = args.get("--plot", "actual");
    const QSize size = parseChartSize(args.get("--size", "900x800"));
    const QString name = QString::fromStdString(in.name);
    writeChartFile(
        [&]() -> QChart* {
            if (plot == "residuals")
                return ui::buildResidualBinsChart(
                    r.byPrediction, QStringLiteral("predicted"),
                    QStringLiteral("Residuals of %1 by prediction decile").arg(name));
            if (plot == "histogram")
                return ui::buildResidualHistogramChart(r.histogram,
                                                       QStringLiteral("Residuals of %1").arg(name));
            return ui::buildPredictedActualChart(r.density,
                                                 QStringLiteral("Predicted against actual: %1").arg(name));
        },
        size, path);
}

// What `runlens regression --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
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

int runRegressionCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    const std::vector<OptionSpec> specs{
        {"--json", "", false},  {"--output", "-o", true},   {"--size", "", true},
        {"--plot", "", true},   {"--resamples", "", true},  {"--seed", "", true},
        {"--label", "", true},  {"--prediction", "", true}, {"--id", "", true},
        {"--weight", "", true}, {"--level", "", true},      {"--baseline", "", true},
        {"--error", "", true},  {"--top", "", true}};
    const Args parsed(args, specs);
    const auto& files = parsed.positionals();
    if (files.empty() || files.size() > 2) throw UsageError("give one regression log, or two to compare");
    const std::string plot = parsed.get("--plot", "actual");
    if (plot != "actual" && plot != "residuals" && plot != "histogram")
        throw UsageError("--plot is actual, residuals or histogram");
    const auto first = loadRegression(files[0], parsed);
    if (files.size() == 2) {
        if (parsed.has("--output")) throw UsageError("-o draws one log; give one file");
        auto second = loadRegression(files[1], parsed);
        if (second.name == first.name) second.name = second.path;
        return writePairedRegression(
            {first.path, first.name, &first.log}, {second.path, second.name, &second.log}, parsed,
            parsed.has("--json") ? PairedRegressionFormat::Json : PairedRegressionFormat::Text, out);
    }
    std::optional<LoadedRegression> pinned;
    if (auto baseline = parsed.get("--baseline")) pinned = loadRegression(*baseline, parsed);
    const auto report = analyse(first.log, pinned, parsed);
    if (parsed.has("--json"))
        writeSingleJson(out, first, report);
    else
        writeSingleText(out, first, report);
    if (auto output = parsed.get("--output")) {
        writeSingleChart(first, report, parsed, *output);
        if (!parsed.has("--json")) out << "wrote " << *output << '\n';
    }
    return kExitOk;
}

} // namespace

const Command kRegressionCommand{
    "regression", "regression metrics with intervals, baselines, coverage; two regressors paired", kUsage,
    &runRegressionCommand};

} // namespace runlens::cli
