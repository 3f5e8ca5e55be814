// Assumption checks on logged data: feature drift (PSI, KS, chi-square with BH), performance trends over time
// or row order, label shift and single-feature leakage hints, each ending in a severity and a plain sentence.
#pragma once

#include "core/analysis/two_sample_ks.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

enum class DriftSeverity { None, Minor, Major };
std::string_view driftSeverityName(DriftSeverity severity); // "none", "minor", "major"

struct PsiBin {
    std::string label; // "(-inf, 3.2]", "(3.2, 5]", ... or the category
    std::int64_t reference = 0, current = 0;
    double referenceShare = 0, currentShare = 0; // before the epsilon floor
};

struct PsiResult {
    double psi = 0;
    std::vector<PsiBin> bins;
};

// PSI = sum over bins of (c - r) ln(c / r), r and c the reference and current shares floored at epsilon (so
// an empty bin counts as epsilon, 1e-4 by default). Numeric bins: edges at the reference's numpy linear
// quantiles 0, 1/B, ..., 1 with repeats merged; the outer bins are open (-inf, e1] and (e_{B-1}, +inf), inner
// bins (a, b] (numpy.searchsorted(inner_edges, x, side='left')). Non-finite values are left out.
PsiResult numericPsi(std::span<const double> reference, std::span<const double> current, int bins = 10,
                     double epsilon = 1e-4);
// Categorical PSI over the union of the categories (empty strings are a category of their own).
PsiResult categoricalPsi(std::span<const std::string> reference, std::span<const std::string> current,
                         double epsilon = 1e-4);

struct ChiSquareResult {
    double statistic = 0, p = 1;
    int dof = 0;
    bool yates = false;           // continuity correction applied (dof == 1, scipy's default correction=True)
    std::vector<double> expected; // rows x cols, row-major
    std::string error;            // a zero row or column (scipy raises): no test
};

// scipy.stats.chi2_contingency(observed) for an r x c table of counts (row-major): Pearson's statistic
// against the independence expectation, Yates' correction (capped at the distance to the expectation) when
// dof == 1.
ChiSquareResult chiSquareContingency(std::span<const std::int64_t> observed, std::size_t rows,
                                     std::size_t cols);

struct DriftOptions {
    int bins = 10;
    double epsilon = 1e-4;
    double psiMinor = 0.1, psiMajor = 0.25;
    double alpha = 0.05; // on the Benjamini-Hochberg adjusted p-value
};

// One feature's values in the reference (e.g. train) and current (e.g. eval) data: numbers for a numeric
// feature, categories for a categorical one.
struct DriftFeatureInput {
    std::string name;
    bool numeric = true;
    std::span<const double> referenceNumbers, currentNumbers;
    std::span<const std::string> referenceCategories, currentCategories;
};

struct FeatureDrift {
    std::string feature;
    bool numeric = true;
    std::int64_t nReference = 0, nCurrent = 0;
    PsiResult psi;
    std::string test; // "ks" (two-sample KS, scipy's ks_2samp) or "chi2" (chi2_contingency on 2 x categories)
    KsResult ks;
    ChiSquareResult chi2;
    double p = 1, pAdjusted = 1; // BH across the features of the report
    // Major: PSI >= psiMajor and adjusted p < alpha. Minor: PSI >= psiMinor and adjusted p < alpha, or PSI >=
    // psiMajor without significance (too few rows to be sure). None otherwise, even when p is tiny: with many
    // rows a negligible shift is still "significant", and PSI says how large it is.
    DriftSeverity severity = DriftSeverity::None;
    std::string sentence;
};

struct DriftReport {
    std::vector<FeatureDrift> features; // input order
    std::int64_t minor = 0, major = 0;
    std::string sentence;
};

DriftReport driftChecks(std::span<const DriftFeatureInput> features, const DriftOptions& options = {});

struct LinearTrend {
    std::int64_t n = 0;
    double slope = 0, intercept = 0, r = 0, p = 1, slopeStderr = 0;
};

// scipy.stats.linregress(x, y): least-squares slope with the two-sided t-test of slope = 0 (n - 2 df).
LinearTrend linearRegression(std::span<const double> x, std::span<const double> y);

struct TrendWindow {
    double xLow = 0, xHigh = 0;
    std::int64_t n = 0;
    double mean = 0, ciLow = 0, ciHigh = 0; // Wilson for a 0/1 outcome, mean +- t sd / sqrt(n) otherwise
};

struct TrendOptions {
    int windows = 10;
    double alpha = 0.05;
    // The fitted change over the range of x that counts as minor / major: absolute for a 0/1 outcome
    // (accuracy points), relative to the mean for other values (e.g. absolute error).
    double minorChange = 0.02, majorChange = 0.05;
    double minorRelativeChange = 0.10, majorRelativeChange = 0.25;
};

struct PerformanceTrend {
    LinearTrend fit;
    bool proportion = false;    // the outcome is 0/1 (correct or not)
    double changeOverRange = 0; // slope * (max x - min x)
    double mean = 0;
    std::vector<TrendWindow> windows; // equal-count windows in x order, for the plot
    DriftSeverity severity = DriftSeverity::None;
    std::string sentence;
};

// Performance against time or row order: outcome per row (1/0 correct, or a per-row error) against x (a
// timestamp or the row index). The test is linregress's slope t-test (for 0/1 outcomes the linear probability
// model, asymptotically the Cochran-Armitage trend test); severity needs p < alpha and a change over the
// range beyond the thresholds.
PerformanceTrend performanceTrend(std::span<const double> x, std::span<const double> outcome,
                                  std::string_view metricName = "accuracy", const TrendOptions& options = {});

struct LabelShift {
    std::vector<std::string> sets;
    std::vector<std::vector<double>> priors; // per set, per class
    ChiSquareResult chi2;                    // sets x classes homogeneity
    std::vector<double> psiFromFirst;        // PSI of each set's priors against the first set's
    DriftSeverity severity = DriftSeverity::None;
    std::string sentence;
};

// Class priors per set (counts[s][c]: examples of class c in set s) and their homogeneity test; severity by
// the largest PSI against the first set, with the chi-square p below alpha, as for features.
LabelShift labelShift(std::span<const std::string> setNames,
                      std::span<const std::vector<std::int64_t>> counts,
                      std::span<const std::string> classNames = {}, const DriftOptions& options = {});

struct LeakageHint {
    std::string feature;
    bool numeric = true;
    double auc = 0;    // numeric feature, binary label: max(AUC, 1 - AUC), the better direction
    double purity = 0; // categorical (or binned numeric with > 2 classes): leave-one-out majority accuracy
    double majorityShare = 0; // the zero-rule accuracy, for reference
    bool suspicious = false;
    std::string sentence;
};

// Leakage hints: a numeric feature whose AUC alone (either direction) reaches aucThreshold (0.98) for a
// binary label; a categorical feature whose leave-one-out purity (each row predicted by the majority label of
// the other rows with the same value, so an id-like column scores 0) reaches purityThreshold and halves the
// zero-rule error. Numeric features with more than two classes are binned into 20 quantile bins and judged by
// purity.
LeakageHint numericLeakage(std::string name, std::span<const double> values, std::span<const int> labels,
                           std::size_t classes, double aucThreshold = 0.98, double purityThreshold = 0.98);
LeakageHint categoricalLeakage(std::string name, std::span<const std::string> values,
                               std::span<const int> labels, std::size_t classes,
                               double purityThreshold = 0.98);

} // namespace runlens
