// The cost-against-quality chart: one point per run with its quality interval, the Pareto front joined and
// highlighted, and the "cheapest within X of the best" choice marked.
#pragma once

#include "core/analysis/cost_quality.h"

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

// The chart input of a study on its first cost axis: titles with the quality's direction, the sentence as the
// subtitle when asked, the front, the best and the chosen run marked.
CostChartInput costChartInput(const CostQualityStudy& study, bool withSentence, bool logCost = true);

// A new chart (caller owns it): cost along the bottom, quality up the left.
QChart* buildCostQualityChart(const CostChartInput& input);

} // namespace runlens::ui
