// Tests of the learning-curve outlook: which param is a training-set size, who leads and where another fit
// overtakes (against bisection on the true curves), and the report's per-candidate families found by
// configuration, with fits and projections checked against the exact curves the runs were made from.
#include "core/analysis/learning_curve_outlook.h"

#include <cmath>
#include <QtTest>

using namespace runlens;

namespace {

// Exact power laws (no noise), so a fit recovers them and every projection is the formula's value:
//   gbm(n) = 2.2 n^-0.3 + 0.30   mlp(n) = 31.3 n^-0.4 + 0.12   (lower is better: a validation loss)
double gbm(double n) {
    return 2.2 * std::pow(n, -0.3) + 0.30;
}
double mlp(double n) {
    return 31.3 * std::pow(n, -0.4) + 0.12;
}

// Where mlp catches gbm: gbm - mlp changes sign once between 5e4 and 1e7 (mlp is worse at 5e4).
double crossing() {
    double lo = 5e4, hi = 1e7;
    for (int i = 0; i < 200; ++i) {
        const double mid = std::sqrt(lo * hi);
        (mlp(mid) > gbm(mid) ? lo : hi) = mid;
    }
    return lo;
}

RunInfo runOf(std::int64_t id, const std::string& name, std::map<std::string, std::string> params,
              double valLoss) {
    RunInfo run;
    run.id = id;
    run.name = name;
    run.params = std::move(params);
    SeriesSummary s;
    s.tag = "val/loss";
    s.points = 10;
    s.last = valLoss;
    SeriesSummary train = s;
    train.tag = "train/loss";
    train.last = valLoss * 0.8;
    run.series = {train, s};
    return run;
}

LearningCurveFamilyFit familyOf(const std::string& name, double (*curve)(double)) {
    LearningCurveFamilyFit f;
    f.name = name;
    for (const double n : {2000.0, 5000.0, 10000.0, 20000.0, 50000.0}) {
        f.sizes.push_back(n);
        f.values.push_back(curve(n));
    }
    f.fit = fitPowerLaw(f.sizes, f.values);
    return f;
}

} // namespace

class TestLearningCurveOutlook : public QObject {
    Q_OBJECT
  private slots:
    void sizeKeys_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("score");
        QTest::newRow("train_size") << "train_size" << 2;
        QTest::newRow("n_train") << "n_train" << 2;
        QTest::newRow("num_samples") << "num_samples" << 2;
        QTest::newRow("dataset_size") << "Dataset_Size" << 2;
        QTest::newRow("subset_size") << "subset_size" << 1;
        QTest::newRow("batch_size") << "batch_size" << 0;
        QTest::newRow("train_batch_size") << "train_batch_size" << 0;
        QTest::newRow("lr") << "lr" << 0;
    }
    void sizeKeys() {
        QFETCH(QString, key);
        QFETCH(int, score);
        QCOMPARE(trainingSizeKeyScore(key.toStdString()), score);
    }

    void sizeFromParamOrSeries() {
        RunInfo run = runOf(1, "r", {{"train_size", "5000"}, {"note", "abc"}}, 0.5);
        QCOMPARE(*trainingSizeOf(run, "train_size"), 5000.0);
        QVERIFY(!trainingSizeOf(run, "note"));           // not a number
        QCOMPARE(*trainingSizeOf(run, "val/loss"), 0.5); // a series: its last value
        QVERIFY(!trainingSizeOf(run, "missing"));
    }

    // gbm leads at 5e4 (0.386 against 0.532); mlp overtakes at the crossing, which the scan finds within one
    // of its 2.3% steps.
    void leaderAndOvertaker() {
        const std::vector<LearningCurveFamilyFit> families{familyOf("gbm", gbm), familyOf("mlp", mlp)};
        QVERIFY(families[0].fit.ok && families[1].fit.ok);
        const auto outlook = compareLearningCurveFits(families, false);
        QCOMPARE(outlook.leader, 0);
        QCOMPARE(outlook.overtaker, 1);
        QCOMPARE(outlook.largestSize, 50000.0);
        const double step =
            std::pow(LearningCurveOutlook::kScanFactor, 1.0 / LearningCurveOutlook::kScanSteps);
        QVERIFY2(outlook.overtakeSize >= crossing() && outlook.overtakeSize <= crossing() * step,
                 qPrintable(QString("%1 vs %2").arg(outlook.overtakeSize).arg(crossing())));
        QVERIFY2(QString::fromStdString(outlook.sentence).startsWith("gbm leads now; mlp overtakes at"),
                 outlook.sentence.c_str());
        // Read as scores (higher is better) mlp leads at 5e4 and gbm takes over at the same crossing.
        const auto higher = compareLearningCurveFits(families, true);
        QCOMPARE(higher.leader, 1);
        QCOMPARE(higher.overtaker, 0);
        QCOMPARE(higher.overtakeSize, outlook.overtakeSize);
        // gbm against itself shifted up by 0.05: the curves never meet, so gbm stays ahead.
        auto worse = familyOf("gbm_worse", gbm);
        for (auto& v : worse.values)
            v += 0.05;
        worse.fit = fitPowerLaw(worse.sizes, worse.values);
        const std::vector<LearningCurveFamilyFit> parallel{families[0], worse};
        const auto ahead = compareLearningCurveFits(parallel, false);
        QCOMPARE(ahead.leader, 0);
        QCOMPARE(ahead.overtaker, -1);
        QCOMPARE(QString::fromStdString(ahead.sentence),
                 QString("gbm leads now and its fit stays ahead up to 1000x data."));
        // One fit is no comparison.
        QCOMPARE(compareLearningCurveFits(std::span(families).first(1), false).leader, -1);
    }

    // Candidate a (gbm config at 50,000) with its configuration at four smaller sizes over two seeds; c (mlp
    // config) the same; b has no runs at other sizes; a run with another max_depth is not a's family.
    void candidateFamiliesByConfiguration() {
        std::vector<RunInfo> pool;
        std::int64_t id = 1;
        const std::map<std::string, std::string> gbmParams{{"model", "gbm"}, {"max_depth", "6"}};
        const std::map<std::string, std::string> mlpParams{{"model", "mlp"}, {"dropout", "0.1"}};
        const auto withSize = [](std::map<std::string, std::string> p, double n, int seed) {
            p["train_size"] = std::to_string(static_cast<int>(n));
            p["seed"] = std::to_string(seed);
            p["batch_size"] = "64";
            return p;
        };
        for (const double n : {2000.0, 5000.0, 10000.0, 20000.0})
            for (int seed = 0; seed < 2; ++seed) {
                pool.push_back(
                    runOf(id++, "gbm_" + std::to_string(int(n)), withSize(gbmParams, n, seed), gbm(n)));
                pool.push_back(
                    runOf(id++, "mlp_" + std::to_string(int(n)), withSize(mlpParams, n, seed), mlp(n)));
            }
        auto deeper = gbmParams;
        deeper["max_depth"] = "8";
        pool.push_back(runOf(id++, "deeper", withSize(deeper, 2000, 0), 9.0)); // would wreck a's fit
        pool.push_back(runOf(id++, "a", withSize(gbmParams, 50000, 7), gbm(50000)));
        pool.push_back(runOf(id++, "c", withSize(mlpParams, 50000, 7), mlp(50000)));
        pool.push_back(runOf(id++, "b", withSize({{"model", "logreg"}}, 50000, 7), 0.6));
        const std::vector<CurveCandidate> candidates{
            {"a", &pool[pool.size() - 3]}, {"b", &pool[pool.size() - 1]}, {"c", &pool[pool.size() - 2]}};

        const auto lc = candidateLearningCurves(candidates, pool);
        QVERIFY2(lc.error.empty(), lc.error.c_str());
        QCOMPARE(QString::fromStdString(lc.sizeKey), QString("train_size")); // not batch_size
        QCOMPARE(QString::fromStdString(lc.metric), QString("val/loss"));    // not train/loss
        QVERIFY(!lc.higherIsBetter);
        QCOMPARE(lc.targetSize, 500000.0); // 10x the largest size run
        QCOMPARE(lc.families.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(lc.families[0].name), QString("a"));
        QCOMPARE(lc.families[0].runs.size(), std::size_t(9)); // 4 sizes x 2 seeds + a itself
        QCOMPARE(QString::fromStdString(lc.families[1].name), QString("c"));
        QCOMPARE(lc.notes.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(lc.notes[0]).startsWith("b: no runs of its configuration"));
        // Exact data: the fits are the curves, so the projections are the formulas at 5e5.
        QVERIFY(std::abs(lc.families[0].fit.b + 0.3) < 1e-4);
        QVERIFY(std::abs(lc.atTarget[0].value - gbm(5e5)) < 1e-6);
        QVERIFY(std::abs(lc.atTarget[1].value - mlp(5e5)) < 1e-6);
        QCOMPARE(lc.outlook.leader, 0);
        QCOMPARE(lc.outlook.overtaker, 1);
        QVERIFY2(QString::fromStdString(lc.sentence).contains("Projected val/loss at size 500,000"),
                 lc.sentence.c_str());

        // Chosen by the user: the size key, the metric and the target.
        CandidateCurveRequest request;
        request.sizeKey = "train_size";
        request.metric = "train/loss";
        request.targetSize = 1e6;
        const auto chosen = candidateLearningCurves(candidates, pool, request);
        QCOMPARE(QString::fromStdString(chosen.metric), QString("train/loss"));
        QCOMPARE(chosen.targetSize, 1e6);
        QVERIFY(std::abs(chosen.atTarget[0].value - 0.8 * gbm(1e6)) < 1e-6);
    }

    void familiesGatheredByParam() {
        // gbm at train_size 100..10^4 with val/loss = 2 n^-0.5 + 0.1 exactly (so the fit recovers a = 2,
        // b = -0.5, c = 0.1); one mlp run; one run without "model" ("(none)"); one without a size and one
        // with size 0 are no points. Families come in name order: "(none)", gbm, mlp.
        std::vector<RunInfo> runs;
        std::int64_t id = 1;
        for (const double n : {100.0, 316.0, 1000.0, 3162.0, 10000.0})
            runs.push_back(runOf(id++, "gbm" + std::to_string(int(n)),
                                 {{"model", "gbm"}, {"train_size", std::to_string(int(n))}},
                                 2 * std::pow(n, -0.5) + 0.1));
        runs.push_back(runOf(id++, "mlp", {{"model", "mlp"}, {"train_size", "500"}}, 0.3));
        runs.push_back(runOf(id++, "plain", {{"train_size", "200"}}, 0.4));
        runs.push_back(runOf(id++, "nosize", {{"model", "gbm"}}, 0.5));
        runs.push_back(runOf(id++, "zero", {{"model", "gbm"}, {"train_size", "0"}}, 0.5));
        std::vector<const RunInfo*> pointers;
        for (const auto& r : runs)
            pointers.push_back(&r);
        const auto families =
            learningCurveFamilies(pointers, "val/loss", "train_size", "model", SeriesReduction::Last);
        QCOMPARE(families.size(), std::size_t(3));
        QCOMPARE(families[0].name, std::string("(none)"));
        QCOMPARE(families[0].runs, (std::vector<std::string>{"plain"}));
        QCOMPARE(families[1].name, std::string("gbm"));
        QCOMPARE(families[1].sizes, (std::vector<double>{100, 316, 1000, 3162, 10000}));
        QVERIFY(families[1].fit.ok);
        QVERIFY(std::abs(families[1].fit.a - 2) < 1e-4);
        QVERIFY(std::abs(families[1].fit.b + 0.5) < 1e-5);
        QCOMPARE(families[2].values, (std::vector<double>{0.3}));
        // Without a family param, one family named after the metric; "min" takes the series' minimum.
        runs[5].series[1].min = 0.25; // series[1] is val/loss
        const auto one = learningCurveFamilies(pointers, "val/loss", "train_size", "", SeriesReduction::Min);
        QCOMPARE(one.size(), std::size_t(1));
        QCOMPARE(one[0].name, std::string("val/loss"));
        QCOMPARE(one[0].sizes.size(), std::size_t(7));
        QCOMPARE(one[0].values[5], 0.25);
    }

    void directionFromTheNameElseTheFits() {
        // a m^b + c with b < 0: a = -1 rises towards c (a score), a = 2 falls (a loss).
        PowerLawFit rising, falling, failed;
        rising.ok = falling.ok = true;
        rising.a = -1;
        rising.b = -0.5;
        falling.a = 2;
        falling.b = -0.5;
        failed.a = -1;
        failed.b = -0.5; // not ok: no vote
        const std::vector<PowerLawFit> twoRising{rising, rising, falling, failed};
        // The name decides when it tells, whatever the fits say.
        QVERIFY(!learningCurveHigherIsBetter("val_loss", twoRising));
        QVERIFY(learningCurveHigherIsBetter("val_acc", std::vector<PowerLawFit>{falling}));
        // "metric" says nothing: two rising fits against one falling (the failed one does not vote).
        QVERIFY(learningCurveHigherIsBetter("metric", twoRising));
        QVERIFY(!learningCurveHigherIsBetter("metric", std::vector<PowerLawFit>{rising, falling}));
        QVERIFY(!learningCurveHigherIsBetter("metric", {}));
    }

    void noSizeParamIsAnError() {
        std::vector<RunInfo> pool{runOf(1, "a", {{"model", "gbm"}}, 0.4)};
        const std::vector<CurveCandidate> candidates{{"a", &pool[0]}};
        const auto lc = candidateLearningCurves(candidates, pool);
        QVERIFY(QString::fromStdString(lc.error).contains("training-set size param"));
        QVERIFY(lc.families.empty());
        // A candidate without run info has no family and is said so, not skipped silently.
        pool[0].params["train_size"] = "100";
        const std::vector<CurveCandidate> mixed{{"a", &pool[0]}, {"file.csv", nullptr}};
        const auto notes = candidateLearningCurves(mixed, pool);
        QCOMPARE(notes.notes.size(), std::size_t(2));
        QVERIFY(QString::fromStdString(notes.sentence).contains("no projection"));
    }
};

QTEST_APPLESS_MAIN(TestLearningCurveOutlook)
#include "test_learning_curve_outlook.moc"
