// Gathers the regression analyses of one model so the CLI and the GUI show the same numbers.
#include "core/analysis/regression_report.h"

namespace runlens {

RegressionReport regressionReport(const RegressionReportInput& in) {
    RegressionReport r;
    r.bootstrap = bootstrapRegressionMetrics(in.labels, in.predictions, in.weights, in.bootstrap);
    r.baselines = regressionBaselines(in.labels, in.weights, in.trainingMean, in.trainingMedian);
    if (in.pinned) r.baselines.push_back(*in.pinned);
    for (const auto& interval : in.intervals)
        r.coverage.push_back(
            intervalCoverage(in.labels, interval.lower, interval.upper, interval.nominal, interval.name));
    const auto resid = residuals(in.labels, in.predictions);
    r.histogram = residualHistogram(resid);
    r.byPrediction = binnedResiduals(in.predictions, resid, in.residualBins);
    for (const auto& [name, values] : in.features)
        r.byFeature.emplace_back(name, binnedResiduals(values, resid, in.residualBins));
    r.density = density2D(in.labels, in.predictions, in.densityCells, in.densityCells, std::nullopt, true);
    return r;
}

} // namespace runlens
