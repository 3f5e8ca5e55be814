// `runlens calibration`: reliability bins, calibration errors and metrics beside baselines for a prediction
// log.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "core/analysis/baselines.h"
#include "core/analysis/binary_metrics.h"
#include "core/analysis/calibration.h"
#include "core/analysis/multiclass_metrics.h"
#include "core/analysis/multiclass_report.h"
#include "core/analysis/paired_evaluation.h"
#include "ui/calibration/calibration_chart.h"

#include <cstdio>

namespace runlens::cli {

namespace {

void writeMetricFields(JsonWriter& json, const BinaryMetrics& m) {
    json.field("log_loss", m.logLoss)
        .field("roc_auc", m.rocAuc)
        .field("average_precision", m.averagePrecision)
        .field("accuracy", m.accuracy)
        .field("precision", m.precision)
        .field("recall", m.recall)
        .field("f1", m.f1);
}

// Multiclass reports are top-label calibration (the event is "the top class is correct"): their counts are
// `correct` and their Brier is the top-label one, kept apart from the multiclass Brier (sum over classes).
// Per class of a multiclass log: its one-vs-rest calibration (ECE, MCE, Brier of P(class)) beside
// classification_report's precision, recall, F1 and support and the one-vs-rest AUC.
void writePerClass(JsonWriter& json, const EvaluationSet& e, const ClasswiseCalibration& classwise,
                   const MulticlassReport& report) {
    json.key("per_class").beginArray();
    for (std::size_t c = 0; c < e.classCount(); ++c) {
        json.beginObject().field("class", e.classes[c]);
        if (c < classwise.perClass.size()) {
            const auto& k = classwise.perClass[c];
            json.field("positives", k.positives)
                .field("ece", k.ece)
                .field("mce", k.mce)
                .field("brier", k.brier);
        }
        if (c < report.perClass.size()) {
            const auto& row = report.perClass[c];
            json.field("precision", row.precision)
                .field("recall", row.recall)
                .field("f1", row.f1)
                .field("support", row.support);
        }
        if (c < report.curves.size())
            json.field("roc_auc", report.curves[c].auc)
                .field("average_precision", report.curves[c].averagePrecision);
        json.endObject();
    }
    json.endArray();
}

void writeCalibrationFields(JsonWriter& json, const CalibrationReport& r, bool topLabel) {
    json.field("n", r.n).field(topLabel ? "correct" : "positives", r.positives);
    json.key("bins").beginArray();
    for (const auto& b : r.bins) {
        json.beginObject()
            .field("lower", b.lower)
            .field("upper", b.upper)
            .field("count", b.count)
            .field("mean_predicted", b.meanPredicted)
            .field(topLabel ? "fraction_correct" : "fraction_positive", b.fractionPositive)
            .field("ci_low", b.ciLow)
            .field("ci_high", b.ciHigh);
        if (std::isfinite(b.consistencyLow))
            json.field("consistency_low", b.consistencyLow).field("consistency_high", b.consistencyHigh);
        json.endObject();
    }
    json.endArray();
    json.field("ece", r.ece)
        .field("mce", r.mce)
        .field("ace_avg_bins", r.aceAvgBins)
        .field("l2_ce_debiased", r.l2CeDebiased)
        .field(topLabel ? "brier_top_label" : "brier", r.brier);
    json.key(topLabel ? "brier_top_label_decomposition" : "brier_decomposition")
        .beginObject()
        .field("reliability", r.brierDecomposition.reliability)
        .field("resolution", r.brierDecomposition.resolution)
        .field("uncertainty", r.brierDecomposition.uncertainty)
        .field("residual", r.brierDecomposition.residual)
        .endObject();
}

std::string num(double v, int digits = 4) {
    if (!std::isfinite(v)) return "n/a";
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
    return buffer;
}

void writeList(JsonWriter& json, std::string_view key, const std::vector<std::string>& items) {
    json.key(key).beginArray();
    for (const auto& item : items)
        json.value(item);
    json.endArray();
}

// "uniform_random: exact expectations: roc_auc, brier; one simulated draw (seed 0): f1\n".
std::string baselineMarks(std::string_view name, const std::vector<std::string>& exact,
                          const std::vector<std::string>& simulated, std::uint64_t seed) {
    auto join = [](const std::vector<std::string>& items) {
        std::string text;
        for (const auto& item : items)
            text += (text.empty() ? "" : ", ") + item;
        return text;
    };
    std::string line = std::string(name) + ": exact expectations: " + join(exact);
    if (!simulated.empty())
        line += "; from one simulated draw (seed " + std::to_string(seed) + "): " + join(simulated);
    return line + "\n";
}

void writeText(std::ostream& out, const std::string& name, const CalibrationReport& r, const BinaryMetrics* m,
               const std::vector<BinaryBaseline>& baselines, bool topLabel) {
    if (topLabel)
        out << name << ": " << r.n << " predictions, " << r.positives
            << " correct (top-label calibration: confidence = the top class's probability)\n\n";
    else
        out << name << ": " << r.n << " predictions, " << r.positives << " positive\n\n";
    out << (topLabel ? "bin            count   mean confidence    fraction correct   95% interval\n"
                     : "bin            count   mean predicted   fraction positive   95% interval\n");
    for (const auto& b : r.bins) {
        char line[160];
        std::snprintf(line, sizeof line, "(%.3f, %.3f]  %7lld   %14.4f   %17.4f   [%.4f, %.4f]\n", b.lower,
                      b.upper, static_cast<long long>(b.count), b.meanPredicted, b.fractionPositive, b.ciLow,
                      b.ciHigh);
        out << line;
    }
    out << "\nECE " << num(r.ece) << "   MCE " << num(r.mce) << "   ACE (average over bins) "
        << num(r.aceAvgBins) << "   debiased L2 calibration error " << num(r.l2CeDebiased) << '\n';
    out << (topLabel ? "Brier (top label) " : "Brier ") << num(r.brier) << " = reliability "
        << num(r.brierDecomposition.reliability) << " - resolution " << num(r.brierDecomposition.resolution)
        << " + uncertainty " << num(r.brierDecomposition.uncertainty) << " + residual "
        << num(r.brierDecomposition.residual, 6) << '\n';
    if (!m) return;
    out << "\nmetric              model";
    for (const auto& b : baselines)
        out << "   " << baselineName(b.kind);
    out << '\n';
    auto row = [&](const char* label, auto get) {
        char head[32];
        std::snprintf(head, sizeof head, "%-18s", label);
        out << head << "  " << num(get(*m));
        for (const auto& b : baselines)
            out << "   " << num(get(b.metrics));
        out << '\n';
    };
    row("accuracy", [](const BinaryMetrics& x) { return x.accuracy; });
    row("log loss", [](const BinaryMetrics& x) { return x.logLoss; });
    row("brier", [](const BinaryMetrics& x) { return x.brier; });
    row("roc auc", [](const BinaryMetrics& x) { return x.rocAuc; });
    row("average precision", [](const BinaryMetrics& x) { return x.averagePrecision; });
    for (const auto& b : baselines)
        if (!b.expectedExactly.empty())
            out << baselineMarks(baselineName(b.kind), b.expectedExactly, b.simulated, b.seed);
}

void writeMulticlassText(std::ostream& out, const MulticlassMetrics& m,
                         const std::vector<MulticlassBaseline>& baselines) {
    out << "\nmetric              model";
    for (const auto& b : baselines)
        out << "   " << baselineName(b.kind);
    out << '\n';
    auto row = [&](const char* label, auto get) {
        char head[40];
        std::snprintf(head, sizeof head, "%-18s", label);
        out << head << "  " << num(get(m));
        for (const auto& b : baselines)
            out << "   " << num(get(b.metrics));
        out << '\n';
    };
    row("accuracy", [](const MulticlassMetrics& x) { return x.accuracy; });
    row("log loss", [](const MulticlassMetrics& x) { return x.logLoss; });
    row("brier (multiclass)", [](const MulticlassMetrics& x) { return x.brier; });
    row("roc auc (ovr)", [](const MulticlassMetrics& x) { return x.rocAucOvrMacro; });
    row("macro f1", [](const MulticlassMetrics& x) { return x.macro.f1; });
    for (const auto& b : baselines)
        if (!b.expectedExactly.empty())
            out << baselineMarks(baselineName(b.kind), b.expectedExactly, b.simulated, b.seed);
}

// What `runlens calibration --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
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

int runCalibrationCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{{"--bins", "", true},         {"--strategy", "", true},
                                  {"--interval", "", true},     {"--threshold", "", true},
                                  {"--consistency", "", false}, {"--json", "", false},
                                  {"--output", "-o", true},     {"--size", "", true},
                                  {"--seed", "", true},         {"--baseline", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (parsed.positionals().size() != 1) throw UsageError("give one prediction log");
    CalibrationOptions options;
    options.bins = static_cast<int>(parsed.number("--bins", 10, 1, 1000));
    const std::string strategy = parsed.get("--strategy", "uniform");
    if (strategy == "uniform")
        options.strategy = BinStrategy::Uniform;
    else if (strategy == "quantile")
        options.strategy = BinStrategy::Quantile;
    else
        throw UsageError("--strategy is uniform or quantile");
    const std::string interval = parsed.get("--interval", "wilson");
    if (interval == "wilson")
        options.interval = IntervalMethod::Wilson;
    else if (interval == "clopper-pearson" || interval == "beta")
        options.interval = IntervalMethod::ClopperPearson;
    else
        throw UsageError("--interval is wilson or clopper-pearson");
    options.consistencyBands = parsed.has("--consistency");
    const double threshold = parsed.number("--threshold", 0.5, 0, 1);
    const auto seed = static_cast<std::uint64_t>(parsed.number("--seed", 0, 0, 9.0e15));

    const auto loaded = loadPredictions(parsed.positionals().front(), parsed);
    const auto& e = loaded->eval;
    if (!e.hasScores())
        throw InputError(loaded->path +
                         " has predictions but no score or probability column: calibration needs scores");
    CalibrationReport report;
    std::optional<BinaryMetrics> metrics;
    std::vector<BinaryBaseline> baselines;
    std::optional<MulticlassMetrics> multi;
    std::vector<MulticlassBaseline> multiBaselines;
    double classwiseEce = std::nan("");
    ClasswiseCalibration classwise;
    std::optional<MulticlassReport> perClass;
    if (e.multiclass) {
        report = topLabelCalibration(e.labels, e.probs, e.classCount(), options);
        multi = multiclassMetrics(e.labels, e.probs, e.classCount(), e.predictions);
        classwise = classwiseCalibration(e.labels, e.probs, e.classCount(), options);
        classwiseEce = classwise.meanEce;
        perClass = multiclassReport(e.labels, predictedClasses(e), e.probs, e.classCount());
        multiBaselines = multiclassBaselines(e.labels, e.classCount(), seed);
    } else {
        const auto ranked = rankScores(e.labels, e.scores);
        report = calibrationReport(ranked, e.labels, e.scores, options);
        metrics = binaryMetrics(ranked, e.labels, e.scores, threshold, e.predictions);
        baselines = binaryBaselines(e.labels, threshold, seed);
    }

    // A pinned baseline model (--baseline FILE): scored like the model on the examples both logs hold (by id,
    // else by row when the labels agree on every row); over rows the model does not have, its numbers would
    // sit beside the model's without describing the same data.
    std::unique_ptr<LoadedPredictions> pinned;
    std::optional<BinaryMetrics> pinnedMetrics;
    std::optional<CalibrationReport> pinnedReport;
    EvaluationSet pinnedShared;
    std::int64_t onlyModel = 0, onlyBaseline = 0;
    if (auto spec = parsed.get("--baseline")) {
        pinned = loadPredictions(*spec, parsed);
        if (pinned->eval.multiclass != e.multiclass || !pinned->eval.hasScores())
            throw InputError(*spec + ": a baseline needs scores of the same kind (binary or multiclass) as " +
                             loaded->path);
        std::string error;
        const auto aligned = alignEvaluations(loaded->table, e, pinned->table, pinned->eval, &error);
        if (!aligned) throw InputError(*spec + " vs " + loaded->path + ": " + error);
        if (aligned->pairs.rowsB.empty())
            throw InputError(*spec + " shares no example (same id and label) with " + loaded->path);
        pinnedShared = evaluationRows(pinned->eval, aligned->pairs.rowsB);
        onlyModel = static_cast<std::int64_t>(e.rows() - aligned->pairs.rowsA.size());
        onlyBaseline = static_cast<std::int64_t>(pinned->eval.rows() - aligned->pairs.rowsB.size());
        if (!e.multiclass) {
            pinnedMetrics =
                binaryMetrics(pinnedShared.labels, pinnedShared.scores, threshold, pinnedShared.predictions);
            pinnedReport = calibrationReport(pinnedShared.labels, pinnedShared.scores, options);
        }
    }

    if (parsed.has("--json")) {
        JsonWriter json(out);
        json.beginObject();
        json.field("kind", std::string(e.multiclass ? "multiclass_top_label" : "binary"));
        if (e.multiclass) {
            json.field("classes", static_cast<std::int64_t>(e.classCount()));
            json.field("classwise_ece", classwiseEce);
            writePerClass(json, e, classwise, *perClass);
        }
        writeCalibrationFields(json, report, e.multiclass);
        if (metrics) {
            writeMetricFields(json, *metrics);
            json.key("baselines").beginObject();
            for (const auto& b : baselines) {
                json.key(baselineName(b.kind)).beginObject();
                const auto bReport = calibrationReport(e.labels, b.scores, options);
                json.field("ece", bReport.ece).field("brier", b.metrics.brier);
                writeMetricFields(json, b.metrics);
                writeList(json, "expected_exactly", b.expectedExactly);
                writeList(json, "simulated", b.simulated);
                if (!b.simulated.empty()) json.field("seed", static_cast<std::int64_t>(b.seed));
                json.endObject();
            }
            if (pinnedMetrics) {
                json.key("pinned")
                    .beginObject()
                    .field("name", pinned->name)
                    .field("n", static_cast<std::int64_t>(pinnedShared.rows()))
                    .field("only_model", onlyModel)
                    .field("only_baseline", onlyBaseline);
                json.field("ece", pinnedReport->ece).field("brier", pinnedMetrics->brier);
                writeMetricFields(json, *pinnedMetrics);
                json.endObject();
            }
            json.endObject();
        } else if (multi) {
            json.field("brier", multi->brier)
                .field("log_loss", multi->logLoss)
                .field("roc_auc", multi->rocAucOvrMacro)
                .field("accuracy", multi->accuracy)
                .field("macro_f1", multi->macro.f1);
            json.key("baselines").beginObject();
            if (pinned) {
                const auto m = multiclassMetrics(pinnedShared.labels, pinnedShared.probs,
                                                 pinnedShared.classCount(), pinnedShared.predictions);
                json.key("pinned")
                    .beginObject()
                    .field("name", pinned->name)
                    .field("n", static_cast<std::int64_t>(pinnedShared.rows()))
                    .field("only_model", onlyModel)
                    .field("only_baseline", onlyBaseline)
                    .field("brier", m.brier)
                    .field("log_loss", m.logLoss)
                    .field("roc_auc", m.rocAucOvrMacro)
                    .field("accuracy", m.accuracy)
                    .field("macro_f1", m.macro.f1)
                    .endObject();
            }
            for (const auto& b : multiBaselines) {
                json.key(baselineName(b.kind))
                    .beginObject()
                    .field("brier", b.metrics.brier)
                    .field("log_loss", b.metrics.logLoss)
                    .field("roc_auc", b.metrics.rocAucOvrMacro)
                    .field("accuracy", b.metrics.accuracy)
                    .field("macro_f1", b.metrics.macro.f1);
                writeList(json, "expected_exactly", b.expectedExactly);
                writeList(json, "simulated", b.simulated);
                if (!b.simulated.empty()) json.field("seed", static_cast<std::int64_t>(b.seed));
                json.endObject();
            }
            json.endObject();
        }
        json.endObject();
        json.finish();
    } else {
        writeText(out, loaded->name, report, metrics ? &*metrics : nullptr, baselines, e.multiclass);
        if (pinnedMetrics)
            out << "pinned baseline " << pinned->name << " (on the " << pinnedShared.rows()
                << " examples it shares with the model): accuracy " << num(pinnedMetrics->accuracy)
                << ", log loss " << num(pinnedMetrics->logLoss) << ", brier " << num(pinnedMetrics->brier)
                << ", roc auc " << num(pinnedMetrics->rocAuc) << ", ECE " << num(pinnedReport->ece) << '\n';
        if (multi) writeMulticlassText(out, *multi, multiBaselines);
    }
    if (auto output = parsed.get("--output")) {
        const QSize size = parseChartSize(parsed.get("--size", "900x800"));
        writeChartFile(
            [&] {
                return ui::buildReliabilityChart({{QString::fromStdString(loaded->name), report}},
                                                 QString("Reliability of %1 (%2 bins, %3)")
                                                     .arg(QString::fromStdString(loaded->name))
                                                     .arg(options.bins)
                                                     .arg(QString::fromStdString(strategy)));
            },
            size, *output);
        if (!parsed.has("--json")) out << "wrote " << *output << '\n';
    }
    return kExitOk;
}

} // namespace

const Command kCalibrationCommand{"calibration",
                                  "reliability bins and calibration metrics of a prediction log", kUsage,
                                  &runCalibrationCommand};

} // namespace runlens::cli
