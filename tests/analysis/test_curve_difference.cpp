// Curve differences on a common grid against numpy's interp, and pairing one metric against another by step.
#include "core/analysis/curve_difference.h"
#include "tests/common/eval_test_util.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

class TestCurveDifference : public QObject {
    Q_OBJECT
  private slots:
    void differenceMatchesNumpyInterp() {
        // A y = x^2 at 0..3, given unsorted, x = 1 twice (0.5 and 1.5 average to 1) and a NaN point dropped;
        // B is 1 at 0.5, 1.5, 2.5, 4. numpy 1.24:
        //   g = np.unique(np.r_[ax, bx]); g = g[(g >= 0.5) & (g <= 3)]
        //   np.interp(g, bx, by) - np.interp(g, ax, ay) -> [0.5, 0, -1.5, -3, -5.5, -8] on g = .5 1 1.5 2 2.5
        //   3
        const XYPoints a{{3, 1, 0, 2, 1, 5}, {9, 0.5, 0, 4, 1.5, std::nan("")}};
        const XYPoints b{{0.5, 1.5, 2.5, 4}, {1, 1, 1, 1}};
        const XYPoints d = differenceOnGrid(a, b);
        const std::vector<double> x{0.5, 1, 1.5, 2, 2.5, 3}, y{0.5, 0, -1.5, -3, -5.5, -8};
        QCOMPARE(d.x, x);
        QCOMPARE(d.size(), y.size());
        for (std::size_t i = 0; i < y.size(); ++i)
            RL_COMPARE_NEAR(d.y[i], y[i], 1e-15);
    }

    void noOverlapGivesNothing() {
        const XYPoints a{{0, 1}, {0, 1}}, b{{2, 3}, {0, 1}};
        QCOMPARE(differenceOnGrid(a, b).size(), std::size_t(0));
        QCOMPARE(differenceOnGrid({}, b).size(), std::size_t(0));
    }

    void hugeUnionFallsBackToEvenGrid() {
        // 30,000 distinct x values in the overlap: the grid becomes kEvenGrid even points over [0, 1]; A = x
        // and B = 2x, so B - A = x at each grid point i / (kEvenGrid - 1).
        XYPoints a, b;
        for (int i = 0; i <= 30000; ++i) {
            const double x = i / 30000.0;
            a.x.push_back(x);
            a.y.push_back(x);
            b.x.push_back(x);
            b.y.push_back(2 * x);
        }
        const XYPoints d = differenceOnGrid(a, b);
        QCOMPARE(d.size(), kEvenGrid);
        RL_COMPARE_NEAR(d.x[1], 1.0 / double(kEvenGrid - 1), 1e-15);
        RL_COMPARE_NEAR(d.y[1000], 1000.0 / double(kEvenGrid - 1), 1e-12);
    }

    void pairByStepKeepsYOrderAndLastXOfAStep() {
        // x logs step 2 twice (0.2 then 0.25: the last wins) and no step 3; y's point at step 3 is left out.
        SeriesData x, y;
        x.steps = {1, 2, 2, 4};
        x.values = {0.1, 0.2, 0.25, 0.4};
        y.steps = {4, 1, 2, 3};
        y.values = {40, 10, 20, 30};
        const XYPoints p = pairByStep(x, y);
        QCOMPARE(p.x, (std::vector<double>{0.4, 0.1, 0.25}));
        QCOMPARE(p.y, (std::vector<double>{40, 10, 20}));
        const XYPoints s = againstStep(y);
        QCOMPARE(s.x, (std::vector<double>{4, 1, 2, 3}));
        QCOMPARE(s.y, y.values);
    }

    void strideKeepsEveryKthAndTheLast() {
        // 10 points to at most 4: stride 2.5 -> indices 0, 2, 5, 7, then the last (9).
        XYPoints p;
        for (int i = 0; i < 10; ++i) {
            p.x.push_back(i);
            p.y.push_back(10 * i);
        }
        const XYPoints s = strideCurve(p, 4);
        QCOMPARE(s.x, (std::vector<double>{0, 2, 5, 7, 9}));
        QCOMPARE(strideCurve(p, 10).size(), std::size_t(10));
    }
};

QTEST_APPLESS_MAIN(TestCurveDifference)
#include "test_curve_difference.moc"
