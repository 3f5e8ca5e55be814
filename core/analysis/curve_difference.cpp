// Curve differences and metric-against-metric pairing for the Compare tab's curves page.
#include "core/analysis/curve_difference.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>
#include <vector>

namespace runlens {

XYPoints tidyCurve(const XYPoints& p) {
    std::vector<std::pair<double, double>> pts;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (std::isfinite(p.x[i]) && std::isfinite(p.y[i])) pts.emplace_back(p.x[i], p.y[i]);
    std::stable_sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    XYPoints out;
    for (std::size_t i = 0; i < pts.size();) {
        std::size_t j = i;
        double sum = 0;
        while (j < pts.size() && pts[j].first == pts[i].first)
            sum += pts[j++].second;
        out.x.push_back(pts[i].first);
        out.y.push_back(sum / static_cast<double>(j - i));
        i = j;
    }
    return out;
}

double interpolateCurve(const XYPoints& p, double x) {
    const auto it = std::lower_bound(p.x.begin(), p.x.end(), x);
    const auto i = static_cast<std::size_t>(it - p.x.begin());
    if (i < p.size() && p.x[i] == x) return p.y[i];
    if (i == 0 || i >= p.size()) return std::numeric_limits<double>::quiet_NaN();
    const double t = (x - p.x[i - 1]) / (p.x[i] - p.x[i - 1]);
    return p.y[i - 1] + t * (p.y[i] - p.y[i - 1]);
}

XYPoints differenceOnGrid(const XYPoints& rawA, const XYPoints& rawB) {
    const XYPoints a = tidyCurve(rawA), b = tidyCurve(rawB);
    XYPoints out;
    if (a.size() < 1 || b.size() < 1) return out;
    const double lo = std::max(a.x.front(), b.x.front()), hi = std::min(a.x.back(), b.x.back());
    if (lo > hi) return out;
    std::vector<double> grid;
    for (const XYPoints* p : {&a, &b})
        for (double x : p->x)
            if (x >= lo && x <= hi) grid.push_back(x);
    std::sort(grid.begin(), grid.end());
    grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
    if (grid.size() > kMaxUnionGrid) {
        grid.clear();
        for (std::size_t i = 0; i < kEvenGrid; ++i)
            grid.push_back(lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(kEvenGrid - 1));
    }
    for (double x : grid) {
        const double ya = interpolateCurve(a, x), yb = interpolateCurve(b, x);
        if (std::isnan(ya) || std::isnan(yb)) continue;
        out.x.push_back(x);
        out.y.push_back(yb - ya);
    }
    return out;
}

XYPoints pairByStep(const SeriesData& x, const SeriesData& y) {
    std::map<std::int64_t, double> byStep;
    for (std::size_t i = 0; i < x.size(); ++i)
        byStep[x.steps[i]] = x.values[i];
    XYPoints out;
    for (std::size_t i = 0; i < y.size(); ++i) {
        const auto it = byStep.find(y.steps[i]);
        if (it == byStep.end()) continue;
        out.x.push_back(it->second);
        out.y.push_back(y.values[i]);
    }
    return out;
}

XYPoints againstStep(const SeriesData& y) {
    XYPoints out;
    out.x.reserve(y.size());
    out.y = y.values;
    for (std::size_t i = 0; i < y.size(); ++i)
        out.x.push_back(static_cast<double>(y.steps[i]));
    return out;
}

XYPoints strideCurve(const XYPoints& p, std::size_t maxPoints) {
    if (p.size() <= maxPoints || maxPoints == 0) return p;
    XYPoints out;
    const double stride = static_cast<double>(p.size()) / static_cast<double>(maxPoints);
    for (std::size_t k = 0; k < maxPoints; ++k) {
        const auto i = static_cast<std::size_t>(static_cast<double>(k) * stride);
        out.x.push_back(p.x[i]);
        out.y.push_back(p.y[i]);
    }
    out.x.push_back(p.x.back());
    out.y.push_back(p.y.back());
    return out;
}

} // namespace runlens
