// Tests the Behaviour tab offscreen: the empty state, two runs' test-result logs imported and computed off
// the GUI thread (rates and the paired comparison against hand-worked values), slices, plots and exports.
#include "tests/common/view_test_support.h"
#include "ui/behaviour/behaviour_view.h"
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

namespace {

// Originals o1..o4 score 0.9, 0.2, 0.6, 0.4 (classes 1, 0, 1, 0 at 0.5) in both models' logs.
// Model A, typo (same): 0.85, 0.30, 0.45 (o3 flips), 0.40: 1 flip of 4, Wilson interval from
//   statsmodels proportion_confint(1, 4, method='wilson') = (0.0455872608097006, 0.6993581574175982);
//   add_negation (down): 0.50, 0.35 (+0.15), 0.62 (+0.02): 2 wrong directions of 3.
// Model B, typo: 0.85, 0.60 (flip), 0.45 (flip), 0.55 (flip): 3 of 4; both flip 1, only B 2, neither 1, so
//   Newcombe's method 10 interval for B - A = 0.5 is (-0.018874106295209137, 0.7360354999946163) (worked in
//   tests/cli/test_cli_behaviour.cpp).
const QByteArray kOriginals =
    "id,label,score,perturbation,orig_id,expect,length\n"
    "o1,1,0.9,,o1,,short\no2,0,0.2,,o2,,long\no3,1,0.6,,o3,,long\no4,0,0.4,,o4,,short\n";
const QByteArray kModelA = "t1,1,0.85,typo,o1,same,short\nt2,0,0.30,typo,o2,same,long\n"
                           "t3,1,0.45,typo,o3,same,long\nt4,0,0.40,typo,o4,same,short\n"
                           "n1,1,0.50,add_negation,o1,down,short\nn2,0,0.35,add_negation,o2,down,long\n"
                           "n3,1,0.62,add_negation,o3,down,long\n";
const QByteArray kModelB = "t1,1,0.85,typo,o1,same,short\nt2,0,0.60,typo,o2,same,long\n"
                           "t3,1,0.45,typo,o3,same,long\nt4,0,0.55,typo,o4,same,short\n"
                           "n1,1,0.50,add_negation,o1,down,short\nn2,0,0.10,add_negation,o2,down,long\n"
                           "n3,1,0.55,add_negation,o3,down,long\n";

const runlens::PerturbationResult* perturbation(const BehaviourViewResult& r, const std::string& name) {
    for (const auto& p : r.report.perturbations)
        if (p.name == name) return &p;
    return nullptr;
}

} // namespace

class TestBehaviourView : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        runlens::test::beginViewTest("runlens-test-behaviour-view");
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { runlens::test::resetAppState(); }

    void emptyWorkspaceShowsHint() {
        MainWindow window;
        QVERIFY(window.createWorkspace(m_dir.filePath("empty.runlens")));
        auto* view = new BehaviourView(window.viewContext());
        window.addViewTab(view, "Behaviour");
        window.show();
        QTRY_VERIFY(!view->isBusy());
        QVERIFY(view->showsEmptyState());
        auto* hint = view->findChild<QLabel*>("behaviourEmptyHint");
        QVERIFY(hint && hint->text().contains("orig_id"));
        QString error;
        QVERIFY(!view->exportImage(m_dir.filePath("none.png"), &error));
        QVERIFY(!error.isEmpty());
    }

    void twoModelsTestsAreAnalysedAndCompared() {
        const QString root = m_dir.filePath("logs");
        for (const auto& [run, rows] : {std::pair{"model_a", kModelA}, std::pair{"model_b", kModelB}}) {
            runlens::test::writeTestFile(root + "/" + run + "/predictions_tests.csv", kOriginals + rows);
            runlens::test::writeTestFile(root + "/" + run + "/metrics.csv", "step,loss\n0,1\n1,0.5\n");
        }
        MainWindow window;
        window.resize(1400, 900);
        QVERIFY(window.createWorkspace(m_dir.filePath("behaviour.runlens")));
        auto* view = new BehaviourView(window.viewContext());
        window.addViewTab(view, "Behaviour");
        window.tabs()->setCurrentWidget(view);
        window.show();
        window.importPaths({root});
        QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!view->showsEmptyState() && !view->isBusy() && view->result().ok(), 60000);
        QCOMPARE(view->logNames().size(), 2);
        QVERIFY(view->result().name.startsWith("model_a"));
        const auto* typo = perturbation(view->result(), "typo");
        QVERIFY(typo);
        QCOMPARE(typo->n, std::int64_t(4));
        QCOMPARE(typo->flips, std::int64_t(1));
        QVERIFY(std::abs(typo->flipCi.low - 0.0455872608097006) < 1e-9);
        QVERIFY(std::abs(typo->flipCi.high - 0.6993581574175982) < 1e-9);
        const auto* negation = perturbation(view->result(), "add_negation");
        QVERIFY(negation);
        QCOMPARE(negation->violations, std::int64_t(2));
        auto* table = view->findChild<QTableWidget*>("behaviourPerturbations");
        QVERIFY(table && table->rowCount() == 2);

        // Per slice: typo's flip (t3) is in "long" (t2, t3): 1 of 2.
        QVERIFY(view->setSliceColumn("length"));
        QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy() && view->result().log.hasSlice, 30000);
        typo = perturbation(view->result(), "typo");
        QVERIFY(typo && typo->slices.size() == 2);
        QCOMPARE(typo->slices[0].slice, std::string("long"));
        QCOMPARE(typo->slices[0].flips, std::int64_t(1));
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->item(r, 0)->text() == "typo") view->selectPerturbation(r);
        auto* slices = view->findChild<QTableWidget*>("behaviourSlices");
        QVERIFY(slices && slices->rowCount() == 2);
        auto* worst = view->findChild<QTableWidget*>("behaviourWorst");
        QVERIFY(worst && worst->rowCount() == 4);
        QCOMPARE(worst->item(0, 0)->text(), QString("t3")); // the flip comes first
        QVERIFY(view->worstExamplesCsv().section('\n', 1, 1).startsWith("typo,7,t3,o3,"));

        QVERIFY(view->setCompareWith(view->logNames()[1]));
        QTRY_VERIFY_WITH_TIMEOUT(!view->isBusy() && !view->result().comparison.empty(), 30000);
        QVERIFY2(view->result().compareError.isEmpty(), qPrintable(view->result().compareError));
        QCOMPARE(view->result().matched, std::size_t(7));
        const runlens::RobustnessComparison* c = nullptr;
        for (const auto& x : view->result().comparison)
            if (x.perturbation == "typo") c = &x;
        QVERIFY(c);
        QCOMPARE(c->flipsB, std::int64_t(3));
        QVERIFY(std::abs(c->differenceCi.low - -0.018874106295209137) < 1e-9);
        QVERIFY(std::abs(c->differenceCi.high - 0.7360354999946163) < 1e-9);
        QVERIFY(table->columnCount() == 11);
        const QString csv = view->perturbationsCsv();
        QVERIFY(csv.section('\n', 0, 0).endsWith(",mcnemar_p"));

        for (auto plot : {BehaviourView::Plot::FailureRate, BehaviourView::Plot::FlipRate,
                          BehaviourView::Plot::ScoreChange}) {
            view->setPlot(plot);
            const QString png = m_dir.filePath(QString("behaviour%1.png").arg(int(plot)));
            QString error;
            QVERIFY2(view->exportImage(png, &error), qPrintable(error));
            QVERIFY(!QImage(png).isNull());
        }
        QVERIFY(view->exportImage(m_dir.filePath("behaviour.svg"), nullptr));
        QVERIFY(view->exportImage(m_dir.filePath("behaviour.pdf"), nullptr));
        view->setPlot(BehaviourView::Plot::FlipRate);
        if (qEnvironmentVariableIsSet("RUNLENS_SCREENSHOT_DIR"))
            window.grab().save(qEnvironmentVariable("RUNLENS_SCREENSHOT_DIR") + "/behaviour_tab.png");
    }

  private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestBehaviourView)
#include "test_behaviour_view.moc"
