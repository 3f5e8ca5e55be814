// Tests the main window offscreen: drag-and-drop import, live smoothing, chart export, demo start,
// screenshot.
#include "tests/common/view_test_support.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/curve_layer.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/context/settings.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/import_report_panel.h"
#include "ui/shell/main_window.h"
#include "ui/shell/standard_views.h"
#include "ui/tradeoffs/tradeoff_view.h"

#include <QAbstractButton>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMimeData>
#include <QProcess>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSvgRenderer>
#include <QTableView>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace runlens::ui;

namespace {

using runlens::test::imageHasContent;
using runlens::test::resetAppState;
using runlens::test::writeTestFile;

// Two runs; alpha's loss is 1, 3, 2, 4, 3 so the smoothed values can be worked out by hand.
void writeLogs(const QString& root) {
    writeTestFile(root + "/alpha/metrics.csv",
                  "step,wall_time,loss\n0,1000,1\n10,1001,3\n20,1002,2\n30,1003,4\n40,1004,3\n");
    writeTestFile(root + "/beta/metrics.csv",
                  "step,wall_time,loss\n0,2000,5\n10,2001,4\n20,2002,3\n30,2003,2\n40,2004,1\n");
}

void dropPaths(QWidget& target, const QStringList& paths, bool* enterAccepted) {
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& path : paths)
        urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &enter);
    *enterAccepted = enter.isAccepted();
    QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&target, &drop);
}

ChartCard* cardFor(MainWindow& window, const QString& tag) {
    for (ChartCard* card : window.curvesView()->cards()) {
        if (card->tag() == tag) return card;
    }
    return nullptr;
}

// The points a card draws for a line (a run's smoothed line), empty when it draws none.
std::vector<QPointF> drawnLine(ChartCard* card, const QString& name) {
    if (!card || !card->isBuilt()) return {};
    return card->drawnLine(name);
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void cleanupTestCase();
    void emptyWindowShowsHint();
    void dropImportsFiles();
    void dropOnChartImports();
    void smoothingSliderChangesDrawnPoints();
    void exportWritesImagesAndData();
    void startsWithDemo();
    void screenshotOptionWritesPicture();
    void keyboardReachesTabsAndRunTable();
    void fitsSmallScreen();
    void switchingWorkspacesMovesEveryView();
    void temporaryWorkspaceGoesWithTheWindow();
    void runFilterFiltersTheCharts();

  private:
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase() {
    runlens::test::beginViewTest("runlens-test-main-window");
    QVERIFY(m_dir.isValid());
    writeLogs(m_dir.filePath("logs"));
}

void TestMainWindow::cleanupTestCase() {
    resetAppState();
}

void TestMainWindow::emptyWindowShowsHint() {
    MainWindow window;
    window.show();
    QVERIFY(window.curvesView()->showsEmptyState());
    auto* hint = window.curvesView()->findChild<QLabel*>("curvesEmptyHint");
    QVERIFY(hint);
    QVERIFY(hint->text().contains("Drop log files or folders here"));
}

void TestMainWindow::dropImportsFiles() {
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createWorkspace(m_dir.filePath("drop.runlens")));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    // Text without URLs is not a drop we take.
    QMimeData text;
    text.setText("hello");
    QDragEnterEvent refused(QPoint(50, 50), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.ignore();
    QApplication::sendEvent(&window, &refused);
    QVERIFY(!refused.isAccepted());

    bool accepted = false;
    dropPaths(window, {m_dir.filePath("logs/alpha"), m_dir.filePath("logs/beta")}, &accepted);
    QVERIFY(accepted);
    QVERIFY(window.hasPendingWork());
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QCOMPARE(window.runModel()->rowCount(), 2);
    QCOMPARE(window.runModel()->index(0, 0).data().toString(), QString("alpha"));
    QVERIFY(!window.curvesView()->showsEmptyState());
    QTRY_VERIFY(cardFor(window, "loss") && cardFor(window, "loss")->isBuilt());
}

// The widget a platform drag at pos (window coordinates) is delivered to, as QWidgetWindow picks it: the
// deepest widget there that accepts drops.
QWidget* dropTargetAt(QWidget& window, const QPoint& pos) {
    QWidget* widget = window.childAt(pos);
    while (widget && !widget->isWindow() && !widget->acceptDrops())
        widget = widget->parentWidget();
    return widget;
}

void TestMainWindow::dropOnChartImports() {
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createWorkspace(m_dir.filePath("chartdrop.runlens")));
    window.importPaths({m_dir.filePath("logs/alpha")});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QCOMPARE(window.runModel()->rowCount(), 1);
    QTRY_VERIFY(cardFor(window, "loss") && cardFor(window, "loss")->isBuilt());
    QChartView* view = cardFor(window, "loss")->chartView();
    const QRectF plot = view->chart()->plotArea();
    const QPoint inView = view->mapFromScene(plot.center());
    // Deliver where a drag over the middle of the plot would go: the chart view's viewport, which accepts
    // drops itself (its scene takes the enter and refuses the move), not the window.
    QWidget* target = dropTargetAt(window, view->mapTo(&window, inView));
    QVERIFY(target);
    QVERIFY(target == view || view->isAncestorOf(target));
    const QPoint pos = target->mapFrom(view, inView);

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_dir.filePath("logs/beta/metrics.csv"))});
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.ignore();
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    move.ignore();
    QApplication::sendEvent(target, &move);
    QVERIFY(move.isAccepted());
    QCOMPARE(move.dropAction(), Qt::CopyAction);
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    drop.ignore();
    QApplication::sendEvent(target, &drop);
    QVERIFY(drop.isAccepted());
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QCOMPARE(window.runModel()->rowCount(), 2);
    QString dropped;
    for (const auto& run : window.runModel()->runs())
        if (run.name != "alpha") dropped = QString::fromStdString(run.name);
    QVERIFY(!dropped.isEmpty());
    QTRY_VERIFY(!drawnLine(cardFor(window, "loss"), dropped).empty()); // the dropped run is on the chart
}

void TestMainWindow::smoothingSliderChangesDrawnPoints() {
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createWorkspace(m_dir.filePath("slider.runlens")));
    window.importPaths({m_dir.filePath("logs/alpha")});
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QSlider* slider = window.curvesView()->smoothingSlider();
    slider->setValue(0);
    QTRY_COMPARE(drawnLine(cardFor(window, "loss"), "alpha").size(), std::size_t{5});
    std::vector<QPointF> series = drawnLine(cardFor(window, "loss"), "alpha");
    QCOMPARE(series.at(1).y(), 3.0); // smoothing off: the logged values

    slider->setValue(900); // weight 0.9
    QTRY_VERIFY(drawnLine(cardFor(window, "loss"), "alpha").at(0).y() != 1.0 ||
                std::abs(drawnLine(cardFor(window, "loss"), "alpha").at(1).y() - 3.0) > 1e-12);
    series = drawnLine(cardFor(window, "loss"), "alpha");
    QCOMPARE(series.size(), std::size_t{5});
    // TensorBoard EMA by hand, w = 0.9, y = 1, 3:
    // last = 0.1*1 = 0.1, n = 1 -> 0.1/(1-0.9) = 1;  last = 0.9*0.1 + 0.1*3 = 0.39, n = 2 -> 0.39/(1-0.81)
    // = 2.0526316
    QCOMPARE(series.at(0).y(), 1.0);
    QVERIFY(qAbs(series.at(1).y() - 0.39 / 0.19) < 1e-9);
    QCOMPARE(window.curvesView()->display().smoothing, 0.9);
}

void TestMainWindow::exportWritesImagesAndData() {
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createWorkspace(m_dir.filePath("export.runlens")));
    window.importPaths({m_dir.filePath("logs")});
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    ChartCard* card = cardFor(window, "loss");
    QVERIFY(card);

    QString error;
    const QString png = m_dir.filePath("out/loss.png");
    QDir().mkpath(m_dir.filePath("out"));
    QVERIFY2(card->exportImage(png, &error), qPrintable(error));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(imageHasContent(image));

    const QString svg = m_dir.filePath("out/loss.svg");
    QVERIFY2(card->exportImage(svg, &error), qPrintable(error));
    QSvgRenderer renderer(svg);
    QVERIFY(renderer.isValid());
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QVERIFY(svgFile.readAll().contains("<svg"));

    const QString longCsv = m_dir.filePath("out/loss.csv");
    QVERIFY2(card->exportLongCsv(longCsv, &error), qPrintable(error));
    QFile csv(longCsv);
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 11); // header + 2 runs x 5 points
    QCOMPARE(lines[0], QString("run,tag,step,wall_time,value"));
    QCOMPARE(lines[1], QString("alpha,loss,0,1000,1"));

    const QStringList tbFiles = card->exportTensorBoardCsv(m_dir.filePath("out/tb.csv"), &error);
    QCOMPARE(tbFiles.size(), 2);
    QFile tb(tbFiles.front());
    QVERIFY(tb.open(QIODevice::ReadOnly | QIODevice::Text));
    QCOMPARE(tb.readLine().trimmed(), QByteArray("Wall time,Step,Value"));
    QCOMPARE(tb.readLine().trimmed(), QByteArray("1000,0,1"));

    QStringList errors;
    const QStringList all = window.curvesView()->exportAll(m_dir.filePath("all"), &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    // loss.png, loss.svg, loss.pdf, loss.csv and the same for the steps/s card derived from the wall times.
    QCOMPARE(all.size(), 8);
    QVERIFY(all.contains(QDir(m_dir.filePath("all")).filePath("loss.csv")));
    QFile pdf(QDir(m_dir.filePath("all")).filePath("loss.pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
}

void TestMainWindow::startsWithDemo() {
    resetAppState();
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    window.startWith({});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 120000);
    // 12 sweep runs (3 learning rates x 2 batch sizes x 2 seeds) + 3 model versions + 20 training-size runs
    // + one scikit-learn learning-curve log.
    constexpr int kDemoRuns = 12 + 3 + 20 + 1;
    QCOMPARE(window.runModel()->rowCount(), kDemoRuns);
    QVERIFY(window.workspacePath().endsWith("demo.runlens"));
    QVERIFY(window.runModel()->paramKeys().contains("lr"));
    QVERIFY(window.runModel()->metricTags().contains("val/loss"));
    QVERIFY(!window.curvesView()->cards().isEmpty());
    QTRY_VERIFY(window.curvesView()->cards().front()->isBuilt());
    // Cards build lazily: one scrolled into view gets drawn.
    ChartCard* trainLoss = cardFor(window, "train/loss");
    QVERIFY(trainLoss);
    auto* scroll = window.curvesView()->findChild<QScrollArea*>();
    QVERIFY(scroll);
    scroll->ensureWidgetVisible(trainLoss);
    QTRY_VERIFY(trainLoss->isBuilt());
    QVERIFY(cardFor(window, "train/loss")->layer()->lines().size() >= 12);
    scroll->verticalScrollBar()->setValue(0);
    QTest::qWait(200);
    window.grab().save("/tmp/runlens_main.png"); // for a human look (issue 3, item 7)

    // A second start opens the same demo workspace (the last workspace) instead of importing again.
    MainWindow again;
    again.startWith({});
    QVERIFY(!again.hasPendingWork());
    QCOMPARE(again.workspacePath(), window.workspacePath());
    QCOMPARE(again.runModel()->rowCount(), kDemoRuns);

    // The demo says it is one; the user's own logs dropped onto it start a workspace of their own, named
    // after their folder, and the demo keeps its runs.
    QVERIFY(again.isDemoWorkspace());
    QVERIFY2(again.windowTitle().startsWith("Demo experiment"), qPrintable(again.windowTitle()));
    const QString demoPath = again.workspacePath();
    again.importPaths({m_dir.filePath("logs")});
    QTRY_VERIFY_WITH_TIMEOUT(!again.hasPendingWork(), 60000);
    QVERIFY(!again.isDemoWorkspace());
    QVERIFY2(again.workspacePath().endsWith("workspaces/logs.runlens"), qPrintable(again.workspacePath()));
    QCOMPARE(again.runModel()->rowCount(), 2); // alpha and beta only
    QVERIFY(!again.windowTitle().startsWith("Demo"));
    MainWindow third;
    QVERIFY(third.openWorkspace(demoPath));
    QCOMPARE(third.runModel()->rowCount(), kDemoRuns);
}

void TestMainWindow::screenshotOptionWritesPicture() {
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_CONFIG_HOME", home.filePath("config"));
    env.insert("XDG_DATA_HOME", home.filePath("data"));
    QProcess process;
    process.setProcessEnvironment(env);
    const QString out = home.filePath("shot.png");
    process.start(RUNLENS_BIN, {"--screenshot", out});
    QVERIFY(process.waitForFinished(240000));
    QCOMPARE(process.exitCode(), 0);
    const QImage image(out);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width(), 1400);
    QVERIFY(imageHasContent(image));
    QVERIFY(QFileInfo::exists(home.filePath("data/Runlens/Runlens/demo.runlens")));
    // No tab may widen the window beyond its size: the Compare tab once listed all 35 demo runs in one
    // unwrapped label and grew the window to 6,409 px.
    for (const char* tab : {"Calibration", "Trade-offs", "Slices", "Compare", "Learning curve", "Sweep"}) {
        const QString file = home.filePath(QStringLiteral("tab.png"));
        process.start(RUNLENS_BIN, {"--screenshot", file, "--tab", QString::fromLatin1(tab)});
        QVERIFY(process.waitForFinished(240000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY2(QImage(file).width() == 1400, tab);
    }
}
void TestMainWindow::keyboardReachesTabsAndRunTable() {
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createWorkspace(m_dir.filePath("keys.runlens")));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* tabs = window.findChild<QTabWidget*>();
    QVERIFY(tabs && tabs->count() >= 1);
    // Alt+N goes to the N-th tab (only the Curves tab exists without standard views; add two plain ones).
    window.addViewTab(new QWidget, QStringLiteral("Second"));
    window.addViewTab(new QWidget, QStringLiteral("Third"));
    QTest::keyClick(&window, Qt::Key_3, Qt::AltModifier);
    QCOMPARE(tabs->currentIndex(), 2);
    QTest::keyClick(&window, Qt::Key_1, Qt::AltModifier);
    QCOMPARE(tabs->currentIndex(), 0);
    window.importPaths({m_dir.filePath("logs/alpha")});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QTest::keyClick(&window, Qt::Key_T, Qt::ControlModifier);
    QTRY_VERIFY(window.runTable()->hasFocus());
    // Space on the current run's name toggles its visibility, as a click on its check box does.
    window.runTable()->setCurrentIndex(window.runTable()->model()->index(0, 0));
    const std::int64_t runId = window.runModel()->runs().front().id;
    QVERIFY(window.runModel()->isVisible(runId));
    QTest::keyClick(window.runTable(), Qt::Key_Space);
    QVERIFY(!window.runModel()->isVisible(runId));
}

// A 1280x720 laptop screen leaves about 1024x640 for a window once the panel and title bar are taken.
void TestMainWindow::fitsSmallScreen() {
    resetAppState();
    MainWindow window;
    addStandardViews(window);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openDemo(); // real data, so every tab shows its controls and charts, not only an empty hint
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 120000);
    QTabWidget* tabs = window.tabs();
    QVERIFY(tabs->count() >= 9);
    const QSize small(1024, 640);
    window.resize(small);
    for (int t = 0; t < tabs->count(); ++t) {
        tabs->setCurrentIndex(t);
        QTest::qWait(300); // views compute off the GUI thread when shown
        const QString name = tabs->tabText(t).remove('&');
        window.grab().save(QStringLiteral("/tmp/runlens_1024_%1.png").arg(t));
        // Asked after the tab is shown: a page's minimum size counts only once it is laid out.
        const QSize hint = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(
            hint.width() <= small.width() && hint.height() <= small.height(),
            qPrintable(QStringLiteral("%1: minimum %2x%3").arg(name).arg(hint.width()).arg(hint.height())));
        QCOMPARE(window.size(), small);
        QWidget* page = tabs->widget(t);
        QVERIFY2(page->isVisible() && page->height() > 400, qPrintable(name));
        // The run panel gave way to a quarter of the window (it kept its 380 px and left the tabs 640).
        QVERIFY2(page->width() > 700,
                 qPrintable(QStringLiteral("%1: %2 px wide").arg(name).arg(page->width())));
        // What must not happen at this size: a control squeezed below its own minimum (a cut-off label or
        // combo box) or cut off by a panel around it. Controls may be scrolled out of view only by the
        // page's own scroll area (reachable with its scroll bar) or by tables, lists and the grid of cards.
        int controls = 0;
        int outOfView = 0;
        auto* pageScroll = page->findChild<QScrollArea*>(QStringLiteral("tabScroll"));
        QVERIFY2(pageScroll, qPrintable(name + ": content does not scroll"));
        for (QWidget* control : page->findChildren<QWidget*>()) {
            if (!qobject_cast<QAbstractButton*>(control) && !qobject_cast<QComboBox*>(control) &&
                !qobject_cast<QSlider*>(control) && !qobject_cast<QLineEdit*>(control))
                continue;
            if (!control->isVisible() || control->parentWidget()->inherits("QAbstractSpinBox")) continue;
            bool scrolled = false;
            for (QWidget* up = control->parentWidget(); up && up != page; up = up->parentWidget())
                scrolled = scrolled || (qobject_cast<QAbstractScrollArea*>(up) && up != pageScroll);
            if (scrolled) continue;
            ++controls;
            const QString what = QStringLiteral("%1: %2 '%3'")
                                     .arg(name, QString::fromLatin1(control->metaObject()->className()),
                                          control->objectName());
            for (QWidget* up = control->parentWidget(); up != pageScroll->widget(); up = up->parentWidget()) {
                const QRect inUp(control->mapTo(up, QPoint(0, 0)), control->size());
                QVERIFY2(up->rect().contains(inUp),
                         qPrintable(what + " is cut off by " +
                                    QString::fromLatin1(up->metaObject()->className())));
            }
            QVERIFY2(control->width() >= control->minimumSizeHint().width() - 1,
                     qPrintable(what + QStringLiteral(" is %1 px wide, needs %2")
                                           .arg(control->width())
                                           .arg(control->minimumSizeHint().width())));
            const QRect inViewport(control->mapTo(pageScroll->viewport(), QPoint(0, 0)), control->size());
            outOfView += pageScroll->viewport()->rect().contains(inViewport) ? 0 : 1;
        }
        if (outOfView > 0)
            qInfo() << name << ":" << outOfView << "of" << controls << "controls need scrolling";
        // Nothing scrolls sideways: toolbars wrap and long labels break instead of widening the page.
        const int contentWidth = pageScroll->widget()->minimumSizeHint().width();
        QVERIFY2(contentWidth <= pageScroll->viewport()->width(),
                 qPrintable(QStringLiteral("%1: content needs %2 px, the page shows %3")
                                .arg(name)
                                .arg(contentWidth)
                                .arg(pageScroll->viewport()->width())));
        // The tab used most fits without scrolling: its toolbar and cards are all in view.
        if (name == QLatin1String("Curves")) QCOMPARE(outOfView, 0);
        // A view without data for it (the demo has no regression log) shows why instead of controls.
        bool explains = false;
        for (QLabel* label : page->findChildren<QLabel*>())
            explains = explains || (label->isVisible() && label->text().contains(QLatin1String("No ")));
        QVERIFY2(controls > 0 || explains, qPrintable(name + ": neither a control nor a hint in view"));
    }
}

// Two workspaces whose runs have the same ids (1 in each) and different prediction logs: after each switch
// the evaluation views list the open workspace's run, never read the closed one (that was a use after free:
// the views re-listed the new runs through the old, closed workspace).
void TestMainWindow::switchingWorkspacesMovesEveryView() {
    resetAppState();
    const QString root = m_dir.filePath("switch");
    for (const char* name : {"left", "right"}) {
        QByteArray csv = "id,label,score\n";
        for (int i = 0; i < 40; ++i)
            csv += QByteArray::number(i) + ',' + QByteArray::number(i % 2) + ',' +
                   QByteArray::number((i % 2 ? 0.6 : 0.3) + 0.005 * i) + '\n';
        writeTestFile(root + "/" + name + "_logs/" + name + "/metrics.csv", "step,loss\n0,1\n1,0.5\n");
        writeTestFile(root + "/" + name + "_logs/" + name + "/predictions_val.csv", csv);
    }
    MainWindow window;
    addStandardViews(window);
    window.resize(1400, 900);
    window.show();
    for (const char* name : {"left", "right"}) {
        QVERIFY(window.createWorkspace(root + "/" + name + ".runlens"));
        window.importPaths({root + "/" + name + "_logs"});
        QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    }
    // Grouping is a property of a workspace (its params): chosen in right, it is not applied to left.
    CurveDisplay grouped = window.curvesView()->display();
    grouped.groupBy = QStringLiteral("lr");
    window.curvesView()->setDisplay(grouped);
    emit window.curvesView()->displayChanged(grouped); // as a choice in the Group by box does
    auto* tradeoffs = window.findChild<TradeoffView*>();
    QVERIFY(tradeoffs);
    window.tabs()->setCurrentWidget(tradeoffs);
    for (const char* name : {"left", "right", "left"}) {
        QString error;
        QVERIFY2(window.openWorkspace(root + "/" + name + ".runlens", &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork() && !tradeoffs->isBusy(), 60000);
        QTRY_COMPARE(tradeoffs->runs().size(), std::size_t(1));
        QCOMPARE(tradeoffs->runs().front().name, QString(name));
        QCOMPARE(window.curvesView()->display().groupBy,
                 QString(name) == "right" ? QString("lr") : QString());
    }
}

// `runlens FOLDER` imports into a temporary workspace: the status bar says so, it is never the "last
// workspace" to reopen, and its files go when the window moves to another workspace or closes; one saved
// under another name stays.
void TestMainWindow::temporaryWorkspaceGoesWithTheWindow() {
    resetAppState();
    QString temporary;
    {
        MainWindow window;
        window.show();
        window.startWith({m_dir.filePath("logs")});
        QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
        temporary = window.workspacePath();
        QVERIFY2(QFileInfo(temporary).fileName().startsWith("runlens-"), qPrintable(temporary));
        QVERIFY(QFileInfo::exists(temporary));
        QVERIFY(window.statusText().startsWith("Temporary workspace"));
        QVERIFY(Settings().lastWorkspace() != temporary);
        window.close();
    }
    QVERIFY(!QFileInfo::exists(temporary));
    QVERIFY(!QFileInfo::exists(temporary + "-wal"));

    MainWindow window;
    window.show();
    window.startWith({m_dir.filePath("logs")});
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    temporary = window.workspacePath();
    const QString kept = m_dir.filePath("kept.runlens");
    QVERIFY(window.createWorkspace(kept));
    QVERIFY(!QFileInfo::exists(temporary)); // moved on: gone
    window.close();
    QVERIFY(QFileInfo::exists(kept)); // an ordinary workspace stays
}

// The run filter narrows the charts too (the box under it, on by default): alpha alone is drawn while the
// filter reads "alpha"; with the box off both runs are drawn again, and the check boxes never change.
void TestMainWindow::runFilterFiltersTheCharts() {
    MainWindow window;
    window.resize(1200, 800);
    QVERIFY(window.createWorkspace(m_dir.filePath("filter.runlens")));
    window.importPaths({m_dir.filePath("logs")});
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(!window.hasPendingWork(), 60000);
    QTRY_VERIFY(!drawnLine(cardFor(window, "loss"), "beta").empty());
    QVERIFY(window.filterChartsBox()->isChecked());
    auto* filter = window.findChild<QLineEdit*>("runFilter");
    QVERIFY(filter);
    filter->setText("alpha");
    QCOMPARE(window.runModel()->visibleRuns().size(), std::size_t(1));
    QTRY_VERIFY(drawnLine(cardFor(window, "loss"), "beta").empty());
    QVERIFY(!drawnLine(cardFor(window, "loss"), "alpha").empty());
    window.filterChartsBox()->setChecked(false);
    QCOMPARE(window.runModel()->visibleRuns().size(), std::size_t(2));
    QTRY_VERIFY(!drawnLine(cardFor(window, "loss"), "beta").empty());
    window.filterChartsBox()->setChecked(true);
    filter->clear();
    QCOMPARE(window.runModel()->visibleRuns().size(), std::size_t(2));
    const std::int64_t beta = window.runModel()->runs().back().id;
    QVERIFY(window.runModel()->index(window.runModel()->rowOfRun(beta), 0).data(Qt::CheckStateRole) ==
            Qt::Checked);
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
