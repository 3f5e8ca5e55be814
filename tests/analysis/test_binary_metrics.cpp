// Binary metrics against scikit-learn 1.2 on the breast-cancer fixture, plus hand-worked edge cases.
#include "core/analysis/baselines.h"
#include "core/analysis/binary_metrics.h"
#include "tests/common/eval_test_util.h"
#include "tests/data/eval/sklearn_refs.h"

#include <QtTest>

using namespace runlens;
using runlens::testutil::loadBreastCancer;

class TestBinaryMetrics : public QObject {
    Q_OBJECT
  private slots:
    void fixtureMatchesReferenceSize() {
        const auto f = loadBreastCancer();
        QCOMPARE(qint64(f.labels.size()), qint64(refs::bcRows));
        QCOMPARE(qint64(std::count(f.labels.begin(), f.labels.end(), 1)), qint64(refs::bcPositives));
    }

    void matchesSklearnAtHalf() {
        const auto f = loadBreastCancer();
        const auto m = binaryMetrics(f.labels, f.scores, 0.5);
        RL_COMPARE_NEAR(m.accuracy, refs::bcAccuracy, 1e-12);
        RL_COMPARE_NEAR(m.precision, refs::bcPrecision, 1e-12);
        RL_COMPARE_NEAR(m.recall, refs::bcRecall, 1e-12);
        RL_COMPARE_NEAR(m.f1, refs::bcF1, 1e-12);
        RL_COMPARE_NEAR(m.logLoss, refs::bcLogLoss, 1e-9);
        RL_COMPARE_NEAR(m.brier, refs::bcBrier, 1e-12);
        RL_COMPARE_NEAR(m.rocAuc, refs::bcRocAuc, 1e-12);
        RL_COMPARE_NEAR(m.averagePrecision, refs::bcAveragePrecision, 1e-12);
        QCOMPARE(m.confusion.tn, refs::bcConfusion[0]);
        QCOMPARE(m.confusion.fp, refs::bcConfusion[1]);
        QCOMPARE(m.confusion.fn, refs::bcConfusion[2]);
        QCOMPARE(m.confusion.tp, refs::bcConfusion[3]);
    }

    void matchesSklearnAtOtherThreshold() {
        const auto f = loadBreastCancer();
        const auto m = binaryMetrics(f.labels, f.scores, 0.3);
        RL_COMPARE_NEAR(m.accuracy, refs::bcAccuracyAt03, 1e-12);
        RL_COMPARE_NEAR(m.precision, refs::bcPrecisionAt03, 1e-12);
        RL_COMPARE_NEAR(m.recall, refs::bcRecallAt03, 1e-12);
        RL_COMPARE_NEAR(m.f1, refs::bcF1At03, 1e-12);
        QCOMPARE(m.confusion.fp, refs::bcConfusionAt03[1]);
        QCOMPARE(m.confusion.tp, refs::bcConfusionAt03[3]);
    }

    void predictionColumnReplacesThreshold() {
        // Hand-worked: labels 1,1,0,0 and predictions 1,0,1,0 -> tp 1, fn 1, fp 1, tn 1.
        const std::vector<int> labels{1, 1, 0, 0}, pred{1, 0, 1, 0};
        const std::vector<double> scores{0.9, 0.8, 0.2, 0.1}; // would give accuracy 1 at 0.5
        const auto m = binaryMetrics(labels, scores, 0.5, pred);
        QCOMPARE(m.accuracy, 0.5);
        QCOMPARE(m.precision, 0.5);
        QCOMPARE(m.recall, 0.5);
        QVERIFY(std::isnan(m.threshold));
        QCOMPARE(m.rocAuc, 1.0);
    }

    void tiesCountHalf() {
        // Hand-worked: one positive and one negative with the same score -> AUC 0.5; plus a clean pair.
        // Pairs (pos, neg): (0.5,0.5) tie = 0.5, (0.5,0.1) = 1, (0.9,0.5) = 1, (0.9,0.1) = 1 -> 3.5 / 4.
        const std::vector<int> labels{1, 0, 1, 0};
        const std::vector<double> scores{0.5, 0.5, 0.9, 0.1};
        QCOMPARE(rocAuc(labels, scores), 3.5 / 4.0);
        // AP: thresholds 0.9 (P 1, R .5), 0.5 (P 2/3, R 1) -> 0.5*1 + 0.5*2/3.
        RL_COMPARE_NEAR(averagePrecision(labels, scores), 0.5 + 0.5 * 2.0 / 3.0, 1e-15);
    }

    void logLossClipsLikeSklearn() {
        // Certain and wrong: p clipped to eps, loss = -ln(2.220446049250313e-16) = 36.04365338911715.
        const std::vector<int> labels{1, 0};
        const std::vector<double> scores{0.0, 1.0};
        RL_COMPARE_NEAR(logLoss(labels, scores), 36.04365338911715, 1e-9);
    }

    void degenerateInputsGiveNaNNotCrash() {
        const std::vector<int> onlyPositive{1, 1};
        const std::vector<double> s{0.2, 0.7};
        QVERIFY(std::isnan(rocAuc(onlyPositive, s)));
        const std::vector<int> onlyNegative{0, 0};
        QVERIFY(std::isnan(averagePrecision(onlyNegative, s)));
        const auto empty = binaryMetrics(std::vector<int>{}, std::vector<double>{});
        QCOMPARE(empty.n, qint64(0));
        QVERIFY(std::isnan(empty.logLoss));
        QCOMPARE(precisionOf(ConfusionMatrix{5, 0, 3, 0}), 0.0); // zero_division = 0
    }

    void baselines() {
        const auto f = loadBreastCancer();
        const double pi = double(refs::bcPositives) / double(refs::bcRows);
        const auto all = binaryBaselines(f.labels, 0.5, 7);
        QCOMPARE(all.size(), std::size_t(3));
        const auto& uniform = all[0];
        QCOMPARE(uniform.metrics.rocAuc, 0.5);
        RL_COMPARE_NEAR(uniform.metrics.brier, 1.0 / 3.0, 1e-15);
        RL_COMPARE_NEAR(uniform.metrics.accuracy, 0.5, 1e-15); // pi/2 + (1-pi)/2
        QVERIFY(!uniform.simulated.empty());
        // Zero rule: the majority (benign = 1 here) always -> accuracy = pi, recall 1.
        RL_COMPARE_NEAR(all[1].metrics.accuracy, std::max(pi, 1 - pi), 1e-15);
        // Prior: all scores equal -> AUC 0.5 (one tie group), AP = pi, Brier = pi (1 - pi).
        RL_COMPARE_NEAR(all[2].metrics.rocAuc, 0.5, 1e-15);
        RL_COMPARE_NEAR(all[2].metrics.averagePrecision, pi, 1e-15);
        RL_COMPARE_NEAR(all[2].metrics.brier, pi * (1 - pi), 1e-15);
        // The same seed draws the same scores.
        QCOMPARE(baselineScores(BaselineKind::UniformRandom, f.labels, 7), uniform.scores);
    }
};

QTEST_APPLESS_MAIN(TestBinaryMetrics)
#include "test_binary_metrics.moc"
