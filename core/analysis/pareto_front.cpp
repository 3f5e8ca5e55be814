// Pareto front of quality against costs, domination lists and the cheapest near-best choice.
#include "core/analysis/pareto_front.h"

#include "core/analysis/report_text.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace runlens {

namespace {

// Values turned so that larger is always better.
double goodness(double v, bool higherIsBetter) {
    return higherIsBetter ? v : -v;
}

bool costHigher(const ParetoAxes& axes, std::size_t j) {
    return j < axes.costHigherIsBetter.size() && axes.costHigherIsBetter[j];
}

bool usable(const ParetoPoint& p, std::size_t axesCount) {
    if (!std::isfinite(p.quality) || p.costs.size() < axesCount) return false;
    return std::all_of(p.costs.begin(), p.costs.begin() + std::ptrdiff_t(axesCount),
                       [](double c) { return std::isfinite(c); });
}

std::size_t axisCount(std::span<const ParetoPoint> points, const ParetoAxes& axes) {
    if (!axes.costNames.empty()) return axes.costNames.size();
    std::size_t d = 0;
    for (const auto& p : points)
        d = std::max(d, p.costs.size());
    return d;
}

} // namespace

bool dominates(const ParetoPoint& a, const ParetoPoint& b, const ParetoAxes& axes) {
    const std::size_t d = std::max(a.costs.size(), b.costs.size());
    if (!usable(a, d) || !usable(b, d)) return false;
    const double qa = goodness(a.quality, axes.qualityHigherIsBetter),
                 qb = goodness(b.quality, axes.qualityHigherIsBetter);
    if (qa < qb) return false;
    bool strictly = qa > qb;
    for (std::size_t j = 0; j < d; ++j) {
        const double ca = goodness(a.costs[j], costHigher(axes, j)),
                     cb = goodness(b.costs[j], costHigher(axes, j));
        if (ca < cb) return false;
        strictly = strictly || ca > cb;
    }
    return strictly;
}

ParetoFront paretoFront(std::span<const ParetoPoint> points, const ParetoAxes& axes) {
    ParetoFront f;
    const std::size_t d = axisCount(points, axes);
    f.onFront.assign(points.size(), false);
    std::vector<std::size_t> ok;
    for (std::size_t i = 0; i < points.size(); ++i)
        (usable(points[i], d) ? ok : f.excluded).push_back(i);
    auto cost = [&](std::size_t i) {
        return d == 0 ? 0.0 : goodness(points[i].costs[0], costHigher(axes, 0));
    };
    auto quality = [&](std::size_t i) { return goodness(points[i].quality, axes.qualityHigherIsBetter); };
    if (d <= 1) {
        // Best cost first (then best quality); a point is on the front when its quality beats every point
        // with a cost at least as good, or ties the running best at the same cost and quality.
        std::sort(ok.begin(), ok.end(), [&](std::size_t a, std::size_t b) {
            return cost(a) != cost(b) ? cost(a) > cost(b) : quality(a) > quality(b);
        });
        bool any = false;
        double bestQuality = 0, bestCost = 0;
        for (std::size_t i : ok) {
            const bool tie = any && quality(i) == bestQuality && cost(i) == bestCost;
            if (!any || quality(i) > bestQuality || tie) {
                f.onFront[i] = true;
                f.front.push_back(i);
                if (!any || quality(i) > bestQuality) bestCost = cost(i);
                bestQuality = quality(i);
                any = true;
            }
        }
        return f;
    }
    for (std::size_t i : ok) {
        const bool beaten = std::any_of(ok.begin(), ok.end(),
                                        [&](std::size_t j) { return dominates(points[j], points[i], axes); });
        if (!beaten) f.onFront[i] = true;
    }
    for (std::size_t i : ok)
        if (f.onFront[i]) f.front.push_back(i);
    std::stable_sort(f.front.begin(), f.front.end(),
                     [&](std::size_t a, std::size_t b) { return cost(a) > cost(b); });
    return f;
}

std::vector<std::vector<std::size_t>> dominatedBy(std::span<const ParetoPoint> points,
                                                  const ParetoAxes& axes) {
    std::vector<std::vector<std::size_t>> out(points.size());
    for (std::size_t i = 0; i < points.size(); ++i)
        for (std::size_t j = 0; j < points.size(); ++j)
            if (i != j && dominates(points[j], points[i], axes)) out[i].push_back(j);
    return out;
}

CheapestWithin cheapestWithin(std::span<const ParetoPoint> points, const ParetoAxes& axes, double tolerance,
                              ToleranceKind kind, std::size_t costAxis) {
    CheapestWithin r;
    const bool higherCost = costHigher(axes, costAxis);
    auto quality = [&](std::size_t i) { return goodness(points[i].quality, axes.qualityHigherIsBetter); };
    auto cost = [&](std::size_t i) { return goodness(points[i].costs[costAxis], higherCost); };
    std::vector<std::size_t> ok;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (std::isfinite(points[i].quality) && points[i].costs.size() > costAxis &&
            std::isfinite(points[i].costs[costAxis]))
            ok.push_back(i);
    const std::string costName = costAxis < axes.costNames.size() ? axes.costNames[costAxis] : "cost";
    if (ok.empty()) {
        r.sentence = "No run has both " + axes.qualityName + " and " + costName + ".";
        return r;
    }
    std::size_t best = ok[0];
    for (std::size_t i : ok)
        if (quality(i) > quality(best) || (quality(i) == quality(best) && cost(i) > cost(best))) best = i;
    const double bestQuality = points[best].quality;
    const double allowed = kind == ToleranceKind::Absolute ? tolerance : tolerance * std::abs(bestQuality);
    std::size_t chosen = best;
    for (std::size_t i : ok) {
        const double gap = quality(best) - quality(i);
        if (gap > allowed) continue;
        if (cost(i) > cost(chosen) || (cost(i) == cost(chosen) && quality(i) > quality(chosen))) chosen = i;
    }
    r.found = true;
    r.best = best;
    r.chosen = chosen;
    r.qualityGap = quality(best) - quality(chosen);
    r.costBest = points[best].costs[costAxis];
    r.costChosen = points[chosen].costs[costAxis];
    r.costFactor = higherCost ? (r.costBest != 0 ? r.costChosen / r.costBest : 1.0)
                              : (r.costChosen != 0 ? r.costBest / r.costChosen : 1.0);
    const auto& b = points[best];
    const auto& c = points[chosen];
    const bool intervals = std::isfinite(b.qualityLow) && std::isfinite(b.qualityHigh) &&
                           std::isfinite(c.qualityLow) && std::isfinite(c.qualityHigh);
    r.intervalsOverlap = intervals && c.qualityLow <= b.qualityHigh && b.qualityLow <= c.qualityHigh;
    const std::string within =
        kind == ToleranceKind::Absolute ? formatNumber(tolerance) : formatNumber(100 * tolerance) + "%";
    if (chosen == best) {
        r.sentence = b.name + " has the best " + axes.qualityName + " (" + formatNumber(b.quality) +
                     ") and no run within " + within + " of it has a better " + costName + ".";
        return r;
    }
    r.sentence = c.name + " is the cheapest run within " + within + " of the best " + axes.qualityName +
                 ": " + formatNumber(c.quality) + " against " + formatNumber(b.quality) + " for " + b.name +
                 ", with " + costName + " " + formatNumber(r.costChosen) + " against " +
                 formatNumber(r.costBest) + " (" + formatNumber(r.costFactor) + "x " +
                 (higherCost ? "higher" : "lower") + ")";
    if (intervals)
        r.sentence += r.intervalsOverlap ? "; their intervals overlap, so the gap may be noise."
                                         : "; their intervals do not overlap.";
    else
        r.sentence += ".";
    return r;
}

} // namespace runlens
