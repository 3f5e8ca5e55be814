// Tests the power-law learning-curve fit on synthetic data with known parameters, noise and extrapolation.
#include "core/analysis/power_law_fit.h"

#include <cmath>
#include <QtTest>
#include <random>

using namespace runlens;

namespace {

// Standard normal draws by Box-Muller on the engine's raw 53-bit uniforms, so values do not depend on the
// standard library's distribution implementation.
class Normal {
  public:
    explicit Normal(std::uint64_t seed) : m_rng(seed) {}
    double next() {
        const double u1 = (static_cast<double>(m_rng() >> 11) + 0.5) / 9007199254740992.0; // (0, 1)
        const double u2 = static_cast<double>(m_rng() >> 11) / 9007199254740992.0;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

  private:
    std::mt19937_64 m_rng;
};

struct Data {
    std::vector<double> sizes, values;
};

// Sizes 10^2, 10^2.25, ..., 10^5 (13 sizes), `repeats` runs each, value = truth * (1 + noise * z).
Data synthetic(double a, double b, double c, double noise, int repeats, std::uint64_t seed) {
    Data d;
    Normal normal(seed);
    for (int k = 0; k <= 12; ++k) {
        const double m = std::pow(10.0, 2.0 + 0.25 * k);
        for (int r = 0; r < repeats; ++r) {
            d.sizes.push_back(m);
            d.values.push_back((a * std::pow(m, b) + c) * (1.0 + noise * normal.next()));
        }
    }
    return d;
}

void withinRelative(double got, double want, double rel, const char* what) {
    QVERIFY2(std::abs(got - want) <= rel * std::abs(want),
             qPrintable(QString("%1: got %2 want %3").arg(what).arg(got, 0, 'g', 12).arg(want, 0, 'g', 12)));
}

} // namespace

class TestPowerLawFit : public QObject {
    Q_OBJECT
  private slots:
    void noiseFreeFitIsExact() {
        const Data d = synthetic(2.0, -0.5, 0.1, 0.0, 1, 1);
        const PowerLawFit fit = fitPowerLaw(d.sizes, d.values);
        QVERIFY2(fit.ok, fit.error.c_str());
        QVERIFY(std::abs(fit.a - 2.0) < 1e-6);
        QVERIFY(std::abs(fit.b + 0.5) < 1e-6);
        QVERIFY(std::abs(fit.c - 0.1) < 1e-6);
        QVERIFY(fit.rmse < 1e-9);
        QCOMPARE(fit.dof, 10);
    }

    void noisyFitRecoversParameters() {
        // a = 2, b = -0.5, c = 0.1, 1% multiplicative noise, 10 runs per size (130 points), fixed seed.
        // (With 3 runs per size the standard error of a is ~0.07, too close to the 5% tolerance.)
        const Data d = synthetic(2.0, -0.5, 0.1, 0.01, 10, 12345);
        const PowerLawFit fit = fitPowerLaw(d.sizes, d.values);
        QVERIFY2(fit.ok, fit.error.c_str());
        withinRelative(fit.a, 2.0, 0.05, "a");
        withinRelative(fit.b, -0.5, 0.05, "b");
        withinRelative(fit.c, 0.1, 0.05, "c");
        // Parameter standard errors are positive and finite.
        for (int i = 0; i < 3; ++i)
            QVERIFY(fit.covariance[i][i] > 0 && std::isfinite(fit.covariance[i][i]));
        // Extrapolating 10x beyond the data is less certain than predicting inside it.
        const PowerLawPrediction inside = predictPowerLaw(fit, 3000.0);
        const PowerLawPrediction outside = predictPowerLaw(fit, 1e6);
        QVERIFY(inside.lower < inside.value && inside.value < inside.upper);
        QVERIFY(outside.upper - outside.lower > inside.upper - inside.lower);
        // The interval inside the data covers the true curve (2/sqrt(3000) + 0.1).
        const double truth = 2.0 / std::sqrt(3000.0) + 0.1;
        QVERIFY(inside.lower <= truth && truth <= inside.upper);
    }

    void matchesScipyCurveFit() {
        // Same data (written out by this generator, seed 12345, 3 runs per size) fitted by scipy 1.10:
        // p, cov = scipy.optimize.curve_fit(lambda m, a, b, c: a*m**b + c, m, y, p0=[1, -0.3, 0.05],
        //                                   xtol=1e-15, ftol=1e-15); np.sqrt(np.diag(cov))
        const Data d = synthetic(2.0, -0.5, 0.1, 0.01, 3, 12345);
        const PowerLawFit fit = fitPowerLaw(d.sizes, d.values);
        QVERIFY(fit.ok);
        withinRelative(fit.a, 1.8564021849560504, 1e-6, "a");
        withinRelative(fit.b, -0.4829419324434077, 1e-6, "b");
        withinRelative(fit.c, 0.09834891265734547, 1e-6, "c");
        withinRelative(std::sqrt(fit.covariance[0][0]), 0.0691003886435933, 1e-4, "se(a)");
        withinRelative(std::sqrt(fit.covariance[1][1]), 0.008241400777090353, 1e-4, "se(b)");
        withinRelative(std::sqrt(fit.covariance[2][2]), 0.0010243937507278767, 1e-4, "se(c)");
    }

    void deltaMethodMatchesIndependentCovariance() {
        // Check the delta-method variance against a finite-difference gradient through valueAt() and the
        // reported covariance of (a, b, c): the two parameterisations must agree.
        const Data d = synthetic(2.0, -0.5, 0.1, 0.01, 3, 777);
        const PowerLawFit fit = fitPowerLaw(d.sizes, d.values);
        QVERIFY(fit.ok);
        const double m = 5e5;
        const double g[3] = {std::pow(m, fit.b), fit.a * std::pow(m, fit.b) * std::log(m), 1.0};
        double var = 0;
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c)
                var += g[r] * fit.covariance[r][c] * g[c];
        const PowerLawPrediction p = predictPowerLaw(fit, m);
        // t(.975, 36) = 2.0280940009804502 (scipy.stats.t.ppf(0.975, 36)); 13 sizes x 3 runs - 3 = 36 dof.
        withinRelative((p.upper - p.lower) / 2.0, 2.0280940009804502 * std::sqrt(var), 1e-6, "half width");
    }

    void increasingMetricFitsWithNegativeA() {
        // Accuracy rising to 0.9: value = 0.9 - 3 m^-0.4, i.e. a = -3.
        const Data d = synthetic(-3.0, -0.4, 0.9, 0.0, 1, 1);
        const PowerLawFit fit = fitPowerLaw(d.sizes, d.values);
        QVERIFY2(fit.ok, fit.error.c_str());
        QVERIFY(std::abs(fit.a + 3.0) < 1e-6);
        QVERIFY(std::abs(fit.b + 0.4) < 1e-6);
        QVERIFY(std::abs(fit.c - 0.9) < 1e-6);
    }

    void bootstrapIsReproducible() {
        const Data d = synthetic(2.0, -0.5, 0.1, 0.01, 1, 99);
        const PowerLawFit fit = fitPowerLaw(d.sizes, d.values);
        QVERIFY(fit.ok);
        const PowerLawPrediction p1 = predictPowerLawBootstrap(fit, 1e6, 100, 42);
        const PowerLawPrediction p2 = predictPowerLawBootstrap(fit, 1e6, 100, 42);
        QVERIFY(p1.hasBootstrap);
        QCOMPARE(p1.bootSeed, std::uint64_t(42));
        QCOMPARE(p1.bootLower, p2.bootLower);
        QCOMPARE(p1.bootUpper, p2.bootUpper);
        QVERIFY(p1.bootLower < p1.value && p1.value < p1.bootUpper);
    }

    void tooFewSizesIsAnError() {
        const std::vector<double> sizes{100, 100, 1000, 1000, 10000, 10000};
        const std::vector<double> values{0.3, 0.31, 0.16, 0.17, 0.12, 0.12};
        const PowerLawFit fit = fitPowerLaw(sizes, values);
        QVERIFY(!fit.ok);
        QVERIFY(fit.error.find(">= 4 distinct") != std::string::npos);
        QVERIFY(std::isnan(predictPowerLaw(fit, 10.0).value));
        // Non-positive and non-finite sizes do not count.
        const std::vector<double> bad{-1, 0, NAN, 10, 100, 1000};
        QVERIFY(!fitPowerLaw(bad, std::vector<double>(6, 0.5)).ok);
        const std::vector<double> flatSizes{10, 100, 1000, 10000};
        QVERIFY(!fitPowerLaw(flatSizes, std::vector<double>(4, 0.5)).ok); // constant: nothing to fit
    }
};

QTEST_APPLESS_MAIN(TestPowerLawFit)
#include "test_power_law_fit.moc"
