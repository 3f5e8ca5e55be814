// Tests of JsonlReader: long and wide objects, nested keys, Python's NaN/Infinity, malformed lines, resume.
#include "core/import/memory_target.h"
#include "core/io/jsonl_reader.h"
#include "tests/common/reader_test_support.h"

#include <fstream>
#include <QtTest>

using namespace runlens;

namespace {

using runlens::test::hasIssue;
using runlens::test::renderParams;
using runlens::test::renderPoints;
using runlens::test::writeFile;

ReadReport readJsonl(const std::filesystem::path& path, MemoryTarget& target, std::int64_t fromOffset = 0) {
    JsonlReader reader;
    ReadContext ctx;
    ctx.runName = "r";
    ctx.fromOffset = fromOffset;
    auto txn = target.beginSource(path.string(), "jsonl", fromOffset == 0);
    ReadReport report = reader.read(path, ctx, *txn);
    txn->commit(SourceState{"jsonl", 0, 0, report.endOffset});
    return report;
}

} // namespace

class TestJsonlReader : public QObject {
    Q_OBJECT
  private slots:
    void objects_data();
    void objects();
    void malformedLines();
    void emptyFile();
    void resume();
    void confidence();
};

void TestJsonlReader::objects_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected"); // written by hand; sorted by run, tag, then file order
    QTest::addColumn<QString>("params");
    QTest::newRow("wide")
        << QByteArray("{\"step\": 1, \"loss\": 0.5, \"acc\": 0.9}\n{\"step\": 2, \"loss\": 0.25}\n")
        << "r|acc|1|0.9|-;r|loss|1|0.5|-;r|loss|2|0.25|-"
        << "";
    QTest::newRow("nested flattened")
        << QByteArray("{\"step\": 3, \"train\": {\"loss\": 0.1, \"sub\": {\"x\": 2}}}\n")
        << "r|train/loss|3|0.1|-;r|train/sub/x|3|2|-"
        << "";
    QTest::newRow("long form with run and wall time")
        << QByteArray(
               "{\"run\": \"a\", \"tag\": \"loss\", \"step\": 0, \"value\": 0.5, \"wall_time\": 10.5}\n"
               "{\"run\": \"a\", \"tag\": \"loss\", \"step\": 1, \"value\": null}\n")
        << "r/a|loss|0|0.5|10.500"
        << "";
    QTest::newRow("strings become params when constant")
        << QByteArray("{\"step\": 1, \"model\": \"vit\", \"note\": \"a\", \"loss\": 1}\n"
                      "{\"step\": 2, \"model\": \"vit\", \"note\": \"b\", \"loss\": 2}\n")
        << "r|loss|1|1|-;r|loss|2|2|-"
        << "r:model=vit";
    QTest::newRow("python NaN and Infinity")
        << QByteArray(
               "{\"step\": 1, \"loss\": NaN, \"g\": Infinity, \"h\": -Infinity, \"s\": \"NaN text\"}\n")
        << "r|g|1|inf|-;r|h|1|-inf|-;r|loss|1|nan|-"
        << "r:s=NaN text";
    QTest::newRow("no step uses record index")
        << QByteArray("{\"loss\": 3}\n\n{\"loss\": 4}\r\n") << "r|loss|0|3|-;r|loss|1|4|-"
        << "";
    QTest::newRow("epoch is a metric next to step")
        << QByteArray("{\"epoch\": 0, \"step\": 10, \"loss\": 1.5, \"_timestamp\": 1704164645000}\n")
        << "r|epoch|10|0|1704164645.000;r|loss|10|1.5|1704164645.000"
        << "";
}

void TestJsonlReader::objects() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QFETCH(QString, params);
    QTemporaryDir dir;
    MemoryTarget target;
    const ReadReport report = readJsonl(writeFile(dir, "m.jsonl", bytes.toStdString()), target);
    QCOMPARE(renderPoints(target), expected);
    QCOMPARE(renderParams(target), params);
    QVERIFY(!report.hasErrors());
}

void TestJsonlReader::malformedLines() {
    QTemporaryDir dir;
    MemoryTarget target;
    static const char bytes[] =
        "{\"step\": 1, \"loss\": 1}\n{\"step\": 2, \"loss\": \n[1,2]\n{\"step\": 4, \"lo\0ss\": 4}\n"
        "{\"step\": 5, \"loss\": 5}";
    const ReadReport report =
        readJsonl(writeFile(dir, "bad.jsonl", std::string(bytes, sizeof(bytes) - 1)), target);
    QCOMPARE(renderPoints(target), QString("r|loss|1|1|-;r|loss|5|5|-"));
    QVERIFY(hasIssue(report, IssueKind::BadRecord, 2));
    QVERIFY(hasIssue(report, IssueKind::BadRecord, 3));
    QVERIFY(hasIssue(report, IssueKind::NulByte, 4));
    QCOMPARE(report.rowsSkipped, std::int64_t(3));
}

void TestJsonlReader::emptyFile() {
    QTemporaryDir dir;
    MemoryTarget target;
    const ReadReport report = readJsonl(writeFile(dir, "e.jsonl", ""), target);
    QVERIFY(hasIssue(report, IssueKind::Empty));
}

void TestJsonlReader::resume() {
    QTemporaryDir dir;
    const std::string first = "{\"step\": 1, \"loss\": 1}\n{\"step\": 2, \"loss\": 2}\n{\"step\": 3, \"lo";
    const auto path = writeFile(dir, "g.jsonl", first);
    MemoryTarget target;
    const ReadReport r1 = readJsonl(path, target);
    // The half-written third line is not consumed: the next read starts at it.
    QCOMPARE(r1.endOffset, std::int64_t(first.rfind('\n') + 1));
    {
        std::ofstream out(path, std::ios::binary | std::ios::app);
        out << "ss\": 3}\n";
    }
    MemoryTarget second;
    const ReadReport r2 = readJsonl(path, second, r1.endOffset);
    QCOMPARE(renderPoints(second), QString("r|loss|3|3|-"));
    QVERIFY(!hasIssue(r2, IssueKind::BadRecord));
}

void TestJsonlReader::confidence() {
    FileProbe probe;
    probe.path = "metrics.jsonl";
    probe.head = "{\"step\": 1, \"loss\": 0.5}\n";
    probe.size = probe.head.size();
    QCOMPARE(JsonlReader().confidence(probe), 70);
    probe.path = "log.txt";
    QCOMPARE(JsonlReader().confidence(probe), 40);
    probe.head = "{\"id\": 1, \"label\": 0, \"score\": 0.3}\n";
    QCOMPARE(JsonlReader().confidence(probe), 10);
    probe.head = "step,loss\n1,0.5\n";
    QCOMPARE(JsonlReader().confidence(probe), 0);
}

QTEST_GUILESS_MAIN(TestJsonlReader)
#include "test_jsonl_reader.moc"
