// Tests File > Export Report offscreen: the demo's churn models imported, the report written in the
// background as HTML and PDF, with the recommendation and the sections a reviewer reads, and one line when
// there is nothing to report on.
#include "core/demo/demo_evaluation.h"
#include "ui/shell/main_window.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens::ui;

class TestReportExport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("RunlensTest");
        QCoreApplication::setApplicationName("runlens-test-report-export");
        QSettings().clear();
        QVERIFY(m_dir.isValid());
    }

    void nothingToReportIsOneLine() {
        MainWindow window;
        QVERIFY(window.createWorkspace(m_dir.filePath("empty.runlens")));
        QString error;
        QVERIFY(!window.exportReport(m_dir.filePath("empty.html"), &error));
        QVERIFY(error.contains("evaluation set"));
        QVERIFY(!error.contains('\n'));
    }

    void demoModelsReport() {
        runlens::writeDemoEvaluation(m_dir.filePath("demo").toStdString());
        MainWindow window;
        QVERIFY(window.createWorkspace(m_dir.filePath("demo.runlens")));
        window.importPaths({m_dir.filePath("demo/evaluation")});
        QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
        for (const char* suffix : {"html", "pdf"}) {
            const QString path = m_dir.filePath(QString("ship.") + suffix);
            QSignalSpy done(&window, &MainWindow::reportExported);
            QString error;
            QVERIFY2(window.exportReport(path, &error), qPrintable(error));
            QVERIFY(done.wait(120000));
            QCOMPARE(done.front().at(1).toString(), QString());
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            if (QByteArray(suffix) == "pdf") {
                QVERIFY(bytes.startsWith("%PDF"));
                continue;
            }
            for (const char* text : {"Which model to ship", "churn_v2", "Calibration", "Simpson", "<svg"})
                QVERIFY2(bytes.contains(text), text);
        }
    }
};

QTEST_MAIN(TestReportExport)
#include "test_report_export.moc"
