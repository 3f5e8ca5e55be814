// Multiclass metrics against scikit-learn 1.2 on the iris fixture (LogisticRegression on two features).
#include "core/analysis/baselines.h"
#include "core/analysis/multiclass_metrics.h"
#include "tests/common/eval_test_util.h"
#include "tests/data/eval/sklearn_refs.h"

#include <QtTest>

using namespace runlens;

class TestMulticlassMetrics : public QObject {
    Q_OBJECT
  private slots:
    void matchesSklearn() {
        const auto f = testutil::loadIris();
        QCOMPARE(qint64(f.labels.size()), qint64(refs::irisRows));
        const auto m = multiclassMetrics(f.labels, f.probs, f.k);
        RL_COMPARE_NEAR(m.accuracy, refs::irisAccuracy, 1e-12);
        RL_COMPARE_NEAR(m.macro.precision, refs::irisPrecisionMacro, 1e-12);
        RL_COMPARE_NEAR(m.macro.recall, refs::irisRecallMacro, 1e-12);
        RL_COMPARE_NEAR(m.macro.f1, refs::irisF1Macro, 1e-12);
        RL_COMPARE_NEAR(m.micro.precision, refs::irisPrecisionMicro, 1e-12);
        RL_COMPARE_NEAR(m.micro.recall, refs::irisRecallMicro, 1e-12);
        RL_COMPARE_NEAR(m.micro.f1, refs::irisF1Micro, 1e-12);
        RL_COMPARE_NEAR(m.weighted.precision, refs::irisPrecisionWeighted, 1e-12);
        RL_COMPARE_NEAR(m.weighted.recall, refs::irisRecallWeighted, 1e-12);
        RL_COMPARE_NEAR(m.weighted.f1, refs::irisF1Weighted, 1e-12);
        RL_COMPARE_NEAR(m.logLoss, refs::irisLogLoss, 1e-9);
        RL_COMPARE_NEAR(m.brier, refs::irisBrier, 1e-12);
        RL_COMPARE_NEAR(m.rocAucOvrMacro, refs::irisRocAucOvrMacro, 1e-12);
        QCOMPARE(m.confusion.size(), std::size(refs::irisConfusion));
        for (std::size_t i = 0; i < m.confusion.size(); ++i)
            QCOMPARE(m.confusion[i], refs::irisConfusion[i]);
    }

    void absentClassIsLeftOutOfMacro() {
        // Hand-worked, as scikit-learn's unique_labels: class 2 appears in neither labels nor predictions,
        // so macro averages run over classes 0 and 1 only. Labels 0,0,1,1, argmax 0,1,1,1:
        // class 0: P 1, R .5, F1 2/3; class 1: P 2/3, R 1, F1 .8 -> macro P 5/6, R .75, F1 (2/3 + .8)/2.
        const std::vector<int> labels{0, 0, 1, 1};
        const std::vector<double> probs{.8, .1, .1, .3, .6, .1, .2, .7, .1, .1, .8, .1};
        const auto m = multiclassMetrics(labels, probs, 3);
        RL_COMPARE_NEAR(m.macro.precision, 5.0 / 6.0, 1e-15);
        RL_COMPARE_NEAR(m.macro.recall, 0.75, 1e-15);
        RL_COMPARE_NEAR(m.macro.f1, (2.0 / 3.0 + 0.8) / 2.0, 1e-15);
        QVERIFY(std::isnan(m.rocAucOvrMacro)); // class 2 has no positive
        // Multiclass Brier, row 1: (.8-1)^2 + .1^2 + .1^2 = .06
        const auto one = multiclassMetrics(std::vector<int>{0}, std::vector<double>{.8, .1, .1}, 3);
        RL_COMPARE_NEAR(one.brier, 0.06, 1e-15);
    }

    void predictionsOverrideArgmax() {
        const std::vector<int> labels{0, 1};
        const std::vector<double> probs{.9, .1, .2, .8};
        QCOMPARE(multiclassMetrics(labels, probs, 2).accuracy, 1.0);
        QCOMPARE(multiclassMetrics(labels, probs, 2, std::vector<int>{1, 1}).accuracy, 0.5);
    }

    void baselines() {
        const auto f = testutil::loadIris();
        const auto b = multiclassBaselines(f.labels, f.k, 5);
        QCOMPARE(b.size(), std::size_t(3));
        // iris is balanced (25 per class in this stratified split): zero rule scores 1/3, prior log loss
        // ln 3.
        RL_COMPARE_NEAR(b[1].metrics.accuracy, 1.0 / 3.0, 1e-15);
        RL_COMPARE_NEAR(b[2].metrics.logLoss, std::log(3.0), 1e-12);
        QVERIFY(b[0].metrics.rocAucOvrMacro > 0.2 && b[0].metrics.rocAucOvrMacro < 0.8);
    }
};

QTEST_APPLESS_MAIN(TestMulticlassMetrics)
#include "test_multiclass_metrics.moc"
