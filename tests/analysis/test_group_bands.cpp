// Tests grouping runs onto a common grid with spread bands, against python3's statistics module and t tables.
#include "core/analysis/group_bands.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

XYPoints points(std::vector<double> x, std::vector<double> y) {
    return XYPoints{std::move(x), std::move(y)};
}

void near(double got, double want, double tol, const char* what) {
    QVERIFY2(std::abs(got - want) <= tol,
             qPrintable(QString("%1: got %2 want %3").arg(what).arg(got, 0, 'g', 17).arg(want, 0, 'g', 17)));
}

// Five runs on steps 0..4; C is logged every other step (interpolated at 1 and 3), D covers only 1..3.
std::vector<XYPoints> fiveRuns() {
    return {points({0, 1, 2, 3, 4}, {1, 2, 3, 4, 5}), points({0, 1, 2, 3, 4}, {2, 2, 2, 2, 2}),
            points({0, 2, 4}, {0, 4, 8}), points({1, 2, 3}, {3, 3, 3}),
            points({0, 1, 2, 3, 4}, {5, 4, 3, 2, 1})};
}

} // namespace

class TestGroupBands : public QObject {
    Q_OBJECT
  private slots:
    void tQuantileMatchesTables() {
        // Reference: scipy.stats.t.ppf(p, dof) (Debian python3-scipy), agreeing with printed t tables.
        near(studentTQuantile(0.975, 1), 12.706204736432095, 1e-8, "t(.975,1)");
        near(studentTQuantile(0.975, 3), 3.182446305284263, 1e-9, "t(.975,3)");
        near(studentTQuantile(0.975, 4), 2.7764451051977987, 1e-9, "t(.975,4)");
        near(studentTQuantile(0.975, 10), 2.2281388519649385, 1e-9, "t(.975,10)");
        // scipy's ppf is off by 8e-9 here (its own cdf of it is 0.95000000074); mpmath at 30 digits, root of
        // 1/2 + quad(t pdf, [0, t]) - 0.95, gives 1.69726088659395784860925340959.
        near(studentTQuantile(0.95, 30), 1.6972608865939578, 1e-10, "t(.95,30)");
        near(studentTQuantile(0.995, 2), 9.92484320091807, 1e-8, "t(.995,2)");
        near(studentTQuantile(0.975, 2.5), 3.5746548420118773, 1e-8, "t(.975,2.5)");
        near(studentTQuantile(0.9, 1000), 1.2823987214609247, 1e-9, "t(.9,1000)");
        near(studentTQuantile(0.025, 4), -2.7764451051977987, 1e-9, "t(.025,4)");
        near(studentTCdf(-1.3, 7), 0.11738391769618858, 1e-12, "cdf(-1.3,7)"); // scipy.stats.t.cdf(-1.3, 7)
        QVERIFY(std::isnan(studentTQuantile(1.0, 3)));
        QVERIFY(std::isnan(studentTQuantile(0.5, 0)));
    }

    void statisticsOnUnionGrid() {
        // Union {0..4}: 21 points / (5 runs x 5) = 0.84 >= 0.8, so the union is the grid.
        // Reference per x, python3: v = values present; statistics.mean/median/stdev(v), se = stdev/sqrt(n),
        // CI = mean -/+ t * se with t(.975,3) = 3.182446305284263 (n = 4), t(.975,4) = 2.7764451051977987 (n
        // = 5).
        const auto runs = fiveRuns();
        const GroupBands b = computeGroupBands(runs);
        QVERIFY(b.error.empty());
        QVERIFY(b.unionGrid);
        QCOMPARE(b.x, (std::vector<double>{0, 1, 2, 3, 4}));
        QCOMPARE(b.count, (std::vector<int>{4, 5, 5, 5, 4}));
        const double mean[] = {2, 2.6, 3, 3.4, 4};
        const double median[] = {1.5, 2, 3, 3, 3.5};
        const double mn[] = {0, 2, 2, 2, 1};
        const double mx[] = {5, 4, 4, 6, 8};
        const double sd[] = {2.160246899469287, 0.8944271909999159, 0.7071067811865476, 1.6733200530681511,
                             3.1622776601683795};
        const double se[] = {1.0801234497346435, 0.39999999999999997, 0.31622776601683794, 0.7483314773547882,
                             1.5811388300841898};
        const double lo[] = {-1.4374348818589082, 1.4894219579208807, 2.1220109669149156, 1.3222987326328606,
                             -1.0318894279429118};
        const double hi[] = {5.437434881858908, 3.7105780420791197, 3.8779890330850844, 5.47770126736714,
                             9.031889427942911};
        for (int i = 0; i < 5; ++i) {
            near(b.mean[i], mean[i], 1e-12, "mean");
            near(b.median[i], median[i], 1e-12, "median");
            near(b.min[i], mn[i], 0, "min");
            near(b.max[i], mx[i], 0, "max");
            near(b.std[i], sd[i], 1e-12, "std");
            near(b.stdErr[i], se[i], 1e-12, "stderr");
            near(b.ciLow[i], lo[i], 1e-9, "ci low");
            near(b.ciHigh[i], hi[i], 1e-9, "ci high");
        }
    }

    void selectBandLines() {
        const auto runs = fiveRuns();
        const GroupBands b = computeGroupBands(runs);
        const BandLines mm = selectBand(b, CenterKind::Median, BandKind::MinMax);
        QCOMPARE(mm.center, b.median);
        QCOMPARE(mm.lower, b.min);
        QCOMPARE(mm.upper, b.max);
        const BandLines sd = selectBand(b, CenterKind::Mean, BandKind::Std);
        near(sd.lower[2], 3 - 0.7071067811865476, 1e-12, "mean - std");
        near(sd.upper[2], 3 + 0.7071067811865476, 1e-12, "mean + std");
        const BandLines ci = selectBand(b, CenterKind::Mean, BandKind::CI95);
        QCOMPARE(ci.lower, b.ciLow);
    }

    void evenGridWhenStepsDisagree() {
        // Two runs logged at unrelated x values: union agreement is 0.5, so an even grid over the overlap
        // [2, 10] is used. Both are straight lines, so interpolation is exact: y = x and y = 3x.
        const std::vector<XYPoints> runs{points({0, 2.5, 5, 7.5, 10}, {0, 2.5, 5, 7.5, 10}),
                                         points({2, 4.1, 6.3, 8.7, 12}, {6, 12.3, 18.9, 26.1, 36})};
        GroupBandOptions opt;
        opt.gridPoints = 5;
        const GroupBands b = computeGroupBands(runs, opt);
        QVERIFY(!b.unionGrid);
        QCOMPARE(b.x, (std::vector<double>{2, 4, 6, 8, 10}));
        for (std::size_t i = 0; i < b.size(); ++i) {
            QCOMPARE(b.count[i], 2);
            near(b.mean[i], 2 * b.x[i], 1e-12, "mean of x and 3x");
            near(b.min[i], b.x[i], 1e-12, "min");
            near(b.max[i], 3 * b.x[i], 1e-12, "max");
        }
    }

    void noExtrapolationAndSingletons() {
        // The short run is absent beyond its range: count 1 there, std/SE/CI NaN, mean = the long run.
        const std::vector<XYPoints> runs{points({0, 1, 2, 3}, {1, 1, 1, 1}), points({0, 1}, {3, 3})};
        GroupBandOptions opt;
        opt.agreement = 0.5; // 6 / (2 x 4) = 0.75
        const GroupBands b = computeGroupBands(runs, opt);
        QVERIFY(b.unionGrid);
        QCOMPARE(b.count, (std::vector<int>{2, 2, 1, 1}));
        QCOMPARE(b.mean[3], 1.0);
        QVERIFY(std::isnan(b.std[3]));
        QVERIFY(std::isnan(b.ciLow[3]));
    }

    void badInput() {
        QVERIFY(!computeGroupBands({}).error.empty());
        const std::vector<XYPoints> nanRuns{points({0, 1}, {std::nan(""), std::nan("")})};
        QVERIFY(!computeGroupBands(nanRuns).error.empty());
        // Unsorted x with a repeated step (averaged) and a NaN point (skipped).
        const std::vector<XYPoints> messy{points({2, 0, 1, 1, 3}, {2, 0, 0.5, 1.5, std::nan("")})};
        const GroupBands b = computeGroupBands(messy);
        QCOMPARE(b.x, (std::vector<double>{0, 1, 2}));
        QCOMPARE(b.mean, (std::vector<double>{0, 1, 2}));
    }
};

QTEST_APPLESS_MAIN(TestGroupBands)
#include "test_group_bands.moc"
