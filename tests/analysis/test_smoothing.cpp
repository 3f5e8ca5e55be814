// Tests the curve smoothers against values computed independently with pandas and direct formulas.
#include "core/analysis/smoothing.h"

#include <cmath>
#include <limits>
#include <QtTest>
#include <vector>

using namespace runlens;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const std::vector<double> kY{1.0, 3.0, 2.0, 5.0, 4.0, 8.0, 6.0};

void compareVectors(const std::vector<double>& got, const std::vector<double>& want, double tol = 1e-12) {
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        if (std::isnan(want[i])) {
            QVERIFY2(std::isnan(got[i]), qPrintable(QString("index %1 should be NaN").arg(i)));
            continue;
        }
        if (std::isinf(want[i])) {
            QCOMPARE(got[i], want[i]);
            continue;
        }
        QVERIFY2(
            std::abs(got[i] - want[i]) <= tol,
            qPrintable(
                QString("index %1: got %2 want %3").arg(i).arg(got[i], 0, 'g', 17).arg(want[i], 0, 'g', 17)));
    }
}

} // namespace

class TestSmoothing : public QObject {
    Q_OBJECT
  private slots:
    void emaMatchesPandasEwm() {
        // python3: pd.Series([1,3,2,5,4,8,6]).ewm(alpha=1-0.6, adjust=True).mean()
        // (adjust=True is the debiased EMA for an all-finite series)
        const std::vector<double> want{1.0,
                                       2.25,
                                       2.122448979591837,
                                       3.4448529411764706,
                                       3.6856349757113116,
                                       5.4958378088077335,
                                       5.7033105954857914};
        compareVectors(smoothEma(kY, 0.6), want);
    }

    void emaLongSeriesMatchesTheDefinition() {
        // The all-finite path splits the recurrence in two halves; it must agree with TensorBoard's serial
        // definition (written out here) on long series of odd and even length and for heavy smoothing.
        for (const std::size_t n :
             {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{10001}, std::size_t{20000}}) {
            for (const double w : {0.3, 0.9, 0.999}) {
                std::vector<double> values(n);
                for (std::size_t i = 0; i < n; ++i)
                    values[i] = std::sin(0.01 * static_cast<double>(i)) + 0.001 * static_cast<double>(i % 7);
                std::vector<double> want(n);
                double last = 0, decay = 1;
                for (std::size_t i = 0; i < n; ++i) {
                    last = last * w + (1 - w) * values[i];
                    decay *= w;
                    want[i] = last / (1 - decay);
                }
                compareVectors(smoothEma(values, w), want, 1e-11);
            }
        }
    }

    void emaSkipsNonFiniteWithoutUpdating() {
        // Worked by hand, w = 0.5: y=1 -> last 0.5, out 0.5/0.5 = 1; NaN passes; y=3 -> last 1.75,
        // out 1.75/0.75; +Inf passes; y=2 -> last 1.875, out 1.875/0.875. Same as pandas ewm on [1,3,2].
        const std::vector<double> y{1.0, std::nan(""), 3.0, kInf, 2.0};
        const std::vector<double> want{1.0, std::nan(""), 1.75 / 0.75, kInf, 1.875 / 0.875};
        compareVectors(smoothEma(y, 0.5), want);
    }

    void emaConstantSeriesUnchanged() {
        // TensorBoard returns a series whose finite values are all equal untouched (NaN stays NaN).
        const std::vector<double> y{0.1, 0.1, std::nan(""), 0.1, 0.1};
        compareVectors(smoothEma(y, 0.9), y, 0.0);
    }

    void emaWeightZeroAndOutOfRange() {
        compareVectors(smoothEma(kY, 0.0), kY, 0.0);
        compareVectors(smoothEma(kY, -1.0), kY, 0.0);
        compareVectors(smoothEma(kY, std::nan("")), kY, 0.0);
        const auto clamped = smoothEma(kY, 1.5); // clamped to 0.999: still finite and debiased
        QCOMPARE(clamped.front(), 1.0);
        for (double v : clamped)
            QVERIFY(std::isfinite(v));
        QVERIFY(smoothEma({}, 0.5).empty());
    }

    void timeWeightedEmaEvenSpacingEqualsEma() {
        const std::vector<double> x{0, 10, 20, 30, 40, 50, 60};
        compareVectors(smoothTimeWeightedEma(x, kY, 0.6), smoothEma(kY, 0.6), 1e-12);
    }

    void timeWeightedEmaDecaysOverPause() {
        // x has a pause of 10 gaps; median gap 1. Reference from the definition in the header, in python3:
        // [sum(w**(x[i]-x[j])*y[j] for j<=i) / sum(w**(x[i]-x[j]) for j<=i) for i in range(7)], w = 0.6
        const std::vector<double> x{0, 1, 2, 3, 13, 14, 15};
        const std::vector<double> want{1.0,
                                       2.25,
                                       2.122448979591837,
                                       3.4448529411764706,
                                       3.9927905439242117,
                                       6.484999793939336,
                                       6.238147480710572};
        compareVectors(smoothTimeWeightedEma(x, kY, 0.6), want, 1e-12);
    }

    void gaussianMatchesDirectKernel() {
        // w = 0.6 -> sigma 1.5, radius 5; python3 direct kernel with edge renormalisation:
        // [sum(exp(-0.5*((j-i)/1.5)**2)*y[j]) / sum(exp(-0.5*((j-i)/1.5)**2)) over |j-i|<=5 inside]
        const std::vector<double> want{2.1206369965024474, 2.5943133496798882, 3.2655634375310907,
                                       4.134400936756472,  5.054369229801148,  5.7928047086351295,
                                       6.217705332066063};
        compareVectors(smoothGaussian(kY, 0.6), want, 1e-12);
    }

    void runningAverageMatchesPandasRolling() {
        // w = 0.5 -> 1 point per side: pd.Series(y).rolling(3, center=True, min_periods=1).mean()
        compareVectors(smoothRunningAverage(kY, 0.5),
                       {2.0, 2.0, 3.3333333333333335, 3.6666666666666665, 5.666666666666667, 6.0, 7.0},
                       1e-12);
        // w = 0.7 -> round(2.33) = 2 per side: rolling(5, center=True, min_periods=1).mean()
        compareVectors(smoothRunningAverage(kY, 0.7), {2.0, 2.75, 3.0, 4.4, 5.0, 5.75, 6.0}, 1e-12);
        compareVectors(smoothRunningAverage(kY, 0.0), kY, 0.0);
    }

    void runningAverageSkipsNaN() {
        // NaN stays, neighbours average only finite values: index 0 -> mean(1) window [0,1] = 1 (NaN
        // skipped).
        const std::vector<double> y{1.0, std::nan(""), 3.0, 5.0};
        compareVectors(smoothRunningAverage(y, 0.5), {1.0, std::nan(""), 4.0, 4.0}, 1e-12);
    }

    void parseAndDispatch() {
        Smoother s = Smoother::Ema;
        QVERIFY(parseSmoother("gaussian", s));
        QCOMPARE(s, Smoother::Gaussian);
        QVERIFY(parseSmoother("twema", s));
        QCOMPARE(s, Smoother::TimeWeightedEma);
        QVERIFY(!parseSmoother("median", s));
        QCOMPARE(smootherName(Smoother::RunningAverage), std::string_view("average"));
        const std::vector<double> x{0, 1, 2, 3, 4, 5, 6};
        compareVectors(smooth(Smoother::Ema, x, kY, 0.6), smoothEma(kY, 0.6), 0.0);
        compareVectors(smooth(Smoother::RunningAverage, x, kY, 0.5), smoothRunningAverage(kY, 0.5), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestSmoothing)
#include "test_smoothing.moc"
