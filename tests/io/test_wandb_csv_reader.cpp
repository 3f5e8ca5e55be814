// Tests of the W&B CSV export reader: history exports and chart exports with min/max bands.
#include "core/import/memory_target.h"
#include "core/io/wandb_csv_reader.h"

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

ReadReport readCsv(const std::filesystem::path& path, MemoryTarget& target,
                   const std::string& runName = "exp") {
    WandbCsvReader reader;
    ReadContext ctx;
    ctx.runName = runName;
    auto tx = target.beginSource(path.string(), reader.name(), true);
    ReadReport report = reader.read(path, ctx, *tx);
    tx->commit(SourceState{"wandb_csv", 0, 0, report.endOffset});
    return report;
}

} // namespace

class TestWandbCsvReader : public QObject {
    Q_OBJECT

  private slots:
    void confidence_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("head");
        QTest::addColumn<int>("expected");
        QTest::newRow("history") << "wandb_export_1.csv"
                                 << "_step,_runtime,_timestamp,loss\n0,1,2,3\n"
                                 << 85;
        QTest::newRow("history quoted") << "h.csv"
                                        << "\"loss\",\"_step\",\"_timestamp\"\n"
                                        << 85;
        QTest::newRow("chart") << "c.csv"
                               << "Step,run-a - loss,run-a - loss__MIN,run-a - loss__MAX\n"
                               << 85;
        QTest::newRow("plain csv") << "m.csv"
                                   << "step,loss\n0,1\n"
                                   << 0;
        QTest::newRow("mixed header") << "m.csv"
                                      << "Step,run-a - loss,other\n"
                                      << 0;
        QTest::newRow("not csv") << "h.txt"
                                 << "_step,_runtime,_timestamp\n"
                                 << 0;
    }
    void confidence() {
        QFETCH(QString, name);
        QFETCH(QString, head);
        QFETCH(int, expected);
        FileProbe probe;
        probe.path = std::filesystem::path("/x") / name.toStdString();
        probe.head = head.toStdString();
        QCOMPARE(WandbCsvReader().confidence(probe), expected);
    }

    void chartColumnNames() {
        auto c = parseWandbChartColumn("dainty-sun-12 - train/loss__MIN");
        QVERIFY(c);
        QCOMPARE(c->run, std::string("dainty-sun-12"));
        QCOMPARE(c->tag, std::string("train/loss__min"));
        c = parseWandbChartColumn("my - run - acc");
        QCOMPARE(c->run, std::string("my - run"));
        QCOMPARE(c->tag, std::string("acc"));
        QVERIFY(!parseWandbChartColumn("Step"));
        QCOMPARE(wandbBandBase("train/loss__max").value(), std::string("train/loss"));
        QVERIFY(!wandbBandBase("loss"));
        QCOMPARE(wandbBandTag("acc", true), std::string("acc__max"));
    }

    // A history export: sparse cells are absent; _runtime is not a tag; _timestamp is the wall time.
    void historyExport() {
        QTemporaryDir dir;
        const auto path =
            writeFile(dir, "wandb_export_2024.csv",
                      "\"_step\",\"_runtime\",\"_timestamp\",\"train/loss\",\"val/acc\",\"media\"\n"
                      "0,1.5,1700000000.25,0.9,,\"{\"\"_type\"\": \"\"image-file\"\"}\"\n"
                      "1,2.5,1700000001.25,0.6,0.5,\n"
                      "2,3.5,1700000002.25,0.3,,\n");
        MemoryTarget target;
        const ReadReport report = readCsv(path, target);
        QVERIFY(!report.hasErrors());
        const SeriesData* loss = target.series("exp", "train/loss");
        QVERIFY(loss);
        QCOMPARE(loss->steps, (std::vector<std::int64_t>{0, 1, 2}));
        QCOMPARE(loss->values, (std::vector<double>{0.9, 0.6, 0.3}));
        QCOMPARE(loss->wallTimes[2], 1700000002.25);
        QCOMPARE(target.series("exp", "val/acc")->steps, (std::vector<std::int64_t>{1}));
        QCOMPARE(target.series("exp", "_runtime"), nullptr);
        QCOMPARE(target.series("exp", "media"), nullptr);
        QCOMPARE(report.points, std::int64_t(4));
        int textWarnings = 0;
        for (const ReadIssue& issue : report.issues)
            if (issue.kind == IssueKind::BadNumber) ++textWarnings;
        QCOMPARE(textWarnings, 1); // once per column, not per cell
    }

    void chartExport() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "chart.csv",
                                    "Step,run-a - loss,run-a - loss__MIN,run-a - loss__MAX,run-b - loss\n"
                                    "0,1.0,0.8,1.2,2.0\n"
                                    "10,0.5,0.4,0.6,\n"
                                    "20,,,,1.0\n");
        MemoryTarget target;
        const ReadReport report = readCsv(path, target, "group");
        QVERIFY(!report.hasErrors());
        QCOMPARE(target.runs().size(), std::size_t(2));
        QCOMPARE(target.series("group/run-a", "loss")->steps, (std::vector<std::int64_t>{0, 10}));
        QCOMPARE(target.series("group/run-a", "loss__min")->values, (std::vector<double>{0.8, 0.4}));
        QCOMPARE(target.series("group/run-a", "loss__max")->values, (std::vector<double>{1.2, 0.6}));
        QCOMPARE(target.series("group/run-b", "loss")->steps, (std::vector<std::int64_t>{0, 20}));
        QCOMPARE(target.series("group/run-b", "loss")->values, (std::vector<double>{2.0, 1.0}));
        QCOMPARE(report.points, std::int64_t(8));
    }

    void malformedInput() {
        QTemporaryDir dir;
        const auto path = writeFile(dir, "chart.csv", "Step,r - loss\n0,1\n1\n2.5,3\nx,4\n5,0.5\n");
        MemoryTarget target;
        const ReadReport report = readCsv(path, target);
        QCOMPARE(target.series("exp/r", "loss")->steps, (std::vector<std::int64_t>{0, 5}));
        QCOMPARE(report.rowsSkipped, std::int64_t(3));
        bool ragged = false;
        for (const ReadIssue& issue : report.issues)
            if (issue.kind == IssueKind::RaggedRow && issue.line == 3) ragged = true;
        QVERIFY(ragged);

        const auto empty = writeFile(dir, "empty.csv", "");
        MemoryTarget emptyTarget;
        QVERIFY(readCsv(empty, emptyTarget).hasErrors());

        const auto bytes =
            writeFile(dir, "bin.csv", std::string("_step,_timestamp,lo\xFF\x00ss\n1,2,3\n", 30));
        MemoryTarget binTarget;
        readCsv(bytes, binTarget); // must return; what it keeps depends on the tokenizer's NUL handling
    }
};

QTEST_GUILESS_MAIN(TestWandbCsvReader)
#include "test_wandb_csv_reader.moc"
