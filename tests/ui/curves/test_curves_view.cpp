// The Curves tab's grouping with bands, overlaid tags, distributed workers, x by another metric, restarts and
// NaN marks, checked on what the cards hand to their drawing layer.
#include "core/io/worker_runs.h"
#include "core/store/workspace.h"
#include "tests/common/curves_view_fixture.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/curve_layer.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/health_scanner.h"
#include "ui/runs/run_table_model.h"

#include <cmath>
#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QToolButton>
#include <QToolTip>
#include <QtTest>
#include <QValueAxis>
#include <sqlite3.h>

using namespace runlens;
using namespace runlens::ui;

namespace {

void addRun(Workspace& workspace, const std::string& name, const std::string& tag, std::vector<double> values,
            const std::string& lr, std::vector<std::int64_t> steps = {}) {
    auto tx = workspace.beginSource("/logs/" + name + "/" + tag + ".csv", "csv", false);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::int64_t step = steps.empty() ? static_cast<std::int64_t>(i) : steps[i];
        tx->appendPoint(name, tag, step, 1000.0 + static_cast<double>(i), values[i]);
    }
    if (!lr.empty()) tx->setParam(name, "lr", lr);
    tx->commit({"csv", 1, 1, 1});
}

std::vector<double> ys(const std::vector<QPointF>& points) {
    std::vector<double> out;
    for (const QPointF& p : points)
        out.push_back(p.y());
    return out;
}

std::vector<double> xs(const std::vector<QPointF>& points) {
    std::vector<double> out;
    for (const QPointF& p : points)
        out.push_back(p.x());
    return out;
}

bool near(const std::vector<double>& a, const std::vector<double>& b, double tolerance = 1e-9) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(std::abs(a[i] - b[i]) <= tolerance)) return false;
    return true;
}

} // namespace

class TestCurvesView : public QObject, private runlens::test::CurvesViewFixture {
    Q_OBJECT

  private slots:
    void init() { initFixture(); }
    void cleanup() { cleanupFixture(); }
    void groupsDrawCentreAndBand();
    void learningCurvesAndSinglePointsAreMarkers();
    void stdBandIsSampleStd();
    void trainAndValShareACard();
    void collapsedWorkersAreOneLineExpandedAreMany();
    void plainRunsBesideWorkersAreDrawn();
    void sectionsCollapseAndPin();
    void syncXFollowsAZoom();
    void xByAnotherMetric();
    void restartsSplitIntoLines();
    void nanOnsetIsMarked();
    void cardKeys();
    void healthColumnShowsBadges();
    void speedCardFromWallTimes();
    void zoomSurvivesNewPoints();
    void keyboardZoomAndPan();
    void damagedChunksAreNamed();
    void readoutListsRunsAndStays();

  private:
    int metricCards() const; // cards of logged tags, without the derived speed cards
};

int TestCurvesView::metricCards() const {
    int n = 0;
    for (ChartCard* c : m_view->cards())
        n += c->tag().startsWith(QStringLiteral("speed:")) ? 0 : 1;
    return n;
}

// A learning curve's fold scores (two folds at sizes 10 and 20) are drawn as logged, not EMA-smoothed, with a
// marker per point; a metric logged once gets a marker where a line would draw nothing.
void TestCurvesView::learningCurvesAndSinglePointsAreMarkers() {
    addRun(*m_workspace, "lc", "learning_curve/validation_score", {0.6, 0.7, 0.8, 0.9}, "", {10, 10, 20, 20});
    addRun(*m_workspace, "once", "test/accuracy", {0.93}, "", {500});
    CurveDisplay display;
    display.smoothing = 0.6;
    display.showRaw = true;
    open(display);
    ChartCard* lc = card(QStringLiteral("learning_curve/validation_score"));
    QVERIFY(lc);
    QTRY_VERIFY(lc->isBuilt() && !lc->drawnLine(QStringLiteral("lc")).empty());
    QVERIFY(near(ys(lc->drawnLine(QStringLiteral("lc"))),
                 {0.6, 0.7, 0.8, 0.9})); // EMA 0.6 would give 0.6, 0.64, ...
    QCOMPARE(lc->layer()->marks().size(), std::size_t(4));
    QVERIFY(lc->drawnLine(QStringLiteral("lc (raw)")).empty()); // nothing smoothed, so no faint raw copy
    ChartCard* once = card(QStringLiteral("test/accuracy"));
    QVERIFY(once);
    QTRY_VERIFY(once->isBuilt());
    QCOMPARE(once->layer()->marks().size(), std::size_t(1));
    QCOMPARE(once->layer()->marks().front().at, QPointF(500, 0.93));
}

void TestCurvesView::groupsDrawCentreAndBand() {
    // Two runs at lr 0.1 (loss 1,2,3 and 3,4,5) and one at lr 0.01 (10,10,10), same steps 0..2. By hand:
    // group lr=0.1: mean 2,3,4, min 1,2,3, max 3,4,5; group lr=0.01: 10,10,10 with min = max.
    addRun(*m_workspace, "a0", "loss", {1, 2, 3}, "0.1");
    addRun(*m_workspace, "a1", "loss", {3, 4, 5}, "0.1");
    addRun(*m_workspace, "b0", "loss", {10, 10, 10}, "0.01");
    CurveDisplay display;
    display.smoothing = 0;
    display.groupBy = QStringLiteral("lr");
    display.band = QStringLiteral("minmax");
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QVERIFY(loss);
    QTRY_VERIFY(!loss->drawnLine(QStringLiteral("lr=0.1")).empty());
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("lr=0.1"))), {2, 3, 4}));
    QVERIFY(near(xs(loss->drawnLine(QStringLiteral("lr=0.1"))), {0, 1, 2}));
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("lr=0.01"))), {10, 10, 10}));
    // Member runs are not drawn unless asked for.
    QVERIFY(loss->drawnLine(QStringLiteral("a0")).empty());
    const auto& bands = loss->layer()->bands();
    QCOMPARE(bands.size(), std::size_t(2));
    // Groups come in first-seen order: lr=0.1 (a0) before lr=0.01 (b0).
    QVERIFY(near(ys(bands[0].lower), {1, 2, 3}));
    QVERIFY(near(ys(bands[0].upper), {3, 4, 5}));
    // The legend names each group with its size.
    const auto& legend = loss->layer()->legend();
    QCOMPARE(legend.size(), std::size_t(2));
    QCOMPARE(legend[0].label, QStringLiteral("lr=0.1 (2)"));

    // The card's export draws the same groups: a band and a centre line per group, named with its size.
    const CurveChartSpec spec = loss->exportSpec(800);
    QCOMPARE(spec.bands.size(), std::size_t(2));
    QVERIFY(near(spec.bands[0].upper, {3, 4, 5}));
    QCOMPARE(spec.lines.size(), std::size_t(2));
    QVERIFY(spec.lines[0].runName.startsWith(QStringLiteral("lr=0.1 (2 runs")));
    QVERIFY(near(spec.lines[0].smoothY, {2, 3, 4}));

    // Member runs on request: thin lines behind the groups.
    display.showRunLines = true;
    m_view->setDisplay(display);
    QTRY_VERIFY(!loss->drawnLine(QStringLiteral("a0")).empty());
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("a1"))), {3, 4, 5}));
}

void TestCurvesView::stdBandIsSampleStd() {
    // Values 1 and 3 at each step: mean 2, sample std sqrt(((1-2)^2 + (3-2)^2) / (2-1)) = sqrt(2).
    // 95% CI: mean -/+ t(0.975, 1) * sqrt(2)/sqrt(2) = 12.7062047361747 (scipy.stats.t.ppf(0.975, 1)).
    addRun(*m_workspace, "a0", "loss", {1, 1}, "0.1");
    addRun(*m_workspace, "a1", "loss", {3, 3}, "0.1");
    CurveDisplay display;
    display.smoothing = 0;
    display.groupBy = QStringLiteral("lr");
    display.band = QStringLiteral("std");
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_COMPARE(loss->layer()->bands().size(), std::size_t(1));
    QVERIFY(near(ys(loss->layer()->bands()[0].upper), {2 + std::sqrt(2.0), 2 + std::sqrt(2.0)}));
    display.band = QStringLiteral("ci95");
    m_view->setDisplay(display);
    QTRY_VERIFY(
        near(ys(loss->layer()->bands()[0].upper), {2 + 12.7062047361747, 2 + 12.7062047361747}, 1e-6));
}

void TestCurvesView::trainAndValShareACard() {
    addRun(*m_workspace, "a0", "train/loss", {1, 2}, "0.1");
    addRun(*m_workspace, "a0", "val/loss", {3, 4}, "");
    addRun(*m_workspace, "b0", "loss", {5, 6}, "0.2"); // Keras style: loss and val_loss
    addRun(*m_workspace, "b0", "val_loss", {7, 8}, "");
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    QCOMPARE(metricCards(), 4); // one card per tag by default

    display.combineTags = true;
    m_view->setDisplay(display);
    QTRY_COMPARE(metricCards(), 1);
    ChartCard* loss = card(QStringLiteral("loss"));
    QVERIFY(loss);
    QTRY_VERIFY(loss->isBuilt());
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("a0 · train/loss"))), {1, 2}));
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("a0 · val/loss"))), {3, 4}));
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("b0 · val_loss"))), {7, 8}));
    const CurveLayer::Line* val = loss->layer()->findLine(QStringLiteral("a0 · val/loss"));
    const CurveLayer::Line* train = loss->layer()->findLine(QStringLiteral("a0 · train/loss"));
    QVERIFY(val && train);
    QCOMPARE(train->style, Qt::SolidLine);
    QVERIFY(val->style != Qt::SolidLine);
}

void TestCurvesView::collapsedWorkersAreOneLineExpandedAreMany() {
    // dist/rank_0..2 folded into run "dist": loss/worker_N = {1.0, 0.8, 0.6} + 0.1 N at steps 0..2.
    // Collapsed, the run is its workers' mean: 1.1, 0.9, 0.7.
    for (int worker = 0; worker < 3; ++worker) {
        const std::string original = "dist/rank_" + std::to_string(worker);
        auto tx = m_workspace->beginSource("/logs/" + original + "/events", "tfevents", false);
        WorkerSink sink(*tx, original, WorkerRun{"dist", worker});
        for (int i = 0; i < 3; ++i)
            sink.appendPoint(original, "loss", i, 100.0 + i, 1.0 - 0.2 * i + 0.1 * worker);
        tx->commit({"tfevents", 1, 1, 1});
    }
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    QCOMPARE(metricCards(), 1); // loss/worker_N fold into one "loss" card
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(!loss->drawnLine(QStringLiteral("dist")).empty());
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("dist"))), {1.1, 0.9, 0.7}));
    QVERIFY(loss->drawnLine(QStringLiteral("dist · worker 1")).empty());

    const std::int64_t dist = m_model->runs().front().id;
    m_model->setExpanded(dist, true);
    QTRY_VERIFY(!loss->drawnLine(QStringLiteral("dist · worker 1")).empty());
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("dist · worker 1"))), {1.1, 0.9, 0.7}));
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("dist · worker 2"))), {1.2, 1.0, 0.8}));
    QVERIFY(loss->drawnLine(QStringLiteral("dist")).empty());
    QCOMPARE(loss->layer()->findLine(QStringLiteral("dist · worker 2"))->color,
             m_model->workerColor(dist, 2));
    m_model->setWorkerVisible(dist, 2, false);
    QTRY_VERIFY(loss->drawnLine(QStringLiteral("dist · worker 2")).empty());
    QVERIFY(!loss->drawnLine(QStringLiteral("dist · worker 0")).empty());
}

void TestCurvesView::plainRunsBesideWorkersAreDrawn() {
    // A distributed run "dist" (2 workers: loss {1.0, 0.8} and {1.2, 1.0}) and two plain runs with the same
    // tag. The workers' mean line (1.1, 0.9) must not hide the plain runs: each keeps its own full line.
    for (int worker = 0; worker < 2; ++worker) {
        const std::string original = "dist/rank_" + std::to_string(worker);
        auto tx = m_workspace->beginSource("/logs/" + original + "/events", "tfevents", false);
        WorkerSink sink(*tx, original, WorkerRun{"dist", worker});
        for (int i = 0; i < 2; ++i)
            sink.appendPoint(original, "loss", i, 100.0 + i, 1.0 - 0.2 * i + 0.2 * worker);
        tx->commit({"tfevents", 1, 1, 1});
    }
    addRun(*m_workspace, "solo", "loss", {0.5, 0.4}, "0.1");
    addRun(*m_workspace, "solo2", "loss", {0.7, 0.6}, "0.1");
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(!loss->drawnLine(QStringLiteral("dist")).empty());
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("dist"))), {1.1, 0.9}));
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("solo"))), {0.5, 0.4}));
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("solo2"))), {0.7, 0.6}));
    // The plain runs are drawn as runs (full colour), not as faint group members.
    const std::int64_t solo = m_model->runs()[1].id;
    QCOMPARE(QString::fromStdString(m_model->runs()[1].name), QStringLiteral("solo"));
    QCOMPARE(loss->layer()->findLine(QStringLiteral("solo"))->color, m_model->colorOf(solo));
}

// Cards of train/loss, val/loss, val/acc and gpu_util: sections "train", "val" and "system" with headers;
// a collapsed section hides its cards (and they are not drawn), a pinned card stands first, and both
// choices come back for the same workspace.
void TestCurvesView::sectionsCollapseAndPin() {
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    for (const char* tag : {"train/loss", "val/loss", "val/acc", "gpu_util"})
        addRun(*m_workspace, "r", tag, {3, 2, 1}, "0.1");
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    QCOMPARE(m_view->sectionOf(QStringLiteral("val/acc")), QStringLiteral("val"));
    QCOMPARE(m_view->sectionOf(QStringLiteral("gpu_util")), QStringLiteral("system"));
    const auto headers = [&] {
        QStringList names;
        for (auto* header : m_view->findChildren<QToolButton*>(QStringLiteral("cardSection")))
            if (!header->isHidden()) names << header->property("section").toString();
        names.sort();
        return names;
    };
    // (the runs log wall times, so a "speed" section of steps/s comes too)
    QTRY_VERIFY(headers().contains("train") && headers().contains("val") && headers().contains("system"));

    m_view->setSectionCollapsed(QStringLiteral("val"), true);
    QVERIFY(card(QStringLiteral("val/loss"))->isHidden());
    QVERIFY(card(QStringLiteral("val/acc"))->isHidden());
    QVERIFY(!card(QStringLiteral("train/loss"))->isHidden());
    QTRY_VERIFY(card(QStringLiteral("train/loss"))->isBuilt());

    // Pinned, val/acc leaves the collapsed section for the pinned one at the top, and is shown.
    m_view->setPinned(QStringLiteral("val/acc"), true);
    QVERIFY(!card(QStringLiteral("val/acc"))->isHidden());
    QCOMPARE(m_view->sectionOf(QStringLiteral("val/acc")), CurvesView::kPinnedSection);
    QTRY_VERIFY(card(QStringLiteral("val/acc"))->isBuilt());
    const auto* layout =
        qobject_cast<QGridLayout*>(card(QStringLiteral("val/acc"))->parentWidget()->layout());
    QVERIFY(layout);
    int row = -1, column = -1, rowSpan = 0, columnSpan = 0;
    layout->getItemPosition(layout->indexOf(card(QStringLiteral("val/acc"))), &row, &column, &rowSpan,
                            &columnSpan);
    QCOMPARE(row, 1); // under the pinned section's header, above every other section
    QCOMPARE(column, 0);

    // The same workspace in a new view: the same choices.
    m_view.reset();
    open(display);
    QCOMPARE(m_view->sectionOf(QStringLiteral("val/acc")), CurvesView::kPinnedSection);
    QVERIFY(m_view->isSectionCollapsed(QStringLiteral("val")));
    QVERIFY(card(QStringLiteral("val/loss"))->isHidden());
    QSettings().clear();
}

// With "Sync x" on, zooming one card to steps 2..6 shows steps 2..6 on the other; a reset resets both. Off,
// the other card keeps its own range.
void TestCurvesView::syncXFollowsAZoom() {
    addRun(*m_workspace, "r", "loss", {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, "0.1");
    addRun(*m_workspace, "r", "acc", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "");
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    ChartCard* acc = card(QStringLiteral("acc"));
    QTRY_VERIFY(loss->isBuilt() && acc->isBuilt());
    const auto xRange = [](ChartCard* c) {
        auto* axis = qobject_cast<QValueAxis*>(c->chart()->axes(Qt::Horizontal).first());
        return axis ? std::make_pair(axis->min(), axis->max()) : std::make_pair(-1.0, -1.0);
    };
    const auto fullAcc = xRange(acc);
    auto* sync = m_view->findChild<QCheckBox*>(QStringLiteral("syncX"));
    QVERIFY(sync);
    // Off: a zoom of one card stays there.
    qobject_cast<QValueAxis*>(loss->chart()->axes(Qt::Horizontal).first())->setRange(2, 6);
    emit loss->chartView()->viewChanged();
    QCOMPARE(xRange(acc), fullAcc);
    sync->setChecked(true);
    qobject_cast<QValueAxis*>(loss->chart()->axes(Qt::Horizontal).first())->setRange(3, 7);
    emit loss->chartView()->viewChanged();
    QCOMPARE(xRange(acc), std::make_pair(3.0, 7.0));
    emit loss->chartView()->resetRequested();
    QCOMPARE(xRange(acc), fullAcc);
}

void TestCurvesView::xByAnotherMetric() {
    // Loss at steps 0..3, epoch logged at steps 0 and 2 (0 and 1): x = 0, 0, 1, 1 by hand.
    addRun(*m_workspace, "a0", "loss", {4, 3, 2, 1}, "0.1");
    addRun(*m_workspace, "a0", "epoch", {0, 1}, "", {0, 2});
    CurveDisplay display;
    display.smoothing = 0;
    display.xAxis = QStringLiteral("metric:epoch");
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(!loss->drawnLine(QStringLiteral("a0")).empty());
    QVERIFY(near(xs(loss->drawnLine(QStringLiteral("a0"))), {0, 0, 1, 1}));
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("a0"))), {4, 3, 2, 1}));
}

void TestCurvesView::restartsSplitIntoLines() {
    // Steps 0 1 2, then a restart from step 1: 1 2 3.
    addRun(*m_workspace, "r", "loss", {5, 4, 3, 4.5, 3.5, 2.5}, "", {0, 1, 2, 1, 2, 3});
    CurveDisplay display;
    display.smoothing = 0;
    display.splitRestarts = true;
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(!loss->drawnLine(QStringLiteral("r")).empty());
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("r"))), {5, 4, 3}));
    QVERIFY(near(ys(loss->drawnLine(QStringLiteral("r (restart 1)"))), {4.5, 3.5, 2.5}));
    QVERIFY(near(xs(loss->drawnLine(QStringLiteral("r (restart 1)"))), {1, 2, 3}));
}

void TestCurvesView::nanOnsetIsMarked() {
    addRun(*m_workspace, "n", "loss", {1, 0.5, NAN, NAN}, "");
    addRun(*m_workspace, "ok", "loss", {1, 0.5, 0.4, 0.3}, "");
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(loss->isBuilt() && loss->layer());
    const auto& marks = loss->layer()->marks();
    QCOMPARE(marks.size(), std::size_t(1)); // only the run that broke
    QCOMPARE(marks[0].at.x(), 2.0);         // the first NaN is at step 2
}

void TestCurvesView::cardKeys() {
    QCOMPARE(CurvesView::cardKeyOf(QStringLiteral("train/loss"), false), QStringLiteral("train/loss"));
    QCOMPARE(CurvesView::cardKeyOf(QStringLiteral("train/loss"), true), QStringLiteral("loss"));
    QCOMPARE(CurvesView::cardKeyOf(QStringLiteral("val_loss"), true), QStringLiteral("loss"));
    QCOMPARE(CurvesView::cardKeyOf(QStringLiteral("Loss/test"), true), QStringLiteral("Loss"));
    QCOMPARE(CurvesView::cardKeyOf(QStringLiteral("eval/accuracy/worker_3"), true),
             QStringLiteral("accuracy"));
    QCOMPARE(CurvesView::cardKeyOf(QStringLiteral("loss/worker_3"), false), QStringLiteral("loss"));
    QCOMPARE(CurvesView::cardKeyOf(QStringLiteral("training_time"), false), QStringLiteral("training_time"));
    QCOMPARE(CurvesView::workerOfTag(QStringLiteral("loss/worker_12")), 12);
    QCOMPARE(CurvesView::workerOfTag(QStringLiteral("loss")), -1);
}

void TestCurvesView::healthColumnShowsBadges() {
    // "n": loss turns NaN at step 2; "ok": a steady fall over 12 points (no badge).
    addRun(*m_workspace, "n", "loss", {1, 0.5, NAN, NAN}, "");
    std::vector<double> steady;
    for (int i = 0; i < 12; ++i)
        steady.push_back(2.0 - 0.1 * i);
    addRun(*m_workspace, "ok", "loss", steady, "");
    m_model->setRuns(m_workspace->runs());
    const int columns = m_model->columnCount();
    const auto health = HealthScanner::compute(m_dir->path() + "/w.runlens", m_model->runs());
    QCOMPARE(health.size(), std::size_t(1));
    m_model->setHealth(health);
    QCOMPARE(m_model->columnCount(), columns + 1);
    QCOMPARE(m_model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Health"));
    const int nRow = m_model->index(0, 0).data().toString() == QStringLiteral("n") ? 0 : 1;
    QCOMPARE(m_model->index(nRow, 1).data().toString(), QStringLiteral("NaN@2"));
    QVERIFY(m_model->index(nRow, 1).data(Qt::ToolTipRole).toString().contains(QStringLiteral("loss")));
    QVERIFY(m_model->index(1 - nRow, 1).data().toString().isEmpty());
    // Sorting puts the worst run first: NaN outranks no finding.
    QVERIFY(m_model->index(nRow, 1).data(RunTableModel::SortRole).toDouble() >
            m_model->index(1 - nRow, 1).data(RunTableModel::SortRole).toDouble());
    // With a cache, an unchanged run is not read again: a second scan of a path that cannot be opened still
    // reports the cached badge; a run whose series changed is read again (and here cannot be).
    HealthScanner::Cache cache;
    HealthScanner::compute(m_dir->path() + "/w.runlens", m_model->runs(), nullptr, &cache);
    QCOMPARE(cache.size(), std::size_t(2));
    const auto cached =
        HealthScanner::compute(m_dir->path() + "/missing.runlens", m_model->runs(), nullptr, &cache);
    QCOMPARE(cached.size(), std::size_t(1));
    QCOMPARE(cached.begin()->second.front().label, std::string("NaN@2"));
    std::vector<RunInfo> grown = m_model->runs();
    for (RunInfo& run : grown)
        for (SeriesSummary& summary : run.series)
            summary.points += 1;
    QVERIFY(HealthScanner::compute(m_dir->path() + "/missing.runlens", grown, nullptr, &cache).empty());

    // A column the user removed stays removed when a new scan arrives.
    m_model->setColumnShown(RunTableModel::healthColumn(), false);
    m_model->setHealth(health);
    QCOMPARE(m_model->columnCount(), columns);
}

void TestCurvesView::speedCardFromWallTimes() {
    // addRun logs step i at wall time 1000 + i: 1 step per second; with batch_size 32, 32 samples per second.
    addRun(*m_workspace, "a0", "loss", {5, 4, 3, 2, 1}, "0.1");
    {
        auto tx = m_workspace->beginSource("/logs/a0/params.yaml", "hparams", false);
        tx->setParam("a0", "batch_size", "32");
        tx->commit({"hparams", 1, 1, 1});
    }
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    ChartCard* steps = card(CurvesView::kStepsPerSecond);
    ChartCard* samples = card(CurvesView::kSamplesPerSecond);
    QVERIFY(steps && samples);
    // Speed cards come after the model's metrics.
    QCOMPARE(m_view->cards().front()->tag(), QStringLiteral("loss"));
    m_view->findChild<QScrollArea*>()->ensureWidgetVisible(samples);
    QTRY_VERIFY(steps->isBuilt() && !steps->drawnLine(QStringLiteral("a0")).empty());
    QVERIFY(near(ys(steps->drawnLine(QStringLiteral("a0"))), {1, 1, 1, 1}));
    QTRY_VERIFY(samples->isBuilt() && !samples->drawnLine(QStringLiteral("a0")).empty());
    QVERIFY(near(ys(samples->drawnLine(QStringLiteral("a0"))), {32, 32, 32, 32}));
    QVERIFY(CurvesView::isSystemMetric(QStringLiteral("system/gpu0_memory")));
    QVERIFY(CurvesView::isSystemMetric(QStringLiteral("gpu_utilization")));
    QVERIFY(!CurvesView::isSystemMetric(QStringLiteral("val/loss")));
}

void TestCurvesView::zoomSurvivesNewPoints() {
    // A watched run grows: the same card object redraws with the new points and keeps the user's zoom.
    std::vector<double> first;
    for (int i = 0; i < 100; ++i)
        first.push_back(1.0 / (1 + i));
    addRun(*m_workspace, "live", "loss", first, "");
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(loss->isBuilt() && !loss->drawnLine(QStringLiteral("live")).empty());
    auto* xAxis = qobject_cast<QValueAxis*>(loss->chart()->axes(Qt::Horizontal).first());
    QVERIFY(xAxis);
    xAxis->setRange(90, 140);              // beyond the last logged step (99)
    emit loss->chartView()->viewChanged(); // as after a rubber-band zoom
    {
        auto tx = m_workspace->beginSource("/logs/live/more.csv", "csv", false);
        for (int i = 100; i < 150; ++i)
            tx->appendPoint("live", "loss", i, 2000.0 + i, 0.5);
        tx->commit({"csv", 1, 1, 1});
    }
    m_model->setRuns(m_workspace->runs());
    m_view->setWorkspace(m_workspace.get());
    QCOMPARE(card(QStringLiteral("loss")), loss); // the same card, not a new grid
    QTRY_VERIFY(loss->drawnLine(QStringLiteral("live")).size() > 0 &&
                loss->chart()->axes(Qt::Horizontal).first() != xAxis);
    auto* newAxis = qobject_cast<QValueAxis*>(loss->chart()->axes(Qt::Horizontal).first());
    QCOMPARE(newAxis->min(), 90.0);
    QCOMPARE(newAxis->max(), 140.0);
    // The new points were read: the line now reaches past step 140 (it ended at 99 before).
    const auto points = loss->drawnLine(QStringLiteral("live"));
    QVERIFY(points.front().x() <= 90 && points.back().x() >= 140);
}

void TestCurvesView::keyboardZoomAndPan() {
    std::vector<double> values;
    for (int i = 0; i <= 100; ++i)
        values.push_back(100.0 - i);
    addRun(*m_workspace, "k", "loss", values, "");
    CurveDisplay display;
    display.smoothing = 0;
    open(display);
    ChartCard* loss = card(QStringLiteral("loss"));
    QTRY_VERIFY(loss->isBuilt());
    InteractiveChartView* view = loss->chartView();
    QCOMPARE(view->focusPolicy(), Qt::StrongFocus); // reachable with Tab
    const auto range = [&] {
        auto* axis = qobject_cast<QValueAxis*>(loss->chart()->axes(Qt::Horizontal).first());
        return std::make_pair(axis->min(), axis->max());
    };
    const auto full = range();
    QTest::keyClick(view, Qt::Key_Plus);
    const auto zoomed = range();
    // "+" keeps the middle 80% of the plot: 20% narrower, centred.
    QVERIFY(std::abs((zoomed.second - zoomed.first) - 0.8 * (full.second - full.first)) <
            1e-6 * (full.second - full.first));
    QTest::keyClick(view, Qt::Key_Right);
    const auto panned = range();
    QVERIFY(panned.first > zoomed.first &&
            std::abs((panned.second - panned.first) - (zoomed.second - zoomed.first)) < 1e-6);
    QTest::keyClick(view, Qt::Key_Home);
    QTRY_VERIFY(std::abs(range().first - full.first) < 1e-9 && std::abs(range().second - full.second) < 1e-9);
}

// A damaged chunk (bytes overwritten on disk) must not just leave an empty chart: the view names the run,
// the tag and the reason, and still draws the runs it can read.
void TestCurvesView::damagedChunksAreNamed() {
    addRun(*m_workspace, "good", "loss", {1.0, 0.8, 0.6}, "");
    addRun(*m_workspace, "broken", "loss", {2.0, 1.5, 1.0}, "");
    const std::string path = m_workspace->path().string();
    m_workspace.reset();
    {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        const char* sql = "UPDATE chunks SET data = x'00' WHERE series_id IN (SELECT s.id FROM series s "
                          "JOIN runs r ON r.id = s.run_id WHERE r.name = 'broken')";
        const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
        QCOMPARE(sqlite3_changes(db), 1);
        sqlite3_close(db);
        QCOMPARE(rc, SQLITE_OK);
    }
    m_workspace = Workspace::open(path);
    open({});
    auto* notice = m_view->findChild<QLabel*>(QStringLiteral("curvesDamageNotice"));
    QVERIFY(notice);
    QTRY_VERIFY(notice->isVisible());
    QVERIFY2(notice->text().contains("broken: loss: ") && notice->text().contains("corrupt chunk"),
             qPrintable(notice->text()));
    QVERIFY(!notice->text().contains("good"));
    QCOMPARE(m_view->unreadableSeries().size(), qsizetype(1));
    ChartCard* loss = card(QStringLiteral("loss"));
    QVERIFY(loss && loss->layer());
    QTRY_VERIFY(loss->layer()->findLine(QStringLiteral("good")) != nullptr);
}

void TestCurvesView::readoutListsRunsAndStays() {
    // alpha 1, 3, 2 and beta 5, 4, 3 at steps 0, 10, 20. TensorBoard EMA with w = 0.5 by hand, at step 20:
    // alpha: last = 0.5, 1.75, 1.875 -> 1.875 / (1 - 0.125) = 2.142857; beta: 2.5, 3.25, 3.125 -> 3.571429.
    addRun(*m_workspace, "alpha", "loss", {1, 3, 2}, "", {0, 10, 20});
    addRun(*m_workspace, "beta", "loss", {5, 4, 3}, "", {0, 10, 20});
    CurveDisplay display;
    display.smoothing = 0.5;
    open(display);
    QVERIFY(
        QTest::qWaitForWindowActive(m_view.get())); // Qt sends resting-mouse tooltip events to active windows
    ChartCard* loss = card(QStringLiteral("loss"));
    QVERIFY(loss && loss->isBuilt());
    InteractiveChartView* view = loss->chartView();
    const auto hover = [&](double step, double value) {
        const QPointF inChart = view->chart()->mapToPosition(QPointF(step, value));
        const QPoint pos = view->mapFromScene(view->chart()->mapToScene(inChart));
        QTest::mouseMove(m_view->windowHandle(), view->viewport()->mapTo(m_view.get(), pos));
    };

    hover(19, 2.3); // nearest logged point: step 20; nearest line: alpha's
    QTRY_VERIFY(QToolTip::isVisible());
    QString text = QToolTip::text();
    const QString alphaLine = QStringLiteral("alpha: <b>2.1429</b> &nbsp;raw 2 &nbsp;step 20");
    const QString betaLine = QStringLiteral("beta: <b>3.5714</b> &nbsp;raw 3 &nbsp;step 20");
    QVERIFY2(text.contains(alphaLine) && text.contains(betaLine), qPrintable(text));
    QVERIFY2(text.indexOf(alphaLine) < text.indexOf(betaLine), qPrintable(text));
    // addRun logs wall times 1000, 1001, 1002: step 20 is 2 s into the run.
    QVERIFY2(text.contains(alphaLine + QStringLiteral(" &nbsp;2.0 s in")), qPrintable(text));

    // The mouse rests: after its wake-up delay Qt sends the widget under it a tooltip event (sent here as
    // the window system's timing is not reliable offscreen), which the chart's scene answered with an empty
    // tooltip and so hid the readout.
    const QPoint rest = view->viewport()->mapFromGlobal(QCursor::pos());
    QHelpEvent resting(QEvent::ToolTip, rest, view->viewport()->mapToGlobal(rest));
    QApplication::sendEvent(view->viewport(), &resting);
    QTest::qWait(1000);
    QVERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), text);

    hover(19, 3.4); // beta's line is now the nearer one
    QTRY_VERIFY(QToolTip::text().indexOf(betaLine) >= 0 &&
                QToolTip::text().indexOf(betaLine) < QToolTip::text().indexOf(alphaLine));

    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(view, &leave);
    QTRY_VERIFY(!QToolTip::isVisible());
}

QTEST_MAIN(TestCurvesView)
#include "test_curves_view.moc"
