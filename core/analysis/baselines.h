// Reference models to put beside every metric: uniform random scores, zero-rule and prior.
#pragma once

#include "core/analysis/binary_metrics.h"
#include "core/analysis/multiclass_metrics.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

enum class BaselineKind {
    UniformRandom, // score ~ U(0, 1) (multiclass: a flat Dirichlet draw per row)
    ZeroRule,      // always the majority class with certainty (ties: the lowest class index)
    Prior,         // every score = the base rate (multiclass: the class shares)
};

std::string_view baselineName(BaselineKind kind); // "uniform_random", "zero_rule", "prior"

// The baseline's scores for these labels; random draws use mt19937_64(seed) so they repeat.
std::vector<double> baselineScores(BaselineKind kind, std::span<const int> labels, std::uint64_t seed = 0);
std::vector<double> baselineProbabilities(BaselineKind kind, std::span<const int> labels, std::size_t k,
                                          std::uint64_t seed = 0);

struct BinaryBaseline {
    BaselineKind kind = BaselineKind::Prior;
    std::vector<double> scores;
    BinaryMetrics metrics;
    // For uniform random: the metrics set to their exact expectation (roc_auc 0.5, brier 1/3, log_loss 1,
    // accuracy pi(1-t) + (1-pi)t, recall 1-t, precision pi: the predicted positives are a random subset, so
    // E[TP / predicted positives] = pi); the rest are from one simulated draw with the seed.
    std::vector<std::string> expectedExactly;
    std::vector<std::string> simulated;
    std::uint64_t seed = 0;
};

// The three baselines for these labels at the given threshold.
std::vector<BinaryBaseline> binaryBaselines(std::span<const int> labels, double threshold = 0.5,
                                            std::uint64_t seed = 0);

struct MulticlassBaseline {
    BaselineKind kind = BaselineKind::Prior;
    MulticlassMetrics metrics;
    // For uniform random (a flat Dirichlet row): exact expectations for accuracy 1/k, brier
    // 2/(k+1) - 2/k + 1 (from E[p] = 1/k, E[p^2] = 2/(k(k+1))), log_loss H_{k-1} (p_true ~ Beta(1, k-1),
    // E[-log p] = psi(k) - psi(1)) and roc_auc 0.5; macro/micro/weighted P/R/F1 are simulated.
    std::vector<std::string> expectedExactly;
    std::vector<std::string> simulated;
    std::uint64_t seed = 0;
};
std::vector<MulticlassBaseline> multiclassBaselines(std::span<const int> labels, std::size_t k,
                                                    std::uint64_t seed = 0);

} // namespace runlens
