// Multiclass accuracy, averaged precision/recall/F1, log loss, Brier and one-vs-rest ROC AUC.
#include "core/analysis/multiclass_metrics.h"

#include <algorithm>
#include <cmath>

namespace runlens {

namespace {

double safeRatio(double num, double den) {
    return den > 0 ? num / den : 0.0;
}

double multiclassLogLoss(std::span<const int> labels, std::span<const double> probs, std::size_t k,
                         std::size_t n) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double rowSum = 0;
        for (std::size_t c = 0; c < k; ++c)
            rowSum += std::clamp(probs[i * k + c], kLogLossEps, 1.0 - kLogLossEps);
        const double p =
            std::clamp(probs[i * k + std::size_t(labels[i])], kLogLossEps, 1.0 - kLogLossEps) / rowSum;
        sum -= std::log(p);
    }
    return sum / double(n);
}

double multiclassBrier(std::span<const int> labels, std::span<const double> probs, std::size_t k,
                       std::size_t n) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < k; ++c) {
            const double d = probs[i * k + c] - (labels[i] == int(c) ? 1.0 : 0.0);
            sum += d * d;
        }
    return sum / double(n);
}

double ovrMacroAuc(std::span<const int> labels, std::span<const double> probs, std::size_t k, std::size_t n) {
    std::vector<int> isClass(n);
    std::vector<double> scores(n);
    double total = 0;
    for (std::size_t c = 0; c < k; ++c) {
        for (std::size_t i = 0; i < n; ++i) {
            isClass[i] = labels[i] == int(c);
            scores[i] = probs[i * k + c];
        }
        const double auc = rocAuc(isClass, scores);
        if (std::isnan(auc)) return BinaryMetrics::kNaN;
        total += auc;
    }
    return total / double(k);
}

} // namespace

int argmaxRow(std::span<const double> row) {
    return static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin());
}

MulticlassMetrics multiclassMetrics(std::span<const int> labels, std::span<const double> probs, std::size_t k,
                                    std::span<const int> predictions) {
    MulticlassMetrics m;
    m.classes = k;
    if (k == 0) return m;
    const std::size_t n = std::min(labels.size(), probs.size() / k);
    m.n = static_cast<std::int64_t>(n);
    if (n == 0) return m;
    for (std::size_t i = 0; i < n; ++i)
        if (labels[i] < 0 || labels[i] >= int(k)) return m; // not a valid evaluation set

    std::vector<int> pred(n);
    for (std::size_t i = 0; i < n; ++i) {
        const bool given = i < predictions.size() && predictions[i] >= 0 && predictions[i] < int(k);
        pred[i] = given ? predictions[i] : argmaxRow(probs.subspan(i * k, k));
    }
    m.confusion.assign(k * k, 0);
    for (std::size_t i = 0; i < n; ++i)
        ++m.confusion[std::size_t(labels[i]) * k + std::size_t(pred[i])];

    std::int64_t correct = 0;
    std::vector<double> tp(k, 0), support(k, 0), predicted(k, 0);
    for (std::size_t c = 0; c < k; ++c) {
        tp[c] = double(m.confusion[c * k + c]);
        correct += m.confusion[c * k + c];
        for (std::size_t j = 0; j < k; ++j) {
            support[c] += double(m.confusion[c * k + j]);
            predicted[c] += double(m.confusion[j * k + c]);
        }
    }
    m.accuracy = double(correct) / double(n);

    double present = 0, tpSum = 0, predSum = 0, supSum = 0;
    AveragedScores macro{0, 0, 0}, weighted{0, 0, 0};
    for (std::size_t c = 0; c < k; ++c) {
        if (support[c] == 0 && predicted[c] == 0) continue; // absent from labels and predictions
        const double p = safeRatio(tp[c], predicted[c]);
        const double r = safeRatio(tp[c], support[c]);
        const double f = safeRatio(2 * tp[c], predicted[c] + support[c]);
        present += 1;
        macro.precision += p;
        macro.recall += r;
        macro.f1 += f;
        weighted.precision += p * support[c];
        weighted.recall += r * support[c];
        weighted.f1 += f * support[c];
        tpSum += tp[c];
        predSum += predicted[c];
        supSum += support[c];
    }
    m.macro = {macro.precision / present, macro.recall / present, macro.f1 / present};
    m.weighted = {weighted.precision / supSum, weighted.recall / supSum, weighted.f1 / supSum};
    const double microP = safeRatio(tpSum, predSum), microR = safeRatio(tpSum, supSum);
    m.micro = {microP, microR, safeRatio(2 * tpSum, predSum + supSum)};

    m.logLoss = multiclassLogLoss(labels, probs, k, n);
    m.brier = multiclassBrier(labels, probs, k, n);
    m.rocAucOvrMacro = ovrMacroAuc(labels, probs, k, n);
    return m;
}

} // namespace runlens
