// Per-size mean and spread of learning-curve fold scores, and a one-sentence reading of train vs validation.
#pragma once

#include "core/model/series.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// The fold scores at one training-set size.
struct LearningCurveScore {
    std::int64_t size = 0;
    int folds = 0; // finite scores at this size
    double mean = kNaN;
    double std = kNaN; // population std (ddof = 0), as numpy.std in sklearn's plot_learning_curve example
};

// Groups a score series by step (the training size): one entry per distinct step with at least one finite
// value, sizes ascending. Non-finite values are left out. steps and values must have equal length (the
// shorter length is used otherwise).
std::vector<LearningCurveScore> learningCurveScores(std::span<const std::int64_t> steps,
                                                    std::span<const double> values);
inline std::vector<LearningCurveScore> learningCurveScores(const SeriesData& series) {
    return learningCurveScores(series.steps, series.values);
}

// What the two curves say about more data. Scores are higher-is-better (sklearn's scorer convention; losses
// appear as neg_*). The thresholds are fractions of a scale: 1 when every mean of both curves lies in
// [-1, 1] (accuracy, F1, AUC, R^2), else the largest |mean|.
//  - gap = train mean - validation mean at the largest size both curves have;
//  - the validation curve "still rises" when its mean grew by more than kRiseFraction * scale from the
//    second-largest to the largest size, and "falls" when it dropped by more than that;
//  - a gap of at most kCloseGapFraction * scale is "close", above kLargeGapFraction * scale "large".
struct LearningCurveDiagnosis {
    enum class Verdict {
        NotEnoughData,     // a curve is missing, or the validation curve has one size only
        MoreDataHelps,     // validation still rising
        CloseAndFlat,      // small gap, flat validation: more data will not help, more capacity might
        LargeGapFlat,      // large gap, flat validation: overfitting; regularise or add much more data
        ModerateGapFlat,   // in between
        ValidationFalling, // validation dropped at the largest size
    };
    static constexpr double kRiseFraction = 0.005;
    static constexpr double kCloseGapFraction = 0.02;
    static constexpr double kLargeGapFraction = 0.10;

    Verdict verdict = Verdict::NotEnoughData;
    double gap = kNaN; // train - validation at gapSize
    std::int64_t gapSize = 0;
    double validationChange = kNaN; // validation mean at the largest size minus at the one before
    double scale = 1;
    std::string sentence;
};

LearningCurveDiagnosis diagnoseLearningCurve(std::span<const LearningCurveScore> train,
                                             std::span<const LearningCurveScore> validation);

} // namespace runlens
