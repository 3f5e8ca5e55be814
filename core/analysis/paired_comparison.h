// Paired comparison of two models on the same examples: alignment, McNemar, paired bootstrap, DeLong.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// Row pairs of two evaluation sets matched by id (or by row when either has no ids).
struct Alignment {
    std::vector<std::size_t> rowsA;
    std::vector<std::size_t> rowsB;
    std::int64_t unmatchedA = 0;
    std::int64_t unmatchedB = 0;
    std::int64_t duplicateIds = 0; // ids seen more than once (the first occurrence is used)
    bool byId = false;
};

Alignment alignById(std::span<const std::string> idsA, std::span<const std::string> idsB);
Alignment alignByRow(std::size_t rowsA, std::size_t rowsB);

struct McNemarResult {
    std::int64_t n = 0;
    std::int64_t bothCorrect = 0;
    std::int64_t aOnlyCorrect = 0;
    std::int64_t bOnlyCorrect = 0;
    std::int64_t bothWrong = 0;
    double exactP = 1; // two-sided exact binomial on the discordant counts (statsmodels mcnemar exact=True)
    double chi2 = 0;   // (|b - c| - 1)^2 / (b + c); NaN when there is no discordant pair
    double chi2P = 1;  // chi-square (1 dof) upper tail, as statsmodels mcnemar(exact=False, correction=True)
};

// correctA[i], correctB[i]: whether each model got aligned example i right.
McNemarResult mcnemar(std::span<const std::uint8_t> correctA, std::span<const std::uint8_t> correctB);

struct DeLongResult {
    double aucA = 0;
    double aucB = 0;
    double variance = 0; // of aucA - aucB
    double z = 0;
    double p = 1; // two-sided
};

// DeLong, DeLong & Clarke-Pearson (1988) test of two correlated ROC AUCs, computed with midranks in O(n log
// n) (Sun & Xu 2014). labels 0/1; needs both classes.
DeLongResult delong(std::span<const int> labels, std::span<const double> scoresA,
                    std::span<const double> scoresB);

struct BootstrapDelta {
    std::string metric;
    double delta = 0; // metric(B) - metric(A) on all examples
    double ciLow = 0; // 95% percentile interval over resamples
    double ciHigh = 0;
    int resamples = 0;
    std::uint64_t seed = 0;
};

// metric(rows, model) -> value, model 0 = A and 1 = B, evaluated on the same resampled rows for both models.
using PairedMetric = std::function<double(std::span<const std::size_t> rows, int model)>;
BootstrapDelta pairedBootstrap(const PairedMetric& metric, std::size_t n, int resamples, std::uint64_t seed,
                               std::string metricName);

// The same for a metric that is a mean over examples (accuracy, error rate, log loss, Brier): each resample's
// delta is the mean of differences[i] = value_B(i) - value_A(i) over the resampled examples, so no
// per-resample allocation is needed. When the differences take at most three values (accuracy, error rate)
// each resample is drawn as multinomial counts of those values, which is the same distribution at a tiny
// fraction of the cost.
BootstrapDelta pairedBootstrapMean(std::span<const double> differences, int resamples, std::uint64_t seed,
                                   std::string metricName);

} // namespace runlens
