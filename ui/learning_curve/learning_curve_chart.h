// The learning-curve charts: a metric against training-set size per family with power-law fits, and
// sklearn-style train/validation score curves.
#pragma once

#include "core/analysis/learning_curve_scores.h"
#include "core/analysis/power_law_fit.h"

#include <QChart>
#include <QColor>
#include <QString>
#include <vector>

namespace runlens::ui {

struct LearningCurveFamily {
    QString name;                      // model family, or the metric name when there is one family
    std::vector<double> sizes, values; // observed points
    PowerLawFit fit;                   // may be !ok (then only the points are drawn)
};

// A new chart (caller owns it) with a log-scaled size axis up to extrapolateTo (when larger than the data):
// points, the fitted curve (solid over the data, dashed beyond it) and its 95% delta-method band.
QChart* buildLearningCurveChart(const std::vector<LearningCurveFamily>& families, const QString& metric,
                                const QString& sizeLabel, double extrapolateTo);

// One run's learning-curve log (core/io/learning_curve_reader.h) reduced to per-size fold statistics.
struct ScoreCurveRun {
    QString name; // full run name (the chart shortens names for its legend)
    QColor color;
    std::vector<LearningCurveScore> train, validation;
};

// A new chart (caller owns it) in the style of sklearn's plot_learning_curve: per run the mean train score
// (solid) and mean cross-validation score (dashed) against training-set size, each with a +/-1 std band.
// The size axis is log-scaled when logX.
QChart* buildScoreCurveChart(const std::vector<ScoreCurveRun>& runs, bool logX);

} // namespace runlens::ui
