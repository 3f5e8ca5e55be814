// Tests of the CSV tokenizer and CsvReader: layouts, separators, quoting, malformed input, resume, real
// files.
#include "core/import/memory_target.h"
#include "core/io/csv_reader.h"
#include "core/io/csv_tokenizer.h"
#include "core/model/text_number.h"
#include "tests/common/reader_test_support.h"

#include <cmath>
#include <fstream>
#include <map>
#include <QtTest>
#include <sstream>

using namespace runlens;

namespace {

using runlens::test::hasIssue;
using runlens::test::renderParams;
using runlens::test::renderPoints;
using runlens::test::writeFile;

struct Result {
    ReadReport report;
    MemoryTarget target;
};

void readCsv(const std::filesystem::path& path, Result& r, std::int64_t fromOffset = 0,
             std::string run = "r") {
    CsvReader reader;
    ReadContext ctx;
    ctx.runName = std::move(run);
    ctx.fromOffset = fromOffset;
    auto txn = r.target.beginSource(path.string(), "csv", fromOffset == 0);
    r.report = reader.read(path, ctx, *txn);
    txn->commit(SourceState{"csv", 0, 0, r.report.endOffset});
}

QString issuesText(const ReadReport& report) {
    QStringList out;
    for (const auto& i : report.issues)
        out << QString::fromStdString(std::string(issueKindName(i.kind)) + " " + i.toString());
    return out.join("\n");
}

} // namespace

class TestCsvReader : public QObject {
    Q_OBJECT
  private slots:
    void layouts_data();
    void layouts();
    void tokenizerQuotes();
    void textNumbers();
    void raggedRows();
    void textInNumberColumn();
    void nulByte();
    void hugeLine();
    void emptyAndHeaderOnly();
    void nonUtf8Header();
    void resumeFromOffset();
    void confidence_data();
    void confidence();
    void realKeras();
    void realLightning();
};

void TestCsvReader::layouts_data() {
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected"); // hand-written points, sorted by run then tag then file order
    QTest::addColumn<QString>("params");

    QTest::newRow("long form with run column")
        << "long.csv" << QByteArray("run,tag,step,value\na,loss,0,0.5\na,loss,1,0.25\nb,acc,0,0.9\n")
        << "r/a|loss|0|0.5|-;r/a|loss|1|0.25|-;r/b|acc|0|0.9|-"
        << "";
    QTest::newRow("long form metric/wall_time")
        << "m.csv" << QByteArray("metric,step,value,wall_time\nloss,1,0.5,10\nloss,2,0.4,11.5\n")
        << "r|loss|1|0.5|10.000;r|loss|2|0.4|11.500"
        << "";
    QTest::newRow("tensorboard download")
        << "run_foo-tag-loss.csv"
        << QByteArray("Wall time,Step,Value\n1700000000.5,1,0.5\n1700000001.25,2,0.4\n")
        << "r|loss|1|0.5|1700000000.500;r|loss|2|0.4|1700000001.250"
        << "";
    QTest::newRow("single series named by stem")
        << "val_acc.csv" << QByteArray("step,value\n3,0.75\n") << "r|val_acc|3|0.75|-"
        << "";
    QTest::newRow("keras semicolon NA")
        << "training.log" << QByteArray("epoch;acc;loss\n0;0.5;NA\n1;0.6;0.9\n")
        << "r|acc|0|0.5|-;r|acc|1|0.6|-;r|loss|1|0.9|-"
        << "";
    QTest::newRow("keras tab") << "training.log"
                               << QByteArray("epoch\tacc\tval_acc\n0\t0.5\t0.4\n1\t0.6\t0.45\n")
                               << "r|acc|0|0.5|-;r|acc|1|0.6|-;r|val_acc|0|0.4|-;r|val_acc|1|0.45|-"
                               << "";
    // Lightning: epoch is a metric next to the step column; empty cells are absent, not zero.
    QTest::newRow("sparse lightning")
        << "metrics.csv" << QByteArray("epoch,step,train_loss,val_loss\n0,9,0.5,\n0,9,,0.7\n1,19,0.4,\n")
        << "r|epoch|9|0|-;r|epoch|9|0|-;r|epoch|19|1|-;r|train_loss|9|0.5|-;r|train_loss|19|0.4|-;"
           "r|val_loss|9|0.7|-"
        << "";
    QTest::newRow("quoted header and cells")
        << "q.csv" << QByteArray("step,\"a,b\",\"c\"\"d\"\n1,\"2.5\",\"3\"\n") << "r|a,b|1|2.5|-;r|c\"d|1|3|-"
        << "";
    QTest::newRow("CRLF") << "c.csv" << QByteArray("step,loss\r\n1,0.5\r\n2,0.25\r\n")
                          << "r|loss|1|0.5|-;r|loss|2|0.25|-"
                          << "";
    QTest::newRow("CR only") << "c.csv" << QByteArray("step,loss\r1,0.5\r2,0.25\r")
                             << "r|loss|1|0.5|-;r|loss|2|0.25|-"
                             << "";
    QTest::newRow("BOM") << "b.csv" << QByteArray("\xEF\xBB\xBFstep,loss\n1,0.5\n") << "r|loss|1|0.5|-"
                         << "";
    QTest::newRow("pipe") << "p.txt" << QByteArray("step|loss\n1|0.5\n") << "r|loss|1|0.5|-"
                          << "";
    QTest::newRow("inf, nan and missing markers")
        << "i.csv"
        << QByteArray("step,loss\n1,inf\n2,-inf\n3,Infinity\n4,nan\n5,\n6,N/A\n7,null\n8,None\n9,1e-3\n")
        << "r|loss|1|inf|-;r|loss|2|-inf|-;r|loss|3|inf|-;r|loss|4|nan|-;r|loss|9|0.001|-"
        << "";
    // 2024-01-02 03:04:05 UTC = 1704164645 (python3 -c "import
    // calendar;print(calendar.timegm((2024,1,2,3,4,5)))").
    QTest::newRow("iso and millisecond times")
        << "t.csv"
        << QByteArray("step,time,loss\n1,2024-01-02 03:04:05,0.5\n2,2024-01-02T03:04:05.5Z,0.4\n"
                      "3,2024-01-02T05:04:05+02:00,0.3\n4,1704164645000,0.2\n")
        << "r|loss|1|0.5|1704164645.000;r|loss|2|0.4|1704164645.500;r|loss|3|0.3|1704164645.000;"
           "r|loss|4|0.2|1704164645.000"
        << "";
    QTest::newRow("wide without step uses row index")
        << "w.csv" << QByteArray("a,b\n1,2\n3,4\n") << "r|a|0|1|-;r|a|1|3|-;r|b|0|2|-;r|b|1|4|-"
        << "";
    QTest::newRow("embedded newline in varying text column")
        << "n.csv" << QByteArray("step,note,loss\n1,\"multi\nline\",0.5\n2,\"x\",0.4\n")
        << "r|loss|1|0.5|-;r|loss|2|0.4|-"
        << "";
    QTest::newRow("constant text column becomes param")
        << "k.csv" << QByteArray("step,model,loss\n1,resnet,0.5\n2,resnet,0.4\n")
        << "r|loss|1|0.5|-;r|loss|2|0.4|-"
        << "r:model=resnet";
    QTest::newRow("float steps") << "f.csv" << QByteArray("step,loss\n1.0,0.5\n2.0,0.4\n")
                                 << "r|loss|1|0.5|-;r|loss|2|0.4|-"
                                 << "";
    QTest::newRow("last line without newline")
        << "e.csv" << QByteArray("step,loss\n1,0.5\n2,0.4") << "r|loss|1|0.5|-;r|loss|2|0.4|-"
        << "";
}

void TestCsvReader::layouts() {
    QFETCH(QString, fileName);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QFETCH(QString, params);
    QTemporaryDir dir;
    const auto path = writeFile(dir, fileName.toStdString(), bytes.toStdString());
    Result r;
    readCsv(path, r);
    QCOMPARE(renderPoints(r.target), expected);
    QCOMPARE(renderParams(r.target), params);
    QVERIFY2(!r.report.hasErrors(), qPrintable(issuesText(r.report)));
}

void TestCsvReader::tokenizerQuotes() {
    // Hand-worked RFC-4180 example: quoted separator, doubled quote, quoted line break, empty fields.
    const std::string text = "a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"x\ny\",,z\n";
    ReadReport report;
    CsvTokenizer tok;
    tok.openMemory(text, &report, "mem");
    CsvRow row;
    QVERIFY(tok.next(row));
    QCOMPARE(row.fields.size(), std::size_t(3));
    QCOMPARE(std::string(row.fields[1]), std::string("b,1"));
    QCOMPARE(std::string(row.fields[2]), std::string("say \"hi\""));
    QCOMPARE(row.line, std::int64_t(1));
    QVERIFY(tok.next(row));
    QCOMPARE(row.fields.size(), std::size_t(3));
    QCOMPARE(std::string(row.fields[0]), std::string("x\ny"));
    QCOMPARE(std::string(row.fields[1]), std::string(""));
    QCOMPARE(row.line, std::int64_t(2));
    QCOMPARE(row.endOffset, std::int64_t(text.size()));
    QVERIFY(!tok.next(row));
    QVERIFY(report.issues.empty());

    QCOMPARE(CsvTokenizer::detectSeparator("a;b;c"), ';');
    QCOMPARE(CsvTokenizer::detectSeparator("a\tb,c\td"), '\t');
    QCOMPARE(CsvTokenizer::detectSeparator("\"a;b\",c"), ',');

    // An unterminated quote at the end is reported, not returned.
    const std::string bad = "a,b\n1,\"open\n";
    ReadReport r2;
    CsvTokenizer t2;
    t2.openMemory(bad, &r2, "mem");
    QVERIFY(t2.next(row));
    QVERIFY(!t2.next(row));
    QVERIFY(hasIssue(r2, IssueKind::Truncated, 2));
}

void TestCsvReader::textNumbers() {
    double v = 0;
    std::int64_t s = 0;
    QCOMPARE(textnum::parseDouble("NA", v), textnum::Parsed::Missing);
    QCOMPARE(textnum::parseDouble(" 2.5 ", v), textnum::Parsed::Number);
    QCOMPARE(v, 2.5);
    QCOMPARE(textnum::parseDouble("-Infinity", v), textnum::Parsed::Number);
    QVERIFY(std::isinf(v) && v < 0);
    QCOMPARE(textnum::parseDouble("12abc", v), textnum::Parsed::Text);
    QCOMPARE(textnum::parseStep("1e3", s), textnum::Parsed::Number);
    QCOMPARE(s, std::int64_t(1000));
    QCOMPARE(textnum::parseStep("1.5", s), textnum::Parsed::Text);
    QCOMPARE(textnum::timestampSeconds(1.7e15), 1.7e9); // microseconds
    QVERIFY(textnum::parseIsoTime("1970-01-02", v));
    QCOMPARE(v, 86400.0);
    QVERIFY(!textnum::parseIsoTime("2024-13-01 00:00:00", v));
}

void TestCsvReader::raggedRows() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "r.csv", "step,loss\n1,0.5\n2,0.4,9\n3\n4,0.3\n");
    Result r;
    readCsv(path, r);
    QCOMPARE(renderPoints(r.target), QString("r|loss|1|0.5|-;r|loss|4|0.3|-"));
    QVERIFY(hasIssue(r.report, IssueKind::RaggedRow, 3));
    QVERIFY(hasIssue(r.report, IssueKind::RaggedRow, 4));
    QCOMPARE(r.report.rowsSkipped, std::int64_t(2));
}

void TestCsvReader::textInNumberColumn() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "t.csv", "step,loss\n1,0.5\n2,abc\n3,0.3\n");
    Result r;
    readCsv(path, r);
    QCOMPARE(renderPoints(r.target), QString("r|loss|1|0.5|-;r|loss|3|0.3|-"));
    QVERIFY(hasIssue(r.report, IssueKind::BadNumber, 3));
    const QString text = issuesText(r.report);
    QVERIFY2(text.contains("abc") && text.contains("loss") && text.contains("t.csv"), qPrintable(text));
}

void TestCsvReader::nulByte() {
    QTemporaryDir dir;
    static const char bytes[] = "step,loss\n1,0.5\n2,0.\0"
                                "4\n3,0.3\n";
    const auto path = writeFile(dir, "n.csv", std::string(bytes, sizeof(bytes) - 1));
    Result r;
    readCsv(path, r);
    QCOMPARE(renderPoints(r.target), QString("r|loss|1|0.5|-;r|loss|3|0.3|-"));
    QVERIFY2(hasIssue(r.report, IssueKind::NulByte, 3), qPrintable(issuesText(r.report)));
}

void TestCsvReader::hugeLine() {
    // A 300 MB line must be skipped without holding it: LineTooLong, then the next rows still import.
    QTemporaryDir dir;
    const auto path = std::filesystem::path(dir.path().toStdString()) / "huge.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << "step,loss\n1,0.5\n";
        const std::string block(1 << 20, 'x');
        for (int i = 0; i < 300; ++i)
            out << block;
        out << "\n2,0.25\n";
    }
    Result r;
    readCsv(path, r);
    QCOMPARE(renderPoints(r.target), QString("r|loss|1|0.5|-;r|loss|2|0.25|-"));
    QVERIFY2(hasIssue(r.report, IssueKind::LineTooLong, 3), qPrintable(issuesText(r.report)));
}

void TestCsvReader::emptyAndHeaderOnly() {
    QTemporaryDir dir;
    Result empty;
    readCsv(writeFile(dir, "e.csv", ""), empty);
    QVERIFY(hasIssue(empty.report, IssueKind::Empty));
    QVERIFY(empty.report.hasErrors());
    Result header;
    readCsv(writeFile(dir, "h.csv", "step,loss\n"), header);
    QVERIFY(hasIssue(header.report, IssueKind::Empty));
    QVERIFY(!header.report.hasErrors());
    QCOMPARE(header.target.totalPoints(), std::int64_t(0));
}

void TestCsvReader::nonUtf8Header() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "u.csv", "step,lo\xffss\n1,0.5\n");
    Result r;
    readCsv(path, r);
    QVERIFY(hasIssue(r.report, IssueKind::InvalidUtf8, 1));
    QCOMPARE(renderPoints(r.target), QString("r|lo\\xFFss|1|0.5|-"));
}

void TestCsvReader::resumeFromOffset() {
    QTemporaryDir dir;
    const std::string first = "step,loss\n1,0.5\n2,0.4\n";
    const auto path = writeFile(dir, "g.csv", first);
    Result r;
    readCsv(path, r);
    QCOMPARE(r.report.endOffset, std::int64_t(first.size()));
    {
        std::ofstream out(path, std::ios::binary | std::ios::app);
        out << "3,0.3\n4,0.2,7\n5,0.1\n";
    }
    CsvReader reader;
    ReadContext ctx;
    ctx.runName = "r";
    ctx.fromOffset = r.report.endOffset;
    MemoryTarget second;
    auto txn = second.beginSource(path.string(), "csv", false);
    const ReadReport rep = reader.read(path, ctx, *txn);
    txn->commit(SourceState{});
    QCOMPARE(renderPoints(second), QString("r|loss|3|0.3|-;r|loss|5|0.1|-"));
    QVERIFY2(hasIssue(rep, IssueKind::RaggedRow, 5), qPrintable(issuesText(rep))); // true line number
    QCOMPARE(rep.endOffset, std::int64_t(first.size() + 20));
}

void TestCsvReader::confidence_data() {
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("minScore");
    QTest::addColumn<int>("maxScore");
    QTest::newRow("keras training.log")
        << "training.log" << QByteArray("epoch,acc,loss\n0,0.5,0.9\n") << 60 << 60;
    QTest::newRow("long form csv") << "a.csv" << QByteArray("tag,step,value\nloss,1,0.5\n") << 60 << 60;
    QTest::newRow("prediction log") << "p.csv" << QByteArray("id,label,score\n1,0,0.3\n") << 10 << 10;
    QTest::newRow("binary") << "b.csv" << QByteArray("\x01\x02\x00\x03step", 8) << 0 << 0;
    QTest::newRow("readme text") << "README.txt" << QByteArray("This is a readme.\nNothing here.\n") << 0
                                 << 0;
    QTest::newRow("lfs pointer") << "m.csv"
                                 << QByteArray("version https://git-lfs.github.com/spec/v1\noid sha256:ab\n")
                                 << 0 << 0;
}

void TestCsvReader::confidence() {
    QFETCH(QString, fileName);
    QFETCH(QByteArray, bytes);
    QFETCH(int, minScore);
    QFETCH(int, maxScore);
    FileProbe probe;
    probe.path = fileName.toStdString();
    probe.head = bytes.toStdString();
    probe.size = probe.head.size();
    const int score = CsvReader().confidence(probe);
    QVERIFY2(score >= minScore && score <= maxScore, qPrintable(QString::number(score)));
}

namespace {
// Independent count: split lines and cells naively (these real files hold no quotes), count cells that are
// neither empty nor "NA" per column, skipping the step column.
std::map<std::string, std::int64_t> naiveCounts(const std::filesystem::path& path,
                                                const std::string& stepColumn) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    std::map<std::string, std::int64_t> counts;
    std::vector<std::string> header;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream cs(line);
        while (std::getline(cs, cell, ','))
            cells.push_back(cell);
        if (line.back() == ',') cells.push_back("");
        if (header.empty()) {
            header = cells;
            continue;
        }
        for (std::size_t i = 0; i < cells.size() && i < header.size(); ++i)
            if (header[i] != stepColumn && !cells[i].empty() && cells[i] != "NA") ++counts[header[i]];
    }
    return counts;
}

std::map<std::string, std::int64_t> readerCounts(const MemoryTarget& target) {
    std::map<std::string, std::int64_t> counts;
    for (const auto& [run, data] : target.runs())
        for (const auto& [tag, s] : data.series)
            counts[tag] += static_cast<std::int64_t>(s.size());
    return counts;
}
} // namespace

void TestCsvReader::realKeras() {
    const std::filesystem::path path =
        std::filesystem::path(RUNLENS_REAL_DATA) / "keras_csv/ahmetcakmak-brats2020/training.log";
    if (!std::filesystem::exists(path)) QSKIP("real data folder absent (../shared/data/real); skipping");
    FileProbe probe = FileProbe::fromFile(path);
    QCOMPARE(CsvReader().confidence(probe), 60);
    Result r;
    readCsv(path, r);
    const auto expected = naiveCounts(path, "epoch");
    QVERIFY(!expected.empty());
    QCOMPARE(readerCounts(r.target), expected);
    QCOMPARE(r.report.warningCount(), std::size_t(0));
}

void TestCsvReader::realLightning() {
    const std::filesystem::path root = std::filesystem::path(RUNLENS_REAL_DATA) / "lightning_csv";
    if (!std::filesystem::exists(root)) QSKIP("real data folder absent (../shared/data/real); skipping");
    int files = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        if (e.path().filename() != "metrics.csv") continue;
        ++files;
        Result r;
        readCsv(e.path(), r);
        const auto expected = naiveCounts(e.path(), "step");
        QVERIFY(!expected.empty());
        QCOMPARE(readerCounts(r.target), expected);
        QVERIFY2(r.report.warningCount() == 0, qPrintable(issuesText(r.report)));
    }
    QCOMPARE(files, 3);
}

QTEST_GUILESS_MAIN(TestCsvReader)
#include "test_csv_reader.moc"
