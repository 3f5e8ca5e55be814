// Baseline scores and their metrics, with exact expectations where a closed form exists.
#include "core/analysis/baselines.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace runlens {

namespace {

// A double in [0, 1) from the top 53 bits, identical on every platform (unlike uniform_real_distribution).
double unitDraw(std::mt19937_64& rng) {
    return double(rng() >> 11) * 0x1.0p-53;
}

std::vector<double> classShares(std::span<const int> labels, std::size_t k) {
    std::vector<double> shares(k, 0.0);
    for (int l : labels)
        if (l >= 0 && std::size_t(l) < k) shares[std::size_t(l)] += 1.0;
    for (double& s : shares)
        s = labels.empty() ? 0.0 : s / double(labels.size());
    return shares;
}

} // namespace

std::string_view baselineName(BaselineKind kind) {
    switch (kind) {
    case BaselineKind::UniformRandom:
        return "uniform_random";
    case BaselineKind::ZeroRule:
        return "zero_rule";
    case BaselineKind::Prior:
        return "prior";
    }
    return "unknown";
}

std::vector<double> baselineScores(BaselineKind kind, std::span<const int> labels, std::uint64_t seed) {
    const double base = classShares(labels, 2)[1];
    std::vector<double> scores(labels.size());
    if (kind == BaselineKind::UniformRandom) {
        std::mt19937_64 rng(seed);
        for (double& s : scores)
            s = unitDraw(rng);
    } else if (kind == BaselineKind::ZeroRule) {
        std::fill(scores.begin(), scores.end(), base > 0.5 ? 1.0 : 0.0);
    } else {
        std::fill(scores.begin(), scores.end(), base);
    }
    return scores;
}

std::vector<double> baselineProbabilities(BaselineKind kind, std::span<const int> labels, std::size_t k,
                                          std::uint64_t seed) {
    std::vector<double> probs(labels.size() * k, 0.0);
    if (k == 0) return probs;
    const auto shares = classShares(labels, k);
    if (kind == BaselineKind::UniformRandom) {
        std::mt19937_64 rng(seed);
        for (std::size_t i = 0; i < labels.size(); ++i) {
            double sum = 0;
            for (std::size_t c = 0; c < k; ++c)
                sum += probs[i * k + c] = -std::log(1.0 - unitDraw(rng));
            for (std::size_t c = 0; c < k; ++c)
                probs[i * k + c] /= sum;
        }
    } else if (kind == BaselineKind::ZeroRule) {
        const auto majority = std::size_t(std::max_element(shares.begin(), shares.end()) - shares.begin());
        for (std::size_t i = 0; i < labels.size(); ++i)
            probs[i * k + majority] = 1.0;
    } else {
        for (std::size_t i = 0; i < labels.size(); ++i)
            std::copy(shares.begin(), shares.end(), probs.begin() + std::ptrdiff_t(i * k));
    }
    return probs;
}

std::vector<BinaryBaseline> binaryBaselines(std::span<const int> labels, double threshold,
                                            std::uint64_t seed) {
    std::vector<BinaryBaseline> out;
    const double pi = classShares(labels, 2)[1];
    for (auto kind : {BaselineKind::UniformRandom, BaselineKind::ZeroRule, BaselineKind::Prior}) {
        BinaryBaseline b;
        b.kind = kind;
        b.seed = seed;
        b.scores = baselineScores(kind, labels, seed);
        b.metrics = binaryMetrics(labels, b.scores, threshold);
        if (kind == BaselineKind::UniformRandom && !labels.empty()) {
            const double t = std::clamp(threshold, 0.0, 1.0);
            b.metrics.rocAuc = 0.5;
            b.metrics.brier = 1.0 / 3.0; // E[(U - y)^2] = 1/3 for y = 0 and y = 1
            b.metrics.logLoss = 1.0;     // E[-log U] = 1
            b.metrics.accuracy = pi * (1.0 - t) + (1.0 - pi) * t;
            b.metrics.recall = 1.0 - t;
            b.metrics.precision = pi;
            b.expectedExactly = {"roc_auc", "brier", "log_loss", "accuracy", "recall", "precision"};
            b.simulated = {"f1", "average_precision", "confusion"};
        }
        out.push_back(std::move(b));
    }
    return out;
}

std::vector<MulticlassBaseline> multiclassBaselines(std::span<const int> labels, std::size_t k,
                                                    std::uint64_t seed) {
    std::vector<MulticlassBaseline> out;
    for (auto kind : {BaselineKind::UniformRandom, BaselineKind::ZeroRule, BaselineKind::Prior}) {
        const auto probs = baselineProbabilities(kind, labels, k, seed);
        MulticlassBaseline b;
        b.kind = kind;
        b.seed = seed;
        b.metrics = multiclassMetrics(labels, probs, k);
        if (kind == BaselineKind::UniformRandom && !labels.empty() && k >= 2) {
            const double kd = static_cast<double>(k);
            double harmonic = 0; // H_{k-1}
            for (std::size_t j = 1; j < k; ++j)
                harmonic += 1.0 / static_cast<double>(j);
            b.metrics.accuracy = 1.0 / kd;
            b.metrics.brier = 2.0 / (kd + 1.0) - 2.0 / kd + 1.0;
            b.metrics.logLoss = harmonic;
            b.expectedExactly = {"accuracy", "brier", "log_loss"};
            if (std::isfinite(b.metrics.rocAucOvrMacro)) {
                b.metrics.rocAucOvrMacro = 0.5;
                b.expectedExactly.push_back("roc_auc");
            }
            b.simulated = {"macro", "micro", "weighted", "confusion"};
        }
        out.push_back(std::move(b));
    }
    return out;
}

} // namespace runlens
