// Issue 14's numeric classes of bug: quantile bin edges at numpy's linear percentiles with the position
// (n-1)k/B exact (an edge that lands on a score is that score), Wilson bounds exactly 0 at k = 0 and 1 at
// k = n, and the uniform-random baselines' exact expectations. Reference values from
// `/usr/bin/python3 tests/tools/gen_numbers_refs.py` (numpy 1.24, scipy 1.10, statsmodels 0.13), frozen here.
#include "core/analysis/baselines.h"
#include "core/analysis/calibration.h"
#include "core/analysis/number_format.h"
#include "core/analysis/power_law_fit.h"
#include "core/analysis/statistics.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

// round(i/(n-1) * 0.9 + 0.05, 6): 0.05, 0.14, ... 0.95 for n = 11; decimals that double cannot hold
// exactly, so a floating-point position such as 10 * 0.7 = 7.000000000000001 misses the order statistic.
std::vector<double> gridScores(int n) {
    std::vector<double> s;
    for (int i = 0; i < n; ++i)
        s.push_back(std::round((double(i) / double(n - 1) * 0.9 + 0.05) * 1e6) / 1e6);
    return s;
}

} // namespace

class TestNumbersRefs : public QObject {
    Q_OBJECT
  private slots:
    void edgesLandOnScores() {
        // n = 11, B = 10: position (n-1)k/B = k, so every edge is the k-th score itself, for every k.
        const auto s = gridScores(11);
        const auto edges = quantileEdges(s, 10);
        QCOMPARE(edges.size(), std::size_t(11));
        for (std::size_t k = 0; k < edges.size(); ++k)
            QCOMPARE(edges[k], s[k]); // exact: not one ulp below or above
        // n = 21, B = 4: positions 0, 5, 10, 15, 20.
        const auto s21 = gridScores(21);
        const auto e21 = quantileEdges(s21, 4);
        for (std::size_t k = 0; k < e21.size(); ++k)
            QCOMPARE(e21[k], s21[5 * k]);
    }

    void landingEdgesKeepEveryExampleInItsBin() {
        // Bins are (a, b], the first also holds its lower edge: with edges on s[0..10] the first bin holds
        // s[0] and s[1], each later bin exactly one score. Labels alternate; counts are what matters.
        const auto s = gridScores(11);
        std::vector<int> labels;
        for (int i = 0; i < 11; ++i)
            labels.push_back(i % 2);
        CalibrationOptions options;
        options.bins = 10;
        options.strategy = BinStrategy::Quantile;
        const auto report = calibrationReport(labels, s, options);
        QCOMPARE(report.bins.size(), std::size_t(10));
        QCOMPARE(report.bins[0].count, std::int64_t(2));
        for (std::size_t b = 1; b < report.bins.size(); ++b) {
            QCOMPARE(report.bins[b].count, std::int64_t(1));
            QCOMPARE(report.bins[b].upper, s[b + 1]);
            QCOMPARE(report.bins[b].meanPredicted, s[b + 1]);
        }
    }

    void edgesBetweenScoresMatchNumpy() {
        // n = 13, B = 5: positions 2.4, 4.8, 7.2, 9.6 fall between scores.
        // np.percentile(scores(13), np.linspace(0, 1, 6) * 100):
        const double numpyEdges[] = {
            0.05, 0.23000000000000004, 0.41000000000000003, 0.5900000000000001, 0.7700000000000001, 0.95};
        const auto edges = quantileEdges(gridScores(13), 5);
        for (std::size_t k = 0; k < 6; ++k)
            QVERIFY2(std::abs(edges[k] - numpyEdges[k]) <= 2e-16,
                     qPrintable(QString::number(edges[k], 'g', 17)));
    }

    void fractionQuantileIsExact() {
        const std::vector<double> v{0.1, 0.2, 0.3, 0.7};
        QCOMPARE(stats::quantileAtFraction(v, 1, 3), 0.2); // position 1
        QCOMPARE(stats::quantileAtFraction(v, 3, 3), 0.7);
        // position 3 * 1/2 = 1.5: halfway between 0.2 and 0.3 (numpy: 0.25)
        QVERIFY(std::abs(stats::quantileAtFraction(v, 1, 2) - 0.25) < 1e-16);
        QVERIFY(std::isnan(stats::quantileAtFraction({}, 1, 2)));
    }

    void wilsonBoundsAtTheEnds() {
        // statsmodels proportion_confint(0, 7, method='wilson') = (2.7755575615628914e-17,
        // 0.3543304350666875): the lower bound is 0 in exact arithmetic; the residue is rounding.
        const auto [low0, high0] = wilsonInterval(0, 7);
        QCOMPARE(low0, 0.0);
        QVERIFY(std::abs(high0 - 0.3543304350666875) < 1e-15);
        // proportion_confint(7, 7, method='wilson') = (0.6456695649333125, 0.9999999999999999)
        const auto [low7, high7] = wilsonInterval(7, 7);
        QCOMPARE(high7, 1.0);
        QVERIFY(std::abs(low7 - 0.6456695649333125) < 1e-15);
        // proportion_confint(3, 7, method='wilson') = (0.15821985525146964, 0.7495416354723428)
        const auto [low3, high3] = wilsonInterval(3, 7);
        QVERIFY(std::abs(low3 - 0.15821985525146964) < 1e-15);
        QVERIFY(std::abs(high3 - 0.7495416354723428) < 1e-15);
        QVERIFY(std::isnan(wilsonInterval(0, 0).first));
    }

    void uniformRandomMulticlassIsExact() {
        // scipy.stats.dirichlet(ones(k)) moments and digamma(k) - digamma(1):
        // k=3: accuracy 1/3, brier 0.8333333333333334, log_loss 1.5
        // k=5: accuracy 0.2, brier 0.9333333333333333, log_loss 2.083333333333333
        struct Row {
            std::size_t k;
            double brier, logLoss;
        };
        for (const Row& row :
             {Row{3, 0.8333333333333334, 1.5}, Row{5, 0.9333333333333333, 2.083333333333333}}) {
            std::vector<int> labels;
            for (int i = 0; i < 50; ++i)
                labels.push_back(i % int(row.k));
            const auto all = multiclassBaselines(labels, row.k, 11);
            const auto& u = all.front();
            QCOMPARE(u.kind, BaselineKind::UniformRandom);
            QVERIFY(std::abs(u.metrics.accuracy - 1.0 / double(row.k)) < 1e-15);
            QVERIFY(std::abs(u.metrics.brier - row.brier) < 1e-15);
            QVERIFY(std::abs(u.metrics.logLoss - row.logLoss) < 1e-15);
            QCOMPARE(u.metrics.rocAucOvrMacro, 0.5);
            QVERIFY(std::find(u.expectedExactly.begin(), u.expectedExactly.end(), "brier") !=
                    u.expectedExactly.end());
            QVERIFY(!u.simulated.empty());
            QVERIFY(all[1].expectedExactly.empty()); // zero rule: computed, nothing simulated
        }
    }

    void uniformRandomBinaryPrecisionIsThePrior() {
        // The predicted positives of a random scorer are a random subset: E[TP / predicted] = pi = 3/10.
        std::vector<int> labels(10, 0);
        labels[0] = labels[4] = labels[7] = 1;
        const auto all = binaryBaselines(labels, 0.5, 3);
        QCOMPARE(all.front().metrics.precision, 0.3);
        QVERIFY(std::find(all.front().simulated.begin(), all.front().simulated.end(), "precision") ==
                all.front().simulated.end());
    }

    void digitsFollowTheInterval() {
        // statsmodels proportion_confint(8, 10, method='wilson') = (0.49016247153664183, 0.9433178485456247):
        // half-width 22.7 points -> no decimals.
        QCOMPARE(formatEstimate(0.8, 0.49016247153664183, 0.9433178485456247, true),
                 std::string("80% [49%, 94%]"));
        // proportion_confint(8000, 10000, method='wilson') = (0.7920456034485616, 0.8077239975290326):
        // half-width 0.78 points -> two decimals.
        QCOMPARE(formatEstimate(0.8, 0.7920456034485616, 0.8077239975290326, true),
                 std::string("80.00% [79.20%, 80.77%]"));
        // A bootstrap delta -0.0123 in [-0.0301, 0.0052]: half-width 0.0177 -> 3 decimals.
        QCOMPARE(formatEstimate(-0.0123, -0.0301, 0.0052, false), std::string("-0.012 [-0.030, 0.005]"));
        // The Wilson bound at k = 0 prints as a plain 0.
        const auto [low, high] = wilsonInterval(0, 7);
        QCOMPARE(formatEstimate(0.0, low, high, true), std::string("0% [0%, 35%]"));
        QCOMPARE(formatPValue(0.0312), std::string("0.031"));
        QCOMPARE(formatPValue(0.5), std::string("0.50"));
        QCOMPARE(formatPValue(1.0), std::string("1.0"));
        QCOMPARE(formatPValue(3e-7), std::string("< 0.0001"));
    }

    void learningCurvePredictionIntervalAddsRunNoise() {
        // Eight runs at 8 sizes around 0.1 + 2 m^-0.5 with +-0.01 noise: 5 degrees of freedom, and
        // scipy.stats.t.ppf(0.975, 5) = 2.5705818366147395. The mean-curve half-width h and the prediction
        // half-width H must satisfy H^2 = h^2 + t^2 s^2 (s^2 the residual variance): one new run adds its
        // noise.
        const std::vector<double> sizes{100, 200, 400, 800, 1600, 3200, 6400, 12800};
        std::vector<double> values;
        for (std::size_t i = 0; i < sizes.size(); ++i)
            values.push_back(0.1 + 2.0 / std::sqrt(sizes[i]) + (i % 2 ? 0.01 : -0.01));
        const auto fit = fitPowerLaw(sizes, values);
        QVERIFY2(fit.ok, fit.error.c_str());
        QCOMPARE(fit.dof, 5);
        const auto p = predictPowerLaw(fit, 50000);
        const double t = 2.5705818366147395;
        const double h = p.upper - p.value, H = p.predictionUpper - p.value;
        QVERIFY(H > h && h > 0);
        // studentTQuantile is good to about 1e-9 relative (2.57058183564 here), hence the tolerance.
        QVERIFY(std::abs(H * H - (h * h + t * t * fit.residualVariance)) < 1e-8 * H * H);
        QVERIFY(std::abs((p.value - p.predictionLower) - H) < 1e-12);
    }
};

QTEST_APPLESS_MAIN(TestNumbersRefs)
#include "test_numbers_refs.moc"
