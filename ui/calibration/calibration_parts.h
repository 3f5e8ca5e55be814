// What the Calibration tab's files share: the computation's input and entry point (calibration_compute.cpp),
// and the metric rows and reliability charts the reliability and recalibration pages both show.
#pragma once

#include "ui/calibration/calibration_view.h"

#include <cstdint>
#include <optional>
#include <QString>
#include <string>
#include <vector>

class QChart;

namespace runlens::ui {

struct CalibrationView::Input {
    QString setName;
    std::vector<EvaluationEntry> runs; // usable entries of the set, the selected one first
    std::optional<EvaluationEntry> pinned;
    CalibrationOptions options;
    bool classwise = false;
    std::string sliceColumn;
    Method method = Method::Platt;
    SplitMode split = SplitMode::HoldOut;
    double fraction = 0.5;
    int folds = 5;
    std::uint64_t seed = 0;
};

namespace calibration_parts {

constexpr int kMaxCurves = 10; // the chart palette has ten colours

// The columns, curves and recalibration preview of one input; runs on a worker thread.
CalibrationResult computeCalibration(const CalibrationView::Input& in);

struct MetricRow {
    QString name;
    double (*get)(const CalibrationColumn&);
};

const std::vector<MetricRow>& metricRowDefs();
// "Brier" -> "Brier (top label)", "Brier: reliability" -> "Brier (top label): reliability".
QString topLabelName(const QString& row);

// A reliability diagram of the curves, run curves in their run table colours.
QChart* reliabilityChart(const std::vector<CalibrationCurveResult>& curves, const QString& title);
QString binsCsv(const std::vector<CalibrationCurveResult>& curves);

} // namespace calibration_parts
} // namespace runlens::ui
