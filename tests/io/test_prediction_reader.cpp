// Prediction-log reader: role recognition, CSV/TSV/JSONL parsing, validation errors and registry choice.
#include "core/analysis/binary_metrics.h"
#include "core/analysis/evaluation_set.h"
#include "core/analysis/multiclass_metrics.h"
#include "core/io/prediction_reader.h"
#include "tests/data/eval/sklearn_refs.h"

#include <fstream>
#include <QtTest>

using namespace runlens;

namespace {

// Collects what the reader delivers.
class CaptureSink : public ImportSink {
  public:
    void appendPoints(std::string_view, std::string_view, std::span<const std::int64_t>,
                      std::span<const double>, std::span<const double>) override {}
    void setParam(std::string_view, std::string_view, std::string_view) override {}
    void setTag(std::string_view, std::string_view, std::string_view) override {}
    void setProvenance(std::string_view, ProvenanceField, std::string_view) override {}
    void addPredictions(std::string_view run, PredictionTable table) override {
        runs.emplace_back(run);
        tables.push_back(std::move(table));
    }
    std::vector<std::string> runs;
    std::vector<PredictionTable> tables;
};

std::filesystem::path writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& text) {
    const std::filesystem::path path = std::filesystem::path(dir.path().toStdString()) / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

ReadReport readInto(const std::filesystem::path& path, CaptureSink& sink, PredictionRoles roles = {}) {
    ReadContext ctx;
    ctx.runName = "run1";
    return PredictionLogReader(std::move(roles)).read(path, ctx, sink);
}

std::string allIssues(const ReadReport& r) {
    std::string out;
    for (const auto& i : r.issues)
        out += i.toString() + "\n";
    return out;
}

bool hasErrorMentioning(const ReadReport& r, std::int64_t line, const std::string& text) {
    for (const auto& i : r.issues)
        if (i.severity == Severity::Error && i.line == line && i.message.find(text) != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestPredictionReader : public QObject {
    Q_OBJECT
  private slots:
    void rolesByName_data() {
        QTest::addColumn<QString>("column");
        QTest::addColumn<int>("role");
        QTest::addColumn<QString>("className");
        QTest::newRow("label") << "label" << int(ColumnRole::Label) << "";
        QTest::newRow("y_true") << "Y_True" << int(ColumnRole::Label) << "";
        QTest::newRow("target") << "target" << int(ColumnRole::Label) << "";
        QTest::newRow("p") << "p" << int(ColumnRole::Score) << "";
        QTest::newRow("y_score") << "y_score" << int(ColumnRole::Score) << "";
        QTest::newRow("prob_cat") << "prob_cat" << int(ColumnRole::ClassScore) << "cat";
        QTest::newRow("score_2") << "score_2" << int(ColumnRole::ClassScore) << "2";
        QTest::newRow("y_pred") << "y_pred" << int(ColumnRole::Prediction) << "";
        QTest::newRow("example_id") << "example_id" << int(ColumnRole::Id) << "";
        QTest::newRow("feature") << "age" << int(ColumnRole::Feature) << "";
        QTest::newRow("prob_ alone") << "prob_" << int(ColumnRole::Feature) << "";
    }
    void rolesByName() {
        QFETCH(QString, column);
        QFETCH(int, role);
        QFETCH(QString, className);
        std::string cls;
        QCOMPARE(int(PredictionLogReader::roleForName(column.toStdString(), &cls)), role);
        QCOMPARE(QString::fromStdString(cls), className);
    }

    void tableNames() {
        QCOMPARE(PredictionLogReader::tableNameFor("a/predictions_val.csv"), std::string("val"));
        QCOMPARE(PredictionLogReader::tableNameFor("predictions.jsonl"), std::string("predictions"));
        QCOMPARE(PredictionLogReader::tableNameFor("test_predictions.tsv"), std::string("test"));
        QCOMPARE(PredictionLogReader::tableNameFor("holdout.csv"), std::string("holdout"));
    }

    void confidenceAndRegistry() {
        QTemporaryDir dir;
        const auto named = writeFile(dir, "predictions_val.csv", "id,label,score\n1,0,0.2\n");
        const auto plain = writeFile(dir, "eval.csv", "label,prob\n1,0.2\n");
        const auto metrics = writeFile(dir, "metrics.csv", "step,loss\n1,0.5\n");
        const auto multi = writeFile(dir, "out.jsonl", "{\"label\":\"a\",\"prob_a\":0.9,\"prob_b\":0.1}\n");
        const PredictionLogReader reader;
        QCOMPARE(reader.confidence(FileProbe::fromFile(named)), 90);
        QCOMPARE(reader.confidence(FileProbe::fromFile(plain)), 80);
        QCOMPARE(reader.confidence(FileProbe::fromFile(metrics)), 0);
        QCOMPARE(reader.confidence(FileProbe::fromFile(multi)), 80);
        const auto registry = ReaderRegistry::withBuiltins();
        const Reader* picked = registry.pick(FileProbe::fromFile(named));
        QVERIFY(picked);
        QCOMPARE(std::string(picked->name()), std::string("predictions"));
        const Reader* other = registry.pick(FileProbe::fromFile(metrics));
        QVERIFY(!other || other->name() != "predictions");
    }

    void breastCancerFixtureEndToEnd() {
        CaptureSink sink;
        const auto report = readInto(RUNLENS_TEST_DATA "/eval/breast_cancer_predictions.csv", sink);
        QVERIFY2(!report.hasErrors(), allIssues(report).c_str());
        QCOMPARE(sink.tables.size(), std::size_t(1));
        QCOMPARE(sink.runs.front(), std::string("run1"));
        const auto& t = sink.tables.front();
        QCOMPARE(t.name, std::string("breast_cancer"));
        QCOMPARE(qint64(t.rows()), qint64(refs::bcRows));
        QVERIFY(t.find(ColumnRole::Id));
        const auto* bucket = t.column("radius_bucket");
        QVERIFY(bucket && !bucket->numeric && bucket->role == ColumnRole::Feature);
        QCOMPARE(bucket->dictionary.size(), std::size_t(3));
        const auto set = extractEvaluationSet(t);
        QVERIFY(set.ok());
        // Scores are written with 17 significant digits, so parsing must give back sklearn's doubles.
        QCOMPARE(rocAuc(set.set.labels, set.set.scores), refs::bcRocAuc);
        QCOMPARE(brierScore(set.set.labels, set.set.scores), refs::bcBrier);
    }

    void irisFixtureIsMulticlass() {
        CaptureSink sink;
        const auto report = readInto(RUNLENS_TEST_DATA "/eval/iris_predictions.csv", sink);
        QVERIFY2(!report.hasErrors(), allIssues(report).c_str());
        QCOMPARE(sink.tables.size(), std::size_t(1));
        const auto set = extractEvaluationSet(sink.tables.front());
        QVERIFY(set.ok());
        QVERIFY(set.set.multiclass);
        QCOMPARE(set.set.classes, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
        const auto m = multiclassMetrics(set.set.labels, set.set.probs, 3);
        QCOMPARE(m.accuracy, refs::irisAccuracy);
        QVERIFY(std::fabs(m.logLoss - refs::irisLogLoss) < 1e-9);
    }

    void jsonlWithProbabilityList() {
        QTemporaryDir dir;
        const auto path =
            writeFile(dir, "predictions_test.jsonl",
                      "{\"id\": 1, \"label\": 2, \"probs\": [0.1, 0.2, 0.7], \"split\": \"a\"}\n"
                      "{\"id\": 2, \"label\": 0, \"probs\": [0.6, 0.3, 0.1], \"split\": \"b\"}\n"
                      "\n"
                      "{\"id\": 3, \"label\": 1, \"probs\": [0.2, 0.5, 0.3]}\n");
        CaptureSink sink;
        const auto report = readInto(path, sink);
        QVERIFY2(!report.hasErrors(), allIssues(report).c_str());
        QCOMPARE(sink.tables.size(), std::size_t(1));
        const auto& t = sink.tables.front();
        QCOMPARE(t.name, std::string("test"));
        QCOMPARE(t.rows(), std::size_t(3));
        const auto set = extractEvaluationSet(t);
        QVERIFY(set.ok());
        QCOMPARE(set.set.classes, (std::vector<std::string>{"0", "1", "2"}));
        QCOMPARE(set.set.labels, (std::vector<int>{2, 0, 1}));
        QCOMPARE(multiclassMetrics(set.set.labels, set.set.probs, 3).accuracy, 1.0);
        const auto* split = t.column("split");
        QVERIFY(split && !split->numeric);
        QCOMPARE(split->codes.back(), -1); // absent key = missing
    }

    void tsvTextLabelsAndPredictions() {
        QTemporaryDir dir;
        const auto path =
            writeFile(dir, "val.tsv", "y_true\ty_prob\ty_pred\tage\nyes\t0.8\tyes\t31\nno\t0.3\tyes\t45\n");
        CaptureSink sink;
        const auto report = readInto(path, sink);
        QVERIFY2(!report.hasErrors(), allIssues(report).c_str());
        const auto set = extractEvaluationSet(sink.tables.front());
        QVERIFY(set.ok());
        QCOMPARE(set.set.classes, (std::vector<std::string>{"no", "yes"}));
        QCOMPARE(set.set.labels, (std::vector<int>{1, 0}));
        QCOMPARE(set.set.predictions, (std::vector<int>{1, 1}));
    }

    void explicitRoles() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "scored.csv", "truth,conf,label\n1,0.9,x\n0,0.2,y\n");
        PredictionRoles roles;
        roles.label = "truth";
        roles.score = "conf";
        CaptureSink sink;
        const auto report = readInto(path, sink, roles);
        QVERIFY2(!report.hasErrors(), allIssues(report).c_str());
        const auto& t = sink.tables.front();
        QCOMPARE(t.find(ColumnRole::Label)->name, std::string("truth"));
        QCOMPARE(t.column("label")->role, ColumnRole::Feature); // the override took the label role
        PredictionRoles missing;
        missing.score = "nope";
        CaptureSink none;
        const auto bad = readInto(path, none, missing);
        QVERIFY(hasErrorMentioning(bad, 0, "'nope'"));
        QVERIFY(none.tables.empty());
    }

    void badLogs_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("score above 1") << "label,score\n1,0.9\n0,0.1\n1,1.3\n"
                                       << qint64(4) << "column 'score', row 3";
        QTest::newRow("negative score") << "label,score\n1,-0.2\n" << qint64(2) << "outside [0, 1]";
        QTest::newRow("label not in class set") << "label,score\n1,0.9\n2,0.1\n" << qint64(3) << "label '2'";
        QTest::newRow("missing label column") << "id,score\n1,0.9\n" << qint64(0) << "no label column";
        QTest::newRow("missing score") << "label,score\n1,\n" << qint64(2) << "missing score";
        QTest::newRow("mixed score") << "label,score\n1,0.9\n0,abc\n" << qint64(3) << "column 'score' mixes";
        QTest::newRow("mixed label") << "label,score\n1,0.9\ncat,0.1\n"
                                     << qint64(3) << "column 'label' mixes";
        QTest::newRow("class label unknown") << "label,prob_a,prob_b,prob_c\na,0.5,0.3,0.2\nz,0.1,0.1,0.8\n"
                                             << qint64(3) << "'z' is not in the class set {a, b, c}";
        QTest::newRow("header only") << "label,score\n" << qint64(0) << "no data rows";
        QTest::newRow("empty") << "" << qint64(0) << "";
    }
    void badLogs() {
        QFETCH(QString, text);
        QFETCH(qint64, line);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        const auto path = writeFile(dir, "predictions.csv", text.toStdString());
        CaptureSink sink;
        const auto report = readInto(path, sink);
        QVERIFY2(report.hasErrors(), "a bad log must report an error");
        QVERIFY(sink.tables.empty()); // nothing delivered for that file
        if (!mentions.isEmpty())
            QVERIFY2(hasErrorMentioning(report, line, mentions.toStdString()), allIssues(report).c_str());
    }

    void malformedButUsable() {
        QTemporaryDir dir;
        // A ragged row is skipped with a warning; a bad JSONL line too; the rest is delivered.
        const auto csv = writeFile(dir, "predictions_a.csv", "label,score\n1,0.9\n0,0.1,extra\n0,0.2\n");
        CaptureSink sink;
        const auto report = readInto(csv, sink);
        QVERIFY(!report.hasErrors());
        QCOMPARE(report.rowsSkipped, qint64(1));
        QCOMPARE(sink.tables.front().rows(), std::size_t(2));
        const auto jsonl = writeFile(
            dir, "predictions_b.jsonl",
            "{\"label\":1,\"score\":0.7}\nnot json\n[1,2]\n{\"label\":0,\"score\":0.4}\n{\"label\":1,");
        CaptureSink sink2;
        const auto r2 = readInto(jsonl, sink2);
        QVERIFY2(!r2.hasErrors(), allIssues(r2).c_str());
        QCOMPARE(sink2.tables.front().rows(), std::size_t(2)); // the cut last line is left for later
        // Non-UTF-8 bytes in a feature column do not crash and do not stop the import.
        const auto latin =
            writeFile(dir, "predictions_c.csv", "label,score,city\n1,0.9,K\xf6ln\n0,0.3,Bonn\n");
        CaptureSink sink3;
        const auto r3 = readInto(latin, sink3);
        QVERIFY(!r3.hasErrors());
        QCOMPARE(sink3.tables.size(), std::size_t(1));
        // A missing file is one clear error.
        CaptureSink sink4;
        const auto r4 = readInto(std::filesystem::path(dir.path().toStdString()) / "absent.csv", sink4);
        QVERIFY(r4.hasErrors());
    }
};

QTEST_APPLESS_MAIN(TestPredictionReader)
#include "test_prediction_reader.moc"
