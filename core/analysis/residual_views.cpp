// Residuals, residual histograms, binned residual means and 2-D density grids as numpy computes them.
#include "core/analysis/residual_views.h"

#include "core/analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace runlens {

namespace {

// numpy.linspace(start, stop, count): start + i * step, the last value set to stop.
std::vector<double> linspace(double start, double stop, std::size_t count) {
    std::vector<double> out(count);
    const double step = (stop - start) / double(count - 1);
    for (std::size_t i = 0; i < count; ++i)
        out[i] = start + double(i) * step;
    out.back() = stop;
    return out;
}

// Bin of v among equal-width edges, numpy.histogram's rule: [e_i, e_i+1), the last bin closed; -1 outside.
int equalWidthBin(const std::vector<double>& edges, double v) {
    const int bins = int(edges.size()) - 1;
    if (!(v >= edges.front() && v <= edges.back())) return -1;
    const double scaled = (v - edges.front()) / (edges.back() - edges.front()) * bins;
    int i = std::min(int(scaled), bins - 1);
    // The division can land one bin off next to an edge; the edges decide, as in numpy.
    if (v < edges[std::size_t(i)])
        --i;
    else if (i + 1 < bins && v >= edges[std::size_t(i) + 1])
        ++i;
    return i;
}

int autoBinCount(const std::vector<double>& sorted) {
    const double n = double(sorted.size());
    const double range = sorted.back() - sorted.front();
    if (range == 0) return 1;
    const double sturges = range / (std::log2(n) + 1.0);
    const double iqr = stats::quantileSorted(sorted, 0.75) - stats::quantileSorted(sorted, 0.25);
    const double fd = 2.0 * iqr * std::pow(n, -1.0 / 3.0);
    const double width = fd > 0 ? std::min(fd, sturges) : sturges;
    return std::max(1, int(std::ceil(range / width)));
}

} // namespace

std::vector<double> residuals(std::span<const double> labels, std::span<const double> predictions) {
    const std::size_t n = std::min(labels.size(), predictions.size());
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = labels[i] - predictions[i];
    return out;
}

ResidualHistogram residualHistogram(std::span<const double> values, int bins) {
    ResidualHistogram h;
    std::vector<double> sorted;
    sorted.reserve(values.size());
    for (double v : values)
        if (std::isfinite(v)) sorted.push_back(v);
    if (sorted.empty()) return h;
    std::sort(sorted.begin(), sorted.end());
    h.n = std::int64_t(sorted.size());
    double first = sorted.front(), last = sorted.back();
    if (bins <= 0) bins = autoBinCount(sorted);
    if (first == last) first -= 0.5, last += 0.5; // numpy widens an empty range by 0.5 each side
    h.edges = linspace(first, last, std::size_t(bins) + 1);
    h.counts.assign(std::size_t(bins), 0);
    double sum = 0;
    for (double v : sorted) {
        ++h.counts[std::size_t(equalWidthBin(h.edges, v))];
        sum += v;
    }
    h.mean = sum / double(h.n);
    double ss = 0;
    for (double v : sorted)
        ss += (v - h.mean) * (v - h.mean);
    h.sd = h.n > 1 ? std::sqrt(ss / double(h.n - 1)) : 0.0;
    for (int b = 0; b < bins; ++b) {
        const double lo = h.edges[std::size_t(b)], hi = h.edges[std::size_t(b) + 1];
        const double centre = 0.5 * (lo + hi);
        const double density = h.sd > 0 ? stats::normalPdf((centre - h.mean) / h.sd) / h.sd : 0.0;
        h.centres.push_back(centre);
        h.normalDensity.push_back(density);
        h.expectedCounts.push_back(double(h.n) * (hi - lo) * density);
    }
    return h;
}

std::vector<ResidualBin> binnedResiduals(std::span<const double> x, std::span<const double> r, int bins) {
    std::vector<std::pair<double, double>> rows;
    const std::size_t n = std::min(x.size(), r.size());
    for (std::size_t i = 0; i < n; ++i)
        if (std::isfinite(x[i]) && std::isfinite(r[i])) rows.emplace_back(x[i], r[i]);
    if (rows.empty() || bins <= 0) return {};
    std::sort(rows.begin(), rows.end());
    std::vector<double> xs(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        xs[i] = rows[i].first;
    std::vector<double> edges;
    for (int b = 0; b <= bins; ++b) {
        const double e = stats::quantileSorted(xs, double(b) / bins);
        if (edges.empty() || e > edges.back()) edges.push_back(e);
    }
    if (edges.size() == 1) edges.push_back(edges.front()); // one distinct x: one bin holding every row
    std::vector<ResidualBin> out(edges.size() - 1);
    std::vector<double> sums(out.size(), 0), squares(out.size(), 0), xSums(out.size(), 0);
    // Rows are sorted by x, so each bin is a run: [e_i, e_i+1), the last bin closed (numpy.histogram).
    std::size_t bin = 0;
    std::vector<std::vector<double>> members(out.size());
    for (const auto& [xv, rv] : rows) {
        while (bin + 1 < out.size() && xv >= edges[bin + 1])
            ++bin;
        members[bin].push_back(rv);
        xSums[bin] += xv;
    }
    for (std::size_t b = 0; b < out.size(); ++b) {
        auto& o = out[b];
        o.xLow = edges[b];
        o.xHigh = edges[b + 1];
        o.n = std::int64_t(members[b].size());
        if (o.n == 0) continue;
        double s = 0;
        for (double v : members[b])
            s += v;
        o.mean = s / double(o.n);
        o.xMean = xSums[b] / double(o.n);
        double ss = 0;
        for (double v : members[b])
            ss += (v - o.mean) * (v - o.mean);
        o.sd = o.n > 1 ? std::sqrt(ss / double(o.n - 1)) : 0.0;
        const double half =
            o.n > 1 ? stats::studentTQuantile(0.975, double(o.n - 1)) * o.sd / std::sqrt(double(o.n)) : 0.0;
        o.ciLow = o.mean - half;
        o.ciHigh = o.mean + half;
    }
    return out;
}

Density2D density2D(std::span<const double> x, std::span<const double> y, int nx, int ny,
                    std::optional<DensityRange> range, bool sameRange) {
    Density2D d;
    d.nx = std::max(nx, 1);
    d.ny = std::max(ny, 1);
    const std::size_t n = std::min(x.size(), y.size());
    if (range) {
        d.range = *range;
    } else {
        const double inf = std::numeric_limits<double>::infinity();
        DensityRange r{inf, -inf, inf, -inf};
        for (std::size_t i = 0; i < n; ++i) {
            if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
            r.xMin = std::min(r.xMin, x[i]);
            r.xMax = std::max(r.xMax, x[i]);
            r.yMin = std::min(r.yMin, y[i]);
            r.yMax = std::max(r.yMax, y[i]);
        }
        if (r.xMin > r.xMax) r = {0, 1, 0, 1};
        if (sameRange) {
            r.xMin = r.yMin = std::min(r.xMin, r.yMin);
            r.xMax = r.yMax = std::max(r.xMax, r.yMax);
        }
        // numpy widens an empty range by 0.5 on each side.
        if (r.xMin == r.xMax) r.xMin -= 0.5, r.xMax += 0.5;
        if (r.yMin == r.yMax) r.yMin -= 0.5, r.yMax += 0.5;
        d.range = r;
    }
    const auto xEdges = linspace(d.range.xMin, d.range.xMax, std::size_t(d.nx) + 1);
    const auto yEdges = linspace(d.range.yMin, d.range.yMax, std::size_t(d.ny) + 1);
    d.counts.assign(std::size_t(d.nx) * std::size_t(d.ny), 0);
    for (std::size_t i = 0; i < n; ++i) {
        const int ix = equalWidthBin(xEdges, x[i]), iy = equalWidthBin(yEdges, y[i]);
        if (ix < 0 || iy < 0) {
            ++d.outside;
            continue;
        }
        auto& c = d.counts[std::size_t(ix) * std::size_t(d.ny) + std::size_t(iy)];
        d.maxCount = std::max(d.maxCount, ++c);
    }
    d.outside += std::int64_t(std::max(x.size(), y.size()) - n);
    return d;
}

} // namespace runlens
