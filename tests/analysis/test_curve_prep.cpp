// Tests curve preparation: x axes, points without wall time, stable sorting, smoothing then decimation.
#include "core/analysis/curve_prep.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

class TestCurvePrep : public QObject {
    Q_OBJECT
  private slots:
    void xValuesPerAxis() {
        SeriesData s;
        s.push(10, 1000.5, 1.0);
        s.push(20, kNaN, 2.0);
        s.push(30, 1003.0, 3.0);
        QCOMPARE(xValues(s, XAxis::Step), (std::vector<double>{10, 20, 30}));
        const auto wall = xValues(s, XAxis::WallTime);
        QCOMPARE(wall[0], 1000.5);
        QVERIFY(std::isnan(wall[1]));
        const auto rel = xValues(s, XAxis::RelativeTime);
        QCOMPARE(rel[0], 0.0);
        QVERIFY(std::isnan(rel[1]));
        QCOMPARE(rel[2], 2.5);
        SeriesData noTimes;
        noTimes.push(1, kNaN, 1.0);
        QVERIFY(std::isnan(xValues(noTimes, XAxis::RelativeTime)[0]));
    }

    void parseNames() {
        XAxis a = XAxis::Step;
        QVERIFY(parseXAxis("relative", a));
        QCOMPARE(a, XAxis::RelativeTime);
        QVERIFY(parseXAxis("wall", a));
        QCOMPARE(a, XAxis::WallTime);
        QVERIFY(!parseXAxis("epoch", a));
        QCOMPARE(xAxisName(XAxis::RelativeTime), std::string_view("Relative time (s)"));
    }

    void timeAxisDropsUnknownTimes() {
        SeriesData s;
        s.push(1, 100.0, 1.0);
        s.push(2, kNaN, 50.0); // no wall time: cannot be placed on a time axis
        s.push(3, 102.0, 3.0);
        CurveOptions opt;
        opt.xAxis = XAxis::RelativeTime;
        const PreparedCurve c = prepareCurve(s, opt);
        QCOMPARE(c.sourcePoints, std::size_t(3));
        QCOMPARE(c.raw.x, (std::vector<double>{0.0, 2.0}));
        QCOMPARE(c.raw.y, (std::vector<double>{1.0, 3.0}));
        QCOMPARE(c.xMin, 0.0);
        QCOMPARE(c.xMax, 2.0);
        QCOMPARE(c.smoothed.y, c.raw.y); // smoothing off
    }

    void nonMonotonicIsSortedStably() {
        // A resumed run logs steps 3..4 again after 1..5; equal steps keep their logging order.
        SeriesData s;
        for (int i = 1; i <= 5; ++i)
            s.push(i, kNaN, i * 1.0);
        s.push(3, kNaN, 30.0);
        s.push(4, kNaN, 40.0);
        CurveOptions opt;
        const PreparedCurve c = prepareCurve(s, opt);
        QCOMPARE(c.raw.x, (std::vector<double>{1, 2, 3, 3, 4, 4, 5}));
        QCOMPARE(c.raw.y, (std::vector<double>{1, 2, 3, 30, 4, 40, 5}));
    }

    void smoothsAtFullResolutionThenDecimates() {
        // 10,000 points, view 50 px. Smoothing must see every point: compare the decimated smoothed curve
        // with smoothEma of the full series at the kept x positions (x == index here).
        SeriesData s;
        for (int i = 0; i < 10000; ++i)
            s.push(i, kNaN, std::sin(i * 0.01) + ((i % 7) - 3) * 0.1);
        CurveOptions opt;
        opt.smoothing = 0.9;
        opt.pixels = 50;
        const PreparedCurve c = prepareCurve(s, opt);
        QVERIFY(c.raw.size() <= 4u * 50u + 2u);
        QVERIFY(c.smoothed.size() <= 4u * 50u + 2u);
        const auto full = smoothEma(s.values, 0.9);
        for (std::size_t k = 0; k < c.smoothed.size(); ++k)
            QCOMPARE(c.smoothed.y[k], full[static_cast<std::size_t>(c.smoothed.x[k])]);
        // The visible range limits what is returned (plus one neighbour per side).
        opt.x0 = 1000.0;
        opt.x1 = 2000.0;
        const PreparedCurve zoom = prepareCurve(s, opt);
        QCOMPARE(zoom.raw.x.front(), 999.0);
        QCOMPARE(zoom.raw.x.back(), 2001.0);
        QCOMPARE(zoom.xMin, 0.0); // data range, not the view
        QCOMPARE(zoom.xMax, 9999.0);
    }

    void emptySeries() {
        const PreparedCurve c = prepareCurve(SeriesData{}, CurveOptions{});
        QCOMPARE(c.raw.size(), std::size_t(0));
        QCOMPARE(c.sourcePoints, std::size_t(0));
    }

    void xByAnotherMetric() {
        // Loss at steps 0, 5, 10, 15, 20; epoch logged at steps 4 (0.0), 10 (1.0), 19 (2.0) and, out of
        // order, 10 again (1.5, the later value wins). By hand: step 0 is before the first epoch point
        // (dropped); step 5 -> epoch of step 4 = 0; step 10 -> 1.5; step 15 -> 1.5; step 20 -> 2.
        SeriesData loss;
        for (int i = 0; i < 5; ++i)
            loss.push(i * 5, kNaN, 10.0 - i);
        SeriesData epoch;
        epoch.push(10, kNaN, 1.0);
        epoch.push(4, kNaN, 0.0);
        epoch.push(19, kNaN, 2.0);
        epoch.push(10, kNaN, 1.5);
        epoch.push(12, kNaN, kNaN); // a NaN x is no position
        const CurveInput input = curveInputByMetric(loss, epoch);
        QCOMPARE(input.sourcePoints, std::size_t(5));
        QCOMPARE(input.x, (std::vector<double>{0.0, 1.5, 1.5, 2.0}));
        QCOMPARE(input.y, (std::vector<double>{9.0, 8.0, 7.0, 6.0}));
        // No usable x metric: nothing to draw.
        QCOMPARE(curveInputByMetric(loss, SeriesData{}).x.size(), std::size_t(0));
    }

    void xByMetricSortsWhenTheMetricFalls() {
        // A metric that goes down with step (e.g. a learning rate used as x) gives x in falling order; the
        // input is sorted by x with equal x in logged order.
        SeriesData loss, lr;
        for (int i = 0; i < 4; ++i) {
            loss.push(i, kNaN, i);
            lr.push(i, kNaN, i < 2 ? 0.1 : 0.01);
        }
        const CurveInput input = curveInputByMetric(loss, lr);
        QCOMPARE(input.x, (std::vector<double>{0.01, 0.01, 0.1, 0.1}));
        QCOMPARE(input.y, (std::vector<double>{2.0, 3.0, 0.0, 1.0}));
    }

    void restartsSplitIntoPieces() {
        // Steps 0 1 2 3 | 2 3 4 | 0 1: the step goes back twice, so three pieces.
        SeriesData s;
        const std::int64_t steps[] = {0, 1, 2, 3, 2, 3, 4, 0, 1};
        for (int i = 0; i < 9; ++i)
            s.push(steps[i], 100.0 + i, i * 1.0);
        const std::vector<SeriesData> pieces = splitAtRestarts(s);
        QCOMPARE(pieces.size(), std::size_t(3));
        QCOMPARE(pieces[0].steps, (std::vector<std::int64_t>{0, 1, 2, 3}));
        QCOMPARE(pieces[1].steps, (std::vector<std::int64_t>{2, 3, 4}));
        QCOMPARE(pieces[1].values, (std::vector<double>{4.0, 5.0, 6.0}));
        QCOMPARE(pieces[2].wallTimes, (std::vector<double>{107.0, 108.0}));
        // A repeated step is not a restart; an empty series has no piece.
        SeriesData repeated;
        repeated.push(1, kNaN, 1);
        repeated.push(1, kNaN, 2);
        QCOMPARE(splitAtRestarts(repeated).size(), std::size_t(1));
        QCOMPARE(splitAtRestarts(SeriesData{}).size(), std::size_t(0));
    }

    // The readout names each point's step on any x axis: steps follow their points through the dropping of
    // points without a time and the sort by x, and through x by another metric.
    void stepsFollowTheirPoints() {
        SeriesData s;
        s.push(5, 1002.0, 1.0);
        s.push(6, kNaN, 2.0);
        s.push(7, 1000.0, 3.0); // logged out of time order
        s.push(8, 1001.0, 4.0);
        const CurveInput byTime = curveInput(s, XAxis::WallTime);
        QCOMPARE(byTime.x, (std::vector<double>{1000.0, 1001.0, 1002.0}));
        QCOMPARE(byTime.y, (std::vector<double>{3.0, 4.0, 1.0}));
        QCOMPARE(byTime.steps, (std::vector<std::int64_t>{7, 8, 5}));
        SeriesData epoch;
        epoch.push(5, kNaN, 2.0);
        epoch.push(7, kNaN, 1.0);
        const CurveInput byEpoch = curveInputByMetric(s, epoch);
        QCOMPARE(byEpoch.x, (std::vector<double>{1.0, 1.0, 2.0, 2.0}));
        QCOMPARE(byEpoch.steps, (std::vector<std::int64_t>{7, 8, 5, 6}));
    }
};

QTEST_APPLESS_MAIN(TestCurvePrep)
#include "test_curve_prep.moc"
