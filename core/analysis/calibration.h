// Reliability bins, calibration errors, Brier decomposition and the binomial intervals they rely on.
#pragma once

#include "core/analysis/binary_metrics.h"

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace runlens {

enum class BinStrategy { Uniform, Quantile };
enum class IntervalMethod { Wilson, ClopperPearson };

struct CalibrationOptions {
    int bins = 10;
    BinStrategy strategy = BinStrategy::Uniform;
    IntervalMethod interval = IntervalMethod::Wilson;
    double alpha = 0.05;           // 1 - confidence of the per-bin interval
    bool consistencyBands = false; // Bröcker & Smith 2007 bands (costs a binomial quantile per bin)
};

struct CalibrationBin {
    double lower = 0, upper = 0; // bin edges; the bin holds (lower, upper], the first bin also its lower edge
    std::int64_t count = 0;
    std::int64_t positives = 0;
    double meanPredicted = 0;
    double fractionPositive = 0;
    double ciLow = 0, ciHigh = 0;
    // Where the fraction positive falls 95% of the time if the bin were perfectly calibrated:
    // quantiles 2.5% / 97.5% of Binomial(count, meanPredicted) / count. NaN unless requested.
    double consistencyLow = BinaryMetrics::kNaN, consistencyHigh = BinaryMetrics::kNaN;
};

struct BrierDecomposition {
    double reliability = 0, resolution = 0, uncertainty = 0;
    double residual = 0; // Brier - (reliability - resolution + uncertainty); 0 only for binned forecasts
};

struct CalibrationReport {
    std::int64_t n = 0;
    std::int64_t positives = 0;
    std::vector<double> edges;        // B+1 edges (quantile edges may repeat)
    std::vector<CalibrationBin> bins; // non-empty bins only, in edge order
    double ece = BinaryMetrics::kNaN;
    double mce = BinaryMetrics::kNaN;
    double aceAvgBins = BinaryMetrics::kNaN;   // unweighted mean |gap| over non-empty bins
    double l2CeDebiased = BinaryMetrics::kNaN; // Kumar et al. 2019
    double brier = BinaryMetrics::kNaN;
    BrierDecomposition brierDecomposition;
};

// Edges as scikit-learn 1.2's calibration_curve: linspace(0,1,B+1), or numpy's linear percentiles of
// the scores (ascendingScores must be sorted ascending).
std::vector<double> uniformEdges(int bins);
std::vector<double> quantileEdges(std::span<const double> ascendingScores, int bins);

// Labels 0/1, scores in [0,1]. A score goes to bin searchsorted(inner_edges, s, side='left').
CalibrationReport calibrationReport(std::span<const int> labels, std::span<const double> scores,
                                    const CalibrationOptions& options = {});
// The same with a ranking from rankScores, so quantile edges need no second sort.
CalibrationReport calibrationReport(const RankedScores& ranked, std::span<const int> labels,
                                    std::span<const double> scores, const CalibrationOptions& options = {});

// Multiclass: probs holds n rows of k class probabilities (row-major), labels are class indices.
// Top-label: confidence = max probability, outcome = (argmax == label).
CalibrationReport topLabelCalibration(std::span<const int> labels, std::span<const double> probs,
                                      std::size_t k, const CalibrationOptions& options = {});
struct ClasswiseCalibration {
    std::vector<CalibrationReport> perClass; // one-vs-rest report of each class
    double meanEce = BinaryMetrics::kNaN;
};
ClasswiseCalibration classwiseCalibration(std::span<const int> labels, std::span<const double> probs,
                                          std::size_t k, const CalibrationOptions& options = {});

// Intervals for a proportion count/nobs, as statsmodels' proportion_confint('wilson' / 'beta').
std::pair<double, double> wilsonInterval(std::int64_t count, std::int64_t nobs, double alpha = 0.05);
std::pair<double, double> clopperPearsonInterval(std::int64_t count, std::int64_t nobs, double alpha = 0.05);

// Distribution helpers (accurate to about 1e-13 in the ranges the intervals use).
double normalQuantile(double p);                                   // inverse of the standard normal CDF
double regularizedIncompleteBeta(double x, double a, double b);    // I_x(a, b)
double betaQuantile(double p, double a, double b);                 // x with I_x(a, b) = p
std::int64_t binomialQuantile(double q, std::int64_t n, double p); // smallest k with P(X <= k) >= q

} // namespace runlens
