// Calibration bins, errors and intervals against scikit-learn's calibration_curve, statsmodels and scipy.
#include "core/analysis/calibration.h"
#include "tests/common/eval_test_util.h"
#include "tests/data/eval/sklearn_refs.h"

#include <chrono>
#include <ctime>
#include <QtTest>
#include <random>

using namespace runlens;
using runlens::testutil::loadBreastCancer;

namespace {

template <std::size_t N>
void compareBins(const CalibrationReport& r, const long long (&count)[N], const double (&probTrue)[N],
                 const double (&probPred)[N]) {
    QCOMPARE(r.bins.size(), N);
    for (std::size_t i = 0; i < N; ++i) {
        QCOMPARE(r.bins[i].count, count[i]);
        RL_COMPARE_NEAR(r.bins[i].fractionPositive, probTrue[i], 1e-12);
        RL_COMPARE_NEAR(r.bins[i].meanPredicted, probPred[i], 1e-12);
    }
}

} // namespace

class TestCalibration : public QObject {
    Q_OBJECT
  private slots:
    void uniformBinsMatchSklearn() {
        const auto f = loadBreastCancer();
        CalibrationOptions o;
        o.bins = 10;
        o.consistencyBands = true;
        const auto r = calibrationReport(f.labels, f.scores, o);
        compareBins(r, refs::bcUniform10Count, refs::bcUniform10ProbTrue, refs::bcUniform10ProbPred);
        for (std::size_t i = 0; i < r.bins.size(); ++i) {
            RL_COMPARE_NEAR(r.bins[i].ciLow, refs::bcUniform10WilsonLow[i], 1e-9);
            RL_COMPARE_NEAR(r.bins[i].ciHigh, refs::bcUniform10WilsonHigh[i], 1e-9);
            RL_COMPARE_NEAR(r.bins[i].consistencyLow, refs::bcUniform10ConsistencyLow[i], 1e-12);
            RL_COMPARE_NEAR(r.bins[i].consistencyHigh, refs::bcUniform10ConsistencyHigh[i], 1e-12);
        }
        RL_COMPARE_NEAR(r.ece, refs::bcUniform10Ece, 1e-12);
        RL_COMPARE_NEAR(r.mce, refs::bcUniform10Mce, 1e-12);
        RL_COMPARE_NEAR(r.aceAvgBins, refs::bcUniform10AceAvgBins, 1e-12);
        RL_COMPARE_NEAR(r.l2CeDebiased, refs::bcUniform10L2Debiased, 1e-12);
        RL_COMPARE_NEAR(r.brier, refs::bcBrier, 1e-12);
        RL_COMPARE_NEAR(r.brierDecomposition.reliability, refs::bcUniform10Reliability, 1e-12);
        RL_COMPARE_NEAR(r.brierDecomposition.resolution, refs::bcUniform10Resolution, 1e-12);
        RL_COMPARE_NEAR(r.brierDecomposition.uncertainty, refs::bcUniform10Uncertainty, 1e-12);
        RL_COMPARE_NEAR(r.brierDecomposition.residual, refs::bcUniform10Residual, 1e-12);
    }

    void quantileBinsMatchSklearn() {
        const auto f = loadBreastCancer();
        CalibrationOptions o;
        o.bins = 5;
        o.strategy = BinStrategy::Quantile;
        o.interval = IntervalMethod::ClopperPearson;
        o.consistencyBands = true;
        const auto r = calibrationReport(f.labels, f.scores, o);
        compareBins(r, refs::bcQuantile5Count, refs::bcQuantile5ProbTrue, refs::bcQuantile5ProbPred);
        for (std::size_t i = 0; i < r.bins.size(); ++i) {
            RL_COMPARE_NEAR(r.bins[i].ciLow, refs::bcQuantile5BetaLow[i], 1e-9);
            RL_COMPARE_NEAR(r.bins[i].ciHigh, refs::bcQuantile5BetaHigh[i], 1e-9);
            RL_COMPARE_NEAR(r.bins[i].consistencyLow, refs::bcQuantile5ConsistencyLow[i], 1e-12);
            RL_COMPARE_NEAR(r.bins[i].consistencyHigh, refs::bcQuantile5ConsistencyHigh[i], 1e-12);
        }
        RL_COMPARE_NEAR(r.ece, refs::bcQuantile5Ece, 1e-12);
        RL_COMPARE_NEAR(r.l2CeDebiased, refs::bcQuantile5L2Debiased, 1e-12);
        RL_COMPARE_NEAR(r.brierDecomposition.residual, refs::bcQuantile5Residual, 1e-12);
    }

    void edgeScoresFollowSearchsortedLeft() {
        // scikit-learn 1.2 calibration_curve: np.searchsorted(bins[1:-1], p) (side='left'), so bins are (a,
        // b]: 0.5 lies in the first of two bins, 0 in the first and 1 in the last. Hand-worked.
        const std::vector<int> labels{0, 1, 1, 0};
        const std::vector<double> scores{0.0, 0.5, 1.0, 0.5000001};
        CalibrationOptions o;
        o.bins = 2;
        const auto r = calibrationReport(labels, scores, o);
        QCOMPARE(r.bins.size(), std::size_t(2));
        QCOMPARE(r.bins[0].count, qint64(2)); // 0.0 and 0.5
        QCOMPARE(r.bins[1].count, qint64(2)); // 0.5000001 and 1.0
        QCOMPARE(r.bins[0].fractionPositive, 0.5);
    }

    void emptyBinsHaveNoPoint() {
        const std::vector<int> labels{0, 1};
        const std::vector<double> scores{0.05, 0.95};
        const auto r = calibrationReport(labels, scores, {});
        QCOMPARE(r.bins.size(), std::size_t(2));
        // |0.05 - 0| and |0.95 - 1| -> ECE 0.05, MCE 0.05; single-example bins add 0 to the debiased L2.
        RL_COMPARE_NEAR(r.ece, 0.05, 1e-15);
        RL_COMPARE_NEAR(r.mce, 0.05, 1e-15);
        QCOMPARE(r.l2CeDebiased, 0.0);
    }

    void intervalsMatchStatsmodels() {
        for (std::size_t i = 0; i < std::size(refs::ciCount); ++i) {
            const auto w = wilsonInterval(refs::ciCount[i], refs::ciNobs[i]);
            RL_COMPARE_NEAR(w.first, refs::ciWilsonLow[i], 1e-12);
            RL_COMPARE_NEAR(w.second, refs::ciWilsonHigh[i], 1e-12);
            const auto b = clopperPearsonInterval(refs::ciCount[i], refs::ciNobs[i]);
            RL_COMPARE_NEAR(b.first, refs::ciBetaLow[i], 1e-10);
            RL_COMPARE_NEAR(b.second, refs::ciBetaHigh[i], 1e-10);
        }
        // scipy.stats.norm.isf(0.025) = 1.959963984540054
        RL_COMPARE_NEAR(normalQuantile(0.975), 1.959963984540054, 1e-14);
        // scipy.special.betainc(2, 3, 0.4) = 0.5248 (hand: 1 - sum_{j<2} C(4,j) .4^j .6^(4-j) =
        // 1-.1296-.3456)
        RL_COMPARE_NEAR(regularizedIncompleteBeta(0.4, 2, 3), 0.5248, 1e-14);
    }

    void multiclassTopLabelAndClasswise() {
        const auto f = testutil::loadIris();
        const auto top = topLabelCalibration(f.labels, f.probs, f.k);
        RL_COMPARE_NEAR(top.ece, refs::irisTopLabelEce, 1e-12);
        const auto cw = classwiseCalibration(f.labels, f.probs, f.k);
        QCOMPARE(cw.perClass.size(), std::size_t(3));
        RL_COMPARE_NEAR(cw.meanEce, refs::irisClasswiseEce, 1e-12);
    }

    void millionPredictionsTiming() {
        // Not a budget assertion (tests never assert times); prints the scratch timing for the report.
        std::mt19937_64 rng(3);
        const std::size_t n = 1'000'000;
        std::vector<double> scores(n);
        std::vector<int> labels(n);
        for (std::size_t i = 0; i < n; ++i) {
            scores[i] = double(rng() >> 11) * 0x1.0p-53;
            labels[i] = double(rng() >> 11) * 0x1.0p-53 < scores[i] ? 1 : 0;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t cpu0 = std::clock();
        const auto ranked = rankScores(labels, scores);
        const auto m = binaryMetrics(ranked, labels, scores);
        CalibrationOptions o;
        o.strategy = BinStrategy::Quantile;
        const auto r = calibrationReport(ranked, labels, scores, o);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        const double cpuMs = 1000.0 * double(std::clock() - cpu0) / CLOCKS_PER_SEC;
        qInfo("calibration + binary metrics on 1M predictions: %.1f ms wall, %.1f ms CPU", ms, cpuMs);
        // Calibrated by construction, so ECE is near 0. Scores of positives have density 2s, of negatives
        // 2(1-s): AUC = P(S+ > S-) = 4 * int_0^1 a (a - a^2/2) da = 4 (1/3 - 1/8) = 5/6.
        QVERIFY(r.ece < 0.01);
        QVERIFY(std::fabs(m.rocAuc - 5.0 / 6.0) < 0.005);
    }
};

QTEST_APPLESS_MAIN(TestCalibration)
#include "test_calibration.moc"
