// Expected cost per example at a threshold point, shared by the Trade-offs tab's readouts and its charts.
#pragma once

#include "core/analysis/threshold_analysis.h"
#include "ui/tradeoffs/tradeoff_view.h"

#include <cstdint>

namespace runlens::ui {

// (costFp * FP + costFn * FN) / n; 0 for an empty set.
inline double costPerExample(const ThresholdPoint& p, double costFp, double costFn, std::int64_t n) {
    return n > 0 ? totalCostOf(p.confusion, costFp, costFn) / double(n) : 0.0;
}

} // namespace runlens::ui
