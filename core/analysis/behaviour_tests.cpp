// Behavioural test results per perturbation: flips, score changes, direction violations, slices, two models.
#include "core/analysis/behaviour_tests.h"

#include "core/analysis/multiclass_metrics.h"
#include "core/analysis/report_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <unordered_map>

namespace runlens {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// One scored row: the tracked score and the decided class.
struct Scored {
    double score = 0;
    int cls = 0;
};

// Binary outputs hold one score per row; class-score outputs hold `classes` scores per row.
bool binaryShape(const ModelOutputs& m) {
    return m.classes == 0;
}

Scored scoreOf(const ModelOutputs& m, std::size_t row, int trackedClass, double threshold) {
    Scored s;
    if (binaryShape(m)) {
        s.score = m.scores[row];
        s.cls = row < m.predicted.size() ? m.predicted[row] : (s.score >= threshold ? 1 : 0);
        return s;
    }
    const auto rowScores = m.scores.subspan(row * m.classes, m.classes);
    s.cls = row < m.predicted.size() ? m.predicted[row] : argmaxRow(rowScores);
    const int c = trackedClass >= 0 ? trackedClass : s.cls;
    s.score = c >= 0 && c < int(m.classes) ? rowScores[std::size_t(c)] : std::nan("");
    return s;
}

bool validRow(const ModelOutputs& m, std::size_t row) {
    return binaryShape(m) ? row < m.scores.size() : (row + 1) * m.classes <= m.scores.size();
}

struct RowOutcome {
    bool ok = false;
    BehaviourExample example;
    ExpectedDirection expected = ExpectedDirection::None;
};

RowOutcome outcomeOf(const BehaviourTests& t, std::size_t i, const ModelOutputs& perturbed,
                     const ModelOutputs& original, const BehaviourOptions& o) {
    RowOutcome r;
    if (i >= t.originalRow.size() || t.originalRow[i] < 0) return r;
    const auto orig = std::size_t(t.originalRow[i]);
    if (!validRow(perturbed, i) || !validRow(original, orig)) return r;
    const Scored before = scoreOf(original, orig, o.targetClass, o.threshold);
    // The perturbed row's tracked score is that of the same class as the original's.
    const Scored after = scoreOf(perturbed, i, o.targetClass >= 0 ? o.targetClass : before.cls, o.threshold);
    if (!std::isfinite(before.score) || !std::isfinite(after.score)) return r;
    r.ok = true;
    r.expected = i < t.expected.size() ? t.expected[i] : ExpectedDirection::None;
    auto& e = r.example;
    e.row = i;
    e.originalRow = orig;
    e.originalScore = before.score;
    e.perturbedScore = after.score;
    e.change = after.score - before.score;
    e.originalClass = before.cls;
    e.perturbedClass = after.cls;
    e.flipped = before.cls != after.cls;
    e.violated = (r.expected == ExpectedDirection::Up && e.change < -o.tolerance) ||
                 (r.expected == ExpectedDirection::Down && e.change > o.tolerance);
    return r;
}

bool failed(const RowOutcome& r) {
    return (r.expected == ExpectedDirection::Same && r.example.flipped) || r.example.violated;
}

} // namespace

bool parseExpectedDirection(std::string_view text, ExpectedDirection& out) {
    const std::string t = lower(text);
    if (t == "same" || t == "inv" || t == "invariance" || t == "invariant" || t == "equal") {
        out = ExpectedDirection::Same;
    } else if (t == "up" || t == "increase" || t == "higher" || t == "+") {
        out = ExpectedDirection::Up;
    } else if (t == "down" || t == "decrease" || t == "lower" || t == "-") {
        out = ExpectedDirection::Down;
    } else if (t.empty() || t == "none" || t == "any") {
        out = ExpectedDirection::None;
    } else {
        return false;
    }
    return true;
}

std::string_view expectedDirectionName(ExpectedDirection direction) {
    switch (direction) {
    case ExpectedDirection::None:
        return "none";
    case ExpectedDirection::Same:
        return "same";
    case ExpectedDirection::Up:
        return "up";
    case ExpectedDirection::Down:
        return "down";
    }
    return "";
}

OriginalJoin joinOriginals(std::span<const std::string> perturbedOriginalIds,
                           std::span<const std::string> originalIds) {
    OriginalJoin j;
    std::unordered_map<std::string_view, std::size_t> rowOf;
    rowOf.reserve(originalIds.size());
    for (std::size_t i = 0; i < originalIds.size(); ++i)
        if (!rowOf.emplace(originalIds[i], i).second) ++j.duplicateOriginalIds;
    j.originalRow.reserve(perturbedOriginalIds.size());
    for (const auto& id : perturbedOriginalIds) {
        const auto it = rowOf.find(id);
        j.originalRow.push_back(it == rowOf.end() ? -1 : std::ptrdiff_t(it->second));
        j.missing += it == rowOf.end();
    }
    return j;
}

BehaviourReport behaviourReport(const BehaviourTests& tests, const ModelOutputs& perturbed,
                                const ModelOutputs& original, const BehaviourOptions& o) {
    BehaviourReport report;
    std::map<std::string, std::vector<std::size_t>> rowsOf;
    const std::size_t n = tests.perturbation.size();
    report.rows = std::int64_t(n);
    for (std::size_t i = 0; i < n; ++i)
        rowsOf[tests.perturbation[i]].push_back(i);
    for (const auto& [name, rows] : rowsOf) {
        PerturbationResult p;
        p.name = name;
        std::vector<RowOutcome> outcomes;
        std::map<ExpectedDirection, std::int64_t> expectations;
        for (std::size_t i : rows) {
            auto r = outcomeOf(tests, i, perturbed, original, o);
            if (!r.ok) {
                ++p.missingOriginal;
                continue;
            }
            ++expectations[r.expected];
            outcomes.push_back(std::move(r));
        }
        report.missingOriginal += p.missingOriginal;
        p.n = std::int64_t(outcomes.size());
        if (!expectations.empty()) {
            p.expected =
                std::max_element(expectations.begin(), expectations.end(), [](const auto& a, const auto& b) {
                    return a.second < b.second;
                })->first;
            p.mixedExpectations = expectations.size() > 1;
        }
        std::vector<double> changes;
        std::map<std::string, BehaviourSlice> slices;
        for (const auto& r : outcomes) {
            const auto& e = r.example;
            changes.push_back(e.change);
            p.flips += e.flipped;
            p.meanChange += e.change;
            p.meanAbsChange += std::abs(e.change);
            const bool directional =
                r.expected == ExpectedDirection::Up || r.expected == ExpectedDirection::Down;
            p.directional += directional;
            p.violations += e.violated;
            p.tested += directional || r.expected == ExpectedDirection::Same;
            p.failures += failed(r);
            if (e.row < tests.slice.size()) {
                auto& s = slices[tests.slice[e.row]];
                s.slice = tests.slice[e.row];
                ++s.n;
                s.flips += e.flipped;
                s.directional += directional;
                s.violations += e.violated;
            }
        }
        if (p.n > 0) {
            p.meanChange /= double(p.n);
            p.meanAbsChange /= double(p.n);
            std::sort(changes.begin(), changes.end());
            p.q05 = stats::quantileSorted(changes, 0.05);
            p.q25 = stats::quantileSorted(changes, 0.25);
            p.median = stats::quantileSorted(changes, 0.5);
            p.q75 = stats::quantileSorted(changes, 0.75);
            p.q95 = stats::quantileSorted(changes, 0.95);
            p.flipRate = double(p.flips) / double(p.n);
        }
        p.flipCi = stats::wilson(p.flips, p.n, o.alpha);
        p.violationRate = p.directional ? double(p.violations) / double(p.directional) : 0.0;
        p.violationCi = stats::wilson(p.violations, p.directional, o.alpha);
        p.failureRate = p.tested ? double(p.failures) / double(p.tested) : 0.0;
        p.failureCi = stats::wilson(p.failures, p.tested, o.alpha);
        for (auto& [_, s] : slices) {
            s.flipRate = double(s.flips) / double(s.n);
            s.flipCi = stats::wilson(s.flips, s.n, o.alpha);
            s.violationRate = s.directional ? double(s.violations) / double(s.directional) : 0.0;
            s.violationCi = stats::wilson(s.violations, s.directional, o.alpha);
            p.slices.push_back(s);
        }
        // Worst examples: failures first, then by the size of the change.
        std::vector<const RowOutcome*> order;
        for (const auto& r : outcomes)
            order.push_back(&r);
        const std::size_t k = std::min(o.worstK, order.size());
        std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(k), order.end(),
                          [](const RowOutcome* a, const RowOutcome* b) {
                              if (failed(*a) != failed(*b)) return failed(*a);
                              return std::abs(a->example.change) > std::abs(b->example.change);
                          });
        for (std::size_t j = 0; j < k; ++j)
            p.worst.push_back(order[j]->example);
        p.severity = p.failures == 0                        ? BehaviourSeverity::None
                     : p.failureCi.low > o.majorFailureRate ? BehaviourSeverity::Major
                                                            : BehaviourSeverity::Minor;
        const std::string what = p.expected == ExpectedDirection::Same   ? "the prediction should not change"
                                 : p.expected == ExpectedDirection::Up   ? "the score should go up"
                                 : p.expected == ExpectedDirection::Down ? "the score should go down"
                                                                         : "no expectation";
        p.sentence = p.name + " (" + what + ", n = " + std::to_string(p.n) +
                     "): the predicted class flips on " + formatPercent(p.flipRate) + " (" +
                     formatPercent(p.flipCi.low) + " to " + formatPercent(p.flipCi.high) +
                     "), mean score change " + formatNumber(p.meanChange);
        if (p.directional > 0)
            p.sentence += ", wrong direction on " + formatPercent(p.violationRate) + " of " +
                          std::to_string(p.directional);
        p.sentence += p.tested == 0                           ? "."
                      : p.severity == BehaviourSeverity::None ? "; it passes."
                      : p.severity == BehaviourSeverity::Major
                          ? "; it fails on " + formatPercent(p.failureRate) +
                                " of its tests, clearly above " + formatPercent(o.majorFailureRate) + "."
                          : "; it fails on " + formatPercent(p.failureRate) + " of its tests.";
        report.perturbations.push_back(std::move(p));
    }
    std::int64_t failing = 0;
    for (const auto& p : report.perturbations)
        failing += p.severity != BehaviourSeverity::None;
    report.sentence = std::to_string(report.perturbations.size()) + " perturbation(s), " +
                      std::to_string(failing) + " with failures" +
                      (report.missingOriginal ? "; " + std::to_string(report.missingOriginal) +
                                                    " row(s) without their original left out."
                                              : ".");
    return report;
}

stats::Interval pairedDifferenceInterval(std::int64_t both, std::int64_t onlyFirst, std::int64_t onlySecond,
                                         std::int64_t neither, double alpha) {
    const std::int64_t n = both + onlyFirst + onlySecond + neither;
    if (n <= 0) return {std::nan(""), std::nan("")};
    const double p1 = double(both + onlyFirst) / double(n), p2 = double(both + onlySecond) / double(n);
    const auto w1 = stats::wilson(both + onlyFirst, n, alpha),
               w2 = stats::wilson(both + onlySecond, n, alpha);
    const double margins = double(both + onlyFirst) * double(onlySecond + neither) *
                           double(both + onlySecond) * double(onlyFirst + neither);
    const double phi =
        margins > 0
            ? (double(both) * double(neither) - double(onlyFirst) * double(onlySecond)) / std::sqrt(margins)
            : 0.0;
    const double d = p2 - p1;
    const double below =
        std::sqrt(std::max(0.0, (p2 - w2.low) * (p2 - w2.low) - 2 * phi * (p2 - w2.low) * (w1.high - p1) +
                                    (w1.high - p1) * (w1.high - p1)));
    const double above =
        std::sqrt(std::max(0.0, (w2.high - p2) * (w2.high - p2) - 2 * phi * (w2.high - p2) * (p1 - w1.low) +
                                    (p1 - w1.low) * (p1 - w1.low)));
    return {d - below, d + above};
}

std::vector<RobustnessComparison>
compareRobustness(const BehaviourTests& tests, const ModelOutputs& perturbedA, const ModelOutputs& originalA,
                  const ModelOutputs& perturbedB, const ModelOutputs& originalB, const BehaviourOptions& o) {
    std::map<std::string, std::vector<std::size_t>> rowsOf;
    for (std::size_t i = 0; i < tests.perturbation.size(); ++i)
        rowsOf[tests.perturbation[i]].push_back(i);
    std::vector<RobustnessComparison> out;
    for (const auto& [name, rows] : rowsOf) {
        RobustnessComparison c;
        c.perturbation = name;
        std::vector<std::uint8_t> stableA, stableB, rightA, rightB;
        std::int64_t both = 0, onlyA = 0, onlyB = 0, neither = 0;
        for (std::size_t i : rows) {
            const auto a = outcomeOf(tests, i, perturbedA, originalA, o);
            const auto b = outcomeOf(tests, i, perturbedB, originalB, o);
            if (!a.ok || !b.ok) continue;
            ++c.n;
            const bool fa = a.example.flipped, fb = b.example.flipped;
            c.flipsA += fa;
            c.flipsB += fb;
            (fa && fb ? both : fa ? onlyA : fb ? onlyB : neither)++;
            stableA.push_back(!fa);
            stableB.push_back(!fb);
            if (a.expected == ExpectedDirection::Up || a.expected == ExpectedDirection::Down) {
                c.violationsA += a.example.violated;
                c.violationsB += b.example.violated;
                rightA.push_back(!a.example.violated);
                rightB.push_back(!b.example.violated);
            }
        }
        if (c.n > 0) {
            c.flipRateA = double(c.flipsA) / double(c.n);
            c.flipRateB = double(c.flipsB) / double(c.n);
        }
        c.difference = c.flipRateB - c.flipRateA;
        c.differenceCi = pairedDifferenceInterval(both, onlyA, onlyB, neither, o.alpha);
        c.mcnemar = mcnemar(stableA, stableB);
        c.violationMcnemar = mcnemar(rightA, rightB);
        const bool bMore = c.differenceCi.high<0, aMore = c.differenceCi.low> 0;
        c.sentence = name + ": A flips on " + formatPercent(c.flipRateA) + ", B on " +
                     formatPercent(c.flipRateB) + " of the same " + std::to_string(c.n) +
                     " tests (difference " + formatNumber(100 * c.difference) + " points, 95% CI " +
                     formatNumber(100 * c.differenceCi.low) + " to " +
                     formatNumber(100 * c.differenceCi.high) +
                     "; McNemar p = " + formatNumber(c.mcnemar.exactP) + "): " +
                     (bMore   ? "B is more robust."
                      : aMore ? "A is more robust."
                              : "no clear difference.");
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace runlens
