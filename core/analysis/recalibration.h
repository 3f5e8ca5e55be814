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

// Temperature on binary scores scales the logit of [1 - s, s]; on multiclass values it is the only method.
enum class RecalibrationMethod { Platt, Isotonic, Temperature };

// Fits `method` on the training rows and maps applyValues with it. classes = 0: values are binary scores;
// classes = k > 0: values are rows of k class probabilities, and temperature scaling is used whatever the
// method. mappingJson (may be null) receives the fit's toJson().
std::vector<double> fitAndApplyRecalibration(RecalibrationMethod method, std::span<const int> trainLabels,
                                             std::span<const double> trainValues,
                                             std::span<const double> applyValues, std::size_t classes,
                                             std::string* mappingJson = nullptr);

// Out-of-fold recalibrated values: rows are shuffled with a fixed seed (mt19937_64), split into `folds`
// parts (clamped to [2, rows]), and each part is mapped by a fit on the other parts. classes as above.
std::vector<double> crossFittedValues(std::span<const int> labels, std::span<const double> values,
                                      std::size_t classes, RecalibrationMethod method, int folds,
                                      std::uint64_t seed);
// The same for binary scores.
std::vector<double> crossFittedScores(std::span<const int> labels, std::span<const double> scores,
                                      RecalibrationMethod method, int folds = 5, std::uint64_t seed = 0);
// The fold (0..folds-1) of each row under that shuffle.
std::vector<int> foldAssignment(std::size_t rows, int folds, std::uint64_t seed);

// A seeded hold-out split under the same shuffle: the first round(fraction * rows) shuffled rows (at least 1,
// at most rows - 1) fit the mapping, the others are held out to show it. Rows of each part in shuffled order.
struct HoldOutSplit {
    std::vector<std::size_t> fit, held;
};
HoldOutSplit holdOutSplit(std::size_t rows, double fraction, std::uint64_t seed);

// What a recalibration preview shows: before and after on examples the mapping was not fitted on.
struct RecalibrationPreviewOptions {
    RecalibrationMethod method = RecalibrationMethod::Platt;
    bool crossFit = false; // false: hold-out split of `fraction`; true: `folds`-fold cross-fitting
    double fraction = 0.5;
    int folds = 5;
    std::uint64_t seed = 0;
};
struct RecalibrationPreview {
    std::vector<int> labels;           // of the rows shown: the held-out part, or every row when cross-fitted
    std::vector<double> before, after; // their values (scores, or rows x classes probabilities)
    std::size_t fitted = 0;            // rows the exported mapping is fitted on (the fit part, or all rows)
    std::string mappingJson;           // the mapping to deploy
};
// classes as in fitAndApplyRecalibration; needs at least 2 rows (fewer give an empty preview).
RecalibrationPreview previewRecalibration(std::span<const int> labels, std::span<const double> values,
                                          std::size_t classes, const RecalibrationPreviewOptions& options);

} // namespace runlens
