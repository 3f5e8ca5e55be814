// The reliability diagram: fraction positive against mean predicted score per bin, with intervals and a
// histogram.
#pragma once

#include "core/analysis/calibration.h"

#include <QChart>
#include <QString>
#include <vector>

namespace runlens::ui {

struct ReliabilityCurve {
    QString name;             // run or model name for the legend
    CalibrationReport report; // its bins (non-empty only) and metrics
};

// A new chart (caller owns it): the diagonal of perfect calibration, each curve's bin points with 95%
// interval whiskers (and Bröcker-Smith consistency bars when the report has them), and the first curve's bin
// counts as a faint histogram along the bottom (right axis). The legend names each curve with its ECE.
QChart* buildReliabilityChart(const std::vector<ReliabilityCurve>& curves, const QString& title);

} // namespace runlens::ui
