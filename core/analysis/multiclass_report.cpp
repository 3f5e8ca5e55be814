// Per-class report, agreement and ranking metrics, one-vs-rest curves, confusion views and per-class flips.
#include "core/analysis/multiclass_report.h"

#include <algorithm>
#include <cmath>

namespace runlens {

namespace {

constexpr double kNaN = BinaryMetrics::kNaN;

double ratio(double num, double den) {
    return den > 0 ? num / den : 0.0;
}

bool validClass(int c, std::size_t k) {
    return c >= 0 && c < int(k);
}

std::vector<std::int64_t> confusionOf(std::span<const int> labels, std::span<const int> predictions,
                                      std::size_t k) {
    std::vector<std::int64_t> cm(k * k, 0);
    const std::size_t n = std::min(labels.size(), predictions.size());
    for (std::size_t i = 0; i < n; ++i)
        if (validClass(labels[i], k) && validClass(predictions[i], k))
            ++cm[std::size_t(labels[i]) * k + std::size_t(predictions[i])];
    return cm;
}

// roc_curve's drop_intermediate: keep a threshold only where the curve bends (second differences of the
// cumulative false and true positive counts), plus the ends; the (0, 0) point stays in front.
RocCurve dropIntermediate(const RocCurve& full, std::int64_t positives, std::int64_t negatives) {
    const std::size_t m = full.fpr.size();
    if (m <= 3) return full; // (0, 0) + at most two thresholds: scikit-learn keeps them all
    std::vector<long long> fp(m - 1), tp(m - 1);
    for (std::size_t i = 1; i < m; ++i) {
        fp[i - 1] = std::llround(full.fpr[i] * double(negatives));
        tp[i - 1] = std::llround(full.tpr[i] * double(positives));
    }
    RocCurve out;
    out.fpr.push_back(full.fpr[0]);
    out.tpr.push_back(full.tpr[0]);
    out.thresholds.push_back(full.thresholds[0]);
    for (std::size_t j = 0; j < fp.size(); ++j) {
        const bool end = j == 0 || j + 1 == fp.size();
        const bool bends =
            !end && (fp[j + 1] - 2 * fp[j] + fp[j - 1] != 0 || tp[j + 1] - 2 * tp[j] + tp[j - 1] != 0);
        if (!end && !bends) continue;
        out.fpr.push_back(full.fpr[j + 1]);
        out.tpr.push_back(full.tpr[j + 1]);
        out.thresholds.push_back(full.thresholds[j + 1]);
    }
    return out;
}

} // namespace

double balancedAccuracy(std::span<const int> labels, std::span<const int> predictions, std::size_t k) {
    const auto cm = confusionOf(labels, predictions, k);
    double sum = 0;
    int classes = 0;
    for (std::size_t c = 0; c < k; ++c) {
        std::int64_t support = 0;
        for (std::size_t j = 0; j < k; ++j)
            support += cm[c * k + j];
        if (support == 0) continue;
        sum += double(cm[c * k + c]) / double(support);
        ++classes;
    }
    return classes ? sum / classes : kNaN;
}

double cohenKappa(std::span<const int> labels, std::span<const int> predictions, std::size_t k,
                  KappaWeights weights) {
    const auto full = confusionOf(labels, predictions, k);
    // The classes that occur in either array, in index order (scikit-learn's unique_labels).
    std::vector<std::size_t> present;
    for (std::size_t c = 0; c < k; ++c) {
        std::int64_t seen = 0;
        for (std::size_t j = 0; j < k; ++j)
            seen += full[c * k + j] + full[j * k + c];
        if (seen > 0) present.push_back(c);
    }
    const std::size_t m = present.size();
    if (m == 0) return kNaN;
    std::vector<double> rowSum(m, 0), colSum(m, 0);
    double total = 0;
    for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = 0; b < m; ++b) {
            const double v = double(full[present[a] * k + present[b]]);
            rowSum[a] += v;
            colSum[b] += v;
            total += v;
        }
    double observed = 0, expected = 0;
    for (std::size_t a = 0; a < m; ++a)
        for (std::size_t b = 0; b < m; ++b) {
            const double d = std::abs(double(a) - double(b));
            const double w = weights == KappaWeights::None     ? (a == b ? 0.0 : 1.0)
                             : weights == KappaWeights::Linear ? d
                                                               : d * d;
            observed += w * double(full[present[a] * k + present[b]]);
            expected += w * rowSum[a] * colSum[b] / total;
        }
    return 1.0 - observed / expected; // NaN for 0 / 0 (a single class), as scikit-learn
}

double topKAccuracy(std::span<const int> labels, std::span<const double> probs, std::size_t k,
                    std::size_t top) {
    if (k == 0) return kNaN;
    const std::size_t n = std::min(labels.size(), probs.size() / k);
    std::int64_t hits = 0, rows = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!validClass(labels[i], k)) continue;
        ++rows;
        const double* row = probs.data() + i * k;
        const double own = row[labels[i]];
        std::size_t above = 0;
        for (std::size_t c = 0; c < k; ++c)
            above += row[c] > own || (row[c] == own && int(c) > labels[i]);
        hits += above < top;
    }
    return rows ? double(hits) / double(rows) : kNaN;
}

std::vector<double> normalizedConfusion(std::span<const std::int64_t> confusion, std::size_t k,
                                        ConfusionNormalization normalization) {
    std::vector<double> out(k * k, 0.0);
    if (confusion.size() < k * k) return out;
    std::vector<double> rows(k, 0), cols(k, 0);
    double total = 0;
    for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = 0; b < k; ++b) {
            const double v = double(confusion[a * k + b]);
            rows[a] += v;
            cols[b] += v;
            total += v;
        }
    for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = 0; b < k; ++b) {
            const double v = double(confusion[a * k + b]);
            switch (normalization) {
            case ConfusionNormalization::None:
                out[a * k + b] = v;
                break;
            case ConfusionNormalization::True:
                out[a * k + b] = ratio(v, rows[a]);
                break;
            case ConfusionNormalization::Pred:
                out[a * k + b] = ratio(v, cols[b]);
                break;
            case ConfusionNormalization::All:
                out[a * k + b] = ratio(v, total);
                break;
            }
        }
    return out;
}

std::vector<std::size_t> cellExamples(std::span<const int> labels, std::span<const int> predictions,
                                      int trueClass, int predictedClass) {
    std::vector<std::size_t> rows;
    const std::size_t n = std::min(labels.size(), predictions.size());
    for (std::size_t i = 0; i < n; ++i)
        if (labels[i] == trueClass && predictions[i] == predictedClass) rows.push_back(i);
    return rows;
}

MulticlassReport multiclassReport(std::span<const int> labels, std::span<const int> predictions,
                                  std::span<const double> probs, std::size_t k) {
    MulticlassReport r;
    r.classes = k;
    if (k == 0) return r;
    const bool scores = probs.size() >= labels.size() * k && !probs.empty();
    // Keep rows with a valid label and prediction (the argmax when no prediction is given).
    std::vector<int> y, pred;
    std::vector<double> p;
    std::int64_t dropped = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        int guess = -1;
        if (i < predictions.size())
            guess = predictions[i];
        else if (scores)
            guess = argmaxRow(probs.subspan(i * k, k));
        if (!validClass(labels[i], k) || !validClass(guess, k)) {
            ++dropped;
            continue;
        }
        y.push_back(labels[i]);
        pred.push_back(guess);
        if (scores)
            p.insert(p.end(), probs.begin() + std::ptrdiff_t(i * k),
                     probs.begin() + std::ptrdiff_t((i + 1) * k));
    }
    if (dropped > 0)
        r.note = std::to_string(dropped) + " row(s) with a label or prediction outside the classes left out";
    r.n = std::int64_t(y.size());
    if (r.n == 0) return r;
    r.confusion = confusionOf(y, pred, k);

    double correct = 0, present = 0, tpSum = 0, predSum = 0, supSum = 0;
    AveragedScores macro{0, 0, 0}, weighted{0, 0, 0};
    for (std::size_t c = 0; c < k; ++c) {
        ClassReportRow row;
        row.classIndex = int(c);
        const double tp = double(r.confusion[c * k + c]);
        for (std::size_t j = 0; j < k; ++j) {
            row.support += r.confusion[c * k + j];
            row.predicted += r.confusion[j * k + c];
        }
        row.present = row.support > 0 || row.predicted > 0;
        row.precision = ratio(tp, double(row.predicted));
        row.recall = ratio(tp, double(row.support));
        row.f1 = ratio(2 * tp, double(row.predicted + row.support));
        correct += tp;
        if (row.present) {
            present += 1;
            macro.precision += row.precision;
            macro.recall += row.recall;
            macro.f1 += row.f1;
            weighted.precision += row.precision * double(row.support);
            weighted.recall += row.recall * double(row.support);
            weighted.f1 += row.f1 * double(row.support);
            tpSum += tp;
            predSum += double(row.predicted);
            supSum += double(row.support);
        }
        r.perClass.push_back(row);
    }
    r.accuracy = correct / double(r.n);
    r.macro = {macro.precision / present, macro.recall / present, macro.f1 / present};
    r.weighted = {weighted.precision / supSum, weighted.recall / supSum, weighted.f1 / supSum};
    r.micro = {ratio(tpSum, predSum), ratio(tpSum, supSum), ratio(2 * tpSum, predSum + supSum)};
    r.balancedAccuracy = balancedAccuracy(y, pred, k);
    r.kappa = cohenKappa(y, pred, k);
    r.kappaLinear = cohenKappa(y, pred, k, KappaWeights::Linear);
    r.kappaQuadratic = cohenKappa(y, pred, k, KappaWeights::Quadratic);
    if (!scores) return r;

    for (std::size_t t = 1; t <= k; ++t)
        r.topK.push_back(topKAccuracy(y, p, k, t));
    std::vector<int> isClass(y.size());
    std::vector<double> column(y.size());
    bool allPresent = true;
    double aucSum = 0, weightedAucSum = 0;
    for (std::size_t c = 0; c < k; ++c) {
        for (std::size_t i = 0; i < y.size(); ++i) {
            isClass[i] = y[i] == int(c);
            column[i] = p[i * k + c];
        }
        const auto ranked = rankScores(isClass, column);
        ClassCurves curves;
        curves.classIndex = int(c);
        curves.positives = ranked.positives;
        curves.roc = dropIntermediate(rocCurve(ranked), ranked.positives, ranked.negatives());
        curves.pr = precisionRecallCurve(ranked);
        curves.auc = rocAuc(ranked);
        curves.averagePrecision = averagePrecision(ranked);
        if (ranked.positives == 0 || ranked.negatives() == 0) allPresent = false;
        aucSum += curves.auc;
        weightedAucSum += curves.auc * double(ranked.positives);
        r.curves.push_back(std::move(curves));
    }
    if (allPresent) {
        r.macroAuc = aucSum / double(k);
        r.weightedAuc = weightedAucSum / double(r.n);
    } else {
        if (!r.note.empty()) r.note += "; ";
        r.note += "a class has no example (or every example): one-vs-rest AUC is not defined for it";
    }
    return r;
}

std::vector<ClassFlips> perClassFlips(std::span<const int> labels, std::span<const int> predictionsA,
                                      std::span<const int> predictionsB, std::size_t k) {
    std::vector<ClassFlips> out(k);
    std::vector<std::vector<std::uint8_t>> correctA(k), correctB(k);
    for (std::size_t c = 0; c < k; ++c)
        out[c].classIndex = int(c);
    const std::size_t n = std::min({labels.size(), predictionsA.size(), predictionsB.size()});
    for (std::size_t i = 0; i < n; ++i) {
        if (!validClass(labels[i], k)) continue;
        const auto c = std::size_t(labels[i]);
        auto& f = out[c];
        const bool a = predictionsA[i] == labels[i], b = predictionsB[i] == labels[i];
        ++f.n;
        correctA[c].push_back(a);
        correctB[c].push_back(b);
        if (a && b) {
            ++f.bothCorrect;
        } else if (b) {
            ++f.fixed;
            f.fixedRows.push_back(i);
        } else if (a) {
            ++f.broken;
            f.brokenRows.push_back(i);
        } else {
            ++f.bothWrong;
            f.wrongChanged += predictionsA[i] != predictionsB[i];
        }
    }
    for (std::size_t c = 0; c < k; ++c)
        out[c].mcnemar = mcnemar(correctA[c], correctB[c]);
    return out;
}

} // namespace runlens
