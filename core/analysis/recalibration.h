// Recalibration maps fitted on one split and applied to another: Platt, isotonic and temperature scaling.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// Scores are mapped to logits after clipping to [1e-12, 1 - 1e-12], so 0 and 1 stay finite.
inline constexpr double kRecalibrationClip = 1e-12;
double clippedLogit(double score);

// Platt scaling on the score's logit f: P = 1 / (1 + exp(a f + b)), fitted by Newton's method on the
// cross-entropy against Platt's targets (N+ + 1)/(N+ + 2) for positives and 1/(N- + 2) for negatives.
struct PlattFit {
    double a = 0, b = 0;
    int iterations = 0;
    bool converged = false;

    double apply(double score) const;
    std::vector<double> apply(std::span<const double> scores) const;
    std::string toJson() const; // {"method":"platt","a":...,"b":...}
};
PlattFit fitPlatt(std::span<const int> labels, std::span<const double> scores);

// Increasing isotonic regression by pool-adjacent-violators, as scikit-learn 1.2's
// IsotonicRegression(out_of_bounds='clip'): ties in the score are averaged first, the fit is kept as the
// thresholds where it changes, and prediction interpolates linearly between them, clipping outside.
struct IsotonicFit {
    std::vector<double> x, y; // thresholds (scikit-learn's X_thresholds_ / y_thresholds_)

    double apply(double score) const;
    std::vector<double> apply(std::span<const double> scores) const;
    std::string toJson() const; // {"method":"isotonic","x":[...],"y":[...]}
};
IsotonicFit fitIsotonic(std::span<const double> scores, std::span<const double> targets);
IsotonicFit fitIsotonic(std::span<const int> labels, std::span<const double> scores);

// Temperature scaling for multiclass: softmax(z / T) with T minimising the mean negative log-likelihood.
// z are logits, or log(max(p, 1e-12)) when probabilities are given. T is searched in [e^-5, e^5].
struct TemperatureFit {
    double temperature = 1.0;
    bool inputsAreLogits = false;
    int iterations = 0;

    std::vector<double> apply(std::span<const double> values, std::size_t k) const; // rows x k probabilities
    std::string toJson() const; // {"method":"temperature","temperature":T}
};
TemperatureFit fitTemperature(std::span<const int> labels, std::span<const double> values, std::size_t k,
                              bool inputsAreLogits = false);

enum class RecalibrationMethod { Platt, Isotonic };

// Out-of-fold recalibrated scores: rows are shuffled with a fixed seed (mt19937_64), split into `folds`
// parts, and each part is mapped by a fit on the other parts.
std::vector<double> crossFittedScores(std::span<const int> labels, std::span<const double> scores,
                                      RecalibrationMethod method, int folds = 5, std::uint64_t seed = 0);
// The fold (0..folds-1) of each row under that shuffle.
std::vector<int> foldAssignment(std::size_t rows, int folds, std::uint64_t seed);

} // namespace runlens
