// Tests of the prediction logs' cell budget: the one refusal, its figures, and that the rest of an import is
// kept.
#include "core/import/importer.h"
#include "core/io/csv_reader.h"
#include "core/io/prediction_reader.h"
#include "core/store/workspace.h"

#include <cstdio>
#include <fstream>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens;
namespace fs = std::filesystem;

namespace {

// A budget small enough to reach with a generated file of a few hundred rows.
constexpr std::size_t kBudget = 1000;

// id,label,score,f1..f7 (10 columns); every data row is exactly 28 bytes, so the reader's estimate of the
// row count from the file size is exact.
void writeFixedWidthLog(const fs::path& path, int rows) {
    std::ofstream out(path, std::ios::binary);
    out << "id,label,score,f1,f2,f3,f4,f5,f6,f7\n";
    char line[64];
    for (int r = 0; r < rows; ++r) {
        std::snprintf(line, sizeof line, "%05d,%d,0.%03d,%d,%d,%d,%d,%d,%d,%d\n", r, r % 2, (r * 37) % 1000,
                      r % 10, (r + 1) % 10, (r + 2) % 10, (r + 3) % 10, (r + 4) % 10, (r + 5) % 10,
                      (r + 6) % 10);
        out << line;
    }
}

void writeFile(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::vector<const ReadIssue*> errorsOf(const ReadReport& report) {
    std::vector<const ReadIssue*> errors;
    for (const auto& issue : report.issues)
        if (issue.severity == Severity::Error) errors.push_back(&issue);
    return errors;
}

PredictionLogReader smallBudgetReader() {
    PredictionLogReader reader;
    reader.setMaxCells(kBudget);
    return reader;
}

} // namespace

class TestPredictionLimits : public QObject {
    Q_OBJECT

  private slots:
    void defaultBudgetIs256MiCells();
    void tableAtTheBudgetIsRead();
    void largerTableIsRefusedWithEstimatedRows();
    void exactRowCountWhenTheFileEndsAtTheStop();
    void refusalIsKeptAfterManyWarnings();
    void jsonlRowAddingManyColumnsIsRefused();
    void importKeepsNothingOfTheRefusedLogButTheOtherFiles();
};

void TestPredictionLimits::defaultBudgetIs256MiCells() {
    PredictionLogReader reader;
    QCOMPARE(reader.maxCells(), std::size_t(268435456)); // 256 x 1024 x 1024
    reader.setMaxCells(0);
    QCOMPARE(reader.maxCells(), std::size_t(268435456));
}

void TestPredictionLimits::tableAtTheBudgetIsRead() {
    QTemporaryDir tmp;
    const fs::path log = fs::path(tmp.path().toStdString()) / "predictions.csv";
    writeFixedWidthLog(log, 100); // 100 rows x 10 columns = 1,000 cells: exactly the budget
    ReadReport report;
    const auto table = smallBudgetReader().readTable(log, report);
    QVERIFY2(table.has_value(), report.issues.empty() ? "" : report.issues.front().toString().c_str());
    QCOMPARE(table->rows(), std::size_t(100));
    QCOMPARE(table->columns.size(), std::size_t(10));
}

void TestPredictionLimits::largerTableIsRefusedWithEstimatedRows() {
    QTemporaryDir tmp;
    const fs::path log = fs::path(tmp.path().toStdString()) / "predictions.csv";
    writeFixedWidthLog(log, 500); // 5,000 cells; row 101 would make 1,010 > 1,000, and it is on line 102
    ReadReport report;
    QVERIFY(!smallBudgetReader().readTable(log, report).has_value());
    const auto errors = errorsOf(report);
    QCOMPARE(errors.size(), std::size_t(1));
    QCOMPARE(errors[0]->kind, IssueKind::Unsupported);
    QCOMPARE(errors[0]->line, std::int64_t(102));
    QCOMPARE(QString::fromStdString(errors[0]->file), QString::fromStdString(log.string()));
    QCOMPARE(QString::fromStdString(errors[0]->message),
             QString("prediction log too large: about 500 rows x 10 columns exceed the limit of 1,000 cells "
                     "a prediction log may hold in memory (reading stopped at row 101); import a sample of "
                     "the rows or fewer columns"));
}

void TestPredictionLimits::exactRowCountWhenTheFileEndsAtTheStop() {
    QTemporaryDir tmp;
    const fs::path log = fs::path(tmp.path().toStdString()) / "predictions.csv";
    writeFixedWidthLog(log, 101); // the stop is at the last row, so the count is known, not estimated
    ReadReport report;
    QVERIFY(!smallBudgetReader().readTable(log, report).has_value());
    const auto errors = errorsOf(report);
    QCOMPARE(errors.size(), std::size_t(1));
    QVERIFY2(errors[0]->message.find(": 101 rows x 10 columns exceed the limit of 1,000 cells") !=
                 std::string::npos,
             errors[0]->message.c_str());
}

void TestPredictionLimits::refusalIsKeptAfterManyWarnings() {
    QTemporaryDir tmp;
    const fs::path log = fs::path(tmp.path().toStdString()) / "predictions.csv";
    std::string text = "label,score\n";
    for (int i = 0; i < 250; ++i)
        text += "1,0.5,extra\n"; // 250 ragged rows: more warnings than a report keeps
    for (int i = 0; i < 600; ++i)
        text += "1,0.5\n"; // 2 columns: row 501 would make 1,002 cells
    writeFile(log, text);
    ReadReport report;
    QVERIFY(!smallBudgetReader().readTable(log, report).has_value());
    QCOMPARE(report.issues.size(), ReadReport::kMaxIssues);
    const auto errors = errorsOf(report);
    QCOMPARE(errors.size(), std::size_t(1));
    QCOMPARE(errors[0]->line, std::int64_t(1 + 250 + 501)); // header, ragged rows, the 501st good row
    QVERIFY2(errors[0]->message.find("x 2 columns exceed the limit of 1,000 cells") != std::string::npos,
             errors[0]->message.c_str());
}

void TestPredictionLimits::jsonlRowAddingManyColumnsIsRefused() {
    QTemporaryDir tmp;
    const fs::path log = fs::path(tmp.path().toStdString()) / "predictions.jsonl";
    // 50 rows of 2 keys, then a row whose 30-item list would add 30 columns padded back over all rows:
    // 51 x 32 = 1,632 cells > 1,000, refused before that row is added.
    std::string text;
    for (int i = 0; i < 50; ++i)
        text += "{\"label\": 1, \"score\": 0.5}\n";
    text += "{\"label\": 1, \"score\": 0.5, \"probs\": [";
    for (int i = 0; i < 30; ++i)
        text += i ? ", 0.01" : "0.01";
    text += "]}\n";
    writeFile(log, text);
    ReadReport report;
    QVERIFY(!smallBudgetReader().readTable(log, report).has_value());
    const auto errors = errorsOf(report);
    QCOMPARE(errors.size(), std::size_t(1));
    QCOMPARE(errors[0]->line, std::int64_t(51));
    QVERIFY2(errors[0]->message.find("51 rows x 32 columns exceed") != std::string::npos,
             errors[0]->message.c_str());
}

void TestPredictionLimits::importKeepsNothingOfTheRefusedLogButTheOtherFiles() {
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "run_a";
    fs::create_directories(root);
    const fs::path big = root / "predictions_big.csv";
    writeFixedWidthLog(big, 500);
    writeFile(root / "predictions_small.csv", "label,score\n1,0.9\n0,0.2\n1,0.7\n0,0.4\n");
    writeFile(root / "metrics.csv", "step,loss\n0,1.5\n1,1.25\n2,1.0\n");

    ReaderRegistry registry;
    auto predictions = std::make_unique<PredictionLogReader>();
    predictions->setMaxCells(kBudget);
    registry.add(std::move(predictions));
    registry.add(std::make_unique<CsvReader>());

    const fs::path wsPath = fs::path(tmp.path().toStdString()) / "limits.runlens";
    auto ws = Workspace::create(wsPath);
    const std::vector<fs::path> paths{root};
    const ImportSummary summary = importPaths(paths, registry, *ws);

    const auto errors = errorsOf(summary.report);
    QCOMPARE(errors.size(), std::size_t(1));
    QVERIFY2(errors[0]->toString().find(
                 "predictions_big.csv:102: prediction log too large: about 500 rows") != std::string::npos,
             errors[0]->toString().c_str());
    QCOMPARE(summary.filesRead, std::int64_t(2));

    // Nothing of the refused log: no table and no source record (so a later import tries it again).
    const auto runId = ws->runId("run_a");
    QVERIFY(runId.has_value());
    const auto tables = ws->predictionTables(*runId);
    QCOMPARE(tables.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(tables[0].name), QString("small"));
    QCOMPARE(tables[0].rows, std::int64_t(4));
    QStringList sources;
    for (const auto& [path, state] : ws->sources())
        sources << QString::fromStdString(fs::path(path).filename().string());
    sources.sort();
    QCOMPARE(sources, QStringList({"metrics.csv", "predictions_small.csv"}));
    const SeriesData loss = ws->readSeries(*runId, "loss");
    QCOMPARE(loss.size(), std::size_t(3));
    QCOMPARE(loss.values[2], 1.0);

    // Importing again reads the refused log again (it is not "unchanged") and refuses it again.
    const ImportSummary again = importPaths(paths, registry, *ws);
    QCOMPARE(again.filesUnchanged, std::int64_t(2));
    QCOMPARE(errorsOf(again.report).size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TestPredictionLimits)
#include "test_prediction_limits.moc"
