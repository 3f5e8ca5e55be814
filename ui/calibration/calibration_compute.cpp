// Calibration tab, the background computation: the metrics of every run beside its baselines, the curves
// the diagram draws and the recalibration preview (split from calibration_view.cpp, which shows them).
#include "core/analysis/baselines.h"
#include "core/analysis/binary_metrics.h"
#include "core/analysis/multiclass_metrics.h"
#include "core/analysis/recalibration.h"
#include "core/analysis/slices.h"
#include "ui/calibration/calibration_parts.h"

#include <algorithm>
#include <map>
#include <span>
#include <utility>

namespace runlens::ui {

using namespace calibration_parts;

namespace {

constexpr int kMaxSliceCurves = 8;
constexpr std::size_t kMinRecalibrationRows = 20;

QString baselineLabel(BaselineKind kind) {
    switch (kind) {
    case BaselineKind::UniformRandom:
        return "uniform random";
    case BaselineKind::ZeroRule:
        return "zero-rule";
    case BaselineKind::Prior:
        return "prior";
    }
    return {};
}

CalibrationColumn binaryColumn(const QString& name, std::span<const int> labels,
                               std::span<const double> scores, std::span<const int> predictions,
                               const CalibrationOptions& options) {
    CalibrationColumn column;
    column.name = name;
    const auto ranked = rankScores(labels, scores);
    column.report = calibrationReport(ranked, labels, scores, options);
    const auto m = binaryMetrics(ranked, labels, scores, 0.5, predictions);
    column.metrics.logLoss = m.logLoss;
    column.metrics.rocAuc = m.rocAuc;
    column.metrics.averagePrecision = m.averagePrecision;
    column.metrics.accuracy = m.accuracy;
    return column;
}

CalibrationColumn multiclassColumn(const QString& name, std::span<const int> labels,
                                   std::span<const double> probs, std::size_t k,
                                   std::span<const int> predictions, const CalibrationOptions& options) {
    CalibrationColumn column;
    column.name = name;
    column.report = topLabelCalibration(labels, probs, k, options);
    const auto m = multiclassMetrics(labels, probs, k, predictions);
    column.metrics.logLoss = m.logLoss;
    column.metrics.rocAuc = m.rocAucOvrMacro;
    column.metrics.accuracy = m.accuracy;
    column.metrics.classwiseEce = classwiseCalibration(labels, probs, k, options).meanEce;
    column.metrics.multiclassBrier = m.brier;
    return column;
}

CalibrationColumn columnOf(const QString& name, const EvaluationSet& e, const CalibrationOptions& options) {
    if (e.multiclass)
        return multiclassColumn(name, e.labels, e.probs, e.classCount(), e.predictions, options);
    return binaryColumn(name, e.labels, e.scores, e.predictions, options);
}

std::vector<CalibrationColumn> baselineColumns(const EvaluationSet& e, const CalibrationOptions& options) {
    std::vector<CalibrationColumn> columns;
    if (!e.multiclass) {
        // As `runlens calibration`: metrics from binaryBaselines, calibration from the baseline's scores.
        for (const auto& b : binaryBaselines(e.labels, 0.5, 0)) {
            CalibrationColumn column;
            column.name = baselineLabel(b.kind);
            column.baseline = true;
            column.report = calibrationReport(e.labels, b.scores, options);
            column.metrics.logLoss = b.metrics.logLoss;
            column.metrics.rocAuc = b.metrics.rocAuc;
            column.metrics.averagePrecision = b.metrics.averagePrecision;
            column.metrics.accuracy = b.metrics.accuracy;
            columns.push_back(std::move(column));
        }
        return columns;
    }
    for (auto kind : {BaselineKind::UniformRandom, BaselineKind::ZeroRule, BaselineKind::Prior}) {
        const auto probs = baselineProbabilities(kind, e.labels, e.classCount(), 0);
        auto column = multiclassColumn(baselineLabel(kind), e.labels, probs, e.classCount(), {}, options);
        column.baseline = true;
        columns.push_back(std::move(column));
    }
    return columns;
}

CalibrationReport reportOfRows(const EvaluationSet& e, const std::vector<std::size_t>& rows,
                               const CalibrationOptions& options) {
    const EvaluationSet part = evaluationRows(e, rows);
    if (e.multiclass) return topLabelCalibration(part.labels, part.probs, e.classCount(), options);
    return calibrationReport(part.labels, part.scores, options);
}

// One curve per value (or quantile bucket) of a feature column, the largest groups first.
std::vector<CalibrationCurveResult> sliceCurves(const EvaluationEntry& entry, const std::string& columnName,
                                                const CalibrationOptions& options) {
    std::vector<CalibrationCurveResult> curves;
    const PredictionColumn* column = entry.table->column(columnName);
    if (!column || column->size() != entry.set->rows()) return curves;
    const auto labels = featureLabels(*column, {}, column->numbers, 4);
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t r = 0; r < labels.size(); ++r)
        groups[labels[r]].push_back(r);
    std::vector<std::pair<std::string, std::vector<std::size_t>>> ordered(groups.begin(), groups.end());
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
    if (ordered.size() > kMaxSliceCurves) ordered.resize(kMaxSliceCurves);
    for (const auto& [value, rows] : ordered) {
        CalibrationCurveResult curve;
        curve.name = QString("%1 = %2 (n=%3)")
                         .arg(QString::fromStdString(columnName), QString::fromStdString(value))
                         .arg(rows.size());
        curve.report = reportOfRows(*entry.set, rows, options);
        curves.push_back(std::move(curve));
    }
    return curves;
}

using Method = CalibrationView::Method;

RecalibrationMethod coreMethod(Method method) {
    switch (method) {
    case Method::Platt:
        return RecalibrationMethod::Platt;
    case Method::Isotonic:
        return RecalibrationMethod::Isotonic;
    case Method::Temperature:
        break;
    }
    return RecalibrationMethod::Temperature;
}

CalibrationMetrics metricsOfValues(const std::vector<int>& labels, const std::vector<double>& values,
                                   std::size_t k, bool multiclass, const CalibrationOptions& options,
                                   CalibrationReport* report) {
    const auto column = multiclass ? multiclassColumn({}, labels, values, k, {}, options)
                                   : binaryColumn({}, labels, values, {}, options);
    *report = column.report;
    return column.metrics;
}

RecalibrationOutcome recalibrate(const CalibrationView::Input& in) {
    RecalibrationOutcome out;
    const EvaluationSet& e = *in.runs.front().set;
    const std::size_t n = e.rows();
    const bool multi = e.multiclass;
    const std::size_t k = multi ? e.classCount() : 1;
    const Method method = multi ? Method::Temperature : in.method;
    const char* names[] = {"Platt scaling", "isotonic regression", "temperature scaling"};
    out.method = names[static_cast<int>(method)];
    if (n < kMinRecalibrationRows) {
        out.message = QString("Recalibration needs at least %1 examples; this set has %2.")
                          .arg(kMinRecalibrationRows)
                          .arg(n);
        return out;
    }
    // core's seeded split (the same shuffle as its cross-fitting), so a seed means the same rows everywhere.
    RecalibrationPreviewOptions options;
    options.method = coreMethod(method);
    options.crossFit = in.split == CalibrationView::SplitMode::KFold;
    options.fraction = in.fraction;
    options.folds = in.folds;
    options.seed = in.seed;
    const auto preview = previewRecalibration(e.labels, multi ? e.probs : e.scores, multi ? k : 0, options);
    out.mappingJson = preview.mappingJson;
    QString note;
    if (!options.crossFit)
        note = QString("%1 fitted on %2 examples (seed %3), shown on the %4 held out.")
                   .arg(out.method)
                   .arg(preview.fitted)
                   .arg(in.seed)
                   .arg(preview.labels.size());
    else
        note = QString("%1, %2-fold cross-fitting (seed %3): every example is mapped by a fit on the other "
                       "folds. The exported mapping is fitted on all %4 examples.")
                   .arg(out.method)
                   .arg(in.folds)
                   .arg(in.seed)
                   .arg(n);
    if (multi && in.method != Method::Temperature)
        note += " Platt and isotonic apply to binary sets: temperature scaling is used.";
    out.beforeMetrics = metricsOfValues(preview.labels, preview.before, k, multi, in.options, &out.before);
    out.afterMetrics = metricsOfValues(preview.labels, preview.after, k, multi, in.options, &out.after);
    out.message = note;
    out.ok = true;
    return out;
}

} // namespace

CalibrationResult calibration_parts::computeCalibration(const CalibrationView::Input& in) {
    CalibrationResult result;
    result.setName = in.setName;
    if (in.runs.empty()) return result;
    const EvaluationEntry& first = in.runs.front();
    result.multiclass = first.set->multiclass;
    for (const auto& entry : in.runs)
        result.columns.push_back(columnOf(entry.runName, *entry.set, in.options));
    for (auto& column : baselineColumns(*first.set, in.options))
        result.columns.push_back(std::move(column));
    if (in.pinned) {
        auto column = columnOf("baseline: " + in.pinned->runName, *in.pinned->set, in.options);
        column.baseline = true;
        result.columns.push_back(std::move(column));
    }
    if (!in.sliceColumn.empty()) {
        result.curves = sliceCurves(first, in.sliceColumn, in.options);
    } else if (result.multiclass && in.classwise) {
        const auto classwise =
            classwiseCalibration(first.set->labels, first.set->probs, first.set->classCount(), in.options);
        for (std::size_t c = 0; c < classwise.perClass.size() && c < kMaxCurves; ++c)
            result.curves.push_back({QString("class %1").arg(QString::fromStdString(first.set->classes[c])),
                                     QColor(), classwise.perClass[c]});
    } else {
        for (std::size_t i = 0; i < in.runs.size() && i < kMaxCurves; ++i)
            result.curves.push_back({in.runs[i].runName, in.runs[i].color, result.columns[i].report});
    }
    result.recalibration = recalibrate(in);
    return result;
}

} // namespace runlens::ui
