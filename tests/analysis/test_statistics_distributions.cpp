// Student's t, chi-square, incomplete gamma and normal density against scipy 1.10; median and weighted
// percentile.
#include "core/analysis/statistics.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

// BEGIN FROZEN REFERENCES (written by tests/tools/gen_distribution_refs.py; do not edit)
namespace ref {
inline constexpr double tT[] = {-3.5, 0.3, 1.96, 4.2, -12.0, 2.5, 0.0};
inline constexpr double tDf[] = {2.0, 5.0, 30.0, 9.0, 100.0, 500000.0, 7.0};
inline constexpr double tCdf[] = {0.036413675027234665,
                                  0.6118754788683627,
                                  0.9703288435519748,
                                  0.9988466537467299,
                                  2.1975438578021782e-21,
                                  0.9937901758232252,
                                  0.5};
inline constexpr double tTwoSided[] = {0.07282735005446933,
                                       0.7762490422632745,
                                       0.05934231289605053,
                                       0.0023066925065402376,
                                       4.3950877156043564e-21,
                                       0.012419648353549737,
                                       1.0};
inline constexpr double qP[] = {0.975, 0.975, 0.9, 0.995, 0.025};
inline constexpr double qDf[] = {1.0, 4.0, 12.0, 60.0, 3.0};
inline constexpr double tPpf[] = {12.706204736432095, 2.7764451051977987, 1.3562173340231976,
                                  2.6602830311506858, -3.1824463052842638};
inline constexpr double cX[] = {0.5, 3.84, 10.0, 40.0, 200.0, 1500.0, 0.01};
inline constexpr double cDf[] = {1.0, 1.0, 3.0, 10.0, 150.0, 1200.0, 20.0};
inline constexpr double cSf[] = {0.47950012218695337,
                                 0.05004352124870519,
                                 0.01856613546304325,
                                 1.694474393006737e-05,
                                 0.003973185970821635,
                                 6.341071285724709e-09,
                                 1.0};
inline constexpr double gA[] = {0.5, 3.0, 10.0, 100.0};
inline constexpr double gX[] = {0.2, 2.5, 15.0, 90.0};
inline constexpr double gQ[] = {0.5270892568655381, 0.5438131158833297, 0.06985366069940986,
                                0.84177901081357};
inline constexpr double pdfZ[] = {-2.0, 0.0, 0.7};
inline constexpr double pdf[] = {0.05399096651318805, 0.3989422804014327, 0.31225393336676127};
} // namespace ref
// END FROZEN REFERENCES

namespace {

bool near(double a, double b, double tol) {
    return std::abs(a - b) <= tol * std::abs(b) || std::abs(a - b) < 1e-300;
}

} // namespace

class TestStatisticsDistributions : public QObject {
    Q_OBJECT
  private slots:
    void studentT() {
        for (std::size_t i = 0; i < std::size(ref::tT); ++i) {
            QVERIFY(near(stats::studentTCdf(ref::tT[i], ref::tDf[i]), ref::tCdf[i], 1e-9));
            QVERIFY(near(stats::studentTTwoSided(ref::tT[i], ref::tDf[i]), ref::tTwoSided[i], 1e-9));
        }
        for (std::size_t i = 0; i < std::size(ref::qP); ++i)
            QVERIFY(near(stats::studentTQuantile(ref::qP[i], ref::qDf[i]), ref::tPpf[i],
                         1e-8)); // the CDF is good to ~1e-10
        QVERIFY(std::isnan(stats::studentTCdf(1.0, 0.0)));
    }

    void chiSquareAndGamma() {
        for (std::size_t i = 0; i < std::size(ref::cX); ++i)
            QVERIFY2(near(stats::chiSquareSf(ref::cX[i], ref::cDf[i]), ref::cSf[i], 1e-9),
                     qPrintable(QString::number(i)));
        for (std::size_t i = 0; i < std::size(ref::gA); ++i)
            QVERIFY(near(stats::regularizedGammaQ(ref::gA[i], ref::gX[i]), ref::gQ[i], 1e-12));
        QCOMPARE(stats::chiSquareSf(0.0, 3), 1.0);
        // One degree of freedom agrees with the erfc form already in statistics.h.
        QVERIFY(near(stats::chiSquareSf(2.7, 1), stats::chiSquare1Sf(2.7), 1e-13));
    }

    void normalDensity() {
        for (std::size_t i = 0; i < std::size(ref::pdfZ); ++i)
            QVERIFY(near(stats::normalPdf(ref::pdfZ[i]), ref::pdf[i], 1e-15));
    }

    void medianAndWeightedPercentile() {
        // numpy.median: the middle value, or the mean of the two middle values.
        QCOMPARE(stats::median({3, 1, 2}), 2.0);
        QCOMPARE(stats::median({4, 1, 3, 2}), 2.5);
        QVERIFY(std::isnan(stats::median({})));
        // scikit-learn's _weighted_percentile: values sorted 1, 2, 3, 4 with weights 1, 1, 1, 1 give
        // cumulative 1, 2, 3, 4; half the total is 2, reached at value 2 (the lower median, not 2.5).
        const std::vector<double> v{4, 1, 3, 2}, w{1, 1, 1, 1};
        QCOMPARE(stats::weightedPercentile(v, w, 0.5), 2.0);
        // Weights 1, 1, 1, 5 on 1, 2, 3, 4: cumulative 1, 2, 3, 8; half of 8 is 4, first reached at value 4.
        const std::vector<double> v2{1, 2, 3, 4}, w2{1, 1, 1, 5};
        QCOMPARE(stats::weightedPercentile(v2, w2, 0.5), 4.0);
        // A zero target skips leading zero weights: weights 0, 1 and q = 0 give the second value.
        QCOMPARE(stats::weightedPercentile(std::vector<double>{1, 2}, std::vector<double>{0, 1}, 0.0), 2.0);
    }
};

QTEST_APPLESS_MAIN(TestStatisticsDistributions)
#include "test_statistics_distributions.moc"
