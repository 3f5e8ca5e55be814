// Tests of the scikit-learn learning-curve reader: long, wide and cv_results_ layouts, bad cells, and that
// ordinary metrics tables stay with the CSV reader.
#include "core/import/memory_target.h"
#include "core/io/learning_curve_reader.h"

#include <filesystem>
#include <fstream>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;

namespace {

std::filesystem::path writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / name;
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return path;
}

ReadReport readInto(const std::filesystem::path& path, MemoryTarget& target, const std::string& run = "lc") {
    LearningCurveReader reader;
    ReadContext ctx;
    ctx.runName = run;
    auto tx = target.beginSource(path.string(), reader.name(), true);
    ReadReport report = reader.read(path, ctx, *tx);
    tx->commit(SourceState{"learning-curve", 0, 0, report.endOffset});
    return report;
}

const std::string kTrain(kLearningCurveTrainTag);
const std::string kValidation(kLearningCurveValidationTag);

std::string pickedReader(const std::string& name, const std::string& head) {
    static const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    FileProbe probe;
    probe.path = std::filesystem::path("/x") / name;
    probe.head = head;
    probe.size = head.size();
    const Reader* reader = registry.pick(probe);
    return reader ? std::string(reader->name()) : std::string("(none)");
}

std::string issuesText(const ReadReport& report) {
    std::string text;
    for (const auto& issue : report.issues)
        text += issue.toString() + "\n";
    return text;
}

} // namespace

class TestLearningCurveReader : public QObject {
    Q_OBJECT

  private slots:
    void confidence_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("head");
        QTest::addColumn<int>("expected");
        QTest::newRow("long") << "lc.csv"
                              << "train_size,fold,train_score,test_score\n10,0,1,0.8\n"
                              << 85;
        QTest::newRow("long, val name, any case") << "lc.csv"
                                                  << "Train_Sizes,Train_Score,VAL_SCORE\n"
                                                  << 85;
        QTest::newRow("long, cv only") << "lc.csv"
                                       << "n_samples,cv_score\n"
                                       << 85;
        QTest::newRow("wide") << "lc.csv"
                              << "n_train,train_score_0,train_score_1,test_score_0,test_score_1\n"
                              << 85;
        QTest::newRow("wide plural") << "lc.tsv"
                                     << "training_size\ttrain_scores_0\ttest_scores_0\n"
                                     << 85;
        QTest::newRow("cv_results_ names")
            << "lc.csv"
            << "train_examples,split0_train_score,split1_train_score,split0_test_score\n"
            << 85;
        QTest::newRow("metrics.csv") << "metrics.csv"
                                     << "step,epoch,train_loss,val_loss\n0,0,1,2\n"
                                     << 0;
        QTest::newRow("size but no score") << "m.csv"
                                           << "train_size,accuracy\n10,0.9\n"
                                           << 0;
        QTest::newRow("score but no size") << "m.csv"
                                           << "fold,train_score,test_score\n0,1,0.9\n"
                                           << 0;
        QTest::newRow("a training log with a size column")
            << "m.csv"
            << "step,n_samples,train_score,val_score\n0,100,0.5,0.4\n"
            << 0;
        QTest::newRow("split prefix without index") << "m.csv"
                                                    << "train_size,splitx_train_score\n"
                                                    << 0;
        QTest::newRow("not a table extension") << "lc.txt"
                                               << "train_size,train_score,test_score\n"
                                               << 0;
        QTest::newRow("empty") << "lc.csv"
                               << "" << 0;
    }
    void confidence() {
        QFETCH(QString, name);
        QFETCH(QString, head);
        QFETCH(int, expected);
        FileProbe probe;
        probe.path = std::filesystem::path("/x") / name.toStdString();
        probe.head = head.toStdString();
        probe.size = probe.head.size();
        QCOMPARE(LearningCurveReader().confidence(probe), expected);
    }

    // The registry gives learning-curve logs to this reader and everything else to the readers it had before.
    void registryPicksTheRightReader() {
        QCOMPARE(pickedReader("lc.csv", "train_size,fold,train_score,test_score\n45,0,1.0,0.87\n"),
                 std::string("learning-curve"));
        QCOMPARE(pickedReader("lc.csv", "train_size,train_score_0,test_score_0\n45,1.0,0.87\n"),
                 std::string("learning-curve"));
        QCOMPARE(pickedReader("metrics.csv", "step,epoch,train_loss,val_loss\n0,0,1.5,1.7\n1,0,1.2,1.4\n"),
                 std::string("csv"));
        QCOMPARE(pickedReader("metrics.csv", "epoch,loss,val_loss,accuracy,val_accuracy\n0,1,1,0.5,0.5\n"),
                 std::string("csv"));
        QCOMPARE(pickedReader("history.csv", "_step,_runtime,_timestamp,loss\n0,1,2,3\n"),
                 std::string("wandb_csv"));
    }

    void longLayout() {
        QTemporaryDir dir;
        // 3 sizes x 2 folds; fit_time is another column sklearn can return and is ignored.
        const auto path = writeFile(dir, "lc.csv",
                                    "train_size,fold,train_score,test_score,fit_time\n"
                                    "50,0,1.0,0.80,0.01\n"
                                    "50,1,0.98,0.76,0.01\n"
                                    "100,0,0.97,0.85,0.02\n"
                                    "100,1,0.95,0.87,0.02\n"
                                    "200.0,0,0.94,0.90,0.03\n" // pandas writes integral floats like this
                                    "200,1,0.93,,0.03\n");     // an empty cell is absent, not an error
        MemoryTarget target;
        const ReadReport report = readInto(path, target);
        QVERIFY2(report.issues.empty(), issuesText(report).c_str());
        QCOMPARE(report.format, std::string("learning-curve"));
        QCOMPARE(report.points, std::int64_t(11));
        const SeriesData* train = target.series("lc", kTrain);
        const SeriesData* validation = target.series("lc", kValidation);
        QVERIFY(train && validation);
        QCOMPARE(train->steps, (std::vector<std::int64_t>{50, 50, 100, 100, 200, 200}));
        QCOMPARE(train->values, (std::vector<double>{1.0, 0.98, 0.97, 0.95, 0.94, 0.93}));
        QCOMPARE(validation->steps, (std::vector<std::int64_t>{50, 50, 100, 100, 200}));
        QCOMPARE(validation->values, (std::vector<double>{0.80, 0.76, 0.85, 0.87, 0.90}));
        QVERIFY(std::isnan(train->wallTimes[0]));
        QCOMPARE(target.run("lc")->series.size(), std::size_t(2)); // fold and fit_time are not series
    }

    void wideLayoutTsv() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "scores.tsv",
                                    "n_train\ttrain_scores_0\ttrain_scores_1\ttrain_scores_2\t"
                                    "test_scores_0\ttest_scores_1\ttest_scores_2\n"
                                    "30\t1\t1\t0.9\t0.6\t0.7\t0.65\n"
                                    "60\t0.95\t0.96\t0.97\t0.75\t0.8\t0.78\n");
        MemoryTarget target;
        const ReadReport report = readInto(path, target, "run-a");
        QVERIFY2(report.issues.empty(), issuesText(report).c_str());
        const SeriesData* train = target.series("run-a", kTrain);
        const SeriesData* validation = target.series("run-a", kValidation);
        QVERIFY(train && validation);
        QCOMPARE(train->steps, (std::vector<std::int64_t>{30, 30, 30, 60, 60, 60}));
        QCOMPARE(train->values, (std::vector<double>{1, 1, 0.9, 0.95, 0.96, 0.97}));
        QCOMPARE(validation->values, (std::vector<double>{0.6, 0.7, 0.65, 0.75, 0.8, 0.78}));
    }

    void sklearnCvResultsNames() {
        QTemporaryDir dir;
        // The columns in any order, with cv_results_-style extras (mean_*, std_*) that are not fold scores.
        const auto path = writeFile(dir, "cv.csv",
                                    "split0_test_score,split1_test_score,Train_Size,mean_test_score,"
                                    "split0_train_score,split1_train_score,std_test_score\n"
                                    "0.7,0.8,40,0.75,0.99,0.97,0.05\n");
        MemoryTarget target;
        const ReadReport report = readInto(path, target);
        QVERIFY2(report.issues.empty(), issuesText(report).c_str());
        QCOMPARE(target.series("lc", kTrain)->values, (std::vector<double>{0.99, 0.97}));
        QCOMPARE(target.series("lc", kValidation)->values, (std::vector<double>{0.7, 0.8}));
        QCOMPARE(target.series("lc", kValidation)->steps, (std::vector<std::int64_t>{40, 40}));
    }

    void badCellsSkipTheirRow() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "bad.csv",
                                    "train_size,train_score,test_score\n" // line 1
                                    "10,0.9,0.7\n"                        // 2: good
                                    "10,0.9,oops\n"                       // 3: text score
                                    "12.5,0.9,0.7\n"                      // 4: non-integer size
                                    "-4,0.9,0.7\n"                        // 5: size not positive
                                    "20,0.95\n"                           // 6: ragged
                                    ",0.9,0.8\n"                          // 7: no size
                                    "20,0.95,0.8\n");                     // 8: good
        MemoryTarget target;
        const ReadReport report = readInto(path, target);
        QCOMPARE(report.issues.size(), std::size_t(5));
        QCOMPARE(report.rowsSkipped, std::int64_t(5));
        const auto& issues = report.issues;
        QCOMPARE(issues[0].kind, IssueKind::BadNumber);
        QCOMPARE(issues[0].line, std::int64_t(3));
        QCOMPARE(issues[0].file, path.string());
        QVERIFY(issues[0].message.find("oops") != std::string::npos);
        QCOMPARE(issues[1].kind, IssueKind::BadValue);
        QCOMPARE(issues[1].line, std::int64_t(4));
        QVERIFY2(issues[1].message.find("not an integer") != std::string::npos, issues[1].message.c_str());
        QCOMPARE(issues[2].line, std::int64_t(5));
        QVERIFY(issues[2].message.find("not positive") != std::string::npos);
        QCOMPARE(issues[3].kind, IssueKind::RaggedRow);
        QCOMPARE(issues[3].line, std::int64_t(6));
        QCOMPARE(issues[4].line, std::int64_t(7));
        // The bad row at line 3 is skipped whole: its good train cell is not imported either.
        QCOMPARE(target.series("lc", kTrain)->values, (std::vector<double>{0.9, 0.95}));
        QCOMPARE(target.series("lc", kValidation)->steps, (std::vector<std::int64_t>{10, 20}));
    }

    void headerProblemsAreErrors() {
        QTemporaryDir dir;
        MemoryTarget target;
        ReadReport report = readInto(writeFile(dir, "a.csv", "fold,train_score\n0,1\n"), target);
        QVERIFY(report.hasErrors());
        QCOMPARE(report.issues[0].kind, IssueKind::MissingColumn);
        report = readInto(writeFile(dir, "b.csv", "train_size,accuracy\n10,1\n"), target);
        QVERIFY(report.hasErrors());
        report = readInto(writeFile(dir, "c.csv", ""), target);
        QCOMPARE(report.issues[0].kind, IssueKind::Empty);
        report = readInto(writeFile(dir, "d.csv", "train_size,train_score\n"), target);
        QCOMPARE(report.issues.size(), std::size_t(1));
        QCOMPARE(report.issues[0].kind, IssueKind::Empty);
        QCOMPARE(target.totalPoints(), std::int64_t(0));
    }

    // The frozen file tests/tools/gen_learning_curve_refs.py wrote from sklearn's learning_curve
    // (breast cancer, LogisticRegression(max_iter=5000), cv=5, train_sizes=np.linspace(0.1, 1, 5)).
    void frozenSklearnFile() {
        const std::filesystem::path path =
            std::filesystem::path(RUNLENS_TEST_DATA) / "learning_curve" / "breast_cancer_logreg.csv";
        FileProbe probe = FileProbe::fromFile(path);
        QCOMPARE(std::string(ReaderRegistry::withBuiltins().pick(probe)->name()),
                 std::string("learning-curve"));
        MemoryTarget target;
        const ReadReport report = readInto(path, target);
        QVERIFY2(report.issues.empty(), issuesText(report).c_str());
        QCOMPARE(report.points, std::int64_t(50));
        const SeriesData* validation = target.series("lc", kValidation);
        QVERIFY(validation);
        QCOMPARE(validation->steps,
                 (std::vector<std::int64_t>{45,  45,  45,  45,  45,  147, 147, 147, 147, 147, 250, 250, 250,
                                            250, 250, 352, 352, 352, 352, 352, 455, 455, 455, 455, 455}));
        QCOMPARE(validation->values.back(), 0.9557522123893806); // 108/113 in the file's last cell
    }
};

QTEST_MAIN(TestLearningCurveReader)
#include "test_learning_curve_reader.moc"
