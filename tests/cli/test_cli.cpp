// End-to-end tests of the headless command line: runs the built runlens binary on CSV logs written here.
#include "tests/common/cli_runner.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>
#include <sqlite3.h>
#include <sys/resource.h>
#include <vector>

namespace {

struct Row {
    qint64 step;
    double wallTime;
    double value;
};

using Result = runlens::test::CliResult;
using runlens::test::runRunlens;

QString num(double v) {
    return QString::number(v, 'g', 17);
} // round-trips exactly

// A wide-form metrics CSV: step, wall_time and one metric column named `tag`.
void writeCsv(const QString& path, const QString& tag, const std::vector<Row>& rows) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray text = "step,wall_time," + tag.toUtf8() + "\n";
    for (const Row& r : rows)
        text += QString("%1,%2,%3\n").arg(r.step).arg(num(r.wallTime), num(r.value)).toUtf8();
    QCOMPARE(file.write(text), text.size());
}

std::vector<Row> makeRows(int n, double scale, double phase) {
    std::vector<Row> rows;
    for (int i = 0; i < n; ++i)
        rows.push_back(
            {qint64(i) * 10, 1700000000.0 + 1.5 * i, scale / (1.0 + 0.1 * i) + 0.05 * std::sin(phase + i)});
    return rows;
}

// TensorBoard's debiased EMA, written out independently of core/analysis:
//   for each finite y in order: last = last*w + (1-w)*y; n += 1; out = last / (1 - w^n)
//   a non-finite y is output unchanged and updates neither last nor n.
std::vector<double> referenceEma(const std::vector<double>& ys, double w) {
    std::vector<double> out;
    double last = 0;
    int n = 0;
    for (double y : ys) {
        if (!std::isfinite(y)) {
            out.push_back(y);
            continue;
        }
        last = last * w + (1 - w) * y;
        ++n;
        out.push_back(last / (1 - std::pow(w, n)));
    }
    return out;
}

int lineCount(const QByteArray& text) {
    return int(text.count('\n'));
}

QJsonObject parseObject(const QByteArray& json) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) qWarning("JSON error: %s", qPrintable(error.errorString()));
    return doc.object();
}

bool nearColor(QRgb pixel, QRgb target, int tolerance) {
    return std::abs(qRed(pixel) - qRed(target)) <= tolerance &&
           std::abs(qGreen(pixel) - qGreen(target)) <= tolerance &&
           std::abs(qBlue(pixel) - qBlue(target)) <= tolerance;
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void helpAndVersion();
    void importJson();
    void reimportIsUnchanged();
    void malformedCsvWarns();
    void unreadablePathExits1();
    void usageErrorsExit2();
    void mistypedCommandIsUsageError();
    void runsJson();
    void runsTable();
    void seriesCsvAndSmoothing();
    void seriesJsonEscapingAndInfinity();
    void seriesUnknownRunExits1();
    void chartPng();
    void chartSvgIsSmall();
    void chartPdf();
    void chartBadOutputs();
    void chartOntoAFullDisk_data();
    void chartOntoAFullDisk();
    void newerSchemaRefused();
    void realLogsEndToEnd();

  private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
    QString m_ws;
    std::vector<Row> m_rowsA, m_rowsB;
    Result m_import;
};

void TestCli::initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(QStringLiteral(RUNLENS_BIN)), "the runlens executable is not built");
    m_rowsA = makeRows(50, 1.0, 0.0);
    m_rowsB = makeRows(30, 2.0, 1.0);
    writeCsv(path("runA.csv"), "loss", m_rowsA);
    writeCsv(path("runB.csv"), "loss", m_rowsB);
    m_ws = path("main.runlens");
    m_import = runRunlens({"import", path("runA.csv"), path("runB.csv"), "-w", m_ws, "--json"});
}

void TestCli::helpAndVersion() {
    Result r = runRunlens({"--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("Usage"));
    QVERIFY(r.out.contains("chart"));
    r = runRunlens({"chart", "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("--log-y"));
    QVERIFY(r.out.contains("--robust-y"));
    r = runRunlens({"import", "-h"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains("--workspace"));
    r = runRunlens({"--version"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith(QByteArray("runlens " RUNLENS_VERSION "\n")));
    QVERIFY(r.out.contains(QByteArray("SQLite ") + sqlite3_libversion())); // the library actually loaded
}

void TestCli::importJson() {
    QCOMPARE(m_import.code, 0);
    const QJsonObject o = parseObject(m_import.out);
    for (const char* key :
         {"runs_added", "runs", "series", "points", "files_read", "files_unchanged", "warnings", "errors"})
        QVERIFY2(o.contains(key), key);
    QCOMPARE(o["runs_added"].toInt(), 2);
    QCOMPARE(o["points"].toInt(), int(m_rowsA.size() + m_rowsB.size()));
    QCOMPARE(o["series"].toInt(), 2);
    QCOMPARE(o["files_read"].toInt(), 2);
    QCOMPARE(o["files_unchanged"].toInt(), 0);
    QCOMPARE(o["errors"].toArray().size(), 0);
    QVERIFY(o["warnings"].isArray());
    QSet<QString> runs;
    for (const auto& v : o["runs"].toArray())
        runs.insert(v.toString());
    QCOMPARE(runs, QSet<QString>({"runA", "runB"}));
}

void TestCli::reimportIsUnchanged() {
    const Result r = runRunlens({"import", path("runA.csv"), path("runB.csv"), "-w", m_ws, "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject o = parseObject(r.out);
    QCOMPARE(o["runs_added"].toInt(), 0);
    QCOMPARE(o["files_unchanged"].toInt(), 2);
    QCOMPARE(o["points"].toInt(), 0);
}

void TestCli::malformedCsvWarns() {
    // Good rows, with a ragged row on line 4, text in the number column on line 6, and a NUL byte on line
    // 3000: past the 64 KiB the format detector looks at, as when a log is damaged in the middle.
    const int kRows = 3200;
    QByteArray text = "step,wall_time,acc\n"; // line 1
    int good = 0;
    for (int line = 2; line <= kRows + 1; ++line) {
        const int i = line - 2;
        if (line == 4)
            text += "2,1700000002,0.5,surplus\n";
        else if (line == 6)
            text += "4,1700000004,not-a-number\n";
        else if (line == 3000)
            text += QByteArray("2998,1700002998,0.") + '\0' + "5\n";
        else {
            text += QString("%1,%2,%3\n").arg(i).arg(1700000000 + i).arg(0.5 + 0.0001 * i).toUtf8();
            ++good;
        }
    }
    QVERIFY(text.indexOf('\0') > 64 * 1024);
    QFile file(path("bad.csv"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.close();

    const Result r = runRunlens({"import", path("bad.csv"), "-w", path("bad.runlens"), "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject o = parseObject(r.out);
    QCOMPARE(o["points"].toInt(), good);
    QMap<int, QString> kinds;
    for (const auto& v : o["warnings"].toArray()) {
        const QJsonObject w = v.toObject();
        QVERIFY(w["file"].toString().endsWith("bad.csv"));
        QVERIFY(!w["message"].toString().isEmpty());
        kinds[w["line"].toInt()] = w["kind"].toString();
    }
    QCOMPARE(kinds.value(4), QString("ragged_row"));
    QCOMPARE(kinds.value(6), QString("bad_number"));
    QCOMPARE(kinds.value(3000), QString("nul_byte"));
}

void TestCli::unreadablePathExits1() {
    const QString missing = path("no/such/file.csv");
    Result r = runRunlens({"import", missing, "-w", path("x.runlens")});
    QCOMPARE(r.code, 1);
    QCOMPARE(lineCount(r.err), 1);
    QVERIFY(r.err.startsWith("runlens: cannot read "));
    QVERIFY(r.err.contains(missing.toUtf8()));
    QVERIFY(r.err.contains("No such file or directory"));

    r = runRunlens({"runs", "-w", path("missing.runlens")});
    QCOMPARE(r.code, 1);
    QCOMPARE(lineCount(r.err), 1);
}

void TestCli::usageErrorsExit2() {
    const QList<QStringList> cases = {
        {"import", path("runA.csv"), "-w", m_ws, "--bogus"},
        {"import", path("runA.csv")},            // no workspace
        {"runs"},                                // no workspace
        {"series", "-w", m_ws, "--run", "runA"}, // no tag
        {"series", "-w", m_ws, "--run", "runA", "--tag", "loss", "--smoothing", "1.5"},
        {"series", "-w", m_ws, "--run", "runA", "--tag", "loss", "--smoother", "median"},
        {"chart", "-w", m_ws, "--tag", "loss", "-o", path("c.png"), "--size", "big"},
        {"chart", "-w", m_ws, "--tag", "loss", "-o", path("c.png"), "--x", "epoch"},
        {"chart", "-w", m_ws, "--tag", "loss", "-o", path("c.bmp")},
        {"chart", "-w", m_ws, "--tag", "loss", "-o", path("c.png"), "--runs", "(["},
        {"chart", "-w", m_ws, "--tag"}, // option without its value
    };
    for (const QStringList& args : cases) {
        const Result r = runRunlens(args);
        QVERIFY2(r.code == 2, qPrintable(args.join(' ') + " -> " + QString::number(r.code)));
        QVERIFY2(lineCount(r.err) == 1, r.err.constData());
        QVERIFY2(r.err.contains("--help"), r.err.constData());
    }
}

// A mistyped command never starts the GUI (this test runs with no display: a GUI start would fail or hang).
void TestCli::mistypedCommandIsUsageError() {
    const struct {
        const char* typed;
        const char* suggestion; // nullptr: nothing is close enough to suggest
    } cases[] = {{"calibraton", "did you mean calibration?"},
                 {"import_", "did you mean import?"},
                 {"sereis", "did you mean series?"},
                 {"learningcurve", "did you mean learning-curve?"},
                 {"frobnicate", nullptr}};
    for (const auto& c : cases) {
        const Result r = runRunlens({c.typed, path("runA.csv")}, 60000);
        QVERIFY2(r.code == 2, qPrintable(QString(c.typed) + " -> " + QString::number(r.code)));
        QVERIFY2(lineCount(r.err) == 1, r.err.constData());
        QVERIFY2(r.err.contains(QByteArray("unknown command '") + c.typed + "'"), r.err.constData());
        if (c.suggestion)
            QVERIFY2(r.err.contains(c.suggestion), r.err.constData());
        else
            QVERIFY2(!r.err.contains("did you mean"), r.err.constData());
    }
}

void TestCli::runsJson() {
    const Result r = runRunlens({"runs", "-w", m_ws, "--json"});
    QCOMPARE(r.code, 0);
    const QJsonArray runs = parseObject(r.out)["runs"].toArray();
    QCOMPARE(runs.size(), 2);
    for (const auto& v : runs) {
        const QJsonObject run = v.toObject();
        QVERIFY(run["params"].isObject());
        QVERIFY(run["summary"].isObject());
        QVERIFY(run["tags"].isObject());
        QVERIFY(run["provenance"].isObject());
        const auto& rows = run["name"].toString() == "runA" ? m_rowsA : m_rowsB;
        const QJsonArray series = run["series"].toArray();
        QCOMPARE(series.size(), 1);
        const QJsonObject s = series[0].toObject();
        QCOMPARE(s["tag"].toString(), QString("loss"));
        QCOMPARE(s["points"].toInt(), int(rows.size()));
        QCOMPARE(s["first_step"].toInteger(), rows.front().step);
        QCOMPARE(s["last_step"].toInteger(), rows.back().step);
        double lo = INFINITY, hi = -INFINITY;
        for (const Row& row : rows) {
            lo = std::min(lo, row.value);
            hi = std::max(hi, row.value);
        }
        QCOMPARE(s["min"].toDouble(), lo);
        QCOMPARE(s["max"].toDouble(), hi);
        QCOMPARE(s["last"].toDouble(), rows.back().value);
    }
}

void TestCli::runsTable() {
    const Result r = runRunlens({"runs", "-w", m_ws});
    QCOMPARE(r.code, 0);
    const QList<QByteArray> lines = r.out.split('\n');
    QVERIFY(lines.size() >= 3);
    QVERIFY(lines[0].startsWith("RUN"));
    QVERIFY(r.out.contains("runA"));
    QVERIFY(r.out.contains("runB"));
    QVERIFY(r.out.contains("0..490")); // runA: steps 0, 10, ..., 490
}

void TestCli::seriesCsvAndSmoothing() {
    const double w = 0.6;
    const Result r =
        runRunlens({"series", "-w", m_ws, "--run", "runA", "--tag", "loss", "--smoothing", "0.6", "--csv"});
    QCOMPARE(r.code, 0);
    QList<QByteArray> lines = r.out.split('\n');
    QCOMPARE(lines.takeFirst(), QByteArray("step,wall_time,value,smoothed"));
    if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
    QCOMPARE(lines.size(), int(m_rowsA.size()));
    std::vector<double> ys;
    for (const Row& row : m_rowsA)
        ys.push_back(row.value);
    const std::vector<double> expected = referenceEma(ys, w);
    for (int i = 0; i < lines.size(); ++i) {
        const QList<QByteArray> cells = lines[i].split(',');
        QCOMPARE(cells.size(), 4);
        QCOMPARE(cells[0].toLongLong(), m_rowsA[i].step);
        QCOMPARE(cells[1].toDouble(), m_rowsA[i].wallTime);
        QCOMPARE(cells[2].toDouble(), m_rowsA[i].value);
        const double smoothed = cells[3].toDouble();
        QVERIFY2(std::abs(smoothed - expected[i]) <= 1e-12 * std::max(1.0, std::abs(expected[i])),
                 qPrintable(QString("row %1: %2 vs %3").arg(i).arg(num(smoothed), num(expected[i]))));
    }
    // The first smoothed point equals the first value (debiasing), the rest lag behind: not a copy.
    QVERIFY(std::abs(expected[5] - ys[5]) > 1e-6);
}

void TestCli::seriesJsonEscapingAndInfinity() {
    // A run name needing JSON escapes (quote, backslash, non-ASCII) and an infinite value that must become
    // null (JSON has no infinity).
    const QString name = QStringLiteral("we\"ird \\ \u00fc");
    std::vector<Row> rows = makeRows(5, 1.0, 0.5);
    rows[2].value = INFINITY;
    const QString csv = path(name + ".csv");
    writeCsv(csv, "acc", rows); // QString::number writes "inf"
    const QString ws = path("escape.runlens");
    Result r = runRunlens({"import", csv, "-w", ws, "--json"});
    QCOMPARE(r.code, 0);
    QCOMPARE(parseObject(r.out)["runs"].toArray().first().toString(), name);

    r = runRunlens({"series", "-w", ws, "--run", name, "--tag", "acc", "--json"});
    QCOMPARE(r.code, 0);
    const QJsonObject o = parseObject(r.out);
    QCOMPARE(o["run"].toString(), name);
    const QJsonArray points = o["points"].toArray();
    QCOMPARE(points.size(), 5);
    QVERIFY(points[2].toObject()["value"].isNull());
    QCOMPARE(points[3].toObject()["value"].toDouble(), rows[3].value);
    QCOMPARE(points[3].toObject()["wall_time"].toDouble(), rows[3].wallTime);
}

void TestCli::seriesUnknownRunExits1() {
    Result r = runRunlens({"series", "-w", m_ws, "--run", "nope", "--tag", "loss"});
    QCOMPARE(r.code, 1);
    QCOMPARE(lineCount(r.err), 1);
    QVERIFY(r.err.contains("nope"));
    r = runRunlens({"series", "-w", m_ws, "--run", "runA", "--tag", "accuracy"});
    QCOMPARE(r.code, 1);
    QCOMPARE(lineCount(r.err), 1);
    r = runRunlens({"chart", "-w", m_ws, "--tag", "loss", "--runs", "^zzz", "-o", path("none.png")});
    QCOMPARE(r.code, 1);
    QCOMPARE(lineCount(r.err), 1);
    QVERIFY(!QFile::exists(path("none.png")));
}

void TestCli::chartPng() {
    const QString out = path("chart.png");
    const Result r = runRunlens({"chart", "-w", m_ws, "--tag", "loss", "--smoothing", "0.6", "--size",
                                 "800x500", "--title", "Training loss", "-o", out});
    QVERIFY2(r.code == 0, r.err.constData());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8)); // PNG signature (RFC 2083)
    file.close();
    QImage image(out);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1600, 1000)); // 800x500 logical pixels at device pixel ratio 2
    QSet<QRgb> colors;
    int blue = 0, orange = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QRgb p = image.pixel(x, y);
            colors.insert(p);
            // Tableau 10's first two colours (#4E79A7, #F28E2B): runA and runB, the runs in name order.
            blue += nearColor(p, qRgb(0x4E, 0x79, 0xA7), 12) ? 1 : 0;
            orange += nearColor(p, qRgb(0xF2, 0x8E, 0x2B), 12) ? 1 : 0;
        }
    QVERIFY(colors.size() > 20);
    QVERIFY2(blue > 100 && orange > 100, qPrintable(QString("blue %1 orange %2").arg(blue).arg(orange)));
    QCOMPARE(image.pixel(2, 2), qRgb(255, 255, 255)); // white background in the corner
}

void TestCli::chartSvgIsSmall() {
    // 200,000 points must be decimated before drawing, so the SVG stays a few hundred KB.
    const int kPoints = 200000;
    QByteArray text = "step,wall_time,loss\n";
    text.reserve(kPoints * 32);
    for (int i = 0; i < kPoints; ++i)
        text += QByteArray::number(i) + ',' + QByteArray::number(1700000000.0 + i * 0.25, 'f', 2) + ',' +
                QByteArray::number(1.0 / (1 + i * 1e-4) + 0.1 * std::sin(i * 0.01), 'g', 10) + '\n';
    QFile file(path("big.csv"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
    file.close();
    const QString ws = path("big.runlens");
    QCOMPARE(runRunlens({"import", path("big.csv"), "-w", ws}).code, 0);
    const QString out = path("big.svg");
    const Result r = runRunlens({"chart", "-w", ws, "--tag", "loss", "--smoothing", "0.9", "-o", out});
    QVERIFY2(r.code == 0, r.err.constData());
    QFile svg(out);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray content = svg.readAll();
    QVERIFY2(content.size() < 400 * 1024, qPrintable(QString::number(content.size())));
    QVERIFY(content.size() > 2000);
    QXmlStreamReader xml(content);
    bool sawSvgRoot = false;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && !sawSvgRoot)
            sawSvgRoot = xml.name() == u"svg";
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(sawSvgRoot);
    QVERIFY(content.contains("loss"));
}

void TestCli::chartPdf() {
    const QString out = path("chart.pdf");
    const Result r = runRunlens(
        {"chart", "-w", m_ws, "--tag", "loss", "--log-y", "--robust-y", "--x", "relative", "-o", out});
    QVERIFY2(r.code == 0, r.err.constData());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY(content.startsWith("%PDF-"));
    QVERIFY(content.trimmed().endsWith("%%EOF"));
}

void TestCli::chartBadOutputs() {
    // An output folder that does not exist: bad input, one line, no crash.
    const Result r = runRunlens({"chart", "-w", m_ws, "--tag", "loss", "-o", path("missing/dir/c.png")});
    QCOMPARE(r.code, 1);
    QCOMPARE(lineCount(r.err), 1);
    QVERIFY(r.err.startsWith("runlens: "));
}

// A full disk, simulated by a file-size limit in the child (writes past it fail with EFBIG): the command
// says so in one line and leaves neither a cut PNG nor its temporary file; an earlier chart stays whole.
void TestCli::chartOntoAFullDisk_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"c.png", "c.svg", "c.pdf"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestCli::chartOntoAFullDisk() {
    QFETCH(QString, name);
    QTemporaryDir dir;
    // Eight long wiggly runs, so that even the compact vector formats are larger than the limit below.
    QVERIFY(QDir(dir.path()).mkpath("logs"));
    for (int k = 0; k < 8; ++k)
        writeCsv(dir.filePath(QString("logs/run%1.csv").arg(k)), "loss", makeRows(4000, 1.0 + k, k));
    const QString ws = dir.filePath("big.runlens");
    QCOMPARE(runRunlens({"import", dir.filePath("logs"), "-w", ws}).code, 0);
    const QString out = dir.filePath(name);
    const QStringList args{"chart", "-w", ws, "--tag", "loss", "--size", "2400x1400", "-o", out};
    QCOMPARE(runRunlens(args).code, 0);
    QFile first(out);
    QVERIFY(first.open(QIODevice::ReadOnly));
    const QByteArray before = first.readAll();
    first.close();
    constexpr rlim_t kLimit = 40000; // above SQLite's 32 KiB -shm, below the chart
    QVERIFY2(before.size() > qsizetype(kLimit), qPrintable(QString::number(before.size())));

    const Result r = runRunlens(args, 600000, [] {
        ::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{kLimit, kLimit};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    QCOMPARE(r.code, 1);
    QCOMPARE(lineCount(r.err), 1);
    QVERIFY2(r.err.contains(name.toUtf8()) && r.err.contains("too large"), r.err.constData());
    QVERIFY(first.open(QIODevice::ReadOnly));
    QCOMPARE(first.readAll(), before);
    QStringList left = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
    left.removeIf([](const QString& file) { return file.startsWith("big.runlens"); });
    QCOMPARE(left, QStringList{name}); // no temporary file left
}

void TestCli::newerSchemaRefused() {
    const QString ws = path("newer.runlens");
    QCOMPARE(runRunlens({"import", path("runA.csv"), "-w", ws}).code, 0);
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(ws.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);

    for (const QStringList& args :
         QList<QStringList>{{"chart", "-w", ws, "--tag", "loss", "-o", path("n.png")}, {"runs", "-w", ws}}) {
        const Result r = runRunlens(args);
        QCOMPARE(r.code, 1);
        QCOMPARE(lineCount(r.err), 1);
        QVERIFY(r.err.startsWith("runlens: "));
    }
    QVERIFY(!QFile::exists(path("n.png")));
}

void TestCli::realLogsEndToEnd() {
    // Logs written by real tools (see PROVENANCE.md there): every reader's output must come back as valid
    // JSON through the command line, and a chart of a tag several runs share must render.
    const QString real = QStringLiteral(RUNLENS_REAL_DATA);
    if (!QFileInfo(real).isDir()) QSKIP("real-world logs not present (../shared/data/real); skipping");
    const QString ws = path("real.runlens");
    Result r = runRunlens({"import", real, "-w", ws, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject summary = parseObject(r.out);
    QVERIFY(summary["points"].toInt() > 0);
    QVERIFY(summary["files_read"].toInt() > 0);
    for (const auto& v : summary["warnings"].toArray())
        QVERIFY(v.toObject()["file"].toString().startsWith(real));

    r = runRunlens({"runs", "-w", ws, "--json"});
    QCOMPARE(r.code, 0);
    const QJsonArray runs = parseObject(r.out)["runs"].toArray();
    QCOMPARE(runs.size(), summary["runs"].toArray().size());
    QMap<QString, int> runsPerTag;
    for (const auto& run : runs)
        for (const auto& s : run.toObject()["series"].toArray())
            if (s.toObject()["points"].toInt() > 1) ++runsPerTag[s.toObject()["tag"].toString()];
    QVERIFY(!runsPerTag.isEmpty());
    const QString tag = std::max_element(runsPerTag.begin(), runsPerTag.end()).key();
    const QString out = path("real.png");
    r = runRunlens({"chart", "-w", ws, "--tag", tag, "--smoothing", "0.6", "--size", "640x400", "-o", out});
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(QImage(out).size(), QSize(1280, 800));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
