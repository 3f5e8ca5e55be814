// Error correlation between aligned binary classifiers and the metrics of their average and majority vote.
#include "core/analysis/ensemble.h"

#include <algorithm>
#include <cmath>

namespace runlens {

double pearson(std::span<const double> x, std::span<const double> y) {
    const std::size_t n = x.size();
    if (n < 2 || y.size() != n) return BinaryMetrics::kNaN;
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    // Centred sums (two passes) keep the result accurate when the means are large against the spread.
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double dx = x[i] - mx, dy = y[i] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if (sxx <= 0 || syy <= 0) return BinaryMetrics::kNaN;
    return sxy / std::sqrt(sxx * syy);
}

namespace {

CorrelationMatrix correlations(const std::vector<std::vector<double>>& columns) {
    CorrelationMatrix m;
    m.k = columns.size();
    m.values.assign(m.k * m.k, BinaryMetrics::kNaN);
    for (std::size_t i = 0; i < m.k; ++i) {
        for (std::size_t j = i; j < m.k; ++j) {
            // A variable correlates 1 with itself unless it is constant, where the correlation is undefined.
            const double r = i == j
                                 ? (std::isnan(pearson(columns[i], columns[i])) ? BinaryMetrics::kNaN : 1.0)
                                 : pearson(columns[i], columns[j]);
            m.values[i * m.k + j] = r;
            m.values[j * m.k + i] = r;
        }
    }
    return m;
}

std::string validate(std::span<const int> labels, const std::vector<std::vector<double>>& scores) {
    if (scores.size() < 2) return "an ensemble needs at least two members";
    if (labels.empty()) return "no examples";
    for (std::size_t m = 0; m < scores.size(); ++m) {
        if (scores[m].size() != labels.size())
            return "member " + std::to_string(m + 1) + " has " + std::to_string(scores[m].size()) +
                   " scores for " + std::to_string(labels.size()) + " labels";
        for (std::size_t r = 0; r < labels.size(); ++r) {
            if (!(scores[m][r] >= 0.0 && scores[m][r] <= 1.0))
                return "member " + std::to_string(m + 1) + ", row " + std::to_string(r + 1) +
                       ": score is not a probability in [0, 1]";
        }
    }
    for (std::size_t r = 0; r < labels.size(); ++r) {
        if (labels[r] != 0 && labels[r] != 1) return "row " + std::to_string(r + 1) + ": label is not 0 or 1";
    }
    return {};
}

} // namespace

EnsembleReport ensembleWhatIf(std::span<const int> labels, const std::vector<std::vector<double>>& scores,
                              double threshold) {
    EnsembleReport report;
    report.threshold = threshold;
    report.error = validate(labels, scores);
    if (!report.error.empty()) return report;
    const std::size_t n = labels.size(), k = scores.size();
    report.n = n;
    report.k = k;

    std::vector<std::vector<double>> errors(k, std::vector<double>(n)), residuals(k, std::vector<double>(n));
    std::vector<double> mean(n, 0.0), voteShare(n, 0.0);
    for (std::size_t m = 0; m < k; ++m) {
        for (std::size_t r = 0; r < n; ++r) {
            const int decision = scores[m][r] >= threshold ? 1 : 0;
            errors[m][r] = decision != labels[r] ? 1.0 : 0.0;
            residuals[m][r] = labels[r] - scores[m][r];
            mean[r] += scores[m][r];
            voteShare[r] += decision;
        }
        report.members.push_back(binaryMetrics(labels, scores[m], threshold));
    }
    std::vector<int> vote(n);
    for (std::size_t r = 0; r < n; ++r) {
        mean[r] /= static_cast<double>(k);
        const double yes = voteShare[r], no = static_cast<double>(k) - yes;
        vote[r] = yes > no ? 1 : (yes < no ? 0 : (mean[r] >= threshold ? 1 : 0));
        voteShare[r] /= static_cast<double>(k);
    }
    report.errorCorrelation = correlations(errors);
    report.residualCorrelation = correlations(residuals);
    report.average = binaryMetrics(labels, mean, threshold);
    report.majorityVote = binaryMetrics(labels, voteShare, threshold, vote);
    return report;
}

MulticlassEnsembleReport multiclassEnsembleWhatIf(std::span<const int> labels,
                                                  const std::vector<std::vector<double>>& probs,
                                                  std::size_t classes) {
    MulticlassEnsembleReport report;
    const std::size_t n = labels.size(), k = probs.size();
    if (k < 2) report.error = "an ensemble needs at least two members";
    if (report.error.empty() && (n == 0 || classes < 2)) report.error = "no examples";
    for (std::size_t m = 0; m < k && report.error.empty(); ++m)
        if (probs[m].size() != n * classes)
            report.error = "member " + std::to_string(m + 1) + " has " + std::to_string(probs[m].size()) +
                           " probabilities for " + std::to_string(n) + " rows of " + std::to_string(classes) +
                           " classes";
    for (std::size_t r = 0; r < n && report.error.empty(); ++r)
        if (labels[r] < 0 || static_cast<std::size_t>(labels[r]) >= classes)
            report.error = "row " + std::to_string(r + 1) + ": label is not one of the classes";
    if (!report.error.empty()) return report;
    report.n = n;
    report.k = k;
    report.classes = classes;

    std::vector<std::vector<double>> errors(k, std::vector<double>(n)), residuals(k, std::vector<double>(n));
    std::vector<double> mean(n * classes, 0.0), shares(n * classes, 0.0);
    for (std::size_t m = 0; m < k; ++m) {
        for (std::size_t r = 0; r < n; ++r) {
            const std::span<const double> row(probs[m].data() + r * classes, classes);
            const int top = argmaxRow(row);
            errors[m][r] = top != labels[r] ? 1.0 : 0.0;
            residuals[m][r] = 1.0 - row[static_cast<std::size_t>(labels[r])];
            shares[r * classes + static_cast<std::size_t>(top)] += 1.0 / static_cast<double>(k);
            for (std::size_t c = 0; c < classes; ++c)
                mean[r * classes + c] += row[c] / static_cast<double>(k);
        }
        report.members.push_back(multiclassMetrics(labels, probs[m], classes));
    }
    std::vector<int> vote(n);
    for (std::size_t r = 0; r < n; ++r) {
        const double* share = shares.data() + r * classes;
        const double most = *std::max_element(share, share + classes);
        int best = -1;
        for (std::size_t c = 0; c < classes; ++c)
            if (share[c] == most && (best < 0 || mean[r * classes + c] > mean[r * classes + best]))
                best = static_cast<int>(c);
        vote[r] = best;
    }
    report.errorCorrelation = correlations(errors);
    report.residualCorrelation = correlations(residuals);
    report.average = multiclassMetrics(labels, mean, classes);
    report.majorityVote = multiclassMetrics(labels, shares, classes, vote);
    return report;
}

} // namespace runlens
