// Binary classification metrics computed as scikit-learn 1.2 does, sharing one sort between rank metrics.
#include "core/analysis/binary_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace runlens {

namespace {

double ratio(double num, double den) {
    return den > 0 ? num / den : 0.0;
}

// Visits the groups of equal scores from the highest score down with cumulative tp/fp counts.
template <typename Visit> void forEachThresholdGroup(const RankedScores& ranked, Visit&& visit) {
    std::int64_t tp = 0, fp = 0;
    std::size_t i = ranked.size();
    while (i > 0) {
        const double s = ranked.scores[i - 1];
        while (i > 0 && ranked.scores[i - 1] == s) {
            if (ranked.labels[i - 1])
                ++tp;
            else
                ++fp;
            --i;
        }
        visit(s, tp, fp);
    }
}

// Maps a double to an unsigned key with the same order (negatives flipped), NaN sorting last.
std::uint64_t orderedKey(double v) {
    std::uint64_t u;
    std::memcpy(&u, &v, sizeof u);
    return (u >> 63) ? ~u : (u | 0x8000000000000000ULL);
}

double fromOrderedKey(std::uint64_t k) {
    const std::uint64_t u = (k >> 63) ? (k & 0x7fffffffffffffffULL) : ~k;
    double v;
    std::memcpy(&v, &u, sizeof v);
    return v;
}

// LSD radix sort, 11-bit digits; a pass whose digit is the same for every key is skipped (scores in [0, 1]
// share their top bits).
void radixSort(std::vector<std::uint64_t>& keys) {
    constexpr int kBits = 11;
    constexpr std::size_t kBuckets = std::size_t(1) << kBits;
    std::vector<std::uint64_t> buffer(keys.size());
    std::vector<std::size_t> count(kBuckets);
    for (int shift = 0; shift < 64; shift += kBits) {
        std::fill(count.begin(), count.end(), 0);
        for (auto k : keys)
            ++count[(k >> shift) & (kBuckets - 1)];
        if (std::find(count.begin(), count.end(), keys.size()) != count.end()) continue;
        std::size_t sum = 0;
        for (auto& c : count)
            sum += std::exchange(c, sum);
        for (auto k : keys)
            buffer[count[(k >> shift) & (kBuckets - 1)]++] = k;
        keys.swap(buffer);
    }
}

} // namespace

RankedScores rankScores(std::span<const int> labels, std::span<const double> scores) {
    const std::size_t n = std::min(labels.size(), scores.size());
    // Equal scores form one threshold group, so only scores need ordering: sort the positives' and the
    // negatives' keys apart (radix sort, linear time) and merge them.
    std::vector<std::uint64_t> pos, neg;
    pos.reserve(n);
    neg.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        (labels[i] == 1 ? pos : neg).push_back(orderedKey(scores[i]));
    radixSort(pos);
    radixSort(neg);
    RankedScores out;
    out.positives = static_cast<std::int64_t>(pos.size());
    out.scores.resize(n);
    out.labels.resize(n);
    std::size_t p = 0, q = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const bool takePositive = q == neg.size() || (p < pos.size() && pos[p] < neg[q]);
        out.scores[i] = fromOrderedKey(takePositive ? pos[p++] : neg[q++]);
        out.labels[i] = takePositive ? 1 : 0;
    }
    return out;
}

ConfusionMatrix confusionAt(std::span<const int> labels, std::span<const double> scores, double threshold) {
    ConfusionMatrix cm;
    const std::size_t n = std::min(labels.size(), scores.size());
    for (std::size_t i = 0; i < n; ++i) {
        const bool predicted = scores[i] >= threshold;
        const bool actual = labels[i] == 1;
        if (actual)
            predicted ? ++cm.tp : ++cm.fn;
        else
            predicted ? ++cm.fp : ++cm.tn;
    }
    return cm;
}

ConfusionMatrix confusionFromPredictions(std::span<const int> labels, std::span<const int> predictions) {
    ConfusionMatrix cm;
    const std::size_t n = std::min(labels.size(), predictions.size());
    for (std::size_t i = 0; i < n; ++i) {
        const bool predicted = predictions[i] == 1;
        const bool actual = labels[i] == 1;
        if (actual)
            predicted ? ++cm.tp : ++cm.fn;
        else
            predicted ? ++cm.fp : ++cm.tn;
    }
    return cm;
}

double accuracyOf(const ConfusionMatrix& cm) {
    const auto n = cm.tp + cm.tn + cm.fp + cm.fn;
    return n > 0 ? double(cm.tp + cm.tn) / double(n) : BinaryMetrics::kNaN;
}
double precisionOf(const ConfusionMatrix& cm) {
    return ratio(double(cm.tp), double(cm.tp + cm.fp));
}
double recallOf(const ConfusionMatrix& cm) {
    return ratio(double(cm.tp), double(cm.tp + cm.fn));
}
double f1Of(const ConfusionMatrix& cm) {
    // 2TP / (2TP + FP + FN) equals 2PR/(P+R) and is 0 exactly when scikit-learn's zero_division=0 gives 0.
    return ratio(2.0 * double(cm.tp), double(2 * cm.tp + cm.fp + cm.fn));
}

double logLoss(std::span<const int> labels, std::span<const double> scores) {
    const std::size_t n = std::min(labels.size(), scores.size());
    if (n == 0) return BinaryMetrics::kNaN;
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double p = std::clamp(scores[i], kLogLossEps, 1.0 - kLogLossEps);
        sum -= labels[i] == 1 ? std::log(p) : std::log(1.0 - p);
    }
    return sum / double(n);
}

double brierScore(std::span<const int> labels, std::span<const double> scores) {
    const std::size_t n = std::min(labels.size(), scores.size());
    if (n == 0) return BinaryMetrics::kNaN;
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double d = scores[i] - (labels[i] == 1 ? 1.0 : 0.0);
        sum += d * d;
    }
    return sum / double(n);
}

double rocAuc(const RankedScores& ranked) {
    const auto pos = ranked.positives, neg = ranked.negatives();
    if (pos == 0 || neg == 0) return BinaryMetrics::kNaN;
    double area = 0; // in units of tp * fp; trapezoids make tied scores count half
    std::int64_t prevTp = 0, prevFp = 0;
    forEachThresholdGroup(ranked, [&](double, std::int64_t tp, std::int64_t fp) {
        area += double(fp - prevFp) * double(tp + prevTp) * 0.5;
        prevTp = tp;
        prevFp = fp;
    });
    return area / (double(pos) * double(neg));
}

double rocAuc(std::span<const int> labels, std::span<const double> scores) {
    return rocAuc(rankScores(labels, scores));
}

double averagePrecision(const RankedScores& ranked) {
    if (ranked.positives == 0) return BinaryMetrics::kNaN;
    double ap = 0;
    std::int64_t prevTp = 0;
    forEachThresholdGroup(ranked, [&](double, std::int64_t tp, std::int64_t fp) {
        if (tp != prevTp)
            ap += double(tp - prevTp) / double(ranked.positives) * (double(tp) / double(tp + fp));
        prevTp = tp;
    });
    return ap;
}

double averagePrecision(std::span<const int> labels, std::span<const double> scores) {
    return averagePrecision(rankScores(labels, scores));
}

BinaryMetrics binaryMetrics(const RankedScores& ranked, std::span<const int> labels,
                            std::span<const double> scores, double threshold,
                            std::span<const int> predictions) {
    BinaryMetrics m;
    m.n = static_cast<std::int64_t>(std::min(labels.size(), scores.size()));
    m.positives = ranked.positives;
    if (!predictions.empty()) {
        m.threshold = BinaryMetrics::kNaN;
        m.confusion = confusionFromPredictions(labels, predictions);
    } else {
        m.threshold = threshold;
        m.confusion = confusionAt(labels, scores, threshold);
    }
    m.accuracy = accuracyOf(m.confusion);
    m.precision = precisionOf(m.confusion);
    m.recall = recallOf(m.confusion);
    m.f1 = f1Of(m.confusion);
    m.logLoss = logLoss(labels, scores);
    m.brier = brierScore(labels, scores);
    m.rocAuc = rocAuc(ranked);
    m.averagePrecision = averagePrecision(ranked);
    return m;
}

BinaryMetrics binaryMetrics(std::span<const int> labels, std::span<const double> scores, double threshold,
                            std::span<const int> predictions) {
    return binaryMetrics(rankScores(labels, scores), labels, scores, threshold, predictions);
}

} // namespace runlens
