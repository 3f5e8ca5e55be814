// End-to-end tests of `runlens chart --group-by`: group centre lines and spread bands checked by hand.
#include "tests/common/cli_runner.h"

#include <cmath>
#include <map>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <set>

namespace {

using Result = runlens::test::CliResult;
using runlens::test::runRunlens;

void writeFile(const QString& path, const QByteArray& text) {
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// A run folder: loss at steps 0..3 and, when model is not empty, an hparams.yaml naming it.
void writeRun(const QString& dir, const QString& model, const std::vector<double>& loss) {
    QByteArray csv = "step,loss\n";
    for (std::size_t i = 0; i < loss.size(); ++i)
        csv += QByteArray::number(static_cast<qint64>(i)) + "," + QByteArray::number(loss[i], 'g', 17) + "\n";
    writeFile(dir + "/metrics.csv", csv);
    if (!model.isEmpty()) writeFile(dir + "/hparams.yaml", "model: " + model.toUtf8() + "\nseed: 1\n");
}

struct BandRow {
    int runs = 0;
    QString center, lower, upper; // as written ("" for NaN)
};

// (group, x) -> row of the --data CSV.
std::map<std::pair<QString, double>, BandRow> readBandCsv(const QString& path) {
    std::map<std::pair<QString, double>, BandRow> rows;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return rows;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        if (lines[i].isEmpty()) continue;
        // The group is quoted and holds no comma here: "model=a",x,runs,center,lower,upper
        const QList<QByteArray> cells = lines[i].split(',');
        if (cells.size() != 6) continue;
        QString group = QString::fromUtf8(cells[0]);
        group.remove(QLatin1Char('"'));
        rows[{group, cells[1].toDouble()}] = {cells[2].toInt(), QString::fromUtf8(cells[3]),
                                              QString::fromUtf8(cells[4]), QString::fromUtf8(cells[5])};
    }
    return rows;
}

bool near(const QString& text, double expected, double tolerance = 1e-9) {
    bool ok = false;
    const double value = text.toDouble(&ok);
    return ok && std::abs(value - expected) <= tolerance;
}

bool pngNotBlank(const QString& path) {
    const QImage image(path);
    if (image.isNull()) return false;
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 5)
        for (int x = 0; x < image.width(); x += 5)
            colours.insert(image.pixel(x, y));
    return colours.size() > 8;
}

} // namespace

class TestCliGroups : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void stdBandsMatchHandComputation();
    void medianWithMinMaxBand();
    void ci95UsesStudentT();
    void badOptionsAreUsageErrors();

  private:
    QString ws() const { return m_dir.filePath("ws.runlens"); }
    QTemporaryDir m_dir;
};

void TestCliGroups::initTestCase() {
    QVERIFY(m_dir.isValid());
    // model=a: three runs; model=b: two runs; one run without the param forms "model=(none)".
    writeRun(m_dir.filePath("logs/a1"), "a", {1, 2, 3, 4});
    writeRun(m_dir.filePath("logs/a2"), "a", {3, 4, 5, 6});
    writeRun(m_dir.filePath("logs/a3"), "a", {2, 9, 4, 8});
    writeRun(m_dir.filePath("logs/b1"), "b", {10, 10, 10, 10});
    writeRun(m_dir.filePath("logs/b2"), "b", {12, 12, 12, 12});
    writeRun(m_dir.filePath("logs/c1"), "", {7, 7, 7, 7});
    const Result imported = runRunlens({"import", m_dir.filePath("logs"), "-w", ws()});
    QVERIFY2(imported.code == 0, imported.err.constData());
}

void TestCliGroups::stdBandsMatchHandComputation() {
    const QString csv = m_dir.filePath("std.csv");
    const QString png = m_dir.filePath("std.png");
    const Result r =
        runRunlens({"chart", "-w", ws(), "--tag", "loss", "--group-by", "model", "--data", csv, "-o", png});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(r.out.contains("model=a: 3 runs"));
    QVERIFY(pngNotBlank(png));
    const auto rows = readBandCsv(csv);
    QCOMPARE(rows.size(), std::size_t(12)); // 3 groups x 4 steps

    // model=a, step 0: values 1, 3, 2 -> mean 2, sample std sqrt((1 + 1 + 0) / 2) = 1.
    const BandRow a0 = rows.at({"model=a", 0.0});
    QCOMPARE(a0.runs, 3);
    QVERIFY(near(a0.center, 2) && near(a0.lower, 1) && near(a0.upper, 3));
    // model=a, step 1: 2, 4, 9 -> mean 5, std sqrt((9 + 1 + 16) / 2) = sqrt(13).
    const BandRow a1 = rows.at({"model=a", 1.0});
    QVERIFY2(near(a1.center, 5), qPrintable(a1.center));
    QVERIFY(near(a1.lower, 5 - std::sqrt(13.0)) && near(a1.upper, 5 + std::sqrt(13.0)));
    // model=b, step 2: 10, 12 -> mean 11, std sqrt((1 + 1) / 1) = sqrt(2).
    const BandRow b2 = rows.at({"model=b", 2.0});
    QCOMPARE(b2.runs, 2);
    QVERIFY(near(b2.center, 11) && near(b2.lower, 11 - std::sqrt(2.0)) &&
            near(b2.upper, 11 + std::sqrt(2.0)));
    // A single run has no spread: centre 7, empty (NaN) band bounds.
    const BandRow c = rows.at({"model=(none)", 3.0});
    QCOMPARE(c.runs, 1);
    QVERIFY(near(c.center, 7));
    QVERIFY(c.lower.isEmpty() && c.upper.isEmpty());
}

void TestCliGroups::medianWithMinMaxBand() {
    const QString csv = m_dir.filePath("median.csv");
    const Result r =
        runRunlens({"chart", "-w", ws(), "--tag", "loss", "--group-by", "model", "--center", "median",
                    "--band", "minmax", "--runs", "^a", "--data", csv, "-o", m_dir.filePath("median.svg")});
    QVERIFY2(r.code == 0, r.err.constData());
    const auto rows = readBandCsv(csv);
    QCOMPARE(rows.size(), std::size_t(4)); // only model=a matches --runs
    // Step 1: 2, 4, 9 -> median 4, range [2, 9]; step 3: 4, 6, 8 -> median 6, range [4, 8].
    const BandRow a1 = rows.at({"model=a", 1.0});
    QVERIFY(near(a1.center, 4) && near(a1.lower, 2) && near(a1.upper, 9));
    const BandRow a3 = rows.at({"model=a", 3.0});
    QVERIFY(near(a3.center, 6) && near(a3.lower, 4) && near(a3.upper, 8));
    QVERIFY(QFile(m_dir.filePath("median.svg")).size() > 1000);
}

void TestCliGroups::ci95UsesStudentT() {
    const QString csv = m_dir.filePath("ci.csv");
    const Result r = runRunlens({"chart", "-w", ws(), "--tag", "loss", "--group-by", "model", "--band",
                                 "ci95", "--data", csv, "-o", m_dir.filePath("ci.png")});
    QVERIFY2(r.code == 0, r.err.constData());
    const auto rows = readBandCsv(csv);
    // model=a, step 0: mean 2, std 1, n 3: 2 +/- t(0.975, 2) / sqrt(3);
    // t(0.975, 2) = 4.302652729911275 (python3 -c "import scipy.stats as s; print(s.t.ppf(0.975, 2))").
    const double half = 4.302652729911275 / std::sqrt(3.0);
    const BandRow a0 = rows.at({"model=a", 0.0});
    QVERIFY2(near(a0.lower, 2 - half, 1e-9), qPrintable(a0.lower));
    QVERIFY(near(a0.upper, 2 + half, 1e-9));
    // model=b, step 0: mean 11, std sqrt(2), n 2: t(0.975, 1) = 12.706204736174698, half = 12.7062 * 1.
    const BandRow b0 = rows.at({"model=b", 0.0});
    QVERIFY(near(b0.upper, 11 + 12.706204736174698, 1e-8));
}

void TestCliGroups::badOptionsAreUsageErrors() {
    const QString out = m_dir.filePath("bad.png");
    const Result band =
        runRunlens({"chart", "-w", ws(), "--tag", "loss", "--group-by", "model", "--band", "iqr", "-o", out});
    QCOMPARE(band.code, 2);
    QVERIFY(band.err.contains("--band"));
    const Result noGroup =
        runRunlens({"chart", "-w", ws(), "--tag", "loss", "--center", "median", "-o", out});
    QCOMPARE(noGroup.code, 2);
    const Result emptyKey =
        runRunlens({"chart", "-w", ws(), "--tag", "loss", "--group-by", "model,", "-o", out});
    QCOMPARE(emptyKey.code, 2);
    const Result noTag = runRunlens({"chart", "-w", ws(), "--tag", "nope", "--group-by", "model", "-o", out});
    QCOMPARE(noTag.code, 1);
    QVERIFY(noTag.err.contains("nope"));
}

QTEST_GUILESS_MAIN(TestCliGroups)
#include "test_cli_groups.moc"
