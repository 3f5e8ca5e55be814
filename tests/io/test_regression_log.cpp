// Regression logs: told apart from classification logs by their values, columns found by name, the refusal
// of the classification checks, and two logs aligned by id or row (expected values worked by hand below).
#include "core/analysis/evaluation_set.h"
#include "core/analysis/regression_report.h"
#include "core/io/regression_log.h"
#include "core/model/regression_columns.h"

#include <fstream>
#include <QtTest>

using namespace runlens;

namespace {

std::filesystem::path writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& text) {
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

PredictionColumn numbers(std::string name, ColumnRole role, std::vector<double> values) {
    PredictionColumn column;
    column.name = std::move(name);
    column.role = role;
    column.numbers = std::move(values);
    return column;
}

} // namespace

class TestRegressionLog : public QObject {
    Q_OBJECT
  private slots:
    // Residuals (label - prediction) 1, 1, 1, 1, 3, 3, 3, 3 against the feature x = 1..8: two quantile bins
    // split at the median 4.5, so x 1-4 have mean residual 1 and x 5-8 mean residual 3 (sd 0 in each). A text
    // column is no numeric feature.
    void residualsByEachNumericFeature() {
        PredictionTable table;
        table.columns.push_back(numbers("label", ColumnRole::Label, {2, 3, 4, 5, 9, 10, 11, 12}));
        table.columns.push_back(numbers("y_pred", ColumnRole::Prediction, {1, 2, 3, 4, 6, 7, 8, 9}));
        table.columns.push_back(numbers("x", ColumnRole::Feature, {1, 2, 3, 4, 5, 6, 7, 8}));
        PredictionColumn city;
        city.name = "city";
        city.numeric = false;
        city.dictionary = {"a", "b"};
        city.codes = {0, 1, 0, 1, 0, 1, 0, 1};
        table.columns.push_back(city);
        std::string error;
        const auto log = regressionLogFrom(table, error);
        QVERIFY2(log, error.c_str());
        QCOMPARE(log->featureColumns, std::vector<std::string>{"x"});
        auto input = reportInputOf(*log);
        input.residualBins = 2;
        input.bootstrap.resamples = 10;
        const auto report = regressionReport(input);
        QCOMPARE(report.byFeature.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(report.byFeature[0].first), QString("x"));
        const auto& bins = report.byFeature[0].second;
        QCOMPARE(bins.size(), std::size_t(2));
        QCOMPARE(bins[0].n, std::int64_t(4));
        QCOMPARE(bins[0].mean, 1.0);
        QCOMPARE(bins[1].n, std::int64_t(4));
        QCOMPARE(bins[1].mean, 3.0);
        QCOMPARE(bins[1].xMean, 6.5);
    }

    void continuousLabelAndPredictionMakeARegressionTable() {
        PredictionTable table;
        table.columns.push_back(numbers("label", ColumnRole::Label, {1, 2, 3}));
        table.columns.push_back(numbers("y_pred", ColumnRole::Prediction, {1.5, 2, 3}));
        QVERIFY(isRegressionTable(table));
        // Whole numbers only: class indices of a hard-prediction classifier, whatever their count.
        table.columns[1].numbers = {1, 2, 7};
        QVERIFY(!isRegressionTable(table));
        table.columns[1].numbers = {1.5, 2, 3};
        // A score column makes it a classifier's log.
        table.columns.push_back(numbers("score", ColumnRole::Score, {0.1, 0.2, 0.3}));
        QVERIFY(!isRegressionTable(table));
    }

    void columnNamesGiveQuantilesAndBounds() {
        QCOMPARE(quantileOfColumnName("q05").value_or(-1), 0.05);
        QCOMPARE(quantileOfColumnName("q5").value_or(-1), 0.05);
        QCOMPARE(quantileOfColumnName("Q95").value_or(-1), 0.95);
        QCOMPARE(quantileOfColumnName("q975").value_or(-1), 0.975);
        QCOMPARE(quantileOfColumnName("q0.1").value_or(-1), 0.1);
        QCOMPARE(quantileOfColumnName("quantile_90").value_or(-1), 0.9);
        QVERIFY(!quantileOfColumnName("quality"));
        QVERIFY(!quantileOfColumnName("q100"));
        const auto lower = intervalBoundOfColumnName("lower");
        QVERIFY(lower && lower->bound == IntervalBound::Lower && !lower->level);
        const auto upper95 = intervalBoundOfColumnName("pred_upper_95");
        QVERIFY(upper95 && upper95->bound == IntervalBound::Upper && upper95->level.value_or(0) == 0.95);
        QVERIFY(!intervalBoundOfColumnName("longitude"));
        QVERIFY(!intervalBoundOfColumnName("height"));
        QVERIFY(isWeightColumnName("sample_weight"));
        QVERIFY(trainingStatisticOfColumnName("train_mean") == TrainingStatistic::Mean);
    }

    void readerKeepsARegressionLogAndTheClassificationChecksRefuseIt() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "predictions.csv",
                                    "id,y,yhat,q05,q95,lower_80,upper_80,weight,train_mean,age\n"
                                    "a,1.5,1.2,0.5,2.0,1.0,1.4,1,3.25,30\n"
                                    "b,2.0,2.5,1.5,3.5,2.1,2.9,2,3.25,41\n"
                                    "c,4.25,3.0,2.0,4.0,2.5,3.5,1,3.25,52\n");
        ReadReport report;
        const auto log = readRegressionLog(path, {}, report);
        QVERIFY2(log, report.issues.empty() ? "" : report.issues.front().toString().c_str());
        QCOMPARE(log->labelColumn, std::string("y"));
        QCOMPARE(log->predictionColumn, std::string("yhat"));
        QCOMPARE(log->labels, (std::vector<double>{1.5, 2.0, 4.25}));
        QCOMPARE(log->weights, (std::vector<double>{1, 2, 1}));
        QCOMPARE(log->ids, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(log->trainingMean.value_or(0), 3.25);
        QCOMPARE(log->featureColumns, std::vector<std::string>{"age"});
        QCOMPARE(log->intervals.size(), std::size_t(2));
        QCOMPARE(log->intervals[0].name, std::string("q05-q95"));
        QVERIFY(std::abs(log->intervals[0].nominal - 0.90) < 1e-12); // 0.95 - 0.05
        QCOMPARE(log->intervals[1].nominal, 0.80);                   // the level in the names
        QVERIFY(!log->intervals[1].nominalAssumed);

        // The same file read for a classification view: refused with the sentence, never 3 classes.
        const auto table = PredictionLogReader().readTable(path, report);
        QVERIFY(table);
        const auto evaluation = extractEvaluationSet(*table);
        QVERIFY(!evaluation.ok());
        QVERIFY(evaluation.errors.front().message.find("this is a regression log") != std::string::npos);
    }

    void bareBoundsTakeTheAssumedLevelAndSaySo() {
        QTemporaryDir dir;
        const auto path =
            writeFile(dir, "r.csv", "label,prediction,lower,upper\n1.5,1.0,0.5,2.0\n2.5,2.0,1.0,3.0\n");
        ReadReport report;
        RegressionLogOptions options;
        options.assumedLevel = 0.95;
        const auto log = readRegressionLog(path, {}, report, options);
        QVERIFY(log);
        QCOMPARE(log->intervals.size(), std::size_t(1));
        QCOMPARE(log->intervals[0].nominal, 0.95);
        QVERIFY(log->intervals[0].nominalAssumed);
        QCOMPARE(log->notes.size(), std::size_t(1));
    }

    void textPredictionsAreNoRegressionLog() {
        PredictionTable table;
        table.columns.push_back(numbers("label", ColumnRole::Label, {1.5, 2}));
        PredictionColumn text;
        text.name = "prediction";
        text.role = ColumnRole::Prediction;
        text.numeric = false;
        text.codes = {0, 1};
        text.dictionary = {"cat", "dog"};
        table.columns.push_back(text);
        std::string error;
        QVERIFY(!regressionLogFrom(table, error));
        QVERIFY(error.find("'prediction' holds text") != std::string::npos);
    }

    void alignmentByIdCountsWhatDoesNotMatch() {
        // A: ids 1 2 3 3 4 (3 twice: one duplicate); B: ids 2 3 4 5. Shared: 2, 3, 4; id 4's labels differ
        // (7 vs 7.5): one conflict. Matched 2 (ids 2 and 3), only in A: 1, only in B: 5.
        RegressionLog a, b;
        a.ids = {"1", "2", "3", "3", "4"};
        a.labels = {1, 2, 3, 3, 7};
        a.predictions = {1.1, 2.1, 3.1, 9, 7.1};
        b.ids = {"2", "3", "4", "5"};
        b.labels = {2, 3, 7.5, 5};
        b.predictions = {2.2, 3.2, 7.2, 5.2};
        const auto aligned = alignRegressionLogs(a, b);
        QVERIFY(aligned.byId);
        QCOMPARE(aligned.matched, std::int64_t(2));
        QCOMPARE(aligned.onlyA, std::int64_t(1));
        QCOMPARE(aligned.onlyB, std::int64_t(1));
        QCOMPARE(aligned.labelConflicts, std::int64_t(1));
        QCOMPARE(aligned.duplicates, std::int64_t(1));
        QCOMPARE(aligned.ids, (std::vector<std::string>{"2", "3"}));
        QCOMPARE(aligned.predictionsA, (std::vector<double>{2.1, 3.1})); // the first row of id 3
        QCOMPARE(aligned.predictionsB, (std::vector<double>{2.2, 3.2}));
    }

    void rowAlignmentNeedsAgreeingLabels() {
        RegressionLog a, b;
        a.labels = {1, 2, 3};
        a.predictions = {1, 2, 3};
        b.labels = {1, 2, 3};
        b.predictions = {0, 2, 4};
        QCOMPARE(alignRegressionLogs(a, b).matched, std::int64_t(3));
        b.labels[2] = 3.5;
        const auto refused = alignRegressionLogs(a, b);
        QVERIFY(refused.refusal.find("row 3") != std::string::npos);
        b.labels.push_back(4);
        b.predictions.push_back(4);
        QVERIFY(alignRegressionLogs(a, b).refusal.find("different row counts") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestRegressionLog)
#include "test_regression_log.moc"
