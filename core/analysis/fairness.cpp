// Per-group selection rate, TPR, FPR and precision, and Fairlearn's demographic-parity and equalized-odds
// gaps.
#include "core/analysis/fairness.h"

#include "core/analysis/report_text.h"
#include "core/model/regression_columns.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace runlens {

namespace {

struct Tally {
    std::int64_t n = 0;
    double w = 0, tp = 0, fp = 0, fn = 0, tn = 0;
    double tp2 = 0, fp2 = 0, fn2 = 0, tn2 = 0; // squared weights per cell, for Kish's effective sizes
    // Unweighted counts for the Wilson intervals without weights.
    std::int64_t ctp = 0, cfp = 0, cfn = 0, ctn = 0;
};

// Wilson interval for a share p of an effective sample size n (Kish's (sum w)^2 / sum w^2 with weights).
stats::Interval wilsonOfShare(double p, double n, double alpha) {
    if (!(n > 0)) return {0, 1};
    const double z = stats::normalQuantile(1 - alpha / 2), z2 = z * z;
    const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

struct Spread {
    double min = 0, max = 0;
    std::string minGroup, maxGroup;
    bool any = false;
};

template <typename Rate, typename Defined>
Spread spreadOf(const std::vector<GroupRates>& groups, Rate rate, Defined defined, bool undefinedAsZero) {
    Spread s;
    for (const auto& g : groups) {
        if (!defined(g) && !undefinedAsZero) continue;
        const double v = defined(g) ? rate(g) : 0.0;
        if (!s.any || v < s.min) s.min = v, s.minGroup = g.group;
        if (!s.any || v > s.max) s.max = v, s.maxGroup = g.group;
        s.any = true;
    }
    return s;
}

double ratioOf(const Spread& s) {
    if (!s.any || !(s.max > 0)) return FairnessReport::kNaN;
    return s.min / s.max;
}

} // namespace

FairnessReport fairnessReport(std::span<const int> labels, std::span<const int> predictions,
                              std::span<const std::string> groups, std::span<const double> weights,
                              const FairnessOptions& options) {
    FairnessReport r;
    const bool weighted = !weights.empty();
    std::map<std::string, Tally> tallies;
    const std::size_t n = std::min({labels.size(), predictions.size(), groups.size()});
    for (std::size_t i = 0; i < n; ++i) {
        const int y = labels[i], p = predictions[i];
        const double w = weighted ? (i < weights.size() ? weights[i] : -1.0) : 1.0;
        if ((y != 0 && y != 1) || (p != 0 && p != 1) || !std::isfinite(w) || w < 0) continue;
        auto& t = tallies[groups[i]];
        ++t.n;
        t.w += w;
        (y ? (p ? t.tp : t.fn) : (p ? t.fp : t.tn)) += w;
        (y ? (p ? t.tp2 : t.fn2) : (p ? t.fp2 : t.tn2)) += w * w;
        ++(y ? (p ? t.ctp : t.cfn) : (p ? t.cfp : t.ctn));
    }
    for (const auto& [name, t] : tallies) {
        GroupRates g;
        g.group = name;
        g.n = t.n;
        g.weight = t.w;
        g.positives = t.tp + t.fn;
        g.negatives = t.fp + t.tn;
        g.predictedPositive = t.tp + t.fp;
        g.tprDefined = g.positives > 0;
        g.fprDefined = g.negatives > 0;
        g.precisionDefined = g.predictedPositive > 0;
        g.selectionRate = t.w > 0 ? g.predictedPositive / t.w : 0.0;
        g.tpr = g.tprDefined ? t.tp / g.positives : 0.0;
        g.fpr = g.fprDefined ? t.fp / g.negatives : 0.0;
        g.precision = g.precisionDefined ? t.tp / g.predictedPositive : 0.0;
        if (!weighted) {
            g.selectionCi = stats::wilson(t.ctp + t.cfp, t.n, options.alpha);
            g.tprCi = stats::wilson(t.ctp, t.ctp + t.cfn, options.alpha);
            g.fprCi = stats::wilson(t.cfp, t.cfp + t.ctn, options.alpha);
            g.precisionCi = stats::wilson(t.ctp, t.ctp + t.cfp, options.alpha);
        } else {
            // Kish's effective size (sum w)^2 / sum w^2 of each rate's denominator rows.
            auto effective = [](double w, double w2) { return w2 > 0 ? w * w / w2 : 0.0; };
            g.selectionCi =
                wilsonOfShare(g.selectionRate, effective(t.w, t.tp2 + t.fp2 + t.fn2 + t.tn2), options.alpha);
            g.tprCi = wilsonOfShare(g.tpr, effective(t.tp + t.fn, t.tp2 + t.fn2), options.alpha);
            g.fprCi = wilsonOfShare(g.fpr, effective(t.fp + t.tn, t.fp2 + t.tn2), options.alpha);
            g.precisionCi = wilsonOfShare(g.precision, effective(t.tp + t.fp, t.tp2 + t.fp2), options.alpha);
        }
        r.groups.push_back(std::move(g));
    }
    if (r.groups.empty()) {
        r.sentence = "No row has a 0/1 label, a 0/1 prediction and a group.";
        return r;
    }
    const auto selection = spreadOf(
        r.groups, [](const GroupRates& g) { return g.selectionRate; }, [](const GroupRates&) { return true; },
        true);
    const auto tpr = spreadOf(
        r.groups, [](const GroupRates& g) { return g.tpr; }, [](const GroupRates& g) { return g.tprDefined; },
        options.undefinedRatesAsZero);
    const auto fpr = spreadOf(
        r.groups, [](const GroupRates& g) { return g.fpr; }, [](const GroupRates& g) { return g.fprDefined; },
        options.undefinedRatesAsZero);
    r.demographicParityDifference = selection.max - selection.min;
    r.demographicParityRatio = ratioOf(selection);
    r.tprDifference = tpr.any ? tpr.max - tpr.min : FairnessReport::kNaN;
    r.fprDifference = fpr.any ? fpr.max - fpr.min : FairnessReport::kNaN;
    r.tprRatio = ratioOf(tpr);
    r.fprRatio = ratioOf(fpr);
    r.equalizedOddsDifference = std::max(r.tprDifference, r.fprDifference);
    r.equalizedOddsRatio = std::min(r.tprRatio, r.fprRatio); // NaN when either is NaN, as numpy's min
    if (std::isnan(r.tprRatio) || std::isnan(r.fprRatio)) r.equalizedOddsRatio = FairnessReport::kNaN;
    if (std::isnan(r.tprDifference) || std::isnan(r.fprDifference))
        r.equalizedOddsDifference = FairnessReport::kNaN;

    const bool belowRatio =
        r.demographicParityRatio < options.ratioThreshold || r.equalizedOddsRatio < options.ratioThreshold;
    const bool largeGap = r.demographicParityDifference >= options.differenceThreshold ||
                          r.equalizedOddsDifference >= options.differenceThreshold;
    r.severity = belowRatio ? FairnessSeverity::Major
                 : largeGap ? FairnessSeverity::Minor
                            : FairnessSeverity::None;
    r.sentence = "Selection rate ranges from " + formatPercent(selection.min) + " (" + selection.minGroup +
                 ") to " + formatPercent(selection.max) + " (" + selection.maxGroup +
                 "): demographic-parity difference " + formatNumber(r.demographicParityDifference) +
                 ", ratio " + formatNumber(r.demographicParityRatio) + "; equalized-odds difference " +
                 formatNumber(r.equalizedOddsDifference) + ", ratio " + formatNumber(r.equalizedOddsRatio);
    r.sentence += r.severity == FairnessSeverity::Major
                      ? ", below the four-fifths rule (" + formatNumber(options.ratioThreshold) + ")."
                  : r.severity == FairnessSeverity::Minor
                      ? ", a gap of " + formatNumber(options.differenceThreshold) + " or more between groups."
                      : ", within the thresholds.";
    std::string small;
    for (const auto& g : r.groups)
        if (g.n < options.smallGroup)
            small += (small.empty() ? "" : ", ") + g.group + " (n = " + std::to_string(g.n) + ")";
    if (!small.empty()) r.sentence += " Small groups, wide intervals: " + small + ".";
    return r;
}

std::optional<FairnessReport> fairnessOfEvaluation(const PredictionTable& table, const EvaluationSet& set,
                                                   const std::string& column, double threshold,
                                                   std::string& error, const FairnessOptions& options) {
    const std::string where = table.sourcePath.empty() ? table.name : table.sourcePath;
    if (set.multiclass) {
        error = where + " is multiclass: fairness needs a binary classifier";
        return std::nullopt;
    }
    const PredictionColumn* sensitive = table.column(column);
    if (!sensitive) {
        error = where + ": no column named '" + column + "'";
        return std::nullopt;
    }
    std::vector<int> predictions = set.predictions;
    if (predictions.empty())
        for (double s : set.scores)
            predictions.push_back(s >= threshold ? 1 : 0);
    std::vector<std::string> groups;
    groups.reserve(set.rows());
    for (std::size_t r = 0; r < set.rows(); ++r) {
        auto g = cellText(*sensitive, r);
        groups.push_back(g.empty() ? std::string("(missing)") : std::move(g));
    }
    std::vector<double> weights;
    for (const auto& c : table.columns)
        if (c.numeric && isWeightColumnName(c.name)) {
            weights = c.numbers;
            break;
        }
    return fairnessReport(set.labels, predictions, groups, weights, options);
}

std::string_view fairnessSeverityName(FairnessSeverity severity) {
    return severity == FairnessSeverity::Major   ? "major"
           : severity == FairnessSeverity::Minor ? "minor"
                                                 : "none";
}

} // namespace runlens
