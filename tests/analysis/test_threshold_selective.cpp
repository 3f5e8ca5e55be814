// ROC/PR curves against scikit-learn 1.2, cost thresholds and selective prediction worked by hand.
#include "core/analysis/selective_prediction.h"
#include "core/analysis/threshold_analysis.h"
#include "tests/common/eval_test_util.h"
#include "tests/data/eval/sklearn_refs.h"

#include <array>
#include <QtTest>

using namespace runlens;

class TestThresholdSelective : public QObject {
    Q_OBJECT
  private slots:
    void rocCurveMatchesSklearn() {
        const auto f = testutil::loadBreastCancer();
        const auto c = rocCurve(rankScores(f.labels, f.scores));
        QCOMPARE(c.fpr.size(), std::size(refs::bcRocFpr));
        for (std::size_t i = 0; i < c.fpr.size(); ++i) {
            RL_COMPARE_NEAR(c.fpr[i], refs::bcRocFpr[i], 1e-15);
            RL_COMPARE_NEAR(c.tpr[i], refs::bcRocTpr[i], 1e-15);
            QCOMPARE(c.thresholds[i], refs::bcRocThresholds[i]);
        }
    }

    void prCurveMatchesSklearn() {
        const auto f = testutil::loadBreastCancer();
        const auto c = precisionRecallCurve(rankScores(f.labels, f.scores));
        QCOMPARE(c.precision.size(), std::size(refs::bcPrPrecision));
        QCOMPARE(c.thresholds.size(), std::size(refs::bcPrThresholds));
        for (std::size_t i = 0; i < c.precision.size(); ++i) {
            RL_COMPARE_NEAR(c.precision[i], refs::bcPrPrecision[i], 1e-15);
            RL_COMPARE_NEAR(c.recall[i], refs::bcPrRecall[i], 1e-15);
        }
        for (std::size_t i = 0; i < c.thresholds.size(); ++i)
            QCOMPARE(c.thresholds[i], refs::bcPrThresholds[i]);
    }

    void statsAndCostByHand() {
        // labels 1 1 0 1 0 0, scores .9 .8 .7 .4 .3 .1
        const std::vector<int> y{1, 1, 0, 1, 0, 0};
        const std::vector<double> s{.9, .8, .7, .4, .3, .1};
        const auto at = statsAtThreshold(y, s, 0.5); // tp 2 fp 1 fn 1 tn 2
        QCOMPARE(at.confusion.tp, qint64(2));
        QCOMPARE(at.confusion.fp, qint64(1));
        RL_COMPARE_NEAR(at.precision, 2.0 / 3.0, 1e-15);
        RL_COMPARE_NEAR(at.recall, 2.0 / 3.0, 1e-15);
        RL_COMPARE_NEAR(at.fpr, 1.0 / 3.0, 1e-15);
        // Costs FP 1, FN 5. Candidates: t=inf cost 15; .9: 10; .8: 5; .7: 1+5=6; .4: 1; .3: 2; .1: 3 -> t =
        // .4.
        const auto best = minimumCostThreshold(rankScores(y, s), 1.0, 5.0);
        QCOMPARE(best.threshold, 0.4);
        QCOMPARE(best.totalCost, 1.0);
        RL_COMPARE_NEAR(best.costPerExample, 1.0 / 6.0, 1e-15);
        QCOMPARE(costAtThreshold(y, s, 0.75, 1.0, 5.0).totalCost, 5.0);
        // FN free: never predicting positive costs 0 and wins (highest threshold on ties).
        QVERIFY(std::isinf(minimumCostThreshold(rankScores(y, s), 1.0, 0.0).threshold));
    }

    void sweepMatchesSklearnConfusion() {
        // sklearn 1.2.1 on the breast-cancer fixture: confusion_matrix(y, (s >= t).astype(int)).ravel() (tn,
        // fp, fn, tp) = t 0.3: 94 12 6 173; t 0.5: 100 6 7 172; t 0.9: 106 0 23 156; t = s[7] (a score
        // itself, which counts as positive): 101 5 7 172.
        const auto f = testutil::loadBreastCancer();
        const ThresholdSweep sweep = thresholdSweep(rankScores(f.labels, f.scores));
        const std::pair<double, std::array<qint64, 4>> cases[] = {{0.3, {94, 12, 6, 173}},
                                                                  {0.5, {100, 6, 7, 172}},
                                                                  {0.9, {106, 0, 23, 156}},
                                                                  {f.scores[7], {101, 5, 7, 172}}};
        for (const auto& [t, cm] : cases) {
            const ThresholdStats fast = statsAtThreshold(sweep, t);
            QCOMPARE(fast.confusion.tn, cm[0]);
            QCOMPARE(fast.confusion.fp, cm[1]);
            QCOMPARE(fast.confusion.fn, cm[2]);
            QCOMPARE(fast.confusion.tp, cm[3]);
            const ThresholdStats slow = statsAtThreshold(f.labels, f.scores, t);
            QCOMPARE(fast.precision, slow.precision);
            QCOMPARE(fast.recall, slow.recall);
            QCOMPARE(fast.fpr, slow.fpr);
            QCOMPARE(fast.f1, slow.f1);
        }
        // FP costs 1, FN 5 at t 0.5: 6 + 35 = 41.
        QCOMPARE(totalCostOf(statsAtThreshold(sweep, 0.5).confusion, 1.0, 5.0), 41.0);
    }

    void selectiveInputsByHand() {
        // Binary scores .9 .3 .6 .2, labels 1 1 0 0: predicted (s >= .5) 1 0 1 0, so correct 1 0 0 1, and the
        // confidence in the predicted class max(s, 1 - s) = .9 .7 .6 .8. A prediction column 1 1 1 0 decides
        // instead: correct 1 1 0 1.
        EvaluationSet e;
        e.classes = {"0", "1"};
        e.labels = {1, 1, 0, 0};
        e.scores = {0.9, 0.3, 0.6, 0.2};
        auto in = selectiveInputs(e);
        QCOMPARE(in.correct, (std::vector<int>{1, 0, 0, 1}));
        for (std::size_t i = 0; i < 4; ++i)
            RL_COMPARE_NEAR(in.confidence[i], (std::array<double, 4>{0.9, 0.7, 0.6, 0.8}[i]), 1e-15);
        e.predictions = {1, 1, 1, 0};
        QCOMPARE(selectiveInputs(e).correct, (std::vector<int>{1, 1, 0, 1}));
        // Multiclass rows [.1 .7 .2] and [.5 .3 .2], labels 1 and 2: confidence .7 and .5, correct 1 and 0.
        EvaluationSet m;
        m.multiclass = true;
        m.classes = {"a", "b", "c"};
        m.labels = {1, 2};
        m.probs = {0.1, 0.7, 0.2, 0.5, 0.3, 0.2};
        in = selectiveInputs(m);
        QCOMPARE(in.confidence, (std::vector<double>{0.7, 0.5}));
        QCOMPARE(in.correct, (std::vector<int>{1, 0}));
        QVERIFY(selectiveInputs(EvaluationSet{}).confidence.empty());
    }

    void classProbabilityRowsByHand() {
        // Binary scores .9 and .2 become rows [.1 .9] and [.8 .2]; a multiclass set keeps its rows; no
        // scores, no rows.
        EvaluationSet e;
        e.classes = {"0", "1"};
        e.labels = {1, 0};
        e.scores = {0.9, 0.2};
        const auto rows = classProbabilityRows(e);
        QCOMPARE(rows.size(), std::size_t(4));
        RL_COMPARE_NEAR(rows[0], 0.1, 1e-15);
        QCOMPARE(rows[1], 0.9);
        QCOMPARE(rows[2], 0.8);
        QCOMPARE(rows[3], 0.2);
        EvaluationSet m;
        m.multiclass = true;
        m.probs = {0.2, 0.3, 0.5};
        QCOMPARE(classProbabilityRows(m), m.probs);
        QVERIFY(classProbabilityRows(EvaluationSet{}).empty());
    }

    void evaluationRowsKeepTheGivenOrder() {
        // Rows 2 and 0 of a three-class set: their labels, probability rows and predictions in that order.
        EvaluationSet m;
        m.multiclass = true;
        m.classes = {"a", "b", "c"};
        m.labels = {0, 1, 2};
        m.probs = {0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4};
        m.predictions = {0, 1, 1};
        const std::vector<std::size_t> rows{2, 0};
        const EvaluationSet part = evaluationRows(m, rows);
        QVERIFY(part.multiclass);
        QCOMPARE(part.classes, m.classes);
        QCOMPARE(part.labels, (std::vector<int>{2, 0}));
        QCOMPARE(part.probs, (std::vector<double>{0.3, 0.3, 0.4, 0.7, 0.2, 0.1}));
        QCOMPARE(part.predictions, (std::vector<int>{1, 0}));
        QVERIFY(part.scores.empty());
    }

    void riskCoverageByHand() {
        // Confidence .9 .8 .8 .6 .5, correct 1 0 1 1 0. Groups: {.9}: 1 answered, 0 errors;
        // {.8,.8}: 3 answered, 1 error; {.6}: 4, 1; {.5}: 5, 2.
        // AURC = .2*0 + .4*(1/3) + .2*(1/4) + .2*(2/5) = 0.13333.. + 0.05 + 0.08.
        const std::vector<double> conf{.9, .8, .8, .6, .5};
        const std::vector<int> correct{1, 0, 1, 1, 0};
        const auto rc = riskCoverage(conf, correct);
        QCOMPARE(rc.points.size(), std::size_t(4));
        RL_COMPARE_NEAR(rc.points[1].coverage, 0.6, 1e-15);
        RL_COMPARE_NEAR(rc.points[1].risk, 1.0 / 3.0, 1e-15);
        RL_COMPARE_NEAR(rc.aurc, 0.4 / 3.0 + 0.05 + 0.08, 1e-15);
        // Coverage 0.5 -> 3 examples wanted -> the .8 group: coverage .6, accuracy 2/3.
        const auto half = accuracyAtCoverage(rc, 0.5);
        QVERIFY(half.has_value());
        QCOMPARE(half->threshold, 0.8);
        RL_COMPARE_NEAR(half->accuracy, 2.0 / 3.0, 1e-15);
        // Target accuracy .75: lowest threshold reaching it is .6 (3 of 4 correct).
        const auto target = thresholdForAccuracy(rc, 0.75);
        QVERIFY(target.has_value());
        QCOMPARE(target->threshold, 0.6);
        RL_COMPARE_NEAR(target->coverage, 0.8, 1e-15);
        QVERIFY(!thresholdForAccuracy(rc, 1.01).has_value());
        const auto atT = accuracyAtThreshold(rc, 0.85);
        QCOMPARE(atT.answered, qint64(1));
        QCOMPARE(atT.accuracy, 1.0);
        QVERIFY(!accuracyAtCoverage(riskCoverage({}, {}), 0.5).has_value());
    }
};

QTEST_APPLESS_MAIN(TestThresholdSelective)
#include "test_threshold_selective.moc"
