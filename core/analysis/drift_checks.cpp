// Drift, trend, label-shift and leakage checks: the numbers scipy would give, then a severity and a sentence.
#include "core/analysis/drift_checks.h"

#include "core/analysis/binary_metrics.h"
#include "core/analysis/report_text.h"
#include "core/analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace runlens {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> finiteSorted(std::span<const double> values) {
    std::vector<double> out;
    out.reserve(values.size());
    for (double v : values)
        if (std::isfinite(v)) out.push_back(v);
    std::sort(out.begin(), out.end());
    return out;
}

double psiTerm(double r, double c, double epsilon) {
    r = std::max(r, epsilon);
    c = std::max(c, epsilon);
    return (c - r) * std::log(c / r);
}

DriftSeverity severityOf(double psi, double pAdjusted, const DriftOptions& o) {
    const bool significant = pAdjusted < o.alpha;
    if (psi >= o.psiMajor) return significant ? DriftSeverity::Major : DriftSeverity::Minor;
    if (psi >= o.psiMinor && significant) return DriftSeverity::Minor;
    return DriftSeverity::None;
}

// The counts of each category (sorted by name) in the two samples.
std::map<std::string, std::pair<std::int64_t, std::int64_t>> categoryCounts(std::span<const std::string> a,
                                                                            std::span<const std::string> b) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> counts;
    for (const auto& v : a)
        ++counts[v].first;
    for (const auto& v : b)
        ++counts[v].second;
    return counts;
}

std::string pValueText(double p) {
    return p < 1e-4 ? "< 0.0001" : "= " + formatNumber(p);
}

void describe(FeatureDrift& f, const DriftFeatureInput& in) {
    const std::string level = f.severity == DriftSeverity::Major   ? "major drift"
                              : f.severity == DriftSeverity::Minor ? "minor drift"
                                                                   : "no meaningful drift";
    f.sentence = f.feature + ": " + level + " (PSI " + formatNumber(f.psi.psi) + ", " +
                 (f.numeric ? "KS" : "chi-square") + " p " + pValueText(f.pAdjusted) + " after BH)";
    if (f.numeric) {
        const double mr = stats::median(finiteSorted(in.referenceNumbers));
        const double mc = stats::median(finiteSorted(in.currentNumbers));
        f.sentence += "; median " + formatNumber(mr) + " in the reference, " + formatNumber(mc) + " now.";
        return;
    }
    // The category whose share moved most.
    double best = -1;
    std::string which;
    double from = 0, to = 0;
    for (const auto& bin : f.psi.bins) {
        const double move = std::abs(bin.currentShare - bin.referenceShare);
        if (move > best) best = move, which = bin.label, from = bin.referenceShare, to = bin.currentShare;
    }
    f.sentence += "; '" + which + "' moved most, " + formatPercent(from) + " -> " + formatPercent(to) + ".";
}

} // namespace

std::string_view driftSeverityName(DriftSeverity severity) {
    switch (severity) {
    case DriftSeverity::None:
        return "none";
    case DriftSeverity::Minor:
        return "minor";
    case DriftSeverity::Major:
        return "major";
    }
    return "";
}

PsiResult numericPsi(std::span<const double> reference, std::span<const double> current, int bins,
                     double epsilon) {
    PsiResult out;
    const auto ref = finiteSorted(reference), cur = finiteSorted(current);
    if (ref.empty() || cur.empty() || bins < 1) return out;
    std::vector<double> inner; // edges 1..B-1, repeats merged
    double previous = stats::quantileSorted(ref, 0.0);
    for (int b = 1; b < bins; ++b) {
        const double e = stats::quantileSorted(ref, double(b) / bins);
        if (e > previous && (inner.empty() || e > inner.back())) inner.push_back(e);
    }
    if (!inner.empty() && inner.back() >= stats::quantileSorted(ref, 1.0)) inner.pop_back();
    const std::size_t count = inner.size() + 1;
    std::vector<std::int64_t> r(count, 0), c(count, 0);
    auto binOf = [&](double v) {
        return std::size_t(std::lower_bound(inner.begin(), inner.end(), v) - inner.begin());
    };
    for (double v : ref)
        ++r[binOf(v)];
    for (double v : cur)
        ++c[binOf(v)];
    for (std::size_t b = 0; b < count; ++b) {
        PsiBin bin;
        bin.label = "(" + (b == 0 ? std::string("-inf") : formatNumber(inner[b - 1])) + ", " +
                    (b + 1 == count ? std::string("+inf)") : formatNumber(inner[b]) + "]");
        bin.reference = r[b];
        bin.current = c[b];
        bin.referenceShare = double(r[b]) / double(ref.size());
        bin.currentShare = double(c[b]) / double(cur.size());
        out.psi += psiTerm(bin.referenceShare, bin.currentShare, epsilon);
        out.bins.push_back(std::move(bin));
    }
    return out;
}

PsiResult categoricalPsi(std::span<const std::string> reference, std::span<const std::string> current,
                         double epsilon) {
    PsiResult out;
    if (reference.empty() || current.empty()) return out;
    for (const auto& [name, counts] : categoryCounts(reference, current)) {
        PsiBin bin;
        bin.label = name;
        bin.reference = counts.first;
        bin.current = counts.second;
        bin.referenceShare = double(counts.first) / double(reference.size());
        bin.currentShare = double(counts.second) / double(current.size());
        out.psi += psiTerm(bin.referenceShare, bin.currentShare, epsilon);
        out.bins.push_back(std::move(bin));
    }
    return out;
}

ChiSquareResult chiSquareContingency(std::span<const std::int64_t> observed, std::size_t rows,
                                     std::size_t cols) {
    ChiSquareResult r;
    if (rows == 0 || cols == 0 || observed.size() < rows * cols) {
        r.error = "empty table";
        r.statistic = r.p = kNaN;
        return r;
    }
    std::vector<double> rowSum(rows, 0), colSum(cols, 0);
    double total = 0;
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            const auto v = double(observed[i * cols + j]);
            rowSum[i] += v;
            colSum[j] += v;
            total += v;
        }
    r.expected.resize(rows * cols);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            r.expected[i * cols + j] = rowSum[i] * colSum[j] / total;
            if (!(r.expected[i * cols + j] > 0)) {
                r.error = "a row or column of the table is empty, so an expected count is 0";
                r.statistic = r.p = kNaN;
                return r;
            }
        }
    r.dof = int(rows * cols) - int(rows + cols) + 1;
    if (r.dof == 0) return r; // statistic 0, p 1, as scipy
    r.yates = r.dof == 1;
    for (std::size_t i = 0; i < rows * cols; ++i) {
        double o = double(observed[i]);
        const double e = r.expected[i];
        if (r.yates) o += std::copysign(std::min(0.5, std::abs(e - o)), e - o);
        r.statistic += (o - e) * (o - e) / e;
    }
    r.p = stats::chiSquareSf(r.statistic, double(r.dof));
    return r;
}

DriftReport driftChecks(std::span<const DriftFeatureInput> features, const DriftOptions& options) {
    DriftReport report;
    std::vector<double> pValues;
    for (const auto& in : features) {
        FeatureDrift f;
        f.feature = in.name;
        f.numeric = in.numeric;
        if (in.numeric) {
            f.psi = numericPsi(in.referenceNumbers, in.currentNumbers, options.bins, options.epsilon);
            f.ks = twoSampleKs(in.referenceNumbers, in.currentNumbers);
            f.test = "ks";
            f.nReference = f.ks.n1;
            f.nCurrent = f.ks.n2;
            f.p = std::isnan(f.ks.p) ? 1.0 : f.ks.p;
        } else {
            f.psi = categoricalPsi(in.referenceCategories, in.currentCategories, options.epsilon);
            std::vector<std::int64_t> table;
            for (const auto& bin : f.psi.bins)
                table.push_back(bin.reference);
            for (const auto& bin : f.psi.bins)
                table.push_back(bin.current);
            f.chi2 = chiSquareContingency(table, 2, f.psi.bins.size());
            f.test = "chi2";
            f.nReference = std::int64_t(in.referenceCategories.size());
            f.nCurrent = std::int64_t(in.currentCategories.size());
            f.p = std::isnan(f.chi2.p) ? 1.0 : f.chi2.p;
        }
        pValues.push_back(f.p);
        report.features.push_back(std::move(f));
    }
    const auto adjusted = stats::benjaminiHochberg(pValues);
    for (std::size_t i = 0; i < report.features.size(); ++i) {
        auto& f = report.features[i];
        f.pAdjusted = adjusted[i];
        f.severity = severityOf(f.psi.psi, f.pAdjusted, options);
        report.major += f.severity == DriftSeverity::Major;
        report.minor += f.severity == DriftSeverity::Minor;
        describe(f, features[i]);
    }
    report.sentence =
        std::to_string(report.features.size()) + " feature(s) checked: " + std::to_string(report.major) +
        " with major drift, " + std::to_string(report.minor) +
        " with minor drift (PSI >= " + formatNumber(options.psiMinor) + " / " +
        formatNumber(options.psiMajor) + " and BH-adjusted p < " + formatNumber(options.alpha) + ").";
    return report;
}

LinearTrend linearRegression(std::span<const double> x, std::span<const double> y) {
    LinearTrend t;
    const std::size_t n = std::min(x.size(), y.size());
    t.n = std::int64_t(n);
    if (n < 2) {
        t.slope = t.intercept = t.r = t.p = t.slopeStderr = kNaN;
        return t;
    }
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i)
        mx += x[i], my += y[i];
    mx /= double(n);
    my /= double(n);
    double sxx = 0, sxy = 0, syy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0) { // scipy raises: all x identical
        t.slope = t.intercept = t.r = t.p = t.slopeStderr = kNaN;
        return t;
    }
    t.r = syy == 0 ? 0.0 : std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
    t.slope = sxy / sxx;
    t.intercept = my - t.slope * mx;
    if (n == 2) {
        t.p = y[0] == y[1] ? 1.0 : 0.0;
        t.slopeStderr = 0;
        return t;
    }
    const double df = double(n) - 2, tiny = 1e-20;
    const double tStat = t.r * std::sqrt(df / ((1.0 - t.r + tiny) * (1.0 + t.r + tiny)));
    t.p = stats::studentTTwoSided(tStat, df);
    t.slopeStderr = std::sqrt((1 - t.r * t.r) * syy / sxx / df);
    return t;
}

PerformanceTrend performanceTrend(std::span<const double> x, std::span<const double> outcome,
                                  std::string_view metricName, const TrendOptions& options) {
    PerformanceTrend out;
    std::vector<std::pair<double, double>> rows;
    const std::size_t n = std::min(x.size(), outcome.size());
    bool binary = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(outcome[i])) continue;
        rows.emplace_back(x[i], outcome[i]);
        binary = binary && (outcome[i] == 0 || outcome[i] == 1);
    }
    out.proportion = binary;
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<double> xs(rows.size()), ys(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        xs[i] = rows[i].first, ys[i] = rows[i].second;
    out.fit = linearRegression(xs, ys);
    if (rows.size() < 3 || std::isnan(out.fit.slope)) {
        out.sentence = "Too few rows (or a single time) to test a trend in " + std::string(metricName) + ".";
        return out;
    }
    out.mean = std::accumulate(ys.begin(), ys.end(), 0.0) / double(ys.size());
    out.changeOverRange = out.fit.slope * (xs.back() - xs.front());
    // Equal-count windows in x order.
    const int windows = std::max(1, std::min<int>(options.windows, int(rows.size())));
    for (int w = 0; w < windows; ++w) {
        const std::size_t from = rows.size() * std::size_t(w) / std::size_t(windows);
        const std::size_t to = rows.size() * std::size_t(w + 1) / std::size_t(windows);
        TrendWindow tw;
        tw.xLow = xs[from];
        tw.xHigh = xs[to - 1];
        tw.n = std::int64_t(to - from);
        double s = 0;
        for (std::size_t i = from; i < to; ++i)
            s += ys[i];
        tw.mean = s / double(tw.n);
        if (binary) {
            const auto ci = stats::wilson(std::int64_t(std::llround(s)), tw.n, options.alpha);
            tw.ciLow = ci.low, tw.ciHigh = ci.high;
        } else {
            double ss = 0;
            for (std::size_t i = from; i < to; ++i)
                ss += (ys[i] - tw.mean) * (ys[i] - tw.mean);
            const double half = tw.n > 1 ? stats::studentTQuantile(1 - options.alpha / 2, double(tw.n - 1)) *
                                               std::sqrt(ss / double(tw.n - 1) / double(tw.n))
                                         : 0.0;
            tw.ciLow = tw.mean - half, tw.ciHigh = tw.mean + half;
        }
        out.windows.push_back(tw);
    }
    const double size = binary ? std::abs(out.changeOverRange)
                               : (out.mean != 0 ? std::abs(out.changeOverRange / out.mean) : 0.0);
    const double minor = binary ? options.minorChange : options.minorRelativeChange;
    const double major = binary ? options.majorChange : options.majorRelativeChange;
    const bool significant = out.fit.p < options.alpha;
    out.severity = !significant    ? DriftSeverity::None
                   : size >= major ? DriftSeverity::Major
                   : size >= minor ? DriftSeverity::Minor
                                   : DriftSeverity::None;
    const std::string name(metricName);
    const std::string change =
        binary ? formatNumber(100 * std::abs(out.changeOverRange)) + " points"
               : formatNumber(std::abs(out.changeOverRange)) + " (" + formatPercent(size) + " of its mean)";
    if (!significant) {
        out.sentence = "No trend in " + name + " over the range (slope p = " + formatNumber(out.fit.p) + ").";
    } else {
        out.sentence = name + (out.changeOverRange < 0 ? " falls" : " rises") + " by " + change +
                       " from the first to the last row (slope p " + pValueText(out.fit.p) + ")" +
                       (out.severity == DriftSeverity::None    ? ", a change too small to matter."
                        : out.severity == DriftSeverity::Minor ? ": a minor trend."
                                                               : ": a major trend; evaluate on recent data.");
    }
    return out;
}

LabelShift labelShift(std::span<const std::string> setNames,
                      std::span<const std::vector<std::int64_t>> counts,
                      std::span<const std::string> classNames, const DriftOptions& options) {
    LabelShift out;
    out.sets.assign(setNames.begin(), setNames.end());
    std::size_t classes = 0;
    for (const auto& c : counts)
        classes = std::max(classes, c.size());
    if (counts.size() < 2 || classes == 0) {
        out.sentence = "Label shift needs at least two sets with labels.";
        return out;
    }
    std::vector<std::int64_t> table;
    for (const auto& c : counts) {
        double total = std::accumulate(c.begin(), c.end(), 0.0);
        std::vector<double> prior(classes, 0.0);
        for (std::size_t k = 0; k < c.size(); ++k) {
            prior[k] = total > 0 ? double(c[k]) / total : 0.0;
            table.push_back(c[k]);
        }
        for (std::size_t k = c.size(); k < classes; ++k)
            table.push_back(0);
        out.priors.push_back(std::move(prior));
    }
    // Classes absent from every set would make the table degenerate: drop those columns.
    std::vector<std::size_t> used;
    for (std::size_t k = 0; k < classes; ++k) {
        std::int64_t s = 0;
        for (std::size_t r = 0; r < counts.size(); ++r)
            s += table[r * classes + k];
        if (s > 0) used.push_back(k);
    }
    std::vector<std::int64_t> compact;
    for (std::size_t r = 0; r < counts.size(); ++r)
        for (auto k : used)
            compact.push_back(table[r * classes + k]);
    out.chi2 = chiSquareContingency(compact, counts.size(), used.size());
    double worst = 0;
    std::size_t worstSet = 1;
    for (std::size_t s = 0; s < out.priors.size(); ++s) {
        double psi = 0;
        for (std::size_t k = 0; k < classes; ++k)
            psi += psiTerm(out.priors[0][k], out.priors[s][k], options.epsilon);
        out.psiFromFirst.push_back(psi);
        if (psi > worst) worst = psi, worstSet = s;
    }
    const double p = std::isnan(out.chi2.p) ? 1.0 : out.chi2.p;
    out.severity = severityOf(worst, p, options);
    // The class whose prior moved most between the first set and the most shifted one.
    std::size_t cls = 0;
    double move = -1;
    for (std::size_t k = 0; k < classes; ++k)
        if (std::abs(out.priors[worstSet][k] - out.priors[0][k]) > move)
            move = std::abs(out.priors[worstSet][k] - out.priors[0][k]), cls = k;
    const std::string className = cls < classNames.size() ? classNames[cls] : "class " + std::to_string(cls);
    const std::string setName =
        worstSet < setNames.size() ? setNames[worstSet] : "set " + std::to_string(worstSet);
    const std::string firstName = !setNames.empty() ? setNames[0] : "set 0";
    out.sentence = std::string(out.severity == DriftSeverity::Major   ? "Major label shift"
                               : out.severity == DriftSeverity::Minor ? "Minor label shift"
                                                                      : "No meaningful label shift") +
                   " (largest PSI " + formatNumber(worst) + ", chi-square p " + pValueText(p) +
                   "): " + className + " is " + formatPercent(out.priors[0][cls]) + " of " + firstName +
                   " and " + formatPercent(out.priors[worstSet][cls]) + " of " + setName + ".";
    return out;
}

namespace {

// Leave-one-out majority accuracy of predicting the label from a grouping of the rows.
void purityOf(const std::vector<std::vector<std::int64_t>>& groupCounts, std::size_t classes, std::int64_t n,
              LeakageHint& hint, const std::vector<std::int64_t>& classTotals) {
    double correct = 0;
    for (const auto& g : groupCounts) {
        for (std::size_t c = 0; c < classes; ++c) {
            if (g[c] == 0) continue;
            // A row of class c: the other rows of its group hold g[c] - 1 of class c; it is predicted right
            // when that beats every other class (a tie counts half of its rows).
            std::int64_t best = 0, ties = 0;
            for (std::size_t o = 0; o < classes; ++o)
                if (o != c) {
                    if (g[o] > best)
                        best = g[o], ties = 1;
                    else if (g[o] == best)
                        ++ties;
                }
            const std::int64_t own = g[c] - 1;
            if (own > best)
                correct += double(g[c]);
            else if (own == best && own > 0)
                correct += double(g[c]) / double(ties + 1);
        }
    }
    hint.purity = n > 0 ? correct / double(n) : 0.0;
    hint.majorityShare =
        n > 0 ? double(*std::max_element(classTotals.begin(), classTotals.end())) / double(n) : 0.0;
}

bool purityIsSuspicious(const LeakageHint& h, double threshold) {
    return h.purity >= threshold && (1 - h.purity) <= 0.5 * (1 - h.majorityShare);
}

} // namespace

LeakageHint categoricalLeakage(std::string name, std::span<const std::string> values,
                               std::span<const int> labels, std::size_t classes, double purityThreshold) {
    LeakageHint h;
    h.feature = std::move(name);
    h.numeric = false;
    std::map<std::string, std::vector<std::int64_t>> groups;
    std::vector<std::int64_t> totals(std::max<std::size_t>(classes, 1), 0);
    std::int64_t n = 0;
    const std::size_t rows = std::min(values.size(), labels.size());
    for (std::size_t i = 0; i < rows; ++i) {
        if (labels[i] < 0 || labels[i] >= int(classes)) continue;
        auto& g = groups[values[i]];
        g.resize(classes, 0);
        ++g[std::size_t(labels[i])];
        ++totals[std::size_t(labels[i])];
        ++n;
    }
    std::vector<std::vector<std::int64_t>> counts;
    for (auto& [_, g] : groups)
        counts.push_back(std::move(g));
    purityOf(counts, classes, n, h, totals);
    h.suspicious = n > 0 && purityIsSuspicious(h, purityThreshold);
    h.sentence = h.feature +
                 (h.suspicious ? ": possible leakage, its value alone predicts the label for "
                               : ": its value alone predicts the label for ") +
                 formatPercent(h.purity) + " of the rows (leave-one-out; the majority class alone gets " +
                 formatPercent(h.majorityShare) + ")" + (h.suspicious ? "; check how it was computed." : ".");
    return h;
}

LeakageHint numericLeakage(std::string name, std::span<const double> values, std::span<const int> labels,
                           std::size_t classes, double aucThreshold, double purityThreshold) {
    LeakageHint h;
    h.feature = std::move(name);
    std::vector<double> v;
    std::vector<int> y;
    const std::size_t rows = std::min(values.size(), labels.size());
    for (std::size_t i = 0; i < rows; ++i)
        if (std::isfinite(values[i]) && labels[i] >= 0 && labels[i] < int(classes)) {
            v.push_back(values[i]);
            y.push_back(labels[i]);
        }
    if (classes == 2) {
        const double auc = rocAuc(y, v);
        h.auc = std::isnan(auc) ? kNaN : std::max(auc, 1 - auc);
        h.suspicious = h.auc >= aucThreshold;
        h.sentence = h.feature +
                     (h.suspicious ? ": possible leakage, alone it separates the classes with AUC "
                                   : ": alone it separates the classes with AUC ") +
                     formatNumber(h.auc) + (h.suspicious ? "; check how it was computed." : ".");
        return h;
    }
    // More than two classes: 20 quantile bins, then purity as for a category.
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> inner;
    for (int b = 1; b < 20 && !sorted.empty(); ++b) {
        const double e = stats::quantileSorted(sorted, b / 20.0);
        if (inner.empty() || e > inner.back()) inner.push_back(e);
    }
    std::vector<std::string> bins(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        bins[i] = std::to_string(std::lower_bound(inner.begin(), inner.end(), v[i]) - inner.begin());
    auto binned = categoricalLeakage(h.feature, bins, y, classes, purityThreshold);
    binned.numeric = true;
    return binned;
}

} // namespace runlens
