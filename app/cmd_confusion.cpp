// `runlens confusion`: the confusion matrix of a classification log with per-class precision, recall, F1,
// their averages, balanced accuracy, kappa, top-k accuracy and one-vs-rest AUC; the examples of one cell.
#include "app/cli.h"
#include "app/headless_chart.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "core/analysis/multiclass_report.h"
#include "ui/confusion/confusion_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace runlens::cli {

namespace {

// The class scores and predicted classes the report needs; binary logs become two columns (1 - p, p) and,
// without a prediction column, the class of score >= threshold.
struct ClassInputs {
    std::vector<int> predictions;
    std::vector<double> probs;
};

// core's probability rows; binary scores are thresholded at --threshold, a multiclass set keeps its own
// prediction column (or none: the report takes the argmax).
ClassInputs classInputs(const EvaluationSet& e, double threshold) {
    ClassInputs in;
    in.probs = classProbabilityRows(e);
    in.predictions = e.multiclass ? e.predictions : predictedClasses(e, threshold);
    return in;
}

ConfusionNormalization normalizationOf(const std::string& text) {
    if (text == "none") return ConfusionNormalization::None;
    if (text == "true") return ConfusionNormalization::True;
    if (text == "pred") return ConfusionNormalization::Pred;
    if (text == "all") return ConfusionNormalization::All;
    throw UsageError("--normalize is none, true, pred or all");
}

int classIndex(const EvaluationSet& e, const std::string& name) {
    const auto it = std::find(e.classes.begin(), e.classes.end(), name);
    if (it == e.classes.end()) throw InputError("no class named '" + name + "'");
    return int(it - e.classes.begin());
}

void writeMatrix(JsonWriter& json, std::string_view key, const std::vector<double>& m, std::size_t k) {
    json.key(key).beginArray();
    for (std::size_t t = 0; t < k; ++t) {
        json.beginArray();
        for (std::size_t p = 0; p < k; ++p)
            json.value(m[t * k + p]);
        json.endArray();
    }
    json.endArray();
}

void writeAverages(JsonWriter& json, std::string_view key, const AveragedScores& s) {
    json.key(key)
        .beginObject()
        .field("precision", s.precision)
        .field("recall", s.recall)
        .field("f1", s.f1)
        .endObject();
}

std::string num(double v) {
    if (!std::isfinite(v)) return "n/a";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", v);
    return buffer;
}

void writeJson(std::ostream& out, const LoadedPredictions& in, const MulticlassReport& r,
               const std::vector<std::size_t>* cell) {
    const auto& e = in.eval;
    const std::size_t k = r.classes;
    JsonWriter json(out);
    json.beginObject().field("kind", "confusion").field("file", in.path).field("n", r.n);
    json.key("classes").beginArray();
    for (const auto& c : e.classes)
        json.value(c);
    json.endArray();
    json.key("confusion").beginArray();
    for (std::size_t t = 0; t < k; ++t) {
        json.beginArray();
        for (std::size_t p = 0; p < k; ++p)
            json.value(r.confusion[t * k + p]);
        json.endArray();
    }
    json.endArray();
    writeMatrix(json, "confusion_true", normalizedConfusion(r.confusion, k, ConfusionNormalization::True), k);
    writeMatrix(json, "confusion_pred", normalizedConfusion(r.confusion, k, ConfusionNormalization::Pred), k);
    json.key("per_class").beginArray();
    for (const auto& row : r.perClass) {
        json.beginObject()
            .field("class", e.classes[std::size_t(row.classIndex)])
            .field("precision", row.precision)
            .field("recall", row.recall)
            .field("f1", row.f1)
            .field("support", row.support)
            .field("predicted", row.predicted);
        if (!r.curves.empty()) {
            const auto& curve = r.curves[std::size_t(row.classIndex)];
            json.field("roc_auc", curve.auc).field("average_precision", curve.averagePrecision);
        }
        json.endObject();
    }
    json.endArray();
    json.field("accuracy", r.accuracy);
    writeAverages(json, "macro", r.macro);
    writeAverages(json, "micro", r.micro);
    writeAverages(json, "weighted", r.weighted);
    json.field("balanced_accuracy", r.balancedAccuracy)
        .field("kappa", r.kappa)
        .field("kappa_linear", r.kappaLinear)
        .field("kappa_quadratic", r.kappaQuadratic);
    json.key("top_k").beginArray();
    for (double v : r.topK)
        json.value(v);
    json.endArray();
    json.field("roc_auc_ovr_macro", r.macroAuc).field("roc_auc_ovr_weighted", r.weightedAuc);
    json.field("note", r.note);
    if (cell) {
        const PredictionColumn* id = in.table.find(ColumnRole::Id);
        json.key("cell_examples").beginArray();
        for (std::size_t row : *cell) {
            json.beginObject().field("row", row + 1);
            if (id) json.field("id", cellText(*id, row));
            json.endObject();
        }
        json.endArray();
    }
    json.endObject();
    json.finish();
}

void writeText(std::ostream& out, const LoadedPredictions& in, const MulticlassReport& r,
               const std::vector<std::size_t>* cell, const std::string& cellName) {
    const auto& e = in.eval;
    const std::size_t k = r.classes;
    out << in.name << ": " << r.n << " examples, " << k << " classes\n\nconfusion (rows = true, columns = "
        << "predicted)\n";
    std::size_t width = 8;
    for (const auto& c : e.classes)
        width = std::max(width, c.size() + 2);
    auto pad = [&](const std::string& s) {
        return s + std::string(width > s.size() ? width - s.size() : 1, ' ');
    };
    out << pad("");
    for (const auto& c : e.classes)
        out << pad(c);
    out << '\n';
    for (std::size_t t = 0; t < k; ++t) {
        out << pad(e.classes[t]);
        for (std::size_t p = 0; p < k; ++p)
            out << pad(std::to_string(r.confusion[t * k + p]));
        out << '\n';
    }
    out << '\n' << pad("class") << "precision  recall     f1         support\n";
    for (const auto& row : r.perClass)
        out << pad(e.classes[std::size_t(row.classIndex)]) << num(row.precision) << "     " << num(row.recall)
            << "     " << num(row.f1) << "     " << row.support << '\n';
    out << "\naccuracy " << num(r.accuracy) << "   balanced accuracy " << num(r.balancedAccuracy)
        << "   Cohen's kappa " << num(r.kappa) << '\n';
    out << "macro F1 " << num(r.macro.f1) << "   micro F1 " << num(r.micro.f1) << "   weighted F1 "
        << num(r.weighted.f1) << '\n';
    if (r.topK.size() >= 2) out << "top-2 accuracy " << num(r.topK[1]) << '\n';
    if (std::isfinite(r.macroAuc))
        out << "one-vs-rest ROC AUC: macro " << num(r.macroAuc) << ", weighted " << num(r.weightedAuc)
            << '\n';
    if (!r.note.empty()) out << "note: " << r.note << '\n';
    if (!cell) return;
    const PredictionColumn* id = in.table.find(ColumnRole::Id);
    out << "\nexamples in cell " << cellName << " (" << cell->size() << "):";
    for (std::size_t row : *cell)
        out << ' ' << (id ? cellText(*id, row) : "row " + std::to_string(row + 1));
    out << '\n';
}

// What `runlens confusion --help` prints (the dispatcher in app/cli.cpp prints it, never the run function).
constexpr std::string_view kUsage =
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

int runConfusionCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{{"--json", "", false},     {"--output", "-o", true},  {"--size", "", true},
                                  {"--normalize", "", true}, {"--threshold", "", true}, {"--cell", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (parsed.positionals().size() != 1) throw UsageError("give one prediction log");
    const auto normalization = normalizationOf(parsed.get("--normalize", "none"));
    const double threshold = parsed.number("--threshold", 0.5, 0, 1);
    const auto loaded = loadPredictions(parsed.positionals().front(), parsed);
    const auto& e = loaded->eval;
    const auto inputs = classInputs(e, threshold);
    if (inputs.predictions.empty() && inputs.probs.empty())
        throw InputError(loaded->path + ": no prediction or score column");
    const auto report = multiclassReport(e.labels, inputs.predictions, inputs.probs, e.classCount());

    std::optional<std::vector<std::size_t>> cell;
    std::string cellName;
    if (auto wanted = parsed.get("--cell")) {
        const auto colon = wanted->find(':');
        if (colon == std::string::npos) throw UsageError("--cell needs TRUE:PREDICTED class names");
        const int t = classIndex(e, wanted->substr(0, colon));
        const int p = classIndex(e, wanted->substr(colon + 1));
        std::vector<int> predicted = inputs.predictions;
        if (predicted.empty()) // argmax of the class scores, as the report does
            for (std::size_t r = 0; r < e.rows(); ++r) {
                const auto* row = inputs.probs.data() + r * e.classCount();
                predicted.push_back(int(std::max_element(row, row + e.classCount()) - row));
            }
        cell = cellExamples(e.labels, predicted, t, p);
        cellName = *wanted;
    }
    if (parsed.has("--json"))
        writeJson(out, *loaded, report, cell ? &*cell : nullptr);
    else
        writeText(out, *loaded, report, cell ? &*cell : nullptr, cellName);
    if (auto output = parsed.get("--output")) {
        ui::ConfusionChartInput chart;
        for (const auto& c : e.classes)
            chart.classes << QString::fromStdString(c);
        chart.counts = report.confusion;
        chart.shown = normalizedConfusion(report.confusion, report.classes, normalization);
        chart.fractions = normalization != ConfusionNormalization::None;
        const int side = std::clamp(int(260 + 70 * report.classes), 500, 2400);
        const QSize size =
            parseChartSize(parsed.get("--size", std::to_string(side) + "x" + std::to_string(side)));
        writeChartFile(
            [&] {
                return ui::buildConfusionChart(
                    chart,
                    QStringLiteral("Confusion matrix of %1").arg(QString::fromStdString(loaded->name)));
            },
            size, *output);
        if (!parsed.has("--json")) out << "wrote " << *output << '\n';
    }
    return kExitOk;
}

} // namespace

const Command kConfusionCommand{"confusion",
                                "confusion matrix, per-class metrics, kappa, top-k and one-vs-rest AUC",
                                kUsage, &runConfusionCommand};

} // namespace runlens::cli
