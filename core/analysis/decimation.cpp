// Min/max-per-pixel-column decimation: binary search finds each column's slice, a tight loop reduces it.
#include "core/analysis/decimation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace runlens {

namespace {

// Maps x to a pixel column; monotonic in x, so it can drive both the column loop and its binary search.
struct ColumnMap {
    double x0 = 0.0;
    double scale = 0.0; // columns per x unit; 0 when the view has zero width (everything in column 0)
    std::ptrdiff_t lastColumn = 0;

    std::ptrdiff_t operator()(double x) const {
        const double c = (x - x0) * scale;
        if (!(c > 0.0)) return 0;
        if (c >= static_cast<double>(lastColumn)) return lastColumn;
        return static_cast<std::ptrdiff_t>(c);
    }
};

// The end of the column that starts at `begin`: the first index in (begin, stop] whose column is later (x
// sorted). `guess` is checked first (where the previous column's length says this one ends: two probes when
// points are evenly spaced); otherwise doubling steps from `begin` bracket the end and a binary search runs
// over that bracket only, since columns hold tens of points, not the rest of the series.
std::size_t columnEnd(std::span<const double> x, const ColumnMap& columnOf, std::size_t begin,
                      std::size_t stop, std::ptrdiff_t column, std::size_t guess) {
    if (guess > begin && guess <= stop && columnOf(x[guess - 1]) <= column &&
        (guess == stop || columnOf(x[guess]) > column))
        return guess;
    std::size_t known = begin; // last index known to lie in the column
    std::size_t step = 1;
    std::size_t probe = begin + 1;
    while (probe < stop && columnOf(x[probe]) <= column) {
        known = probe;
        step *= 2;
        probe = begin + step;
    }
    const std::size_t hi = std::min(probe, stop); // the end lies in (known, hi]
    return static_cast<std::size_t>(std::partition_point(x.begin() + static_cast<std::ptrdiff_t>(known + 1),
                                                         x.begin() + static_cast<std::ptrdiff_t>(hi),
                                                         [&](double v) { return columnOf(v) <= column; }) -
                                    x.begin());
}

// Min and max over the non-NaN values of a block (min > max when there is none) and whether it holds a NaN.
struct BlockExtremes {
    double min;
    double max;
    bool hasNaN;
};

#if defined(__SSE2__)
// SSE2 by hand because GCC will not vectorise a NaN-aware min/max reduction without -ffast-math.
// _mm_min_pd(v, lo) is exactly "v < lo ? v : lo", so a NaN in v leaves the accumulator alone.
BlockExtremes reduceBlock(const double* y, std::size_t count) {
    const __m128d inf = _mm_set1_pd(std::numeric_limits<double>::infinity());
    const __m128d negInf = _mm_set1_pd(-std::numeric_limits<double>::infinity());
    __m128d lo0 = inf, lo1 = inf, hi0 = negInf, hi1 = negInf;
    __m128d nan0 = _mm_setzero_pd(), nan1 = _mm_setzero_pd();
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        const __m128d a = _mm_loadu_pd(y + i);
        const __m128d b = _mm_loadu_pd(y + i + 2);
        lo0 = _mm_min_pd(a, lo0);
        lo1 = _mm_min_pd(b, lo1);
        hi0 = _mm_max_pd(a, hi0);
        hi1 = _mm_max_pd(b, hi1);
        nan0 = _mm_or_pd(nan0, _mm_cmpunord_pd(a, a));
        nan1 = _mm_or_pd(nan1, _mm_cmpunord_pd(b, b));
    }
    alignas(16) double lanes[2];
    _mm_store_pd(lanes, _mm_min_pd(lo0, lo1));
    double lo = std::min(lanes[0], lanes[1]);
    _mm_store_pd(lanes, _mm_max_pd(hi0, hi1));
    double hi = std::max(lanes[0], lanes[1]);
    bool hasNaN = _mm_movemask_pd(_mm_or_pd(nan0, nan1)) != 0;
    for (; i < count; ++i) {
        const double v = y[i];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        hasNaN = hasNaN || std::isnan(v);
    }
    return {lo, hi, hasNaN};
}
#else
BlockExtremes reduceBlock(const double* y, std::size_t count) {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    bool hasNaN = false;
    for (std::size_t i = 0; i < count; ++i) {
        const double v = y[i];
        lo = v < lo ? v : lo; // a NaN compares false and leaves lo alone
        hi = v > hi ? v : hi;
        hasNaN = hasNaN || std::isnan(v);
    }
    return {lo, hi, hasNaN};
}
#endif

std::size_t findValue(const double* y, std::size_t count, double target) {
    for (std::size_t i = 0; i < count; ++i)
        if (y[i] == target) return i;
    return count;
}

// A column's extremes with their first positions. Blocks keep the second look for the positions short:
// only the block where the min (max) first reached its final value is searched again.
struct SliceExtremes {
    double min;
    double max;
    bool hasNaN;
    std::size_t minAt;
    std::size_t maxAt;
};

constexpr std::size_t kBlock = 512;

SliceExtremes reduceSlice(const double* y, std::size_t count) {
    SliceExtremes out{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                      false, 0, 0};
    std::size_t minBlock = 0;
    std::size_t maxBlock = 0;
    bool found = false;
    for (std::size_t b = 0; b < count; b += kBlock) {
        const BlockExtremes e = reduceBlock(y + b, std::min(kBlock, count - b));
        const bool any = e.min <= e.max; // the block has a non-NaN value (an all-Inf block included)
        if (any && (!found || e.min < out.min)) {
            out.min = e.min;
            minBlock = b;
        }
        if (any && (!found || e.max > out.max)) {
            out.max = e.max;
            maxBlock = b;
        }
        found = found || any;
        out.hasNaN = out.hasNaN || e.hasNaN;
    }
    if (found) {
        out.minAt = minBlock + findValue(y + minBlock, std::min(kBlock, count - minBlock), out.min);
        out.maxAt = maxBlock + findValue(y + maxBlock, std::min(kBlock, count - maxBlock), out.max);
    }
    return out;
}

std::size_t findNaN(const double* y, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
        if (std::isnan(y[i])) return i;
    return count;
}

// Insertion sort for the handful of picked indices (std::sort trips a GCC 12 false -Warray-bounds here).
void sortSmall(std::array<std::size_t, 5>& idx, std::size_t n) {
    for (std::size_t i = 1; i < n; ++i)
        for (std::size_t j = i; j > 0 && idx[j - 1] > idx[j]; --j)
            std::swap(idx[j - 1], idx[j]);
}

// Chooses at most four indices of the column [begin, end): first, min, max, last, and a NaN marker (so
// the chart shows the gap) when a slot is free or, failing that, in place of the column's first/last point
// that is not an endpoint of the whole input.
// The column's min and max (and a NaN marker), in x order; an all-NaN column keeps its first point.
void appendExtrema(std::span<const double> y, std::size_t begin, std::size_t end,
                   std::vector<std::size_t>& picked) {
    const std::size_t count = end - begin;
    const double* slice = y.data() + begin;
    const SliceExtremes ext = reduceSlice(slice, count);
    std::array<std::size_t, 5> idx{};
    std::size_t n = 0;
    if (ext.min <= ext.max) {
        idx[n++] = begin + ext.minAt;
        if (ext.maxAt != ext.minAt) idx[n++] = begin + ext.maxAt;
    }
    if (ext.hasNaN) idx[n++] = begin + findNaN(slice, count);
    if (n == 0) idx[n++] = begin;
    sortSmall(idx, n);
    picked.insert(picked.end(), idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(n));
}

void appendColumn(std::span<const double> y, std::size_t begin, std::size_t end, std::size_t inputSize,
                  std::vector<std::size_t>& picked) {
    const std::size_t count = end - begin;
    const double* slice = y.data() + begin;
    const SliceExtremes ext = reduceSlice(slice, count);
    std::array<std::size_t, 5> idx{};
    std::size_t n = 0;
    idx[n++] = begin;
    if (ext.min <= ext.max) {
        idx[n++] = begin + ext.minAt;
        idx[n++] = begin + ext.maxAt;
    }
    idx[n++] = end - 1;
    sortSmall(idx, n);
    n = static_cast<std::size_t>(std::unique(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(n)) -
                                 idx.begin());
    const bool edgeHasNaN = std::isnan(y[begin]) || std::isnan(y[end - 1]);
    if (ext.hasNaN && !edgeHasNaN) {
        const std::size_t nanIndex = begin + findNaN(slice, count);
        if (n == 4) {
            // Drop the column's first or last point unless it is the input's own first/last point.
            if (idx[3] != inputSize - 1)
                idx[3] = nanIndex;
            else if (idx[0] != 0)
                idx[0] = nanIndex;
            else
                idx[n++] = nanIndex; // the column holds the whole input: no edge points, still within bound
        } else {
            idx[n++] = nanIndex;
        }
        sortSmall(idx, n);
    }
    picked.insert(picked.end(), idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(n));
}

} // namespace

namespace {

XYPoints decimate(std::span<const double> x, std::span<const double> y, double x0, double x1, int pixels,
                  bool extremaOnly) {
    XYPoints out;
    const std::size_t n = std::min(x.size(), y.size());
    if (n == 0 || !std::isfinite(x0) || !std::isfinite(x1)) return out;
    if (x1 < x0) std::swap(x0, x1);
    const std::ptrdiff_t columns = std::max(1, pixels);
    x = x.first(n);
    y = y.first(n);

    // Visible slice [lo, hi): x in [x0, x1].
    const auto lo = static_cast<std::size_t>(std::lower_bound(x.begin(), x.end(), x0) - x.begin());
    const auto hi = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), x1) - x.begin());

    std::vector<std::size_t> picked;
    picked.reserve(std::min<std::size_t>(
        n, 4 * static_cast<std::size_t>(std::min<std::ptrdiff_t>(columns, 1 << 20)) + 2));
    if (lo > 0) picked.push_back(lo - 1); // the point just left of the view, so the line reaches the border

    const ColumnMap columnOf{x0, x1 > x0 ? static_cast<double>(columns) / (x1 - x0) : 0.0, columns - 1};
    // Visits only the columns that hold points, so cost is O(min(pixels, n) log n) plus one pass over y.
    auto decimateRange = [&](std::size_t begin, std::size_t stop, std::vector<std::size_t>& into) {
        std::size_t length = 1;
        while (begin < stop) {
            const std::size_t end = columnEnd(x, columnOf, begin, stop, columnOf(x[begin]), begin + length);
            length = end - begin;
            if (extremaOnly)
                appendExtrema(y, begin, end, into);
            else
                appendColumn(y, begin, end, n, into);
            begin = end;
        }
    };
    // The min/max pass is bound by memory bandwidth; two cores read a large view about twice as fast. The
    // split falls on a column boundary, so both halves produce exactly what one pass would.
    constexpr std::size_t kParallelPoints = 4'000'000;
    if (hi - lo >= kParallelPoints && columns > 1) {
        const std::ptrdiff_t midColumn = columnOf(x[lo + (hi - lo) / 2]);
        const auto split = static_cast<std::size_t>(
            std::partition_point(x.begin() + static_cast<std::ptrdiff_t>(lo),
                                 x.begin() + static_cast<std::ptrdiff_t>(hi),
                                 [&](double v) { return columnOf(v) <= midColumn; }) -
            x.begin());
        std::vector<std::size_t> right;
        right.reserve(picked.capacity() / 2 + 2);
        std::thread worker([&] { decimateRange(split, hi, right); });
        decimateRange(lo, split, picked);
        worker.join();
        picked.insert(picked.end(), right.begin(), right.end());
    } else {
        decimateRange(lo, hi, picked);
    }
    if (hi < n) picked.push_back(hi); // the point just right of the view

    out.x.reserve(picked.size());
    out.y.reserve(picked.size());
    for (std::size_t i : picked) {
        out.x.push_back(x[i]);
        out.y.push_back(y[i]);
    }
    return out;
}

} // namespace

XYPoints decimateMinMax(std::span<const double> x, std::span<const double> y, double x0, double x1,
                        int pixels) {
    return decimate(x, y, x0, x1, pixels, false);
}

XYPoints decimateExtrema(std::span<const double> x, std::span<const double> y, double x0, double x1,
                         int pixels) {
    return decimate(x, y, x0, x1, pixels, true);
}

} // namespace runlens

namespace runlens {

std::vector<std::size_t> overviewIndices(std::span<const double> x, std::span<const double> y, int buckets) {
    std::vector<std::size_t> out;
    const std::size_t n = std::min(x.size(), y.size());
    if (n == 0) return out;
    const int columns = std::max(1, buckets);
    const double scale = x[n - 1] > x[0] ? static_cast<double>(columns) / (x[n - 1] - x[0]) : 0.0;
    const ColumnMap column{x[0], scale, columns - 1};
    out.reserve(std::min(n, 2 * static_cast<std::size_t>(columns) + 2));
    out.push_back(0);
    std::size_t begin = 0;
    std::size_t length = 1; // the previous bucket's, the guess for the next one's
    while (begin < n) {
        const std::ptrdiff_t c = column(x[begin]);
        const std::size_t end = columnEnd(x, column, begin, n, c, begin + length);
        length = end - begin;
        // min, max, and the first non-finite value as a gap marker. The vectorised reduction finds the
        // values, a scan that stops at them their first positions; a bucket with an infinity takes the plain
        // loop, which leaves non-finite values out of min and max.
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        std::size_t loAt = n, hiAt = n, bad = n;
        const BlockExtremes block = reduceBlock(y.data() + begin, end - begin);
        if (std::isfinite(block.min) && std::isfinite(block.max)) {
            for (std::size_t i = begin; i < end && (loAt == n || hiAt == n); ++i) {
                if (loAt == n && y[i] == block.min) loAt = i;
                if (hiAt == n && y[i] == block.max) hiAt = i;
            }
            if (block.hasNaN)
                for (std::size_t i = begin; i < end && bad == n; ++i)
                    if (std::isnan(y[i])) bad = i;
            std::array<std::size_t, 3> kept{loAt, hiAt, bad};
            std::sort(kept.begin(), kept.end());
            for (const std::size_t i : kept)
                if (i < n && out.back() != i) out.push_back(i);
            begin = end;
            continue;
        }
        for (std::size_t i = begin; i < end; ++i) {
            const double v = y[i];
            if (std::isfinite(v)) {
                if (v < lo) {
                    lo = v;
                    loAt = i;
                }
                if (v > hi) {
                    hi = v;
                    hiAt = i;
                }
            } else if (bad == n) {
                bad = i;
            }
        }
        std::array<std::size_t, 3> kept{loAt, hiAt, bad};
        std::sort(kept.begin(), kept.end());
        for (const std::size_t i : kept)
            if (i < n && out.back() != i) out.push_back(i);
        begin = end;
    }
    if (out.back() != n - 1) out.push_back(n - 1);
    return out;
}

} // namespace runlens
