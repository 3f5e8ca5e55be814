// Fold statistics per training size and the train/validation reading of a learning curve.
#include "core/analysis/learning_curve_scores.h"

#include "core/model/number_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace runlens {
namespace {

std::string format(double value) {
    return significantText(value, 3);
}

std::string signedFormat(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%+.3g", value);
    return text;
}

const LearningCurveScore* atSize(std::span<const LearningCurveScore> curve, std::int64_t size) {
    const auto it = std::lower_bound(curve.begin(), curve.end(), size,
                                     [](const LearningCurveScore& s, std::int64_t v) { return s.size < v; });
    return it != curve.end() && it->size == size ? &*it : nullptr;
}

double scaleOf(std::span<const LearningCurveScore> train, std::span<const LearningCurveScore> validation) {
    double largest = 0;
    for (const auto curve : {train, validation})
        for (const LearningCurveScore& s : curve)
            largest = std::max(largest, std::fabs(s.mean));
    return largest <= 1 ? 1.0 : largest;
}

// The largest size both curves have, with the train-validation gap there; false when they share none.
bool commonGap(std::span<const LearningCurveScore> train, std::span<const LearningCurveScore> validation,
               LearningCurveDiagnosis& d) {
    for (auto it = validation.rbegin(); it != validation.rend(); ++it) {
        if (const LearningCurveScore* t = atSize(train, it->size)) {
            d.gap = t->mean - it->mean;
            d.gapSize = it->size;
            return true;
        }
    }
    return false;
}

std::string gapText(const LearningCurveDiagnosis& d) {
    return "train-validation gap " + format(d.gap) + " at size " + std::to_string(d.gapSize);
}

} // namespace

std::vector<LearningCurveScore> learningCurveScores(std::span<const std::int64_t> steps,
                                                    std::span<const double> values) {
    const std::size_t n = std::min(steps.size(), values.size());
    std::map<std::int64_t, std::vector<double>> bySize;
    for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(values[i])) bySize[steps[i]].push_back(values[i]);
    std::vector<LearningCurveScore> out;
    out.reserve(bySize.size());
    for (const auto& [size, scores] : bySize) {
        double sum = 0;
        for (const double v : scores)
            sum += v;
        const double mean = sum / static_cast<double>(scores.size());
        double squares = 0; // two passes: no cancellation for scores that differ only in late digits
        for (const double v : scores)
            squares += (v - mean) * (v - mean);
        out.push_back({size, static_cast<int>(scores.size()), mean,
                       std::sqrt(squares / static_cast<double>(scores.size()))});
    }
    return out;
}

LearningCurveDiagnosis diagnoseLearningCurve(std::span<const LearningCurveScore> train,
                                             std::span<const LearningCurveScore> validation) {
    using Verdict = LearningCurveDiagnosis::Verdict;
    LearningCurveDiagnosis d;
    if (validation.empty() || train.empty()) {
        d.sentence = validation.empty() ? "no validation scores: nothing to diagnose"
                                        : "no train scores: the gap cannot be judged";
        return d;
    }
    d.scale = scaleOf(train, validation);
    if (!commonGap(train, validation, d)) {
        d.sentence = "train and validation scores share no training size: the gap cannot be judged";
        return d;
    }
    if (validation.size() < 2) {
        d.sentence = gapText(d) + "; only one training size, so no trend";
        return d;
    }
    const LearningCurveScore& last = validation[validation.size() - 1];
    const LearningCurveScore& before = validation[validation.size() - 2];
    d.validationChange = last.mean - before.mean;
    const std::string change = "validation " + signedFormat(d.validationChange) + " from size " +
                               std::to_string(before.size) + " to " + std::to_string(last.size);
    const double rise = LearningCurveDiagnosis::kRiseFraction * d.scale;
    if (d.validationChange > rise) {
        d.verdict = Verdict::MoreDataHelps;
        d.sentence = "Validation still rising (" + change + "; " + gapText(d) + "): more data should help.";
    } else if (d.validationChange < -rise) {
        d.verdict = Verdict::ValidationFalling;
        d.sentence = "Validation fell at the largest size (" + change + "; " + gapText(d) +
                     "): check for noise between folds before adding data.";
    } else if (d.gap <= LearningCurveDiagnosis::kCloseGapFraction * d.scale) {
        d.verdict = Verdict::CloseAndFlat;
        d.sentence = "Train and validation close and flat (" + gapText(d) + "; " + change +
                     "): more data will not help; a bigger model might.";
    } else if (d.gap > LearningCurveDiagnosis::kLargeGapFraction * d.scale) {
        d.verdict = Verdict::LargeGapFlat;
        d.sentence = "Validation flat with a large gap (" + gapText(d) + "; " + change +
                     "): the model overfits; regularisation should help more than a little more data.";
    } else {
        d.verdict = Verdict::ModerateGapFlat;
        d.sentence = "Validation flat with a moderate gap (" + gapText(d) + "; " + change +
                     "): more data of the same kind is unlikely to help much.";
    }
    return d;
}

} // namespace runlens
