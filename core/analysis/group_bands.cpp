// Group curves onto a common grid and compute per-point spread statistics, plus Student t quantiles.
#include "core/analysis/group_bands.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace runlens {

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Continued fraction of the regularised incomplete beta (modified Lentz), valid for x < (a+1)/(a+b+2).
double betaContinuedFraction(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-15;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::abs(d) < tiny) d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 500; ++m) {
        const double dm = m;
        // Even step of the fraction.
        double num = dm * (b - dm) * x / ((a + 2.0 * dm - 1.0) * (a + 2.0 * dm));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = 1.0 / (std::abs(d) < tiny ? tiny : d);
        c = std::abs(c) < tiny ? tiny : c;
        h *= d * c;
        // Odd step.
        num = -(a + dm) * (a + b + dm) * x / ((a + 2.0 * dm) * (a + 2.0 * dm + 1.0));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = 1.0 / (std::abs(d) < tiny ? tiny : d);
        c = std::abs(c) < tiny ? tiny : c;
        const double step = d * c;
        h *= step;
        if (std::abs(step - 1.0) < eps) break;
    }
    return h;
}

// I_x(a, b), the regularised incomplete beta function.
double regularisedBeta(double a, double b, double x) {
    if (x <= 0.0) return 0.0;
    if (x >= 1.0) return 1.0;
    const double logFront =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(logFront);
    // The fraction converges fast only on one side of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
    if (x < (a + 1.0) / (a + b + 2.0)) return front * betaContinuedFraction(a, b, x) / a;
    return 1.0 - front * betaContinuedFraction(b, a, 1.0 - x) / b;
}

// One run reduced to sorted, finite, distinct-x points.
struct CleanRun {
    std::vector<double> x;
    std::vector<double> y;
};

CleanRun cleanRun(const XYPoints& run) {
    const std::size_t n = std::min(run.x.size(), run.y.size());
    std::vector<std::pair<double, double>> pts;
    pts.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(run.x[i]) && std::isfinite(run.y[i])) pts.emplace_back(run.x[i], run.y[i]);
    std::stable_sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    CleanRun out;
    for (std::size_t i = 0; i < pts.size();) {
        std::size_t j = i;
        double sum = 0.0;
        for (; j < pts.size() && pts[j].first == pts[i].first; ++j)
            sum += pts[j].second;
        out.x.push_back(pts[i].first);
        out.y.push_back(sum / static_cast<double>(j - i));
        i = j;
    }
    return out;
}

std::vector<double> buildGrid(const std::vector<CleanRun>& runs, const GroupBandOptions& options,
                              bool& unionGrid) {
    std::vector<double> all;
    std::size_t total = 0;
    std::size_t present = 0;
    double minOfMins = std::numeric_limits<double>::infinity(), maxOfMins = -minOfMins;
    double minOfMaxes = minOfMins, maxOfMaxes = -minOfMins;
    for (const CleanRun& r : runs) {
        if (r.x.empty()) continue;
        ++present;
        total += r.x.size();
        minOfMins = std::min(minOfMins, r.x.front());
        maxOfMins = std::max(maxOfMins, r.x.front());
        minOfMaxes = std::min(minOfMaxes, r.x.back());
        maxOfMaxes = std::max(maxOfMaxes, r.x.back());
    }
    all.reserve(total);
    for (const CleanRun& r : runs)
        all.insert(all.end(), r.x.begin(), r.x.end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    const double agreement =
        static_cast<double>(total) / (static_cast<double>(present) * static_cast<double>(all.size()));
    if (agreement >= options.agreement && all.size() <= options.maxUnionPoints) {
        unionGrid = true;
        return all;
    }
    unionGrid = false;
    // Even grid over the overlap; runs that do not overlap at all fall back to the whole covered range.
    double lo = maxOfMins, hi = minOfMaxes;
    if (lo > hi) {
        lo = minOfMins;
        hi = maxOfMaxes;
    }
    const std::size_t n = lo == hi ? 1 : std::max<std::size_t>(options.gridPoints, 2);
    std::vector<double> grid(n);
    for (std::size_t i = 0; i < n; ++i)
        grid[i] = n == 1 ? lo : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1);
    if (n > 1) grid.back() = hi; // exact end point despite rounding
    return grid;
}

// Value of a run at gx by linear interpolation; `cursor` advances monotonically as gx increases.
double interpolateAt(const CleanRun& r, double gx, std::size_t& cursor) {
    if (r.x.empty() || gx < r.x.front() || gx > r.x.back()) return kNan;
    while (cursor + 1 < r.x.size() && r.x[cursor + 1] <= gx)
        ++cursor;
    if (r.x[cursor] == gx || cursor + 1 >= r.x.size()) return r.y[cursor];
    const double t = (gx - r.x[cursor]) / (r.x[cursor + 1] - r.x[cursor]);
    return r.y[cursor] + t * (r.y[cursor + 1] - r.y[cursor]);
}

double medianOf(std::vector<double>& v) {
    const std::size_t n = v.size();
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(v.begin(), mid, v.end());
    if (n % 2 == 1) return *mid;
    const double upper = *mid;
    const double lower = *std::max_element(v.begin(), mid);
    return 0.5 * (lower + upper);
}

void appendStats(GroupBands& out, std::vector<double>& values, std::vector<double>& tCache) {
    const std::size_t n = values.size();
    out.count.push_back(static_cast<int>(n));
    if (n == 0) {
        for (auto* v :
             {&out.mean, &out.median, &out.min, &out.max, &out.std, &out.stdErr, &out.ciLow, &out.ciHigh})
            v->push_back(kNan);
        return;
    }
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(n);
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    out.mean.push_back(mean);
    out.min.push_back(*mn);
    out.max.push_back(*mx);
    double ss = 0.0;
    for (double v : values)
        ss += (v - mean) * (v - mean);
    const double sd = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : kNan;
    const double se = sd / std::sqrt(static_cast<double>(n));
    if (tCache.size() <= n) tCache.resize(n + 1, kNan);
    if (n > 1 && std::isnan(tCache[n])) tCache[n] = studentTQuantile(0.975, static_cast<double>(n - 1));
    const double half = n > 1 ? tCache[n] * se : kNan;
    out.std.push_back(sd);
    out.stdErr.push_back(se);
    out.ciLow.push_back(mean - half);
    out.ciHigh.push_back(mean + half);
    out.median.push_back(medianOf(values));
}

} // namespace

double studentTCdf(double t, double dof) {
    if (std::isnan(t) || !(dof > 0.0)) return kNan;
    if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
    const double tail = 0.5 * regularisedBeta(0.5 * dof, 0.5, dof / (dof + t * t));
    return t > 0 ? 1.0 - tail : tail;
}

double studentTQuantile(double p, double dof) {
    if (!(p > 0.0 && p < 1.0) || !(dof > 0.0)) return kNan;
    if (p == 0.5) return 0.0;
    if (p < 0.5) return -studentTQuantile(1.0 - p, dof);
    double lo = 0.0;
    double hi = 1.0;
    while (studentTCdf(hi, dof) < p && hi < 1e300)
        hi *= 2.0;
    for (int i = 0; i < 2000 && hi - lo > 1e-12 * std::max(1.0, hi); ++i) {
        const double mid = 0.5 * (lo + hi);
        (studentTCdf(mid, dof) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

GroupBands computeGroupBands(std::span<const XYPoints> runs, const GroupBandOptions& options) {
    GroupBands out;
    std::vector<CleanRun> clean;
    clean.reserve(runs.size());
    bool anyPoint = false;
    for (const XYPoints& r : runs) {
        clean.push_back(cleanRun(r));
        anyPoint = anyPoint || !clean.back().x.empty();
    }
    if (!anyPoint) {
        out.error = runs.empty() ? "no runs to group" : "no run has a finite point to group";
        return out;
    }
    out.x = buildGrid(clean, options, out.unionGrid);
    std::vector<std::size_t> cursors(clean.size(), 0);
    std::vector<double> values;
    values.reserve(clean.size());
    std::vector<double> tCache;
    for (double gx : out.x) {
        values.clear();
        for (std::size_t r = 0; r < clean.size(); ++r) {
            const double v = interpolateAt(clean[r], gx, cursors[r]);
            if (!std::isnan(v)) values.push_back(v);
        }
        appendStats(out, values, tCache);
    }
    return out;
}

BandLines selectBand(const GroupBands& bands, CenterKind center, BandKind band) {
    BandLines lines;
    lines.x = bands.x;
    lines.center = center == CenterKind::Mean ? bands.mean : bands.median;
    switch (band) {
    case BandKind::MinMax:
        lines.lower = bands.min;
        lines.upper = bands.max;
        return lines;
    case BandKind::CI95:
        lines.lower = bands.ciLow;
        lines.upper = bands.ciHigh;
        return lines;
    case BandKind::Std:
    case BandKind::StdErr:
        break;
    }
    const std::vector<double>& spread = band == BandKind::Std ? bands.std : bands.stdErr;
    lines.lower.resize(bands.size());
    lines.upper.resize(bands.size());
    for (std::size_t i = 0; i < bands.size(); ++i) {
        lines.lower[i] = bands.mean[i] - spread[i];
        lines.upper[i] = bands.mean[i] + spread[i];
    }
    return lines;
}

} // namespace runlens
