// Risk-coverage curve, AURC and selective accuracy from one sort by confidence.
#include "core/analysis/selective_prediction.h"

#include "core/analysis/multiclass_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

namespace {

SelectiveResult fromPoint(const RiskCoveragePoint& p) {
    return {p.threshold, p.coverage, 1.0 - p.risk, p.answered};
}

} // namespace

SelectiveInputs selectiveInputs(const EvaluationSet& e) {
    SelectiveInputs out;
    if (!e.hasScores()) return out;
    const auto correct = correctPerRow(e);
    out.correct.assign(correct.begin(), correct.end());
    out.confidence.resize(e.rows());
    const std::size_t k = e.classCount();
    for (std::size_t r = 0; r < e.rows(); ++r) {
        if (e.multiclass) {
            const std::span<const double> row(e.probs.data() + r * k, k);
            out.confidence[r] = row[static_cast<std::size_t>(argmaxRow(row))];
        } else {
            out.confidence[r] = std::max(e.scores[r], 1.0 - e.scores[r]); // confidence in the predicted class
        }
    }
    return out;
}

RiskCoverage riskCoverage(std::span<const double> confidence, std::span<const int> correct) {
    RiskCoverage out;
    const std::size_t n = std::min(confidence.size(), correct.size());
    if (n == 0) return out;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return confidence[a] > confidence[b]; });
    std::int64_t answered = 0, errors = 0;
    double previousCoverage = 0;
    for (std::size_t i = 0; i < n;) {
        const double c = confidence[order[i]];
        for (; i < n && confidence[order[i]] == c; ++i) {
            ++answered;
            errors += correct[order[i]] == 1 ? 0 : 1;
        }
        RiskCoveragePoint p{c, answered, errors, double(answered) / double(n),
                            double(errors) / double(answered)};
        out.aurc += (p.coverage - previousCoverage) * p.risk;
        previousCoverage = p.coverage;
        out.points.push_back(p);
    }
    return out;
}

std::optional<SelectiveResult> accuracyAtCoverage(const RiskCoverage& curve, double coverage) {
    if (curve.points.empty() || !(coverage > 0)) return std::nullopt;
    const double total = double(curve.points.back().answered);
    const auto wanted = static_cast<std::int64_t>(std::ceil(std::min(coverage, 1.0) * total - 1e-9));
    for (const auto& p : curve.points)
        if (p.answered >= wanted) return fromPoint(p);
    return fromPoint(curve.points.back());
}

SelectiveResult accuracyAtThreshold(const RiskCoverage& curve, double threshold) {
    SelectiveResult none{threshold, 0.0, 0.0, 0};
    const RiskCoveragePoint* last = nullptr;
    for (const auto& p : curve.points) {
        if (p.threshold < threshold) break;
        last = &p;
    }
    if (!last) return none;
    SelectiveResult r = fromPoint(*last);
    r.threshold = threshold;
    return r;
}

std::optional<SelectiveResult> thresholdForAccuracy(const RiskCoverage& curve, double targetAccuracy) {
    for (auto it = curve.points.rbegin(); it != curve.points.rend(); ++it)
        if (1.0 - it->risk >= targetAccuracy - 1e-12) return fromPoint(*it);
    return std::nullopt;
}

} // namespace runlens
