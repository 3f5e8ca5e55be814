// Tests the Sweep tab offscreen: parallel-coordinates axes and brushing, ranked table, scatter, best so far,
// export.
#include "tests/common/view_test_support.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"
#include "ui/sweep/parallel_coordinates.h"
#include "ui/sweep/sweep_view.h"

#include <cmath>
#include <map>
#include <QChart>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens::ui;

namespace {

// Eight runs r0..r7 of a learning-rate sweep: lr spans 3.5 decades, optimizer alternates adam/sgd, batch is
// constant (so it is not a sweep dimension). Final val_loss per run, and start times in a shuffled order.
constexpr double kLr[] = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1};
constexpr double kLoss[] = {0.9, 0.7, 0.5, 0.6, 0.4, 0.8, 1.2, 1.5};
constexpr int kStartOrder[] = {3, 0, 6, 1, 7, 2, 5, 4}; // r0 started 4th, r1 1st, ...

using runlens::test::writeTestFile;

QByteArray num(double v) {
    return QByteArray::number(v, 'g', QLocale::FloatingPointShortest);
}

void writeLogs(const QString& root) {
    for (int r = 0; r < 8; ++r) {
        const QString run = QStringLiteral("%1/r%2").arg(root).arg(r);
        writeTestFile(run + "/hparams.yaml",
                      "lr: " + num(kLr[r]) + "\noptimizer: " + (r % 2 ? "sgd" : "adam") + "\nbatch: 32\n");
        const double start = 1700000000 + 3600.0 * kStartOrder[r];
        writeTestFile(run + "/metrics.csv", "step,wall_time,val_loss\n0," + num(start) + ",2\n1," +
                                                num(start + 60) + "," + num(kLoss[r]) + "\n");
    }
}

QScatterSeries* scatterNamed(QChart* chart, const QString& name) {
    for (QAbstractSeries* series : chart->series())
        if (series->name() == name) return qobject_cast<QScatterSeries*>(series);
    return nullptr;
}

QStringList runNames(std::initializer_list<int> indices) {
    QStringList names;
    for (const int i : indices)
        names << QStringLiteral("r%1").arg(i);
    return names;
}

} // namespace

class TestSweepView : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void axesRankingAndBestSoFar();
    void brushingFiltersTableAndScatter();
    void mouseBrushAndAxisMove();
    void exportsAndScreenshot();
    void evaluationMetricAsAxis();
    void defaultMetricIsTheOneMostRunsHave();

  private:
    void openWindow(MainWindow& window, SweepView*& view);
    QTemporaryDir m_dir;
};

void TestSweepView::initTestCase() {
    runlens::test::beginViewTest("runlens-test-sweep-view");
    QVERIFY(m_dir.isValid());
    writeLogs(m_dir.filePath("logs"));
    runlens::test::importIntoNewWorkspace(m_dir.filePath("sweep.runlens"), m_dir.filePath("logs"), 8);
}

void TestSweepView::openWindow(MainWindow& window, SweepView*& view) {
    runlens::test::addViewThenOpenWorkspace(window, view, "Sweep", m_dir.filePath("sweep.runlens"));
    if (QTest::currentTestFailed()) return;
    QCOMPARE(view->runs().size(), std::size_t(8));
}

void TestSweepView::axesRankingAndBestSoFar() {
    MainWindow window;
    SweepView* view = nullptr;
    openWindow(window, view);
    QCOMPARE(view->metricCombo()->currentText(), QString("val_loss"));
    QVERIFY(!view->maximise()); // a loss is minimised by default

    // Axes: lr (log: 3.5 decades), optimizer (2 categories), the metric; batch is constant and left out.
    ParallelCoordinates* pc = view->parallelCoordinates();
    QCOMPARE(view->paramKeys(), QStringList({"lr", "optimizer"}));
    QCOMPARE(pc->axes().size(), std::size_t(3));
    const ParallelAxis& lr = pc->axes()[static_cast<std::size_t>(pc->indexOfAxis("lr"))];
    QVERIFY(lr.logScale && !lr.categorical);
    // Log position of 1e-3 between 1e-4 and 3e-1: (log 1e-3 - log 1e-4) / (log 3e-1 - log 1e-4) = 1 / 3.4771.
    QVERIFY(std::abs(lr.position(2) - 1.0 / std::log10(3000.0)) < 1e-12);
    const ParallelAxis& optimizer = pc->axes()[static_cast<std::size_t>(pc->indexOfAxis("optimizer"))];
    QVERIFY(optimizer.categorical);
    QCOMPARE(optimizer.categories, QStringList({"adam", "sgd"}));
    QCOMPARE(optimizer.position(1), 1.0); // sgd: the second of two evenly spaced categories
    QVERIFY(!pc->axes()[static_cast<std::size_t>(pc->indexOfAxis("val_loss"))].logScale);

    // Ranked by val_loss ascending: 0.4 (r4), 0.5 (r2), 0.6 (r3), 0.7 (r1), 0.8 (r5), 0.9 (r0), 1.2, 1.5.
    QCOMPARE(view->rankedNames(), runNames({4, 2, 3, 1, 5, 0, 6, 7}));
    view->goalCombo()->setCurrentIndex(1); // maximise
    QCOMPARE(view->rankedNames(), runNames({7, 6, 0, 5, 1, 3, 2, 4}));
    view->goalCombo()->setCurrentIndex(0);

    // Best so far by run index: running minimum of 0.9, 0.7, 0.5, 0.6, 0.4, 0.8, 1.2, 1.5.
    QString error;
    const QString csv = m_dir.filePath("best.csv");
    QVERIFY2(view->exportCsv(csv, &error, true), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 9);
    const double expectedIndex[] = {0.9, 0.7, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4};
    for (int i = 0; i < 8; ++i)
        QCOMPARE(lines[i + 1].split(',').last().toDouble(), expectedIndex[i]);
    auto* line = qobject_cast<QLineSeries*>(view->bestChart()->series().last());
    QVERIFY(line);
    QCOMPARE(line->at(line->count() - 1).y(), 0.4);

    // By start time the runs come as r1, r3, r5, r0, r7, r6, r2, r4 (kStartOrder inverted):
    // losses 0.7, 0.6, 0.8, 0.9, 1.5, 1.2, 0.5, 0.4 -> best 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.4.
    view->orderCombo()->setCurrentIndex(1);
    const auto order = view->bestOrder();
    QCOMPARE(order.size(), std::size_t(8));
    QStringList names;
    for (const auto& entry : order)
        names << entry.second->name;
    QCOMPARE(names, runNames({1, 3, 5, 0, 7, 6, 2, 4}));
    QVERIFY2(view->exportCsv(csv, &error, true), qPrintable(error));
    file.close();
    QVERIFY(file.open(QIODevice::ReadOnly));
    lines = file.readAll().trimmed().split('\n');
    QVERIFY(lines[0].startsWith("start_time,"));
    const double expectedTime[] = {0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.4};
    for (int i = 0; i < 8; ++i)
        QCOMPARE(lines[i + 1].split(',').last().toDouble(), expectedTime[i]);
}

void TestSweepView::brushingFiltersTableAndScatter() {
    MainWindow window;
    SweepView* view = nullptr;
    openWindow(window, view);
    ParallelCoordinates* pc = view->parallelCoordinates();
    QCOMPARE(view->paramCombo()->currentText(), QString("lr"));
    QVERIFY(qobject_cast<QLogValueAxis*>(view->scatterChart()->axes(Qt::Horizontal).first()));
    QCOMPARE(scatterNamed(view->scatterChart(), "runs")->count(), 8);

    // lr in [1e-3, 1e-2]: r2, r3, r4, ranked 0.4, 0.5, 0.6.
    pc->setValueBrush(pc->indexOfAxis("lr"), 1e-3, 1e-2);
    QCOMPARE(view->rankedNames(), runNames({4, 2, 3}));
    QCOMPARE(scatterNamed(view->scatterChart(), "brushed runs")->count(), 3);
    QCOMPARE(scatterNamed(view->scatterChart(), "brushed out")->count(), 5);
    // Ranks stay global: r4 is 1st, r2 2nd, r3 3rd of all eight.
    QCOMPARE(view->rankedModel()->item(2, 0)->data(Qt::DisplayRole).toInt(), 3);

    // AND with optimizer = adam (category 0): r2 and r4.
    pc->setValueBrush(pc->indexOfAxis("optimizer"), 0, 0);
    QCOMPARE(view->rankedNames(), runNames({4, 2}));
    QCOMPARE(scatterNamed(view->scatterChart(), "brushed runs")->count(), 2);

    pc->clearBrushes();
    QCOMPARE(view->rankedNames().size(), 8);

    // Hiding a run in the run table drops it from the sweep.
    window.runModel()->setRunVisible(view->runs()[7].id, false);
    QTRY_COMPARE(view->runs().size(), std::size_t(7));
    QCOMPARE(view->rankedNames().size(), 7);
}

void TestSweepView::mouseBrushAndAxisMove() {
    MainWindow window;
    SweepView* view = nullptr;
    openWindow(window, view);
    ParallelCoordinates* pc = view->parallelCoordinates();
    QTRY_VERIFY(pc->width() > 300 && pc->height() > 120);
    // The metric axis is drawn last, at the right edge of the plot (64 px margins; plot from y=46 to h-22).
    const int x = pc->width() - 64;
    const double top = 46, bottom = pc->height() - 22;
    const int yMid = static_cast<int>(std::lround((top + bottom) / 2)); // t = 0.5: val_loss 0.95
    // Drag from above the top to the middle: val_loss in [0.95, 1.5] -> r6 (1.2) and r7 (1.5).
    QTest::mousePress(pc, Qt::LeftButton, Qt::NoModifier, QPoint(x, static_cast<int>(top) + 1));
    QTest::mouseMove(pc, QPoint(x, yMid));
    QTest::mouseRelease(pc, Qt::LeftButton, Qt::NoModifier, QPoint(x, yMid));
    QVERIFY(pc->hasBrush());
    QCOMPARE(view->rankedNames(), runNames({6, 7}));
    // A click on the axis clears its brush.
    QTest::mouseClick(pc, Qt::LeftButton, Qt::NoModifier, QPoint(x, yMid));
    QVERIFY(!pc->hasBrush());
    QCOMPARE(view->rankedNames().size(), 8);

    // Dragging the first axis' title onto the last position moves it there.
    const std::vector<int> before = pc->axisOrder();
    QTest::mousePress(pc, Qt::LeftButton, Qt::NoModifier, QPoint(64, 20));
    QTest::mouseMove(pc, QPoint(pc->width() - 70, 20));
    QTest::mouseRelease(pc, Qt::LeftButton, Qt::NoModifier, QPoint(pc->width() - 70, 20));
    const std::vector<int> after = pc->axisOrder();
    QCOMPARE(after.size(), before.size());
    QCOMPARE(after.back(), before.front());
    QCOMPARE(after.front(), before[1]);
}

void TestSweepView::exportsAndScreenshot() {
    MainWindow window;
    SweepView* view = nullptr;
    openWindow(window, view);
    view->parallelCoordinates()->setValueBrush(view->parallelCoordinates()->indexOfAxis("lr"), 3e-4, 3e-2);
    QString error;
    for (const QString& name : {QString("pc.png"), QString("scatter.png"), QString("best.png")}) {
        const QString path = m_dir.filePath(name);
        const bool ok = name == "pc.png"        ? view->exportParallel(path, &error)
                        : name == "scatter.png" ? view->exportScatter(path, &error)
                                                : view->exportBest(path, &error);
        QVERIFY2(ok, qPrintable(error));
        QVERIFY2(runlens::test::imageHasContent(QImage(path), 4), qPrintable(name));
    }
    QVERIFY2(view->exportParallel(m_dir.filePath("pc.svg"), &error), qPrintable(error));
    QVERIFY(QFileInfo(m_dir.filePath("pc.svg")).size() > 1000);
    QVERIFY2(view->exportParallel(m_dir.filePath("pc.pdf"), &error), qPrintable(error));
    QVERIFY(!view->exportParallel(m_dir.filePath("pc.bmp"), &error));

    const QString csv = m_dir.filePath("runs.csv");
    QVERIFY2(view->exportCsv(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 9);
    QCOMPARE(lines[0], QByteArray("run,\"val_loss\",brushed_in,\"lr\",\"optimizer\""));
    int brushedIn = 0;
    for (int i = 1; i < lines.size(); ++i)
        brushedIn += lines[i].split(',')[2] == "1";
    QCOMPARE(brushedIn, 5); // lr 3e-4 .. 3e-2: r1..r5

    QCoreApplication::processEvents();
    QVERIFY(window.grab().save("/tmp/sweep.png"));

    window.runModel()->setAllVisible(false);
    QTRY_VERIFY(view->showsEmptyState());
    QVERIFY(view->findChild<QLabel*>("sweepEmptyHint")->text().contains("metric"));
}

// Two runs with an lr param and an evaluation set: e0 gets 2 of 4 right at 0.5 (0.4 and 0.6 are on the wrong
// side; accuracy 0.5), e1 all 4
// (1.0); AUC by hand: e0 ranks positive 0.9 and 0.4 against negatives 0.6 and 0.1: 3 of 4 pairs right, 0.75.
void TestSweepView::evaluationMetricAsAxis() {
    const QString root = m_dir.filePath("eval_logs");
    const char* preds[] = {"id,label,score\n1,1,0.9\n2,1,0.4\n3,0,0.6\n4,0,0.1\n",
                           "id,label,score\n1,1,0.9\n2,1,0.8\n3,0,0.3\n4,0,0.1\n"};
    for (int r = 0; r < 2; ++r) {
        const QString run = QStringLiteral("%1/e%2").arg(root).arg(r);
        writeTestFile(run + "/hparams.yaml", "lr: " + num(kLr[r]) + "\n");
        writeTestFile(run + "/metrics.csv", "step,val_loss\n0,1\n1,0.5\n");
        writeTestFile(run + "/predictions_val.csv", preds[r]);
    }
    MainWindow window;
    window.resize(1400, 900);
    auto* view = new SweepView(window.viewContext());
    window.addViewTab(view, "Sweep");
    QVERIFY(window.createWorkspace(m_dir.filePath("eval_sweep.runlens")));
    window.importPaths({root});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QTRY_VERIFY(view->metricCombo()->findText("eval:auc") >= 0);
    view->metricCombo()->setCurrentIndex(view->metricCombo()->findText("eval:accuracy"));
    QTRY_COMPARE(view->runs().size(), std::size_t(2));
    QVERIFY(view->maximise()); // accuracy: higher is better
    QVERIFY(!view->reductionCombo()->isEnabled());
    std::map<QString, double> value;
    for (const auto& r : view->runs())
        value[r.name] = r.value;
    QCOMPARE(value["e0"], 0.5);
    QCOMPARE(value["e1"], 1.0);
    view->metricCombo()->setCurrentIndex(view->metricCombo()->findText("eval:auc"));
    QTRY_COMPARE(view->runs().size(), std::size_t(2));
    for (const auto& r : view->runs())
        if (r.name == "e0") QCOMPARE(r.value, 0.75);
    QCOMPARE(view->rankedNames().value(0), QString("e1"));
}

// Four runs log train_loss, one of them also val_score: the default is what most runs have, although
// val_score names a validation metric.
void TestSweepView::defaultMetricIsTheOneMostRunsHave() {
    const QString root = m_dir.filePath("few");
    for (int i = 0; i < 4; ++i) {
        const QString run = root + QString("/r%1").arg(i);
        QDir().mkpath(run);
        QFile params(run + "/hparams.yaml");
        QVERIFY(params.open(QIODevice::WriteOnly));
        params.write(QByteArray("lr: ") + QByteArray::number(0.001 * (i + 1)) + "\n");
        params.close();
        QFile metrics(run + "/metrics.csv");
        QVERIFY(metrics.open(QIODevice::WriteOnly));
        metrics.write(i == 0 ? "step,train_loss,val_score\n0,1,0.5\n1,0.5,0.6\n"
                             : "step,train_loss\n0,1\n1,0.6\n");
    }
    MainWindow window;
    window.resize(1400, 900);
    auto* view = new SweepView(window.viewContext());
    window.addViewTab(view, "Sweep");
    QVERIFY(window.createWorkspace(m_dir.filePath("few.runlens")));
    window.importPaths({root});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    window.tabs()->setCurrentWidget(view);
    window.show();
    QTRY_VERIFY(!view->showsEmptyState());
    QCOMPARE(view->metricCombo()->currentText(), QString("train_loss"));
}

QTEST_MAIN(TestSweepView)
#include "test_sweep_view.moc"
