// The Sweep tab's best-so-far sequence, worked by hand.
#include "core/analysis/best_so_far.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

class TestBestSoFar : public QObject {
    Q_OBJECT
  private slots:
    void runningMinimumAndMaximum() {
        // 3 5 2 NaN 4 1: running minimum 3 3 2 2 2 1 (NaN skipped), running maximum 3 5 5 5 5 5.
        const std::vector<double> values{3, 5, 2, NAN, 4, 1};
        QCOMPARE(bestSoFar(values, false), (std::vector<double>{3, 3, 2, 2, 2, 1}));
        QCOMPARE(bestSoFar(values, true), (std::vector<double>{3, 5, 5, 5, 5, 5}));
    }

    void nanUntilTheFirstFiniteValue() {
        const std::vector<double> values{NAN, INFINITY, 2};
        const auto best = bestSoFar(values, false);
        QVERIFY(std::isnan(best[0]) && std::isnan(best[1]));
        QCOMPARE(best[2], 2.0);
    }
};

QTEST_APPLESS_MAIN(TestBestSoFar)
#include "test_best_so_far.moc"
