// A dot chart with intervals: one row per category (a perturbation, a group), each series' value as a point
// with its whisker, so the rows that stand out and the series that differ are seen at once.
#pragma once

#include <limits>
#include <QChart>
#include <QColor>
#include <QString>
#include <QStringList>
#include <vector>

namespace runlens::ui {

// One series' marks, one per row (NaN values are left out).
struct DotChartSeries {
    QString name;
    QColor color;
    std::vector<double> value, low, high;
    std::vector<double> boxLow, boxHigh; // optional: a thicker inner segment (the quartiles)
};

struct DotChartInput {
    QString title, subtitle, valueTitle;
    QStringList rows; // top to bottom
    std::vector<DotChartSeries> series;
    double reference = std::numeric_limits<double>::quiet_NaN(); // a dashed line (e.g. 0 change, 5% failures)
    QString referenceName;
    bool percent = false; // values are percentages: the axis stays inside 0..100
};

// A new chart (caller owns it): rows down the left axis, values along the bottom.
QChart* buildIntervalDotChart(const DotChartInput& input);

} // namespace runlens::ui
