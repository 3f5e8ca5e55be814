// Tests curve diagnostics on synthetic curves whose onsets, plateaus and rates are known by construction.
#include "core/analysis/curve_diagnostics.h"
#include "core/model/tag_names.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

// Loss falling as 2 * exp(-step / 1000) + 0.1, logged every 10 steps, one step per 0.5 s from t = 1000.
SeriesData decayingLoss(int lastStep = 10000) {
    SeriesData s;
    for (int step = 0; step <= lastStep; step += 10)
        s.push(step, 1000.0 + 0.5 * step, 2.0 * std::exp(-step / 1000.0) + 0.1);
    return s;
}

} // namespace

class TestCurveDiagnostics : public QObject {
    Q_OBJECT
  private slots:
    void firstNonFinite() {
        SeriesData s = decayingLoss();
        QVERIFY(!findFirstNonFinite(s).found);
        s.values[123] = std::nan("");
        s.values[200] = INFINITY;
        const NonFiniteFinding f = findFirstNonFinite(s);
        QVERIFY(f.found);
        QCOMPARE(f.index, std::size_t(123));
        QCOMPARE(f.step, std::int64_t(1230));
        QCOMPARE(f.wallTime, 1000.0 + 0.5 * 1230);
        QVERIFY(f.message.find("NaN") != std::string::npos);
        QVERIFY(f.message.find("1230") != std::string::npos);
    }

    void divergenceWithKnownOnset() {
        // Falls to its minimum 0.1 + 2e^-5 at step 5000, then rises linearly by 0.001 per step: doubling
        // within 100 steps. Smoothing lags a little, so onset is expected within a few logged points after
        // 5000.
        SeriesData s;
        for (int step = 0; step <= 8000; step += 10) {
            const double v = step <= 5000 ? 2.0 * std::exp(-step / 1000.0) + 0.1
                                          : 2.0 * std::exp(-5.0) + 0.1 + 0.001 * (step - 5000);
            s.push(step, kNaN, v);
        }
        const DivergenceFinding f = detectDivergence(s);
        QVERIFY(f.diverging);
        QVERIFY2(f.minStep >= 5000 && f.minStep <= 5020, qPrintable(QString::number(f.minStep)));
        // Threshold: 20% above a minimum of ~0.1135 -> ~0.0227 rise at 0.001/step -> ~23 steps later.
        QVERIFY2(f.onsetStep > 5000 && f.onsetStep <= 5100, qPrintable(QString::number(f.onsetStep)));
        QVERIFY(f.endValue > 2.0);
        QVERIFY(!f.message.empty());
        QVERIFY(!detectDivergence(decayingLoss()).diverging); // a healthy loss does not diverge
    }

    void noisyHealthyLossIsNotDivergence() {
        // +-3% alternating noise around the healthy curve must not trigger a sustained 20% rise.
        SeriesData s = decayingLoss();
        for (std::size_t i = 0; i < s.size(); ++i)
            s.values[i] *= (i % 2 ? 1.03 : 0.97);
        QVERIFY(!detectDivergence(s).diverging);
    }

    void divergenceByGivingBackProgress() {
        // A short blip would not be sustained, but ending at 70% of the way back up is divergence.
        // Values: 1.0 -> 0.2 (steps 0..40), then back up to 0.76 at the final step.
        SeriesData s;
        const double v[] = {1.0, 0.8, 0.6, 0.4, 0.2, 0.76};
        for (int i = 0; i < 6; ++i)
            s.push(i, kNaN, v[i]);
        DivergenceOptions opt;
        opt.smoothing = 0.0;
        const DivergenceFinding f = detectDivergence(s, opt);
        QVERIFY(f.diverging);
        QCOMPARE(f.minStep, std::int64_t(4));
        QCOMPARE(f.onsetStep, std::int64_t(5));
        // Accuracy (higher is better) falling back is divergence too.
        SeriesData acc;
        const double a[] = {0.1, 0.5, 0.9, 0.4};
        for (int i = 0; i < 4; ++i)
            acc.push(i, kNaN, a[i]);
        opt.higherIsBetter = true;
        const DivergenceFinding fa = detectDivergence(acc, opt);
        QVERIFY(fa.diverging);
        QCOMPARE(fa.minValue, 0.9); // best value, in the metric's own sign
    }

    void plateau() {
        // exp(-step/1000): over the last 20% (steps 8000..10000) the value moves 2e^-8 - 2e^-10 = 0.00058
        // around ~0.1002, i.e. ~0.58% < 1% -> plateau. Over steps 0..2000 it is far from flat.
        const PlateauFinding f = detectPlateau(decayingLoss());
        QVERIFY(f.plateau);
        QCOMPARE(f.fromStep, std::int64_t(8000));
        QVERIFY(f.relativeChange > 0.004 && f.relativeChange < 0.007);
        QVERIFY(!f.message.empty());
        QVERIFY(!detectPlateau(decayingLoss(2000)).plateau);
        QVERIFY(!detectPlateau(SeriesData{}).plateau);
    }

    void overfittingOnset() {
        // Train keeps falling; validation (every 500 steps) falls to step 4000 then rises linearly.
        SeriesData train = decayingLoss();
        SeriesData val;
        for (int step = 500; step <= 10000; step += 500) {
            const double v = step <= 4000 ? 1.0 - 0.0001 * step : 0.6 + 0.00005 * (step - 4000);
            val.push(step, kNaN, v);
        }
        const OverfitFinding f = detectOverfitting(train, val);
        QVERIFY(f.overfitting);
        QCOMPARE(f.onsetStep, std::int64_t(4000));
        QCOMPARE(f.valAtOnset, 0.6);
        QVERIFY(std::abs(f.valAtEnd - 0.9) < 1e-12);
        QVERIFY(f.trainAtEnd < f.trainAtOnset);
        QVERIFY(f.gapAtEnd > f.gapAtOnset);
        QVERIFY(f.message.find("4000") != std::string::npos);
        // When validation keeps improving there is no onset.
        SeriesData goodVal;
        for (int step = 500; step <= 10000; step += 500)
            goodVal.push(step, kNaN, 1.0 / step);
        QVERIFY(!detectOverfitting(train, goodVal).overfitting);
        QVERIFY(!detectOverfitting(SeriesData{}, val).overfitting);
    }

    void seedGroups() {
        QVERIFY(isSeedKey("seed"));
        QVERIFY(isSeedKey("data.Shuffle_Seed"));
        QVERIFY(isSeedKey("random_state"));
        QVERIFY(isSeedKey("trainer/rng"));
        QVERIFY(!isSeedKey("strength"));
        QVERIFY(!isSeedKey("lr"));
        const std::vector<RunOutcome> runs{
            {"a1", {{"lr", "0.1"}, {"seed", "1"}}, 0.30},
            {"b1", {{"lr", "0.01"}, {"seed", "1"}}, 0.20},
            {"a2", {{"lr", "0.1"}, {"seed", "2"}}, 0.34},
            {"a3", {{"lr", "0.1"}, {"seed", "3"}}, 0.32},
            {"c1", {{"lr", "0.5"}, {"random_state", "7"}}, 0.9},
        };
        const auto groups = findSeedGroups(runs);
        QCOMPARE(groups.size(), std::size_t(1));
        QCOMPARE(groups[0].members, (std::vector<std::size_t>{0, 2, 3}));
        QCOMPARE(groups[0].sharedParams.at("lr"), std::string("0.1"));
        // python3: statistics.mean([0.30, 0.34, 0.32]) = 0.32, statistics.stdev(...) = 0.02
        QVERIFY(std::abs(groups[0].mean - 0.32) < 1e-12);
        QVERIFY(std::abs(groups[0].std - 0.02) < 1e-12);
        QCOMPARE(groups[0].min, 0.30);
        QCOMPARE(groups[0].max, 0.34);
        QVERIFY(groups[0].message.find("3 runs") != std::string::npos);

        // Two distributed jobs of one configuration: their worker_N params name different folders, yet
        // they are repeats (seed 1 and seed 2). A worker_N lookalike that is configuration stays.
        const std::vector<RunOutcome> jobs{
            {"jobA",
             {{"lr", "0.1"}, {"seed", "1"}, {"worker_0", "jobA/rank_0"}, {"worker_1", "jobA/rank_1"}},
             0.4},
            {"jobB",
             {{"lr", "0.1"}, {"seed", "2"}, {"worker_0", "jobB/rank_0"}, {"worker_1", "jobB/rank_1"}},
             0.5},
            {"c", {{"lr", "0.1"}, {"seed", "3"}, {"worker_count", "4"}}, 0.6},
        };
        const auto jobGroups = findSeedGroups(jobs);
        QCOMPARE(jobGroups.size(), std::size_t(1));
        QCOMPARE(jobGroups[0].members, (std::vector<std::size_t>{0, 1}));
        QVERIFY(isWorkerParamKey("worker_12"));
        QVERIFY(!isWorkerParamKey("worker_"));
        QVERIFY(!isWorkerParamKey("worker_count"));
    }

    void trainingSpeedRobustToPauses() {
        // 2 steps/s (0.5 s per step) with one 1-hour pause (checkpoint/eval) and a restart that repeats
        // steps.
        SeriesData s = decayingLoss();
        for (std::size_t i = 500; i < s.size(); ++i)
            s.wallTimes[i] += 3600.0;
        s.push(9990, s.wallTimes.back() + 10.0, 0.1); // step goes back: ignored
        const TrainingSpeed sp = trainingSpeed(s, 32.0);
        QVERIFY(sp.ok);
        QCOMPARE(sp.stepsPerSecond, 2.0);
        QCOMPARE(*sp.samplesPerSecond, 64.0);
        QCOMPARE(sp.pauses, std::size_t(1));
        QCOMPARE(sp.intervals, std::size_t(1000));
        SeriesData noTimes;
        noTimes.push(1, kNaN, 1.0);
        noTimes.push(2, kNaN, 1.0);
        QVERIFY(!trainingSpeed(noTimes).ok);
    }

    void throughputAsACurve() {
        // Steps 0, 10, 20, 20, 35 at times 100, 105, 110, 111, NaN, then step 45 at 120. By hand:
        // (0,100)->(10,105): 2 steps/s at step 10; (10,105)->(20,110): 2 at step 20; (20,110)->(20,111): no
        // step progress, skipped; step 35 has no time, skipped; (20,111)->(45,120): 25 / 9 at step 45.
        SeriesData s;
        s.push(0, 100, 1);
        s.push(10, 105, 1);
        s.push(20, 110, 1);
        s.push(20, 111, 1);
        s.push(35, kNaN, 1);
        s.push(45, 120, 1);
        const SeriesData rate = throughputSeries(s);
        QCOMPARE(rate.steps, (std::vector<std::int64_t>{10, 20, 45}));
        QCOMPARE(rate.values[0], 2.0);
        QCOMPARE(rate.values[1], 2.0);
        QCOMPARE(rate.values[2], 25.0 / 9.0);
        QCOMPARE(rate.wallTimes[2], 120.0);
        // Samples per second with a batch of 32.
        QCOMPARE(throughputSeries(s, 32.0).values[0], 64.0);
    }

    void batchSizeParam() {
        QCOMPARE(*batchSizeFromParams({{"Per_Device_Train_Batch_Size", "16"}}), 16.0);
        QCOMPARE(*batchSizeFromParams({{"trainer.batch_size", "128"}, {"lr", "3"}}), 128.0);
        QVERIFY(!batchSizeFromParams({{"batch_size", "auto"}}).has_value());
        QVERIFY(!batchSizeFromParams({{"batch_size", "-4"}}).has_value());
    }
};

QTEST_APPLESS_MAIN(TestCurveDiagnostics)
#include "test_curve_diagnostics.moc"
