// Tests of learning-curve fold statistics (against numpy) and of the train/validation diagnosis.
#include "core/analysis/learning_curve_scores.h"
#include "core/import/memory_target.h"
#include "core/io/learning_curve_reader.h"

#include <cmath>
#include <filesystem>
#include <QtTest>

using namespace runlens;

namespace {

using Verdict = LearningCurveDiagnosis::Verdict;

void compareClose(double actual, double expected, const char* what) {
    QVERIFY2(std::fabs(actual - expected) <= 1e-12 * std::max(1.0, std::fabs(expected)),
             qPrintable(QString("%1: %2 vs %3").arg(what).arg(actual, 0, 'g', 17).arg(expected, 0, 'g', 17)));
}

std::vector<LearningCurveScore> curve(std::initializer_list<std::pair<std::int64_t, double>> means) {
    std::vector<LearningCurveScore> out;
    for (const auto& [size, mean] : means)
        out.push_back({size, 5, mean, 0.01});
    return out;
}

} // namespace

class TestLearningCurveScores : public QObject {
    Q_OBJECT

  private slots:
    // Expected from numpy (mean, and std with its default ddof = 0):
    //   /usr/bin/python3 -c "import numpy as np; a = np.array([[0.70,0.74,0.78],[0.80,0.83,0.89],
    //       [0.91,0.92,0.96]]); print([repr(float(v)) for v in a.mean(1)], [repr(float(v)) for v in
    //       a.std(1)])"
    //   -> ['0.7399999999999999', '0.84', '0.93'] ['0.03265986323710907', '0.03741657386773941',
    //       '0.021602468994692835']
    void meanAndStdPerSize() {
        // Unsorted, with a NaN fold (left out) and the folds of one size interleaved with others.
        const std::vector<std::int64_t> steps{300, 100, 200, 100, 300, 200, 100, 200, 300, 200};
        const std::vector<double> values{0.91, 0.70, 0.80, 0.74, 0.92, 0.83, 0.78, 0.89, 0.96, kNaN};
        const auto scores = learningCurveScores(steps, values);
        QCOMPARE(scores.size(), std::size_t(3));
        const double means[] = {0.7399999999999999, 0.84, 0.93};
        const double stds[] = {0.03265986323710907, 0.03741657386773941, 0.021602468994692835};
        const std::int64_t sizes[] = {100, 200, 300};
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(scores[i].size, sizes[i]);
            QCOMPARE(scores[i].folds, 3);
            compareClose(scores[i].mean, means[i], "mean");
            compareClose(scores[i].std, stds[i], "std");
        }
    }

    void degenerateInput() {
        QVERIFY(learningCurveScores(std::vector<std::int64_t>{}, std::vector<double>{}).empty());
        // Only non-finite values at a size: the size has no entry. One fold: std 0.
        const auto scores =
            learningCurveScores(std::vector<std::int64_t>{5, 5, 9}, std::vector<double>{kNaN, INFINITY, 0.5});
        QCOMPARE(scores.size(), std::size_t(1));
        QCOMPARE(scores[0].size, std::int64_t(9));
        QCOMPARE(scores[0].folds, 1);
        QCOMPARE(scores[0].std, 0.0);
    }

    // The frozen sklearn learning_curve (tests/tools/gen_learning_curve_refs.py) read through the reader;
    // numpy's means and stds over the 5 folds, as that script printed them:
    //   train mean [1.0, 0.9687074829931973, 0.9672000000000001, 0.9625, 0.9608791208791209]
    //   train std  [0.0, 0.01586653576828655, 0.007756287771866134, 0.005508727110700368,
    //   0.005798200421218845] test mean  [0.8469492314857942, 0.9314392175128086, 0.9507995652848937,
    //   0.9472752678155567,
    //               0.9507995652848935]
    //   test std   [0.05347759858900811, 0.030638085669977343, 0.018874318631128963, 0.01467942839738639,
    //               0.01804054330253301]
    void frozenSklearnCurve() {
        const std::filesystem::path path =
            std::filesystem::path(RUNLENS_TEST_DATA) / "learning_curve" / "breast_cancer_logreg.csv";
        MemoryTarget target;
        {
            ReadContext ctx;
            ctx.runName = "logreg";
            auto tx = target.beginSource(path.string(), "learning-curve", true);
            const ReadReport report = LearningCurveReader().read(path, ctx, *tx);
            QVERIFY(report.issues.empty());
            tx->commit({});
        }
        const auto train = learningCurveScores(*target.series("logreg", kLearningCurveTrainTag));
        const auto test = learningCurveScores(*target.series("logreg", kLearningCurveValidationTag));
        const std::int64_t sizes[] = {45, 147, 250, 352, 455};
        const double trainMean[] = {1.0, 0.9687074829931973, 0.9672000000000001, 0.9625, 0.9608791208791209};
        const double trainStd[] = {0.0, 0.01586653576828655, 0.007756287771866134, 0.005508727110700368,
                                   0.005798200421218845};
        const double testMean[] = {0.8469492314857942, 0.9314392175128086, 0.9507995652848937,
                                   0.9472752678155567, 0.9507995652848935};
        const double testStd[] = {0.05347759858900811, 0.030638085669977343, 0.018874318631128963,
                                  0.01467942839738639, 0.01804054330253301};
        QCOMPARE(train.size(), std::size_t(5));
        QCOMPARE(test.size(), std::size_t(5));
        for (std::size_t i = 0; i < 5; ++i) {
            QCOMPARE(train[i].size, sizes[i]);
            QCOMPARE(test[i].folds, 5);
            compareClose(train[i].mean, trainMean[i], "train mean");
            compareClose(train[i].std, trainStd[i], "train std");
            compareClose(test[i].mean, testMean[i], "test mean");
            compareClose(test[i].std, testStd[i], "test std");
        }
        // By hand from those numbers: gap at 455 = 0.96088 - 0.95080 = 0.01008 (<= 0.02, close); validation
        // change 352 -> 455 = 0.95080 - 0.94728 = +0.00352 (below the 0.005 rise threshold, flat).
        const LearningCurveDiagnosis d = diagnoseLearningCurve(train, test);
        QCOMPARE(d.verdict, Verdict::CloseAndFlat);
        QCOMPARE(d.gapSize, std::int64_t(455));
        compareClose(d.gap, 0.9608791208791209 - 0.9507995652848935, "gap");
        compareClose(d.validationChange, 0.9507995652848935 - 0.9472752678155567, "change");
        QVERIFY2(d.sentence.find("more data will not help") != std::string::npos, d.sentence.c_str());
    }

    void diagnosisVerdicts() {
        // Validation +0.03 over the last two sizes (> 0.005): still rising.
        auto d = diagnoseLearningCurve(curve({{100, 0.99}, {200, 0.98}}), curve({{100, 0.80}, {200, 0.83}}));
        QCOMPARE(d.verdict, Verdict::MoreDataHelps);
        QVERIFY2(d.sentence.find("more data should help") != std::string::npos, d.sentence.c_str());
        compareClose(d.gap, 0.98 - 0.83, "gap");
        // Flat (+0.002) with a gap of 0.15 (> 0.10): overfitting.
        d = diagnoseLearningCurve(curve({{100, 0.99}, {200, 0.99}}), curve({{100, 0.838}, {200, 0.84}}));
        QCOMPARE(d.verdict, Verdict::LargeGapFlat);
        // Flat with a gap of 0.05 (between 0.02 and 0.10).
        d = diagnoseLearningCurve(curve({{100, 0.90}, {200, 0.90}}), curve({{100, 0.85}, {200, 0.85}}));
        QCOMPARE(d.verdict, Verdict::ModerateGapFlat);
        // Falling by 0.02.
        d = diagnoseLearningCurve(curve({{100, 0.90}, {200, 0.90}}), curve({{100, 0.87}, {200, 0.85}}));
        QCOMPARE(d.verdict, Verdict::ValidationFalling);
        // Scores beyond [-1, 1] (neg_mean_squared_error): thresholds scale with the largest |mean| = 40, so a
        // rise of 0.1 (< 0.005 * 40 = 0.2) is flat and a gap of 0.5 (<= 0.02 * 40 = 0.8) is close.
        d = diagnoseLearningCurve(curve({{100, -39.5}, {200, -39.5}}), curve({{100, -40.1}, {200, -40.0}}));
        QCOMPARE(d.scale, 40.1);
        QCOMPARE(d.verdict, Verdict::CloseAndFlat);
        // Not enough to judge.
        QCOMPARE(diagnoseLearningCurve(curve({{100, 0.9}}), {}).verdict, Verdict::NotEnoughData);
        d = diagnoseLearningCurve(curve({{100, 0.9}}), curve({{100, 0.8}}));
        QCOMPARE(d.verdict, Verdict::NotEnoughData);
        compareClose(d.gap, 0.9 - 0.8, "one-size gap");
        QCOMPARE(diagnoseLearningCurve(curve({{50, 0.9}}), curve({{100, 0.8}, {200, 0.8}})).verdict,
                 Verdict::NotEnoughData);
        // The gap is taken at the largest size both curves have (train lacks 300).
        d = diagnoseLearningCurve(curve({{100, 0.95}, {200, 0.93}}),
                                  curve({{100, 0.80}, {200, 0.85}, {300, 0.86}}));
        QCOMPARE(d.gapSize, std::int64_t(200));
        compareClose(d.gap, 0.93 - 0.85, "gap at 200");
    }
};

QTEST_MAIN(TestLearningCurveScores)
#include "test_learning_curve_scores.moc"
