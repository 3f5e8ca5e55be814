// Tests the Trade-offs tab offscreen: threshold readouts, costs, risk-coverage against brute-force counts,
// export.
#include "tests/common/binary_score_fixture.h"
#include "tests/common/view_test_support.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoffs/tradeoff_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QSlider>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <vector>

using namespace runlens::ui;

namespace {

constexpr int kRows = 200;

using runlens::test::labelOf;
using runlens::test::scoreOf;
using runlens::test::writeTestFile;

// A fingerprint unlock model: owners (positive) against impostors; "phone" scores s, "tablet" scores s^1.5.
void writeRuns(const QString& root) {
    QByteArray phone = "label,score\n";
    QByteArray tablet = "label,score\n";
    for (int i = 0; i < kRows; ++i) {
        const QByteArray label = labelOf(i) ? "owner" : "impostor";
        phone += label + "," + QByteArray::number(scoreOf(i), 'g', 17) + "\n";
        tablet += label + "," + QByteArray::number(std::pow(scoreOf(i), 1.5), 'g', 17) + "\n";
    }
    writeTestFile(root + "/phone/metrics.csv", "step,loss\n0,1\n1,0.5\n");
    writeTestFile(root + "/phone/predictions_test.csv", phone);
    writeTestFile(root + "/tablet/metrics.csv", "step,loss\n0,1\n1,0.6\n");
    writeTestFile(root + "/tablet/predictions_test.csv", tablet);
}

struct Counts {
    std::int64_t tn = 0, fp = 0, fn = 0, tp = 0;
};
Counts countAt(double threshold) {
    Counts c;
    for (int i = 0; i < kRows; ++i) {
        const bool predicted = scoreOf(i) >= threshold;
        if (labelOf(i))
            (predicted ? c.tp : c.fn) += 1;
        else
            (predicted ? c.fp : c.tn) += 1;
    }
    return c;
}

QString pct(double share) {
    return QString::number(100.0 * share, 'f', 1) + "%";
}

} // namespace

class TestTradeoffView : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void emptyWorkspaceShowsHint();
    void thresholdShowsConfusionAndSentence();
    void cheapestThresholdMatchesBruteForce();
    void confidenceMatchesBruteForce();
    void baselinesInRocAndPrLegends();
    void exportWritesImages();
    void multiclassSetsShowOneClassAgainstTheRest();

  private:
    void openWindow(MainWindow& window, TradeoffView*& view);
    QTemporaryDir m_dir;
    QString m_workspace;
};

void TestTradeoffView::initTestCase() {
    runlens::test::beginViewTest("runlens-test-tradeoff-view");
    QVERIFY(m_dir.isValid());
    writeRuns(m_dir.filePath("logs"));
    m_workspace = m_dir.filePath("tradeoff.runlens");
    runlens::test::importIntoNewWorkspace(m_workspace, m_dir.filePath("logs"), 2);
}

void TestTradeoffView::cleanupTestCase() {
    runlens::test::resetAppState();
}

void TestTradeoffView::openWindow(MainWindow& window, TradeoffView*& view) {
    runlens::test::openWorkspaceWithView(window, view, m_workspace, "Trade-offs");
    if (QTest::currentTestFailed()) return;
    QCOMPARE(static_cast<int>(view->runs().size()), 2);
}

void TestTradeoffView::emptyWorkspaceShowsHint() {
    MainWindow window;
    QVERIFY(window.createWorkspace(m_dir.filePath("empty.runlens")));
    auto* view = new TradeoffView(window.viewContext());
    window.addViewTab(view, "Trade-offs");
    window.show();
    QTRY_VERIFY(!view->isBusy());
    QVERIFY(view->showsEmptyState());
    QVERIFY(view->findChild<QLabel*>("tradeoffEmptyHint")->text().contains("No evaluation sets yet"));
}

void TestTradeoffView::thresholdShowsConfusionAndSentence() {
    MainWindow window;
    TradeoffView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    QCOMPARE(view->setCombo()->currentText(), QString("test"));
    const TradeoffRun* run = view->focusRun();
    QVERIFY(run);
    QCOMPARE(run->name, QString("phone"));
    QCOMPARE(run->positiveClass, QString("owner"));
    // python3-sklearn 1.2: roc_auc_score(y, s) = 0.8113169349124405 (formulas as in test_calibration_view).
    QVERIFY(std::abs(run->rocAuc - 0.8113169349124405) < 1e-9);

    for (double t : {0.5, 0.83, 0.2}) {
        view->thresholdSpin()->setValue(t);
        const Counts c = countAt(t);
        const auto p = view->currentPoint();
        QCOMPARE(p.confusion.tp, c.tp);
        QCOMPARE(p.confusion.fp, c.fp);
        QCOMPARE(p.confusion.fn, c.fn);
        QCOMPARE(p.confusion.tn, c.tn);
        QTableWidget* table = view->confusionTable();
        QCOMPARE(table->item(0, 1)->text(), QString::number(c.fp));
        QCOMPARE(table->item(1, 0)->text(), QString::number(c.fn));
        QVERIFY(std::abs(p.precision - double(c.tp) / double(c.tp + c.fp)) < 1e-12);
        QVERIFY(std::abs(p.fpr - double(c.fp) / double(c.fp + c.tn)) < 1e-12);
        const QString expected =
            QString("At threshold %1: %2 of impostor examples accepted (false positives), %3 "
                    "of owner examples rejected (false negatives).")
                .arg(t, 0, 'f', 3)
                .arg(pct(double(c.fp) / double(c.fp + c.tn)), pct(double(c.fn) / double(c.fn + c.tp)));
        QCOMPARE(view->sentence(), expected);
        QCOMPARE(view->findChild<QLabel*>("tradeoffSentence")->text(), expected);
    }
    // The slider follows the spin box and moves the threshold the other way too.
    QCOMPARE(view->thresholdSlider()->value(), 200);
    view->thresholdSlider()->setValue(700);
    QCOMPARE(view->thresholdSpin()->value(), 0.7);
    QCOMPARE(view->currentPoint().confusion.tp, countAt(0.7).tp);

    // Another focus run reads its own curve.
    view->focusCombo()->setCurrentText("tablet");
    QCOMPARE(view->focusRun()->name, QString("tablet"));
}

void TestTradeoffView::cheapestThresholdMatchesBruteForce() {
    MainWindow window;
    TradeoffView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    view->costFpSpin()->setValue(5); // letting an impostor in costs five times a rejected owner
    view->costFnSpin()->setValue(1);
    // Brute force over every distinct score and "never": cost = 5 FP + FN, ties -> the highest threshold.
    std::vector<double> candidates{std::numeric_limits<double>::infinity()};
    for (int i = 0; i < kRows; ++i)
        candidates.push_back(scoreOf(i));
    double bestCost = std::numeric_limits<double>::infinity();
    double bestThreshold = 0;
    for (double t : candidates) {
        const Counts c = countAt(t);
        const double cost = 5.0 * double(c.fp) + double(c.fn);
        if (cost < bestCost || (cost == bestCost && t > bestThreshold)) {
            bestCost = cost;
            bestThreshold = t;
        }
    }
    const auto choice = view->cheapest();
    QVERIFY(choice);
    QCOMPARE(choice->threshold, bestThreshold);
    QCOMPARE(choice->totalCost, bestCost);
    view->useCheapestButton()->click();
    QCOMPARE(view->thresholdSpin()->value(), bestThreshold);
    const Counts c = countAt(bestThreshold);
    QCOMPARE(view->currentPoint().confusion.fp, c.fp);
    QCOMPARE(view->currentPoint().confusion.fn, c.fn);
}

void TestTradeoffView::confidenceMatchesBruteForce() {
    MainWindow window;
    TradeoffView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    view->pages()->setCurrentIndex(1);
    // Confidence in the predicted class: max(s, 1-s); correct when (s >= 0.5) == owner.
    std::vector<std::pair<double, int>> rows;
    for (int i = 0; i < kRows; ++i)
        rows.emplace_back(std::max(scoreOf(i), 1.0 - scoreOf(i)), (scoreOf(i) >= 0.5) == (labelOf(i) == 1));
    auto answeredAt = [&](double cut, int* answered, int* right) {
        *answered = *right = 0;
        for (const auto& [conf, ok] : rows)
            if (conf >= cut) {
                ++*answered;
                *right += ok;
            }
    };
    std::vector<double> sorted;
    for (const auto& r : rows)
        sorted.push_back(r.first);
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    view->coverageSpin()->setValue(50);
    int answered = 0, right = 0;
    answeredAt(sorted[99], &answered, &right); // the 100th most confident; ties at the cut are answered whole
    QVERIFY2(view->coverageSummary().contains(
                 QString("%1 examples): accuracy %2").arg(answered).arg(pct(double(right) / answered))),
             qPrintable(view->coverageSummary()));

    // The lowest confidence threshold whose answered part reaches 90% accuracy.
    view->targetAccuracySpin()->setValue(90);
    double bestCut = -1;
    for (double cut : sorted) {
        answeredAt(cut, &answered, &right);
        if (double(right) / answered >= 0.9) bestCut = cut;
    }
    QVERIFY(bestCut > 0);
    answeredAt(bestCut, &answered, &right);
    QVERIFY2(view->targetSummary().contains(QString("confidence >= %1").arg(bestCut, 0, 'f', 4)),
             qPrintable(view->targetSummary()));
    QVERIFY(view->targetSummary().contains(QString("(%1 examples)").arg(answered)));
    // AURC of the focus run is in the legend and the readout.
    QVERIFY(view->findChild<QLabel*>("coverageSummary")->text().contains("AURC"));
}

// The series named objectName in any chart the view shows, with its legend entry's visibility.
QList<QLineSeries*> baselineSeries(QWidget* view, const QString& objectName) {
    QList<QLineSeries*> out;
    for (auto* chartView : view->findChildren<QChartView*>())
        for (auto* series : chartView->chart()->series())
            if (series->objectName() == objectName) out.append(static_cast<QLineSeries*>(series));
    return out;
}

// In the chart's legend, or in the wrapped legend under the chart that the view shows instead of it.
bool inLegend(QLineSeries* series) {
    if (series->chart()->legend()->isVisible()) {
        const auto markers = series->chart()->legend()->markers(series);
        return !markers.isEmpty() && markers.front()->isVisible();
    }
    for (QWidget* widget : QApplication::allWidgets()) {
        auto* chartView = qobject_cast<QChartView*>(widget);
        if (!chartView || chartView->chart() != series->chart()) continue;
        const auto* legend = chartView->parentWidget()->findChild<QLabel*>(QStringLiteral("chartLegend"));
        return legend && !legend->isHidden() && legend->text().contains(series->name().toHtmlEscaped());
    }
    return false;
}

void TestTradeoffView::baselinesInRocAndPrLegends() {
    MainWindow window;
    TradeoffView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    // ROC: random scores rank a positive above a negative half the time, so their curve is the diagonal.
    const auto random = baselineSeries(view, "rocRandomBaseline");
    QCOMPARE(random.size(), 1);
    QCOMPARE(random.front()->name(), QString("random (AUC 0.5)"));
    QVERIFY(inLegend(random.front()));
    QCOMPARE(random.front()->points(), (QList<QPointF>{{0, 0}, {1, 1}}));
    // PR: a constant score has precision = prevalence at every recall. Both runs score the same 200 examples,
    // so one line; its height is the owners' share counted straight from the fixture's formula.
    int owners = 0;
    for (int i = 0; i < kRows; ++i)
        owners += labelOf(i);
    const double prior = double(owners) / kRows;
    const auto priorLines = baselineSeries(view, "prPriorBaseline");
    QCOMPARE(priorLines.size(), 1);
    QCOMPARE(priorLines.front()->name(), QString("prior %1").arg(QString::number(prior, 'g', 3)));
    QVERIFY(inLegend(priorLines.front()));
    QCOMPARE(priorLines.front()->points(), (QList<QPointF>{{0, prior}, {1, prior}}));
    QCOMPARE(view->focusRun()->positives, owners);
    // Exported images are drawn from the same chart, legend included.
    for (auto [kind, text] : {std::pair{TradeoffView::ChartKind::Roc, QString("random (AUC 0.5)")},
                              std::pair{TradeoffView::ChartKind::Pr, priorLines.front()->name()}}) {
        const QString svg = m_dir.filePath(QString("baseline%1.svg").arg(static_cast<int>(kind)));
        QString error;
        QVERIFY2(view->exportChartImage(kind, svg, &error), qPrintable(error));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(QString::fromUtf8(file.readAll()).contains(text), qPrintable(text));
    }
}

void TestTradeoffView::exportWritesImages() {
    MainWindow window;
    TradeoffView* view = nullptr;
    openWindow(window, view);
    if (QTest::currentTestFailed()) return;
    view->thresholdSpin()->setValue(0.83);
    QString error;
    for (auto kind : {TradeoffView::ChartKind::Roc, TradeoffView::ChartKind::Pr,
                      TradeoffView::ChartKind::Cost, TradeoffView::ChartKind::RiskCoverage}) {
        const QString png = m_dir.filePath(QString("chart%1.png").arg(static_cast<int>(kind)));
        QVERIFY2(view->exportChartImage(kind, png, &error), qPrintable(error));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(runlens::test::imageHasContent(image));
        QVERIFY(view->chartCsv(kind).count('\n') > 10);
    }
    QVERIFY(view->chartCsv(TradeoffView::ChartKind::Roc).startsWith("run,threshold,fpr,tpr\n"));
    QTest::qWait(50);
    QApplication::processEvents();
    view->grab().save("/tmp/tradeoff_view.png");
    view->pages()->setCurrentIndex(1);
    QApplication::processEvents();
    view->grab().save("/tmp/tradeoff_view_confidence.png");
}

// Six examples of classes a, b, c with class probabilities; one against the rest, by hand (and
// sklearn.metrics.roc_auc_score(y == c, P[:, c]) in python3-sklearn 1.2): class a has positives 0.7, 0.3
// against negatives 0.2, 0.5, 0.1, 0.4, so 6 of 8 pairs are ordered: 0.75; class b 7 of 8: 0.875; class
// c 1.0.
void TestTradeoffView::multiclassSetsShowOneClassAgainstTheRest() {
    const QString logs = m_dir.filePath("multiclass");
    writeTestFile(logs + "/zoo/metrics.csv", "step,loss\n0,1\n1,0.5\n");
    writeTestFile(logs + "/zoo/predictions_test.csv", "label,prob_a,prob_b,prob_c\n"
                                                      "a,0.7,0.2,0.1\na,0.3,0.4,0.3\nb,0.2,0.6,0.2\n"
                                                      "b,0.5,0.3,0.2\nc,0.1,0.2,0.7\nc,0.4,0.1,0.5\n");
    MainWindow window;
    window.resize(1400, 900);
    QVERIFY(window.createWorkspace(m_dir.filePath("multiclass.runlens")));
    window.importPaths({logs});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    auto* view = new TradeoffView(window.viewContext());
    window.addViewTab(view, "Trade-offs");
    window.tabs()->setCurrentWidget(view);
    window.show();
    QTRY_VERIFY(!view->isBusy());
    QTRY_VERIFY(view->focusRun() != nullptr);
    QVERIFY(!view->classCombo()->isHidden());
    QCOMPARE(view->classCombo()->count(), 3);
    const std::pair<const char*, double> expected[] = {{"a", 0.75}, {"b", 0.875}, {"c", 1.0}};
    for (const auto& [cls, auc] : expected) {
        view->classCombo()->setCurrentText(cls);
        QTRY_VERIFY(!view->isBusy() && view->focusRun() && view->focusRun()->positiveClass == cls);
        const TradeoffRun* run = view->focusRun();
        QVERIFY(run->binary);
        QCOMPARE(run->negativeClass, QString("not %1").arg(cls));
        QCOMPARE(run->positives, std::int64_t(2));
        QVERIFY2(std::abs(run->rocAuc - auc) < 1e-12, qPrintable(QString::number(run->rocAuc)));
    }
    // Class b at threshold 0.35: its scores 0.6 and 0.4 (a) are accepted: TP 1 (0.6), FP 1 (0.4).
    view->classCombo()->setCurrentText("b");
    QTRY_VERIFY(!view->isBusy() && view->focusRun()->positiveClass == "b");
    view->thresholdSpin()->setValue(0.35);
    const auto point = view->currentPoint();
    QCOMPARE(point.confusion.tp, std::int64_t(1));
    QCOMPARE(point.confusion.fp, std::int64_t(1));
    QCOMPARE(point.confusion.fn, std::int64_t(1));
    QCOMPARE(point.confusion.tn, std::int64_t(3));
    // A binary set has no class chooser.
    QVERIFY(window.openWorkspace(m_workspace));
    QTRY_VERIFY(!view->isBusy() && view->focusRun() && view->focusRun()->positiveClass == "owner");
    QVERIFY(view->classCombo()->isHidden());
}

QTEST_MAIN(TestTradeoffView)
#include "test_tradeoff_view.moc"
