// Tests the Regression tab offscreen: the empty state, a regression log imported with a run found and
// computed off the GUI thread (numbers equal to `runlens regression`'s core, checked against scikit-learn),
// the plots, and image and CSV export.
#include "tests/ui/view_test_support.h"
#include "ui/main_window.h"
#include "ui/regression/regression_view.h"
#include "ui/run_table_model.h"

#include <cmath>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens::ui;

namespace {

void copyFile(const QString& from, const QString& to) {
    QDir().mkpath(QFileInfo(to).path());
    QFile::remove(to);
    QVERIFY(QFile::copy(from, to));
}

} // namespace

class TestRegressionView : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        runlens::test::beginViewTest("runlens-test-regression-view");
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { runlens::test::resetAppState(); }

    void emptyWorkspaceShowsHint() {
        MainWindow window;
        QVERIFY(window.createWorkspace(m_dir.filePath("empty.runlens")));
        auto* view = new RegressionView(&window);
        window.addViewTab(view, "Regression");
        window.show();
        QTRY_VERIFY(!view->isBusy());
        QVERIFY(view->showsEmptyState());
        auto* hint = view->findChild<QLabel*>("regressionEmptyHint");
        QVERIFY(hint && hint->text().contains("No regression log"));
        QString error;
        QVERIFY(!view->exportImage(m_dir.filePath("none.png"), &error));
    }

    void importedRegressionLogIsAnalysed() {
        // tests/data/regression/regression_a.csv with its scikit-learn references
        // (gen_cli_regression_refs.py): MAE 0.938807970848705, R² 0.8603233112963675; 163 of 200 labels
        // inside q05-q95.
        const QString root = m_dir.filePath("logs");
        copyFile(RUNLENS_TEST_DATA "/regression/regression_a.csv",
                 root + "/house_model/predictions_test.csv");
        QFile metrics(root + "/house_model/metrics.csv");
        QVERIFY(metrics.open(QIODevice::WriteOnly));
        metrics.write("step,loss\n0,1\n1,0.5\n");
        metrics.close();
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.createWorkspace(m_dir.filePath("regression.runlens")));
        auto* view = new RegressionView(&window);
        window.addViewTab(view, "Regression");
        window.tabs()->setCurrentWidget(view);
        window.show();
        window.importPaths({root});
        QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!view->showsEmptyState() && !view->isBusy() && view->result().log, 60000);
        QCOMPARE(view->logNames().size(), 1);
        const auto& report = view->result().report;
        QCOMPARE(report.bootstrap.point.n, std::int64_t(200));
        QVERIFY(std::abs(report.bootstrap.mae.value - 0.938807970848705) < 1e-12);
        QVERIFY(std::abs(report.bootstrap.r2.value - 0.8603233112963675) < 1e-12);
        QCOMPARE(report.coverage.size(), std::size_t(1));
        QCOMPARE(report.coverage[0].inside, std::int64_t(163));
        auto* table = view->findChild<QTableWidget*>("regressionMetrics");
        QVERIFY(table && table->rowCount() > 9);
        QCOMPARE(table->item(0, 0)->text(), QString("MAE"));

        for (auto plot : {RegressionView::Plot::PredictedActual, RegressionView::Plot::ResidualsByPrediction,
                          RegressionView::Plot::ResidualHistogram}) {
            view->setPlot(plot);
            const QString png = m_dir.filePath(QString("plot%1.png").arg(int(plot)));
            QString error;
            QVERIFY2(view->exportImage(png, &error), qPrintable(error));
            QVERIFY(!QImage(png).isNull());
        }
        const QString svg = m_dir.filePath("plot.svg");
        QVERIFY(view->exportImage(svg, nullptr));
        const QString csv = view->metricsCsv();
        QVERIFY(csv.startsWith("metric,value,ci_low,ci_high\n"));
        // The row carries the full-precision value: summation order may move the last digit.
        const QString maeRow = csv.section('\n', 1, 1);
        QVERIFY2(maeRow.startsWith("\"MAE\","), qPrintable(maeRow));
        QVERIFY(std::abs(maeRow.section(',', 1, 1).toDouble() - 0.938807970848705) < 1e-12);
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestRegressionView)
#include "test_regression_view.moc"
