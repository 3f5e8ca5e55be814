// Tests the Cost tab offscreen: the empty state, five imported runs whose front and "cheapest within" choice
// are worked out by hand (the same runs as tests/cli/test_cli_pareto.cpp), controls, and exports.
#include "tests/common/view_test_support.h"
#include "ui/cost/cost_view.h"
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

class TestCostView : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        runlens::test::beginViewTest("runlens-test-cost-view");
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { runlens::test::resetAppState(); }

    void emptyWorkspaceShowsHint() {
        MainWindow window;
        QVERIFY(window.createWorkspace(m_dir.filePath("empty.runlens")));
        auto* view = new CostView(window.viewContext());
        window.addViewTab(view, "Cost");
        window.show();
        QTRY_VERIFY(!view->isBusy());
        QVERIFY(view->showsEmptyState());
        auto* hint = view->findChild<QLabel*>("costEmptyHint");
        QVERIFY(hint && hint->text().contains("latency"));
        QString error;
        QVERIFY(!view->exportImage(m_dir.filePath("none.png"), &error));
    }

    // Runs (last val_accuracy, latency_ms): a 0.90/40, b 0.89/10, c 0.85/12, d 0.80/5, e 0.91/100. The front
    // is d, b, a, e (cheapest first); c is dominated by b. Within 0.025 of e's 0.91 the fastest is b (10x).
    void frontAndChoiceOfImportedRuns() {
        const QString root = m_dir.filePath("logs");
        const struct {
            const char* name;
            double accuracy, latency;
        } runs[] = {{"a", 0.90, 40}, {"b", 0.89, 10}, {"c", 0.85, 12}, {"d", 0.80, 5}, {"e", 0.91, 100}};
        for (const auto& r : runs)
            runlens::test::writeTestFile(root + "/" + r.name + "/metrics.csv",
                                         QString("step,val_accuracy,latency_ms\n0,0.5,%1\n1,%2,%1\n")
                                             .arg(r.latency)
                                             .arg(r.accuracy)
                                             .toUtf8());
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.createWorkspace(m_dir.filePath("cost.runlens")));
        auto* view = new CostView(window.viewContext());
        window.addViewTab(view, "Cost");
        window.tabs()->setCurrentWidget(view);
        window.show();
        window.importPaths({root});
        QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!view->showsEmptyState() && !view->isBusy(), 60000);
        QVERIFY(view->qualityNames().contains("val_accuracy"));
        QCOMPARE(view->costNames().value(0), QString("latency_ms")); // recognised before wall-clock time
        QVERIFY(view->setQuality("val_accuracy"));
        QVERIFY(view->setCost("latency_ms"));
        view->setTolerance(0.025, false);
        QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy() && view->study().points.size() == 5 &&
                                     view->study().axes.qualityName == "val_accuracy",
                                 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy(), 30000);
        const auto& s = view->study();
        QCOMPARE(s.front.front.size(), std::size_t(4));
        QCOMPARE(s.points[s.cheapest.chosen].name, std::string("b"));
        QCOMPARE(s.points[s.cheapest.best].name, std::string("e"));
        auto* table = view->findChild<QTableWidget*>("costRuns");
        QVERIFY(table && table->rowCount() == 5);
        QCOMPARE(table->item(0, 0)->text(), QString("d")); // the front, cheapest first
        QCOMPARE(table->item(4, 0)->text(), QString("c"));
        QCOMPARE(table->item(4, 5)->text(), QString("b"));
        auto* sentence = view->findChild<QLabel*>("costSentence");
        QVERIFY(sentence && sentence->text().startsWith("b is the cheapest run"));
        QVERIFY(view->pointsCsv().startsWith("run,quality,quality_low,quality_high,latency_ms,on_front"));
        for (const char* suffix : {"png", "svg", "pdf"}) {
            const QString path = m_dir.filePath(QString("cost.") + suffix);
            QString error;
            QVERIFY2(view->exportImage(path, &error), qPrintable(error));
            QVERIFY(QFileInfo(path).size() > 0);
        }
        QVERIFY(!QImage(m_dir.filePath("cost.png")).isNull());
        if (qEnvironmentVariableIsSet("RUNLENS_SCREENSHOT_DIR"))
            window.grab().save(qEnvironmentVariable("RUNLENS_SCREENSHOT_DIR") + "/cost_tab.png");
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestCostView)
#include "test_cost_view.moc"
