// The Behaviour chart: one row per perturbation, each model's rate or score change as a point with its
// interval, so the failing tests and the more robust model stand out.
#pragma once

#include <limits>
#include <QChart>
#include <QColor>
#include <QString>
#include <QStringList>
#include <vector>

namespace runlens::ui {

// One model's marks, one per perturbation (NaN values are left out).
struct BehaviourChartSeries {
    QString name;
    QColor color;
    std::vector<double> value, low, high;
    std::vector<double> boxLow, boxHigh; // optional: a thicker inner segment (the quartiles)
};

struct BehaviourChartInput {
    QString title, subtitle, valueTitle;
    QStringList perturbations; // top to bottom
    std::vector<BehaviourChartSeries> series;
    double reference = std::numeric_limits<double>::quiet_NaN(); // a dashed line (e.g. 0 change, 5% failures)
    QString referenceName;
    bool percent = false; // values are percentages: the axis stays inside 0..100
};

// A new chart (caller owns it): perturbations down the left axis, values along the bottom.
QChart* buildBehaviourChart(const BehaviourChartInput& input);

} // namespace runlens::ui
