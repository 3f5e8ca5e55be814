// Everything the regression views and `runlens regression` show for one regressor, computed in one place:
// metrics with bootstrap intervals, baselines, interval coverage and the residual views.
#pragma once

#include "core/analysis/interval_coverage.h"
#include "core/analysis/regression_metrics.h"
#include "core/analysis/residual_views.h"

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace runlens {

struct RegressionIntervalInput {
    std::string name;
    std::span<const double> lower, upper;
    double nominal = 0.9;
};

struct RegressionReportInput {
    std::span<const double> labels, predictions;
    std::span<const double> weights; // empty: unweighted
    std::vector<RegressionIntervalInput> intervals;
    std::vector<std::pair<std::string, std::span<const double>>>
        features; // numeric features, one value per row
    std::optional<double> trainingMean, trainingMedian;
    std::optional<RegressionBaseline> pinned; // a pinned run scored on the same rows (pinnedRunBaseline)
    BootstrapOptions bootstrap;
    int residualBins = 10; // quantile bins of the prediction for the binned residual means
    int densityCells = 80; // predicted-against-actual grid, densityCells x densityCells
};

struct RegressionReport {
    RegressionBootstrap bootstrap;
    std::vector<RegressionBaseline> baselines; // mean, median, then the pinned run
    std::vector<IntervalCoverage> coverage;    // one per input interval, same order
    ResidualHistogram histogram;               // residual = label - prediction
    std::vector<ResidualBin> byPrediction;
    std::vector<std::pair<std::string, std::vector<ResidualBin>>> byFeature; // input order, residualBins bins
    Density2D density; // x = label, y = prediction, both axes on the same range
};

RegressionReport regressionReport(const RegressionReportInput& input);

} // namespace runlens
