// Tests min/max-per-pixel decimation: spikes survive, order, edges, bounds, NaN and degenerate input.
#include "core/analysis/decimation.h"

#include <algorithm>
#include <cmath>
#include <QtTest>
#include <random>
#include <set>
#include <vector>

using namespace runlens;

namespace {

struct Series {
    std::vector<double> x;
    std::vector<double> y;
};

// Deterministic noise in [-1, 1] from the raw engine bits (no library distribution involved).
Series noisySeries(std::size_t n, std::uint64_t seed) {
    Series s;
    std::mt19937_64 rng(seed);
    for (std::size_t i = 0; i < n; ++i) {
        s.x.push_back(static_cast<double>(i));
        s.y.push_back(static_cast<double>(rng() >> 11) / 4503599627370496.0 - 1.0);
    }
    return s;
}

bool containsPoint(const XYPoints& p, double x, double y) {
    for (std::size_t i = 0; i < p.size(); ++i)
        if (p.x[i] == x && (p.y[i] == y || (std::isnan(y) && std::isnan(p.y[i])))) return true;
    return false;
}

// overviewIndices by its definition, one bucket at a time: bucket b holds the points with
// floor((x - x0) * buckets / (x1 - x0)) == b (the last bucket takes x1); in each, the first point of the
// smallest finite value, the first of the largest and the first non-finite one; plus the first and last
// point.
std::vector<std::size_t> overviewByDefinition(const std::vector<double>& x, const std::vector<double>& y,
                                              int buckets) {
    const std::size_t n = x.size();
    const double width = x.back() - x.front();
    std::set<std::size_t> kept{0, n - 1};
    std::vector<std::size_t> lo(buckets, n), hi(buckets, n), bad(buckets, n);
    for (std::size_t i = 0; i < n; ++i) {
        long b = width > 0 ? static_cast<long>(std::floor((x[i] - x.front()) * buckets / width)) : 0;
        b = std::clamp(b, 0L, static_cast<long>(buckets - 1));
        if (!std::isfinite(y[i])) {
            if (bad[b] == n) bad[b] = i;
            continue;
        }
        if (lo[b] == n || y[i] < y[lo[b]]) lo[b] = i;
        if (hi[b] == n || y[i] > y[hi[b]]) hi[b] = i;
    }
    for (int b = 0; b < buckets; ++b)
        for (const std::size_t i : {lo[b], hi[b], bad[b]})
            if (i < n) kept.insert(i);
    return {kept.begin(), kept.end()};
}

} // namespace

class TestDecimation : public QObject {
    Q_OBJECT
  private slots:
    void everySpikeSurvives() {
        Series s = noisySeries(100000, 7);
        // Spikes far outside the noise band, one max and one min, at arbitrary places.
        const std::vector<std::size_t> highs{123, 50001, 99998};
        const std::vector<std::size_t> lows{7, 33333, 77777};
        for (auto i : highs)
            s.y[i] = 50.0 + static_cast<double>(i);
        for (auto i : lows)
            s.y[i] = -50.0 - static_cast<double>(i);
        const XYPoints out = decimateMinMax(s.x, s.y, 0.0, 99999.0, 800);
        for (auto i : highs)
            QVERIFY2(containsPoint(out, s.x[i], s.y[i]), qPrintable(QString("high %1").arg(i)));
        for (auto i : lows)
            QVERIFY2(containsPoint(out, s.x[i], s.y[i]), qPrintable(QString("low %1").arg(i)));
        QVERIFY(out.size() <= 4u * 800u + 2u);
        QVERIFY(out.size() >= 2u * 800u); // every column holds many points, so at least first+last each
    }

    void outputSortedFirstLastKept() {
        const Series s = noisySeries(10007, 3);
        const XYPoints out = decimateMinMax(s.x, s.y, 0.0, 10006.0, 100);
        QVERIFY(std::is_sorted(out.x.begin(), out.x.end()));
        QVERIFY(std::adjacent_find(out.x.begin(), out.x.end()) == out.x.end()); // duplicates dropped
        QCOMPARE(out.x.front(), 0.0);
        QCOMPARE(out.y.front(), s.y.front());
        QCOMPARE(out.x.back(), 10006.0);
        QCOMPARE(out.y.back(), s.y.back());
    }

    void columnExtremesMatchBruteForce() {
        // Independent check: per column (same mapping as the header's contract: pixel =
        // floor((x-x0)*W/(x1-x0))), the decimated set must contain that column's min and max values.
        const Series s = noisySeries(5000, 11);
        const int pixels = 37;
        const XYPoints out = decimateMinMax(s.x, s.y, 0.0, 4999.0, pixels);
        for (int c = 0; c < pixels; ++c) {
            double lo = INFINITY, hi = -INFINITY;
            for (std::size_t i = 0; i < s.x.size(); ++i) {
                const int col = std::min(pixels - 1, static_cast<int>(s.x[i] * pixels / 4999.0));
                if (col != c) continue;
                lo = std::min(lo, s.y[i]);
                hi = std::max(hi, s.y[i]);
            }
            QVERIFY(std::find(out.y.begin(), out.y.end(), lo) != out.y.end());
            QVERIFY(std::find(out.y.begin(), out.y.end(), hi) != out.y.end());
        }
    }

    void extremaOnlyKeepsExactlyEachColumnsMinAndMax() {
        // Independent check by brute force over the same column mapping: per column exactly its min and max
        // (one point when they coincide), in x order, nothing else.
        const Series s = noisySeries(5000, 23);
        const int pixels = 37;
        const XYPoints out = decimateExtrema(s.x, s.y, 0.0, 4999.0, pixels);
        std::vector<std::pair<double, double>> want; // (x, y) of every column's min and max, in x order
        for (int c = 0; c < pixels; ++c) {
            std::size_t lo = s.x.size(), hi = s.x.size();
            for (std::size_t i = 0; i < s.x.size(); ++i) {
                const int col = std::min(pixels - 1, static_cast<int>(s.x[i] * pixels / 4999.0));
                if (col != c) continue;
                if (lo == s.x.size() || s.y[i] < s.y[lo]) lo = i;
                if (hi == s.x.size() || s.y[i] > s.y[hi]) hi = i;
            }
            if (lo == s.x.size()) continue;
            const std::size_t first = std::min(lo, hi), second = std::max(lo, hi);
            want.emplace_back(s.x[first], s.y[first]);
            if (second != first) want.emplace_back(s.x[second], s.y[second]);
        }
        QCOMPARE(out.size(), want.size());
        for (std::size_t k = 0; k < want.size(); ++k) {
            QCOMPARE(out.x[k], want[k].first);
            QCOMPARE(out.y[k], want[k].second);
        }
        // About half of what the first/min/max/last decimation keeps.
        QVERIFY(out.size() * 10 < decimateMinMax(s.x, s.y, 0.0, 4999.0, pixels).size() * 6);
        // A NaN inside a column is kept as a marker so the line shows the gap.
        Series gap = s;
        gap.y[2500] = NAN;
        const XYPoints withGap = decimateExtrema(gap.x, gap.y, 0.0, 4999.0, pixels);
        QVERIFY(std::any_of(withGap.y.begin(), withGap.y.end(), [](double v) { return std::isnan(v); }));
    }

    void largeViewsSplitAcrossTwoThreadsKeepEveryExtreme() {
        // 5M points take the two-thread path; the same column check as above, computed in one pass here.
        const std::size_t n = 5'000'000;
        const Series s = noisySeries(n, 17);
        const int pixels = 1600;
        const double x1 = static_cast<double>(n - 1);
        const XYPoints out = decimateMinMax(s.x, s.y, 0.0, x1, pixels);
        std::vector<double> lo(pixels, INFINITY), hi(pixels, -INFINITY);
        for (std::size_t i = 0; i < n; ++i) {
            const int col = std::min(pixels - 1, static_cast<int>(s.x[i] * pixels / x1));
            lo[col] = std::min(lo[col], s.y[i]);
            hi[col] = std::max(hi[col], s.y[i]);
        }
        QVERIFY(std::is_sorted(out.x.begin(), out.x.end()));
        QVERIFY(out.size() <= 4u * pixels + 2u);
        const std::set<double> kept(out.y.begin(), out.y.end());
        for (int c = 0; c < pixels; ++c) {
            QVERIFY(kept.count(lo[c]) == 1);
            QVERIFY(kept.count(hi[c]) == 1);
        }
        QCOMPARE(out.x.front(), 0.0);
        QCOMPARE(out.x.back(), x1);
    }

    void viewDropsOutsideExceptEdgeNeighbours() {
        const Series s = noisySeries(1000, 5);
        const XYPoints out = decimateMinMax(s.x, s.y, 200.0, 300.0, 10);
        QCOMPARE(out.x.front(), 199.0); // the one just left of the view
        QCOMPARE(out.x.back(), 301.0);  // the one just right of the view
        for (std::size_t i = 1; i + 1 < out.size(); ++i)
            QVERIFY(out.x[i] >= 200.0 && out.x[i] <= 300.0);
        QVERIFY(out.size() <= 4u * 10u + 2u);
        // A view past the end keeps only the last point (the neighbour on the left).
        const XYPoints past = decimateMinMax(s.x, s.y, 5000.0, 6000.0, 10);
        QCOMPARE(past.size(), std::size_t(1));
        QCOMPARE(past.x.front(), 999.0);
    }

    void fewPointsKeptAsIs() {
        const std::vector<double> x{0, 1, 2, 3};
        const std::vector<double> y{5, 1, 4, 2};
        const XYPoints out = decimateMinMax(x, y, 0.0, 3.0, 1600);
        QCOMPARE(out.x, x);
        QCOMPARE(out.y, y);
    }

    void nanIsKeptAsGapMarker() {
        Series s = noisySeries(1000, 9);
        s.y[550] = std::nan(""); // interior of column 5 (x 500..599)
        s.y[10] = INFINITY;
        const XYPoints out = decimateMinMax(s.x, s.y, 0.0, 999.0, 10);
        QVERIFY(containsPoint(out, 550.0, std::nan("")));
        QVERIFY(containsPoint(out, 10.0, INFINITY));
        QVERIFY(out.size() <= 4u * 10u + 2u);
        // The column's finite min and max still survive next to the NaN.
        double lo = INFINITY, hi = -INFINITY;
        for (std::size_t i = 500; i < 600; ++i) {
            if (std::isnan(s.y[i])) continue;
            lo = std::min(lo, s.y[i]);
            hi = std::max(hi, s.y[i]);
        }
        QVERIFY(std::find(out.y.begin(), out.y.end(), lo) != out.y.end());
        QVERIFY(std::find(out.y.begin(), out.y.end(), hi) != out.y.end());
        // All-NaN column: first and last are kept.
        std::vector<double> x{0, 1, 2, 3}, y(4, std::nan(""));
        const XYPoints allNaN = decimateMinMax(x, y, 0.0, 3.0, 1);
        QCOMPARE(allNaN.size(), std::size_t(2));
        QVERIFY(std::isnan(allNaN.y[0]) && std::isnan(allNaN.y[1]));
    }

    void degenerateInput() {
        QCOMPARE(decimateMinMax({}, {}, 0.0, 1.0, 100).size(), std::size_t(0));
        const Series s = noisySeries(100, 1);
        // pixels <= 0 behaves as one column: first, min, max, last at most.
        const XYPoints zero = decimateMinMax(s.x, s.y, 0.0, 99.0, 0);
        QVERIFY(zero.size() >= 2u && zero.size() <= 4u);
        const XYPoints negative = decimateMinMax(s.x, s.y, 0.0, 99.0, -5);
        QCOMPARE(negative.x, zero.x);
        // A reversed or zero-width view does not crash; non-finite view bounds give nothing.
        QVERIFY(decimateMinMax(s.x, s.y, 99.0, 0.0, 10).size() > 0);
        QVERIFY(decimateMinMax(s.x, s.y, 50.0, 50.0, 10).size() >= 1);
        QCOMPARE(decimateMinMax(s.x, s.y, std::nan(""), 1.0, 10).size(), std::size_t(0));
        // Mismatched lengths use the common prefix; a huge pixel count is bounded by n.
        const XYPoints huge = decimateMinMax(s.x, std::span<const double>(s.y).first(50), 0.0, 99.0, 1 << 30);
        QCOMPARE(huge.size(), std::size_t(50));
    }

    void overviewIndicesMatchTheirDefinition_data() {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("buckets");
        QTest::addColumn<bool>("unevenX");
        QTest::addColumn<bool>("ties");
        // Buckets of a few points (one pass), of hundreds (the vectorised pass), and of one or none; values
        // on a coarse grid so most buckets hold their minimum and maximum more than once.
        QTest::newRow("small buckets") << 10000 << 384 << false << false;
        QTest::newRow("small buckets, ties") << 10000 << 384 << false << true;
        QTest::newRow("large buckets") << 100000 << 64 << false << false;
        QTest::newRow("large buckets, ties") << 100000 << 64 << false << true;
        QTest::newRow("uneven x") << 20000 << 448 << true << false;
        QTest::newRow("more buckets than points") << 300 << 1024 << true << true;
    }
    void overviewIndicesMatchTheirDefinition() {
        QFETCH(int, points);
        QFETCH(int, buckets);
        QFETCH(bool, unevenX);
        QFETCH(bool, ties);
        Series s = noisySeries(static_cast<std::size_t>(points), 17);
        std::mt19937_64 rng(5);
        double x = 0;
        for (std::size_t i = 0; i < s.x.size(); ++i) {
            // Uneven: gaps of 0 to 3 units, so some buckets are empty and some hold repeated x.
            x += unevenX ? static_cast<double>(rng() % 4) : 1.0;
            s.x[i] = x;
            if (ties) s.y[i] = std::round(s.y[i] * 2.0) / 2.0;
            const std::uint64_t r = rng() % 500;
            if (r == 0) s.y[i] = std::nan("");
            if (r == 1) s.y[i] = std::numeric_limits<double>::infinity();
            if (r == 2) s.y[i] = -std::numeric_limits<double>::infinity();
            if (r == 3) s.y[i] = 2.0; // repeated extremes: the first of each is kept
            if (r == 4) s.y[i] = -2.0;
        }
        const std::vector<std::size_t> got = overviewIndices(s.x, s.y, buckets);
        QCOMPARE(got, overviewByDefinition(s.x, s.y, buckets));
    }

    void duplicateXValues() {
        // Non-decreasing x with repeats (several points per step) is fine.
        const std::vector<double> x{0, 0, 0, 1, 1, 2};
        const std::vector<double> y{1, 9, -3, 2, 2, 0};
        const XYPoints out = decimateMinMax(x, y, 0.0, 2.0, 1);
        QVERIFY(std::find(out.y.begin(), out.y.end(), 9.0) != out.y.end());
        QVERIFY(std::find(out.y.begin(), out.y.end(), -3.0) != out.y.end());
        QVERIFY(std::is_sorted(out.x.begin(), out.x.end()));
    }
};

QTEST_APPLESS_MAIN(TestDecimation)
#include "test_decimation.moc"
