// Checks the statistical building blocks against statsmodels/scipy values frozen below.
#include "core/analysis/statistics.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

class TestStatistics : public QObject {
    Q_OBJECT
  private slots:
    void wilson_data() {
        QTest::addColumn<int>("successes");
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        // statsmodels 0.13.5: proportion_confint(s, n, alpha=0.05, method='wilson')
        QTest::newRow("81/87") << 81 << 87 << 0.8576030575941971 << 0.9680111605574233;
        QTest::newRow("192/263") << 192 << 263 << 0.6733581058006313 << 0.7800946692469926;
        QTest::newRow("0/10") << 0 << 10 << 0.0 << 0.27753279986288926;
        QTest::newRow("10/10") << 10 << 10 << 0.7224672001371106 << 1.0;
        QTest::newRow("289/350") << 289 << 350 << 0.7824937250902549 << 0.8618626506716279;
        QTest::newRow("1/3") << 1 << 3 << 0.06149194472039626 << 0.7923403991979523;
    }
    void wilson() {
        QFETCH(int, successes);
        QFETCH(int, n);
        QFETCH(double, low);
        QFETCH(double, high);
        const auto ci = stats::wilson(successes, n);
        QVERIFY2(std::abs(ci.low - low) < 1e-9, qPrintable(QString::number(ci.low, 'g', 17)));
        QVERIFY2(std::abs(ci.high - high) < 1e-9, qPrintable(QString::number(ci.high, 'g', 17)));
    }

    void quantileBySelectionMatchesNumpy() {
        // numpy 1.24: v = [3.5, -1.0, 7.25, 0.0, 2.0, 10.0, 4.0, 4.0, -6.5, 1.5, 8.0];
        // [np.quantile(v, q) for q in (0.05, 0.5, 0.95, 0.0, 1.0)] -> -3.75, 3.5, 9.0, -6.5, 10.0
        const std::vector<double> v{3.5, -1.0, 7.25, 0.0, 2.0, 10.0, 4.0, 4.0, -6.5, 1.5, 8.0};
        const std::pair<double, double> cases[] = {
            {0.05, -3.75}, {0.5, 3.5}, {0.95, 9.0}, {0.0, -6.5}, {1.0, 10.0}};
        for (const auto& [q, expected] : cases) {
            std::vector<double> copy = v;
            QCOMPARE(stats::quantileBySelection(copy, q), expected);
        }
        std::vector<double> empty;
        QVERIFY(std::isnan(stats::quantileBySelection(empty, 0.5)));
    }

    void normalQuantile() {
        // scipy.stats.norm.ppf
        QVERIFY(std::abs(stats::normalQuantile(0.975) - 1.959963984540054) < 1e-12);
        QVERIFY(std::abs(stats::normalQuantile(1e-5) - -4.264890793922825) < 1e-10);
        QVERIFY(std::abs(stats::normalQuantile(0.3) - -0.5244005127080409) < 1e-12);
    }

    void mcnemarPieces_data() {
        QTest::addColumn<int>("b");
        QTest::addColumn<int>("c");
        QTest::addColumn<double>("exactP");
        QTest::addColumn<double>("chi2");
        QTest::addColumn<double>("chi2P");
        // statsmodels mcnemar([[50, b], [c, 60]], exact=True).pvalue and exact=False, correction=True
        QTest::newRow("10,3") << 10 << 3 << 0.09228515625 << 2.769230769230769 << 0.0960923294556734;
        QTest::newRow("25,40") << 25 << 40 << 0.08168153394154003 << 3.0153846153846153
                               << 0.08247788747320971;
        QTest::newRow("0,5") << 0 << 5 << 0.0625 << 3.2 << 0.07363827012030258;
        QTest::newRow("100,130") << 100 << 130 << 0.05561357778139239 << 3.6565217391304348
                                 << 0.055850113675743426;
    }
    void mcnemarPieces() {
        QFETCH(int, b);
        QFETCH(int, c);
        QFETCH(double, exactP);
        QFETCH(double, chi2);
        QFETCH(double, chi2P);
        QVERIFY(std::abs(stats::binomialTwoSidedHalf(std::min(b, c), b + c) - exactP) < 1e-9);
        const double stat = std::pow(std::abs(b - c) - 1.0, 2) / (b + c);
        QVERIFY(std::abs(stat - chi2) < 1e-12);
        QVERIFY(std::abs(stats::chiSquare1Sf(stat) - chi2P) < 1e-9);
    }

    void benjaminiHochberg() {
        // statsmodels multipletests([0.01, 0.04, 0.03, 0.2, 0.5, 0.001], method='fdr_bh')[1]
        const std::vector<double> p{0.01, 0.04, 0.03, 0.2, 0.5, 0.001};
        const std::vector<double> expected{0.03, 0.06, 0.06, 0.24, 0.5, 0.006};
        const auto adjusted = stats::benjaminiHochberg(p);
        QCOMPARE(adjusted.size(), expected.size());
        for (std::size_t i = 0; i < p.size(); ++i)
            QVERIFY(std::abs(adjusted[i] - expected[i]) < 1e-12);
    }

    void samplerIsDeterministicAndInRange() {
        stats::IndexSampler a(123), b(123);
        for (int i = 0; i < 1000; ++i) {
            const auto x = a(7);
            QCOMPARE(x, b(7));
            QVERIFY(x < 7);
        }
    }

    void quantileMatchesNumpyLinear() {
        // numpy.quantile([1, 2, 3, 4], 0.25) == 1.75; 0.9 -> 3.7
        const std::vector<double> v{1, 2, 3, 4};
        QVERIFY(std::abs(stats::quantileSorted(v, 0.25) - 1.75) < 1e-12);
        QVERIFY(std::abs(stats::quantileSorted(v, 0.9) - 3.7) < 1e-12);
    }
};

QTEST_APPLESS_MAIN(TestStatistics)
#include "test_statistics.moc"
