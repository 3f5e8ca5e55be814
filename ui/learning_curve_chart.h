// The learning-curve chart: a metric against training-set size per family, power-law fits and their extrapolation.
#pragma once

#include "core/analysis/power_law_fit.h"

#include <QChart>
#include <QString>

#include <vector>

namespace runlens::ui {

struct LearningCurveFamily {
    QString name;                       // model family, or the metric name when there is one family
    std::vector<double> sizes, values;  // observed points
    PowerLawFit fit;                    // may be !ok (then only the points are drawn)
};

// A new chart (caller owns it) with a log-scaled size axis up to extrapolateTo (when larger than the data): points,
// the fitted curve (solid over the data, dashed beyond it) and its 95% delta-method band.
QChart* buildLearningCurveChart(const std::vector<LearningCurveFamily>& families, const QString& metric,
                                const QString& sizeLabel, double extrapolateTo);

} // namespace runlens::ui
