// Bootstrap resamples of per-row sums, medians and maxima that stay fast for a million rows.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// Exact: every resample draws n row indices (IndexSampler, so a seed gives the same resamples everywhere).
// Fast: for large n, draws that reproduce the same bootstrap distribution without n draws per resample (see
// resampleSums, resampleMedians, resampleMaxima). Auto: exact when n * resamples <= kExactBootstrapBudget.
enum class BootstrapMode { Auto, Exact, Fast };
inline constexpr double kExactBootstrapBudget = 2e7;

struct BootstrapOptions {
    int resamples = 1000;
    std::uint64_t seed = 20261126;
    BootstrapMode mode = BootstrapMode::Auto;
    double alpha = 0.05; // percentile interval at level 1 - alpha
};

// True when the options ask for (or Auto picks) n index draws per resample.
bool usesExactResampling(std::size_t n, const BootstrapOptions& options);

// Writes the `dims` values of one row to out[0..dims).
using RowValues = std::function<void(std::size_t row, double* out)>;

struct SumResamples {
    std::size_t dims = 0;
    int resamples = 0;
    std::vector<double> totals; // sum of each value over all rows
    std::vector<double> sums;   // resamples x dims, row-major: the sums over each resample
    bool exact = true;
    std::size_t extremeRows = 0; // fast mode: rows whose draws are simulated one by one
    std::string method;          // a sentence naming the resampling scheme

    std::span<const double> resample(int b) const { return {sums.data() + std::size_t(b) * dims, dims}; }
};

// The sums of each row value over `resamples` bootstrap resamples of the n rows. Exact mode draws n indices
// per resample. Fast mode splits the rows once into extreme rows (any value more than 4 standard deviations
// from its mean, at most 65,536 of them, the most extreme first) and the bulk: a resample draws how many of
// its n draws land on extreme rows (one binomial), places those draws exactly, and takes the bulk's share, a
// sum of ~n independent draws from the bulk, from its normal limit with the bulk's exact mean and covariance.
// That is the same distribution up to the normal approximation of a sum of ~n draws from values within 4 sd,
// and keeps every row that could move a sum on its own exact.
SumResamples resampleSums(std::size_t n, std::size_t dims, const RowValues& values,
                          const BootstrapOptions& options);

// The median of each resample: numpy's median without weights (mean of the two middle values for even n);
// with weights, scikit-learn 1.2's _weighted_percentile(50) (the smallest value whose cumulative weight
// reaches half the total). Exact mode draws the rows (the same draws as resampleSums with the same seed).
// Fast mode sorts only a window of +-5 sqrt(n) ranks around the median (+-12 sqrt(n) with weights), draws how
// many of the n draws fall below, inside and above it (multinomial), places the window's draws exactly and
// walks them; the resample median (whose rank moves with sd sqrt(n) / 2) leaves that window with probability
// below 1e-20. With weights the total weight of the draws below and above the window is taken from its normal
// limit (the rest is exact).
std::vector<double> resampleMedians(std::span<const double> values, std::span<const double> weights,
                                    const BootstrapOptions& options);

// The maximum of each resample. Fast mode uses that the rank k of a resample's maximum among the sorted
// values has P(k <= j) = (j / n)^n, so k = ceil(n * U^(1/n)) for one uniform U: exact, one draw per resample.
std::vector<double> resampleMaxima(std::span<const double> values, const BootstrapOptions& options);

} // namespace runlens
