// Tests the Regression tab offscreen: the empty state, a regression log imported with a run found and
// computed off the GUI thread (numbers equal to `runlens regression`'s core, checked against scikit-learn),
// the plots, and image and CSV export.
#include "tests/common/view_test_support.h"
#include "ui/regression/regression_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"

#include <cmath>
#include <QComboBox>
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
        auto* view = new RegressionView(window.viewContext());
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
        auto* view = new RegressionView(window.viewContext());
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

    // Two regressors of the same examples (tests/data/regression, scipy references of
    // tests/cli/test_cli_regression.cpp from gen_cli_regression_refs.py): B = regression_b against A =
    // regression_a on the 199 shared ids: MAE B - A = -0.43874306073979574, Wilcoxon p
    // = 3.078854467265662e-14, B better on 141, the largest regression is id 142. regression_a's feature x
    // gets its residual plot.
    void comparedWithAnotherLogAndResidualsByFeature() {
        MainWindow window;
        RegressionView* view = openTwoLogs(window, "pair", RUNLENS_TEST_DATA "/regression/regression_a.csv",
                                           RUNLENS_TEST_DATA "/regression/regression_b.csv");
        QVERIFY(view);

        // The chosen log is A: its feature x has a residual plot after the three fixed ones.
        QTRY_VERIFY(!view->isBusy() && view->result().log && view->result().name.startsWith("model_a"));
        QCOMPARE(view->plotCombo()->count(), 4);
        QCOMPARE(view->plotCombo()->itemText(3), QString("Residuals by x"));
        view->plotCombo()->setCurrentIndex(3);
        QString error;
        QVERIFY2(view->exportImage(m_dir.filePath("residuals_x.png"), &error), qPrintable(error));
        QCOMPARE(view->result().report.byFeature.size(), std::size_t(1));

        QCOMPARE(view->compareCombo()->currentText(), QString("(none)"));
        auto* log = view->findChild<QComboBox*>("regressionLog");
        log->setCurrentIndex(view->logNames().indexOf(view->logNames().filter("model_b").front()));
        view->compareCombo()->setCurrentText(view->logNames().filter("model_a").front());
        QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy() && view->result().paired, 60000);
        const auto& c = *view->result().paired;
        QCOMPARE(c.n, std::int64_t(199));
        QVERIFY(std::abs(c.maeDelta.delta - -0.43874306073979574) < 1e-12);
        QVERIFY(std::abs(c.wilcoxon.p - 3.078854467265662e-14) < 1e-6 * 3.078854467265662e-14);
        QCOMPARE(c.bBetter, std::int64_t(141));
        QVERIFY2(view->comparisonText().contains("199 shared examples, aligned by id"),
                 qPrintable(view->comparisonText()));
        QVERIFY(view->comparisonText().contains("1 ids only in A, 1 only in B"));
        QCOMPARE(view->regressionsTable()->item(0, 0)->text(), QString("142"));
        if (qEnvironmentVariableIsSet("RUNLENS_SCREENSHOT_DIR"))
            window.grab().save(qEnvironmentVariable("RUNLENS_SCREENSHOT_DIR") + "/regression-compare.png");
        // Back to none: the comparison panel goes away.
        view->compareCombo()->setCurrentIndex(0);
        QTRY_VERIFY(!view->isBusy() && !view->result().paired);
        QVERIFY(view->comparisonText().isEmpty());
    }

    // The Slices page on tests/data/regression_slices (pandas references of
    // tests/cli/test_cli_regression_slices.cpp from gen_regression_slices_refs.py): B = slices_b against A =
    // slices_a by region (north, south, west): MAE A 0.815121215826652, 0.820913091914853, 2.754778833195718;
    // B 1.1362434712707616, 1.3325389057135928, 1.638833981174881; overall A 1.1666535624028735,
    // B 1.3078452092898734. The same examples in the same regions: no MAE reversal is possible.
    void slicesPageMatchesPandas() {
        MainWindow window;
        RegressionView* view =
            openTwoLogs(window, "slices", RUNLENS_TEST_DATA "/regression_slices/slices_a.csv",
                        RUNLENS_TEST_DATA "/regression_slices/slices_b.csv");
        QVERIFY(view);
        view->pages()->setCurrentIndex(1);
        auto* log = view->findChild<QComboBox*>("regressionLog");
        log->setCurrentIndex(view->logNames().indexOf(view->logNames().filter("model_b").front()));
        QTRY_VERIFY(!view->isBusy() && view->result().name.startsWith("model_b"));
        view->sliceByCombo()->setCurrentText("region");
        view->compareCombo()->setCurrentText(view->logNames().filter("model_a").front());
        QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy() && view->result().paired && view->result().slices &&
                                     view->result().slices->cohorts.size() == 2,
                                 60000);
        const auto& r = *view->result().slices;
        QCOMPARE(r.by, std::vector<std::string>{"region"});
        QCOMPARE(r.slices.size(), std::size_t(3));
        const double maeA[] = {0.815121215826652, 0.820913091914853, 2.754778833195718};
        const double maeB[] = {1.1362434712707616, 1.3325389057135928, 1.638833981174881};
        for (std::size_t i = 0; i < 3; ++i) {
            QVERIFY(std::abs(r.slices[i].cohorts[0].metrics.point.mae - maeA[i]) < 1e-9);
            QVERIFY(std::abs(r.slices[i].cohorts[1].metrics.point.mae - maeB[i]) < 1e-9);
        }
        QVERIFY(std::abs(r.overall[1].metrics.point.mae - 1.3078452092898734) < 1e-9);
        QTableWidget* table = view->slicesTable();
        QCOMPARE(table->rowCount(), 4); // three regions and overall
        QCOMPARE(table->horizontalHeaderItem(3)->text(), QString("MAE A"));
        QCOMPARE(table->horizontalHeaderItem(4)->text(), QString("MAE B"));
        QVERIFY2(table->item(0, 3)->text().startsWith("0.8151 ["), qPrintable(table->item(0, 3)->text()));
        QVERIFY2(table->item(0, 4)->text().startsWith("1.1362 ["), qPrintable(table->item(0, 4)->text()));
        QCOMPARE(table->item(3, 0)->text(), QString("overall"));
        QVERIFY2(view->sliceVerdictText().contains("MAE: Simpson's reversal impossible"),
                 qPrintable(view->sliceVerdictText()));
        if (qEnvironmentVariableIsSet("RUNLENS_SCREENSHOT_DIR"))
            window.grab().save(qEnvironmentVariable("RUNLENS_SCREENSHOT_DIR") + "/regression-slices.png");
    }

  private:
    // Runs model_a and model_b holding the two logs, imported into a new workspace named `name`, with the tab
    // shown and both logs listed; null when that fails.
    RegressionView* openTwoLogs(MainWindow& window, const QString& name, const QString& logA,
                                const QString& logB) {
        const QString root = m_dir.filePath(name);
        copyFile(logA, root + "/model_a/predictions_test.csv");
        copyFile(logB, root + "/model_b/predictions_test.csv");
        for (const char* run : {"model_a", "model_b"}) {
            QFile metrics(root + "/" + run + "/metrics.csv");
            if (!metrics.open(QIODevice::WriteOnly)) return nullptr;
            metrics.write("step,loss\n0,1\n1,0.5\n");
        }
        window.resize(1400, 900);
        if (!window.createWorkspace(m_dir.filePath(name + ".runlens"))) return nullptr;
        auto* view = new RegressionView(window.viewContext());
        window.addViewTab(view, "Regression");
        window.tabs()->setCurrentWidget(view);
        window.show();
        window.importPaths({root});
        if (!QTest::qWaitFor([&] { return !window.hasPendingWork(); }, 60000)) return nullptr;
        if (!QTest::qWaitFor([&] { return !view->isBusy() && view->logNames().size() == 2; }, 60000))
            return nullptr;
        return view;
    }

    QTemporaryDir m_dir;
};

QTEST_MAIN(TestRegressionView)
#include "test_regression_view.moc"
