// Tests the Confusion tab offscreen: the empty state, the iris log's matrix and per-class rows against
// scikit-learn (frozen in tests/data/eval/sklearn_refs.h), a cell's examples, normalisation and export.
#include "tests/common/view_test_support.h"
#include "tests/data/eval/sklearn_refs.h"
#include "ui/confusion/confusion_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"

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

class TestConfusionView : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        runlens::test::beginViewTest("runlens-test-confusion-view");
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { runlens::test::resetAppState(); }

    void emptyWorkspaceShowsHint() {
        MainWindow window;
        QVERIFY(window.createWorkspace(m_dir.filePath("empty.runlens")));
        auto* view = new ConfusionView(window.viewContext());
        window.addViewTab(view, "Confusion");
        window.show();
        QTRY_VERIFY(!view->isBusy());
        QVERIFY(view->showsEmptyState());
        QVERIFY(view->findChild<QLabel*>("confusionEmptyHint"));
        QVERIFY(!view->exportImage(m_dir.filePath("none.png"), nullptr));
    }

    void irisMatrixCellsAndExport() {
        const QString root = m_dir.filePath("logs");
        QDir().mkpath(root + "/iris_model");
        QVERIFY(QFile::copy(RUNLENS_TEST_DATA "/eval/iris_predictions.csv",
                            root + "/iris_model/predictions_test.csv"));
        QFile metrics(root + "/iris_model/metrics.csv");
        QVERIFY(metrics.open(QIODevice::WriteOnly));
        metrics.write("step,loss\n0,1\n");
        metrics.close();
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.createWorkspace(m_dir.filePath("iris.runlens")));
        auto* view = new ConfusionView(window.viewContext());
        window.addViewTab(view, "Confusion");
        window.tabs()->setCurrentWidget(view);
        window.show();
        window.importPaths({root});
        QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!view->showsEmptyState() && !view->isBusy() && view->result().report.n > 0,
                                 60000);
        const auto& report = view->result().report;
        QCOMPARE(report.n, std::int64_t(runlens::refs::irisRows));
        for (int i = 0; i < 9; ++i)
            QCOMPARE(report.confusion[std::size_t(i)], std::int64_t(runlens::refs::irisConfusion[i]));
        QVERIFY(std::abs(report.macro.f1 - runlens::refs::irisF1Macro) < 1e-12);
        auto* matrix = view->findChild<QTableWidget*>("confusionMatrix");
        QVERIFY(matrix);
        QCOMPARE(matrix->item(1, 2)->text(), QString::number(runlens::refs::irisConfusion[5]));
        view->setNormalization(runlens::ConfusionNormalization::True);
        QCOMPARE(matrix->item(1, 2)->text(), QString("0.36")); // 9 of the 25 versicolor
        view->selectCell(1, 2);
        QCOMPARE(view->listedExamples(), int(runlens::refs::irisConfusion[5]));
        const QString png = m_dir.filePath("matrix.png");
        QString error;
        QVERIFY2(view->exportImage(png, &error), qPrintable(error));
        QVERIFY(!QImage(png).isNull());
        QVERIFY(view->matrixCsv().contains("\"versicolor\",0,16,9"));
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestConfusionView)
#include "test_confusion_view.moc"
