// The cost-against-quality chart: one point per run with its quality interval, the Pareto front joined and
// highlighted, and the "cheapest within X of the best" choice marked.
#pragma once

#include <QChart>
#include <QString>
#include <vector>

namespace runlens::ui {

struct CostChartPoint {
    QString name;
    double cost = 0, quality = 0;
    double low = 0, high = 0; // quality interval; NaN when none
    bool onFront = false, best = false, chosen = false;
};

struct CostChartInput {
    QString title, subtitle, costTitle, qualityTitle;
    bool logCost = false; // used only when every cost is positive
    std::vector<CostChartPoint> points;
};

// A new chart (caller owns it): cost along the bottom, quality up the left.
QChart* buildCostQualityChart(const CostChartInput& input);

} // namespace runlens::ui
