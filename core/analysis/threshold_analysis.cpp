// Curves and threshold choices computed by one pass over scores ranked from high to low.
#include "core/analysis/threshold_analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace runlens {

namespace {

struct Group {
    double score;
    std::int64_t tp, fp; // cumulative counts at score >= this group's score
};

// Distinct scores from high to low with cumulative tp/fp.
std::vector<Group> thresholdGroups(const RankedScores& ranked) {
    std::vector<Group> groups;
    std::int64_t tp = 0, fp = 0;
    std::size_t i = ranked.size();
    while (i > 0) {
        const double s = ranked.scores[i - 1];
        while (i > 0 && ranked.scores[i - 1] == s) {
            ranked.labels[i - 1] ? ++tp : ++fp;
            --i;
        }
        groups.push_back({s, tp, fp});
    }
    return groups;
}

double div0(double a, double b) {
    return b > 0 ? a / b : 0.0;
}

} // namespace

RocCurve rocCurve(const RankedScores& ranked) {
    RocCurve c;
    const auto groups = thresholdGroups(ranked);
    if (groups.empty()) return c;
    const double pos = double(ranked.positives), neg = double(ranked.negatives());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    c.fpr.push_back(0);
    c.tpr.push_back(0);
    c.thresholds.push_back(groups.front().score + 1.0);
    for (const auto& g : groups) {
        // scikit-learn divides by zero here (NaN with a warning) when a class is absent; so do we.
        c.fpr.push_back(neg > 0 ? double(g.fp) / neg : nan);
        c.tpr.push_back(pos > 0 ? double(g.tp) / pos : nan);
        c.thresholds.push_back(g.score);
    }
    return c;
}

PrCurve precisionRecallCurve(const RankedScores& ranked) {
    PrCurve c;
    const auto groups = thresholdGroups(ranked);
    for (std::size_t j = groups.size(); j-- > 0;) {
        const auto& g = groups[j];
        c.precision.push_back(double(g.tp) / double(g.tp + g.fp));
        // scikit-learn sets recall to 1 everywhere when there is no positive (with a warning).
        c.recall.push_back(ranked.positives > 0 ? double(g.tp) / double(ranked.positives) : 1.0);
        c.thresholds.push_back(g.score);
    }
    if (groups.empty()) return c;
    c.precision.push_back(1.0);
    c.recall.push_back(0.0);
    return c;
}

ThresholdStats statsAtThreshold(std::span<const int> labels, std::span<const double> scores,
                                double threshold) {
    ThresholdStats s;
    s.threshold = threshold;
    s.confusion = confusionAt(labels, scores, threshold);
    const auto& cm = s.confusion;
    s.accuracy = accuracyOf(cm);
    s.precision = precisionOf(cm);
    s.recall = recallOf(cm);
    s.f1 = f1Of(cm);
    s.fpr = div0(double(cm.fp), double(cm.fp + cm.tn));
    return s;
}

ThresholdSweep thresholdSweep(RankedScores ranked) {
    ThresholdSweep out;
    out.positivesBelow.assign(ranked.size() + 1, 0);
    for (std::size_t i = 0; i < ranked.size(); ++i)
        out.positivesBelow[i + 1] = out.positivesBelow[i] + ranked.labels[i];
    out.ranked = std::move(ranked);
    return out;
}

ThresholdStats statsAtThreshold(const ThresholdSweep& sweep, double threshold) {
    ThresholdStats s;
    s.threshold = threshold;
    const auto& scores = sweep.ranked.scores;
    if (sweep.positivesBelow.size() != scores.size() + 1) return s;
    // Scores below the threshold are predicted negative.
    const auto below =
        static_cast<std::size_t>(std::lower_bound(scores.begin(), scores.end(), threshold) - scores.begin());
    const std::int64_t positives = sweep.ranked.positives, negatives = sweep.ranked.negatives();
    auto& cm = s.confusion;
    cm.tp = positives - sweep.positivesBelow[below];
    cm.fp = static_cast<std::int64_t>(scores.size() - below) - cm.tp;
    cm.fn = positives - cm.tp;
    cm.tn = negatives - cm.fp;
    s.accuracy = accuracyOf(cm);
    s.precision = precisionOf(cm);
    s.recall = recallOf(cm);
    s.f1 = f1Of(cm);
    s.fpr = div0(double(cm.fp), double(cm.fp + cm.tn));
    return s;
}

double totalCostOf(const ConfusionMatrix& confusion, double costFp, double costFn) {
    return costFp * double(confusion.fp) + costFn * double(confusion.fn);
}

CostChoice costAtThreshold(std::span<const int> labels, std::span<const double> scores, double threshold,
                           double costFp, double costFn) {
    CostChoice c;
    c.threshold = threshold;
    c.confusion = confusionAt(labels, scores, threshold);
    c.totalCost = totalCostOf(c.confusion, costFp, costFn);
    const auto n = std::min(labels.size(), scores.size());
    c.costPerExample = n > 0 ? c.totalCost / double(n) : 0.0;
    return c;
}

CostChoice minimumCostThreshold(const RankedScores& ranked, double costFp, double costFn) {
    const std::int64_t pos = ranked.positives, neg = ranked.negatives();
    CostChoice best;
    best.threshold = std::numeric_limits<double>::infinity();
    best.confusion = {neg, 0, pos, 0};
    best.totalCost = costFn * double(pos);
    for (const auto& g : thresholdGroups(ranked)) {
        const double cost = costFp * double(g.fp) + costFn * double(pos - g.tp);
        if (cost < best.totalCost) {
            best.totalCost = cost;
            best.threshold = g.score;
            best.confusion = {neg - g.fp, g.fp, pos - g.tp, g.tp};
        }
    }
    best.costPerExample = ranked.size() > 0 ? best.totalCost / double(ranked.size()) : 0.0;
    return best;
}

} // namespace runlens
