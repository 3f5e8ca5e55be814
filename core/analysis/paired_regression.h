// Two regressors on the same examples: paired bootstrap of MAE/RMSE, Wilcoxon and paired t tests, who wins
// where.
#pragma once

#include "core/analysis/bootstrap_sums.h"
#include "core/analysis/paired_comparison.h"
#include "core/analysis/statistics.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

struct WilcoxonResult {
    std::int64_t n = 0;           // all differences
    std::int64_t zeros = 0;       // differences equal to 0 (dropped: zero_method 'wilcox')
    double rPlus = 0, rMinus = 0; // rank sums of the positive / negative differences (average ranks for ties)
    double statistic = 0;         // min(rPlus, rMinus), scipy's two-sided statistic
    double z = 0;                 // normal approximation only (NaN in exact mode)
    double p = 1;                 // two-sided
    bool exact = false;
    std::string note; // why a mode was chosen, or why there is no p-value
};

// scipy 1.10's wilcoxon(d) with its defaults (zero_method='wilcox', correction=False, two-sided,
// method='auto'): exact null distribution when there are at most 50 differences and none is zero (with tied
// differences scipy still uses it, truncating rPlus to an integer, and so does this); otherwise the normal
// approximation on the nonzero differences with the tie correction of the variance. NaN p when every
// difference is 0.
WilcoxonResult wilcoxonSignedRank(std::span<const double> differences);

struct PairedTResult {
    std::int64_t n = 0;
    double meanDifference = 0; // mean of a - b
    double sdDifference = 0;   // ddof = 1
    double t = 0, df = 0, p = 1;
};

// scipy's ttest_rel(a, b): t = mean(a - b) / (sd(a - b) / sqrt(n)), two-sided p from Student's t with n - 1
// degrees of freedom. NaN t and p when every difference is equal (scipy divides 0 by 0) or n < 2.
PairedTResult pairedTTest(std::span<const double> a, std::span<const double> b);

enum class PairedErrorKind { Absolute, Squared };

struct ExampleChange {
    std::size_t row = 0; // index into the aligned examples
    double errorA = 0, errorB = 0;
    double change = 0; // errorB - errorA (> 0: B is worse on this example)
};

struct PairedRegressionOptions {
    PairedErrorKind kind = PairedErrorKind::Absolute; // per-example error for the tests and the winner count
    std::size_t topK = 10;
    BootstrapOptions bootstrap;
};

struct PairedRegressionComparison {
    std::int64_t n = 0; // examples with finite label and both predictions
    std::int64_t skipped = 0;
    PairedErrorKind kind = PairedErrorKind::Absolute;
    BootstrapDelta maeDelta;  // MAE(B) - MAE(A), paired bootstrap percentile interval
    BootstrapDelta rmseDelta; // RMSE(B) - RMSE(A), from the same resamples
    bool bootstrapExact = true;
    WilcoxonResult wilcoxon; // on errorB - errorA
    PairedTResult tTest;     // ttest_rel(errorB, errorA)
    std::int64_t bBetter = 0, aBetter = 0, ties = 0;
    double shareBBetter = 0;                        // bBetter / n
    stats::Interval shareBBetterCi;                 // Wilson
    std::vector<ExampleChange> largestRegressions;  // B much worse than A, largest increase first
    std::vector<ExampleChange> largestImprovements; // B much better, largest decrease first
    std::string sentence;
};

// Compares regressor B with A on aligned examples (labels[i], predictionsA[i], predictionsB[i] are one
// example).
PairedRegressionComparison compareRegressors(std::span<const double> labels,
                                             std::span<const double> predictionsA,
                                             std::span<const double> predictionsB,
                                             const PairedRegressionOptions& options = {});

} // namespace runlens
