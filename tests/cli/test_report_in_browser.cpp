// The ship report opened in a real browser (Debian's chromium, headless, which `make deps` installs): the
// page parses with every section and inline chart, and its screenshot shows the charts drawn in colour.
#include "core/demo/demo_evaluation.h"
#include "tests/common/cli_runner.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <QUrl>

namespace {

using runlens::test::runRunlens;

struct Browser {
    int code = -1;
    QByteArray out, err;
};

// Headless chromium as root in a container: no sandbox, no GPU, /tmp instead of a small /dev/shm, and a
// profile of its own so nothing of the user's is read.
Browser runChromium(const QString& chromium, const QString& profile, const QStringList& args) {
    QProcess p;
    p.start(chromium, QStringList{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                  "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile} +
                          args);
    Browser b;
    if (!p.waitForStarted(30000)) return b;
    if (!p.waitForFinished(180000)) {
        p.kill();
        p.waitForFinished();
        return b;
    }
    b.out = p.readAllStandardOutput();
    b.err = p.readAllStandardError();
    if (p.exitStatus() == QProcess::NormalExit) b.code = p.exitCode();
    return b;
}

// Pixels whose colour is clearly not grey: chart series and bands (text, rules and table borders are grey or
// black; the recommendation box is a pale green below this saturation).
int saturatedPixels(const QImage& image) {
    int count = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            if (c.hsvSaturation() > 120 && c.value() > 60) ++count;
        }
    return count;
}

} // namespace

class TestReportInBrowser : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_chromium;
    QString m_html;

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        for (const char* name : {"chromium", "chromium-browser"})
            if (m_chromium.isEmpty()) m_chromium = QStandardPaths::findExecutable(name);
        if (m_chromium.isEmpty()) QSKIP("no chromium: `make deps` installs Debian's chromium");
        runlens::writeDemoEvaluation(m_dir.path().toStdString());
        const QString ws = m_dir.filePath("demo.runlens");
        QCOMPARE(runRunlens({"import", m_dir.filePath("evaluation"), "-w", ws}).code, 0);
        QCOMPARE(runRunlens({"import", m_dir.filePath("size_sweep"), "-w", ws}).code, 0);
        m_html = m_dir.filePath("report.html");
        const auto r = runRunlens(
            {"report", "churn_v1", "churn_v2", "churn_v3", "-w", ws, "--fairness", "device", "-o", m_html});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    // The DOM chromium built from the file: every section heading and as many <svg> elements as the file
    // has, so no chart markup was dropped as broken.
    void pageParsesWithEverySection() {
        const auto b = runChromium(m_chromium, m_dir.filePath("profile-dom"),
                                   {"--dump-dom", QUrl::fromLocalFile(m_html).toString()});
        QVERIFY2(b.code == 0, b.err.constData());
        const QString dom = QString::fromUtf8(b.out);
        for (const char* heading :
             {"Caveats", "Each candidate against the baselines", "Are the differences real?", "Calibration",
              "Slices and Simpson", "Fairness", "Who wins with more data", "Comparability"})
            QVERIFY2(dom.contains(heading), heading);
        QFile file(m_html);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const int inFile = QString::fromUtf8(file.readAll()).count("<svg");
        QVERIFY(inFile >= 3); // reliability, slices, learning curves
        QCOMPARE(dom.count("<svg"), inFile);
    }

    // A full-page screenshot: the page is not blank and its charts are drawn (coloured series); it is kept in
    // RUNLENS_REPORT_DIR when set, to be looked at.
    void screenshotShowsTheCharts() {
        const QString png = m_dir.filePath("report.png");
        const auto b = runChromium(
            m_chromium, m_dir.filePath("profile-shot"),
            {"--window-size=1100,7000", "--screenshot=" + png, QUrl::fromLocalFile(m_html).toString()});
        QVERIFY2(b.code == 0, b.err.constData());
        const QImage image(png);
        QVERIFY2(!image.isNull(), qPrintable(png));
        QCOMPARE(image.width(), 1100);
        int ink = 0;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4)
                ink += image.pixelColor(x, y).value() < 128;
        QVERIFY2(ink > 2000, qPrintable(QString::number(ink))); // text
        const int colour = saturatedPixels(image);
        QVERIFY2(colour > 3000, qPrintable(QString::number(colour))); // chart series
        if (qEnvironmentVariableIsSet("RUNLENS_REPORT_DIR"))
            QFile::copy(png, qEnvironmentVariable("RUNLENS_REPORT_DIR") + "/report-in-chromium.png");
    }
};

QTEST_GUILESS_MAIN(TestReportInBrowser)
#include "test_report_in_browser.moc"
