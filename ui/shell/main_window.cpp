// Wires the main window: workspace lifetime, menus and shortcuts, the run panel, the view tabs; what the
// menus and the run table's context menus do is in main_window_actions.cpp, background imports and
// drag-and-drop in main_window_import.cpp.
#include "ui/shell/main_window.h"

#include "core/demo/demo_experiment.h"
#include "core/library_versions.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_card.h"
#include "ui/context/settings.h"
#include "ui/context/view_context.h"
#include "ui/curves/curves_view.h"
#include "ui/report/report_exporter.h"
#include "ui/runs/health_scanner.h"
#include "ui/runs/run_filter.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/import_report_panel.h"
#include "ui/shell/import_worker.h"
#include "ui/shell/watch_controller.h"
#include "ui/shell/workspace_files.h"

#include <exception>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>

// The qrc lives in the static runlens_ui library, whose resource initialiser the linker would drop.
static void initRunlensResources() {
    Q_INIT_RESOURCE(resources);
}

namespace runlens::ui {
namespace {

// Moves a view's content into a scroll area inside the view, so a window smaller than the content (a
// 1280x720 laptop) scrolls it instead of being held at the content's minimum size. The view stays the tab
// page, so code that shows or finds it is unchanged.
void makeScrollable(QWidget* view) {
    QLayout* content = view->layout();
    if (!content) return;
    auto* inner = new QWidget;
    inner->setObjectName(QStringLiteral("tabContent"));
    inner->setLayout(content); // takes the layout and its widgets off the view
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("tabScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(inner);
    auto* layout = new QVBoxLayout(view);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_runModel(new RunTableModel(this)), m_health(new HealthScanner(this)),
      m_runProxy(new RunFilterProxy(m_runModel, this)), m_runTable(new QTableView),
      m_context(
          new ViewContext([this] { return m_workspace.get(); }, m_runModel, m_runProxy, m_runTable, this)),
      m_filter(new QLineEdit), m_tabs(new QTabWidget), m_curves(new CurvesView(m_runModel)),
      m_report(new ImportReportPanel), m_splitter(new QSplitter(Qt::Horizontal)),
      m_worker(new ImportWorker(this)), m_statusLabel(new QLabel), m_progress(new QProgressBar),
      m_cancel(new QPushButton(tr("Cancel"))) {
    initRunlensResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Runlens"));
    setWindowIcon(QIcon(QStringLiteral(":/runlens/icons/runlens.svg")));
    setAcceptDrops(true);
    connect(m_health, &HealthScanner::finished, m_runModel, &RunTableModel::setHealth);
    connect(this, &MainWindow::workspaceChanged, m_context, &ViewContext::workspaceChanged);
    connect(this, &MainWindow::runsChanged, m_context, &ViewContext::runsChanged);
    connect(this, &MainWindow::importFinished, m_context, &ViewContext::importFinished);
    connect(m_runModel, &QAbstractItemModel::columnsInserted, this,
            [this](const QModelIndex&, int first, int last) {
                for (int column = first; column <= last; ++column) {
                    m_runTable->resizeColumnToContents(column);
                    m_runTable->setColumnWidth(column, std::min(m_runTable->columnWidth(column), 260));
                }
            });

    m_tabs->setDocumentMode(true);
    makeScrollable(m_curves);
    m_tabs->addTab(m_curves, tr("Curves"));
    m_splitter->addWidget(buildRunPanel());
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({380, 1000});
    m_splitter->setChildrenCollapsible(false);

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(m_report);
    m_report->table()->setMaximumHeight(180);
    setCentralWidget(central);

    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_cancel->hide();
    m_cancel->setToolTip(tr("Stop the import; what was already read stays in the workspace"));
    // Permanent widgets stay visible while showMessage() reports progress and results on the left.
    statusBar()->addPermanentWidget(m_statusLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, m_worker, &ImportWorker::cancel);
    connect(m_worker, &ImportWorker::progress, this, &MainWindow::onImportProgress);
    connect(m_worker, &ImportWorker::finished, this, &MainWindow::onImportFinished);
    m_watch = new WatchController(this);
    connect(m_watch, &WatchController::runsChanged, this, [this](const QStringList& runs, qint64 points) {
        refreshRuns();
        statusBar()->showMessage(
            tr("Watching: %n new point(s)", nullptr, static_cast<int>(points)) +
                (runs.isEmpty() ? QString() : tr(" in %1").arg(runs.join(QStringLiteral(", ")))),
            5000);
    });
    connect(m_watch, &WatchController::pollFailed, this,
            [this](const QString& message) { reportFailure(message); });
    connect(m_runModel, &RunTableModel::visibilityChanged, this, &MainWindow::updateStatus);

    buildMenus();
    // On the application, not on the children: a chart view's viewport runs its scroll area's filter first,
    // which hands the drag to the scene; application filters see every event before any object filter.
    qApp->installEventFilter(this);

    Settings settings;
    m_curves->setDisplay(settings.curveDisplay());
    connect(m_curves, &CurvesView::displayChanged, this, [this](const CurveDisplay& display) {
        Settings settings;
        settings.setCurveDisplay(display);
        if (m_workspace) settings.setGroupBy(workspacePath(), display.groupBy);
    });
    if (!restoreGeometry(settings.geometry())) resize(1400, 900);
    restoreState(settings.windowState());
    // Without a saved split, the first layout sizes the run panel to the window (resizeEvent).
    m_panelWidthChosen = m_splitter->restoreState(settings.splitterState());
    updateStatus();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildRunPanel() {
    auto* panel = new QWidget;
    m_filter->setObjectName(QStringLiteral("runFilter"));
    m_filter->setPlaceholderText(tr("Filter runs: regex, or lr < 0.01 and val_loss < 0.3"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        const bool ok = m_runProxy->setFilterText(text);
        m_filter->setStyleSheet(ok ? QString() : QStringLiteral("color: #c0392b;"));
        m_filter->setToolTip(ok ? QString()
                                : tr("Not a valid regular expression: %1").arg(m_runProxy->filterError()));
        applyFilterToCharts();
        updateStatus();
    });
    m_filterCharts = new QCheckBox(tr("Charts show only the runs the filter keeps"));
    m_filterCharts->setObjectName(QStringLiteral("filterCharts"));
    m_filterCharts->setChecked(true);
    m_filterCharts->setToolTip(
        tr("Off: the filter narrows the table only, and the charts keep every checked run"));
    connect(m_filterCharts, &QCheckBox::toggled, this, [this] { applyFilterToCharts(); });

    m_runTable->setObjectName(QStringLiteral("runTable"));
    m_runTable->setModel(m_runProxy);
    enableWorkerExpansion(m_runTable, m_runModel); // ▸/▾ mark, Right/Left, double-click
    m_runTable->setSortingEnabled(true);
    m_runTable->sortByColumn(RunTableModel::kNameColumn, Qt::AscendingOrder);
    m_runTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runTable->setAlternatingRowColors(true);
    m_runTable->setWordWrap(false);
    m_runTable->setTextElideMode(Qt::ElideMiddle);
    m_runTable->verticalHeader()->hide();
    m_runTable->verticalHeader()->setDefaultSectionSize(m_runTable->fontMetrics().height() + 8);
    m_runTable->horizontalHeader()->setSectionsMovable(true);
    m_runTable->horizontalHeader()->setHighlightSections(false);
    // Column widths from the first 100 rows, not every row: sizing a 1,000-run table cell by cell held up
    // the first paint.
    m_runTable->horizontalHeader()->setResizeContentsPrecision(100);
    m_runTable->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_runTable->horizontalHeader()->setToolTip(tr("Right-click to choose columns"));
    m_runTable->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_runTable->horizontalHeader(), &QHeaderView::customContextMenuRequested, this,
            &MainWindow::showHeaderMenu);
    connect(m_runTable, &QTableView::customContextMenuRequested, this, &MainWindow::showRunMenu);
    connect(m_runModel, &QAbstractItemModel::modelReset, this, [this] {
        m_runTable->resizeColumnsToContents();
        const int nameWidth = m_runTable->columnWidth(RunTableModel::kNameColumn);
        m_runTable->setColumnWidth(RunTableModel::kNameColumn, std::min(nameWidth, 220));
    });

    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 4, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_filterCharts);
    layout->addWidget(m_runTable, 1);
    panel->setMinimumWidth(220);
    return panel;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Workspace…"), QKeySequence::New, this, &MainWindow::actionNew);
    file->addAction(tr("&Open Workspace…"), QKeySequence::Open, this, &MainWindow::actionOpen);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    file->addAction(tr("&Import Files…"), QKeySequence(Qt::CTRL | Qt::Key_I), this,
                    &MainWindow::actionImportFiles);
    file->addAction(tr("Import &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this,
                    &MainWindow::actionImportFolder);
    file->addAction(tr("Import &Predictions…"), this, &MainWindow::actionImportPredictions)
        ->setToolTip(tr("Import a prediction log (one row per example) as an evaluation set of a run"));
    file->addAction(tr("&Watch Folder…"), this, &MainWindow::actionWatchFolder)
        ->setToolTip(
            tr("Import a folder and keep reading it: new runs appear and growing logs update every 2 s"));
    file->addAction(tr("Re&load"), QKeySequence::Refresh, this, &MainWindow::actionReload)
        ->setToolTip(tr("Read the imported logs again; grown files are read on from where they stopped"));
    file->addSeparator();
    file->addAction(tr("Save Workspace &As…"), QKeySequence::SaveAs, this, &MainWindow::actionSaveAs);
    file->addAction(tr("&Export All Charts…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    &MainWindow::actionExportAll);
    file->addAction(tr("Export &Report…"), this, &MainWindow::actionExportReport)
        ->setToolTip(
            tr("Which model to ship: the visible runs' evaluation sets through the checklist, as HTML "
               "or PDF"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Filter Runs"), QKeySequence::Find, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    view->addAction(tr("Show &All Runs"), this, [this] { m_runModel->setAllVisible(true); });
    view->addAction(tr("&Hide All Runs"), this, [this] { m_runModel->setAllVisible(false); });
    view->addSeparator();
    view->addAction(tr("Import &Report"), QKeySequence(Qt::CTRL | Qt::Key_R), this,
                    [this] { m_report->setExpanded(!m_report->isExpanded()); });
    view->addSeparator();
    // Alt+1..9 go to the tabs in order (the tabs are added after the menus, so the titles are read late).
    for (int i = 0; i < 9; ++i) {
        auto* go = new QAction(this);
        go->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + i)));
        connect(go, &QAction::triggered, this, [this, i] {
            if (i < m_tabs->count()) m_tabs->setCurrentIndex(i);
        });
        addAction(go);
    }
    view->addAction(tr("Go to Run &Table"), QKeySequence(Qt::CTRL | Qt::Key_T), this,
                    [this] { m_runTable->setFocus(); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Runlens"), this, [this] {
        QString libraries = QStringLiteral("Qt %1 (built with %2)<br>").arg(qVersion(), QT_VERSION_STR);
        for (const QString& line : QString::fromStdString(libraryVersions()).split('\n', Qt::SkipEmptyParts))
            libraries += line.toHtmlEscaped() + QStringLiteral("<br>");
        QMessageBox::about(
            this, tr("About Runlens"),
            tr("<b>Runlens %1</b><p>Reads machine-learning experiment logs into a workspace and "
               "analyses them.</p><p>Drop log files or folders on the window to import them.</p>"
               "<p><small>%2</small></p>")
                .arg(QApplication::applicationVersion(), libraries));
    });
}

int MainWindow::addViewTab(QWidget* view, const QString& title, TabExport exportAll) {
    makeScrollable(view);
    if (exportAll) m_tabExports.emplace_back(view, std::move(exportAll));
    return m_tabs->addTab(view, title);
}

QStringList MainWindow::exportAllCharts(const QString& dir, QStringList* errors) {
    QStringList problems;
    QStringList written = m_curves->exportAll(dir, &problems);
    for (const auto& [view, exportTab] : m_tabExports) {
        if (!view) continue;
        const int index = m_tabs->indexOf(view);
        const QString title =
            index >= 0 ? m_tabs->tabText(index).remove(QLatin1Char('&')) : view->objectName();
        const QString folder = QDir(dir).filePath(ChartCard::safeFileName(title));
        QDir().mkpath(folder);
        exportTab(folder, written, problems);
        QDir().rmdir(folder); // a tab with nothing to show leaves no empty folder
    }
    if (errors) *errors = problems;
    return written;
}

QString MainWindow::workspacePath() const {
    return m_workspace ? QString::fromStdString(m_workspace->path().string()) : QString();
}

bool MainWindow::isImporting() const {
    return m_worker->isRunning();
}
bool MainWindow::hasPendingWork() const {
    return isImporting() || !m_pendingImports.isEmpty() || !m_pendingAttach.isEmpty();
}

void MainWindow::reportFailure(const QString& message) {
    statusBar()->showMessage(message, 15000);
    ImportSummary none;
    m_report->showSummary(none, message);
}

void MainWindow::startWith(const QStringList& paths) {
    if (paths.isEmpty()) {
        const QString last = Settings().lastWorkspace();
        if (!last.isEmpty() && QFileInfo::exists(last) && openWorkspace(last)) return;
        openDemo();
        return;
    }
    if (paths.size() == 1 && looksLikeWorkspace(paths.front())) {
        openWorkspace(paths.front());
        return;
    }
    QStringList logs;
    for (const QString& path : paths) {
        if (QFileInfo::exists(path))
            logs << QFileInfo(path).absoluteFilePath();
        else
            reportFailure(tr("%1: no such file or folder").arg(path));
    }
    if (!logs.isEmpty()) importPaths(logs);
}

bool MainWindow::openWorkspace(const QString& path, QString* error) {
    if (hasPendingWork()) {
        const QString message =
            tr("Wait for the import to finish (or cancel it) before opening another workspace");
        if (error) *error = message;
        statusBar()->showMessage(message, 8000);
        return false;
    }
    try {
        setWorkspace(Workspace::open(path.toStdString()));
        return true;
    } catch (const std::exception& failure) {
        const QString message = tr("Cannot open %1: %2").arg(path, QString::fromStdString(failure.what()));
        if (error) *error = message;
        reportFailure(message);
        return false;
    }
}

bool MainWindow::createWorkspace(const QString& path, QString* error) {
    if (hasPendingWork()) {
        if (error) *error = tr("An import is still running");
        return false;
    }
    try {
        setWorkspace(Workspace::create(path.toStdString()));
        return true;
    } catch (const std::exception& failure) {
        const QString message = tr("Cannot create %1: %2").arg(path, QString::fromStdString(failure.what()));
        if (error) *error = message;
        reportFailure(message);
        return false;
    }
}

void MainWindow::setWorkspace(std::unique_ptr<Workspace> workspace) {
    if (m_watch) m_watch->stop();    // the watch writes into the workspace being closed
    m_curves->setWorkspace(nullptr); // never leave the view holding a dangling connection
    // The evaluation views read the listed runs' prediction tables through the workspace they were given:
    // empty the list while the old workspace is still open, and hand them the new one before its runs are
    // listed, so no view reads a closed workspace or looks up one workspace's run ids in another.
    m_runModel->setRuns({});
    const QString closingPath = m_workspace ? workspacePath() : QString();
    auto closing = std::move(m_workspace);
    m_workspace = std::move(workspace);
    emit workspaceChanged(m_workspace.get());
    closing.reset();
    if (isTemporaryWorkspace(closingPath) && (!m_workspace || workspacePath() != closingPath))
        removeWorkspaceFiles(closingPath);
    m_report->clear();
    if (m_workspace) {
        const QString path = workspacePath();
        Settings settings;
        if (!isTemporaryWorkspace(path)) { // it will be gone: never the one to reopen
            settings.setLastWorkspace(path);
            settings.addRecentWorkspace(path);
        }
        setWindowTitle(isDemoWorkspace()
                           ? tr("Demo experiment (%1) — Runlens").arg(QFileInfo(path).fileName())
                           : tr("%1 — Runlens").arg(QFileInfo(path).fileName()));
        setWindowFilePath(path);
    } else {
        setWindowTitle(tr("Runlens"));
    }
    m_curves->setWorkspace(m_workspace.get());
    if (m_workspace) { // each workspace keeps its own grouping: its params are not another's
        CurveDisplay display = m_curves->display();
        display.groupBy = Settings().groupBy(workspacePath());
        m_curves->setDisplay(display);
    }
    refreshRuns();
}

void MainWindow::refreshRuns() {
    std::vector<RunInfo> runs;
    if (m_workspace) {
        try {
            runs = m_workspace->runs();
        } catch (const std::exception& failure) {
            reportFailure(tr("Cannot read the runs: %1").arg(QString::fromStdString(failure.what())));
        }
    }
    m_curves->setWorkspace(m_workspace.get()); // drops cached points: an import may have added some
    m_runModel->setRuns(std::move(runs));
    applyFilterToCharts();
    m_health->scan(m_workspace ? workspacePath() : QString(), m_runModel->runs());
    updateStatus();
    emit runsChanged();
}

// With the toggle on, the runs the filter hides from the table leave the charts and views too.
void MainWindow::applyFilterToCharts() {
    std::set<std::string> out;
    if (m_filterCharts && m_filterCharts->isChecked() && !m_filter->text().trimmed().isEmpty())
        for (const RunInfo& run : m_runModel->runs()) {
            const int row = m_runModel->rowOfRun(run.id);
            if (row >= 0 && !m_runProxy->mapFromSource(m_runModel->index(row, 0)).isValid())
                out.insert(run.name);
        }
    m_runModel->setFilteredOut(std::move(out));
}

void MainWindow::updateStatus() {
    if (!m_workspace) {
        m_statusLabel->setText(tr("No workspace: drop log files or folders here, or use File > Import"));
        return;
    }
    qint64 points = 0;
    for (const RunInfo& run : m_runModel->runs()) {
        for (const SeriesSummary& summary : run.series)
            points += summary.points;
    }
    const int total = static_cast<int>(m_runModel->runs().size());
    int shown = 0; // worker rows of expanded runs are not runs
    for (int row = 0; row < m_runProxy->rowCount(); ++row)
        shown += m_runProxy->index(row, 0).data(RunTableModel::WorkerRole).toInt() < 0 ? 1 : 0;
    QString runs = tr("%n run(s)", nullptr, total);
    if (shown != total) runs += tr(" (%1 shown)").arg(shown);
    QString text =
        tr("%1 · %L2 points · %3").arg(runs).arg(points).arg(QDir::toNativeSeparators(workspacePath()));
    if (isDemoWorkspace())
        text = tr("Demo experiment (drop your own logs to start a workspace of your own) · %1").arg(text);
    if (isTemporaryWorkspace(workspacePath()))
        text = tr("Temporary workspace, deleted when the window closes (File > Save Workspace As… keeps it) "
                  "· %1")
                   .arg(text);
    m_statusLabel->setText(text);
}

QString MainWindow::statusText() const {
    return m_statusLabel->text();
}

bool MainWindow::isDemoWorkspace() const {
    return m_workspace && QFileInfo(workspacePath()) == QFileInfo(demoWorkspacePath());
}

void MainWindow::openDemo() {
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString logs = demoLogsPath();
    const QString path = demoWorkspacePath();
    if (QFileInfo::exists(path) && openWorkspace(path) && m_runModel->rowCount() > 0) return;
    try {
        QDir().mkpath(dataDir);
        if (!QFileInfo::exists(logs)) writeDemoExperiment(logs.toStdString());
    } catch (const std::exception& failure) {
        reportFailure(tr("Cannot write the demo experiment: %1").arg(QString::fromStdString(failure.what())));
        return;
    }
    if (!workspace() || workspacePath() != path) {
        if (!createWorkspace(path)) return;
    }
    importPaths({logs});
}

void MainWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    const bool firstLayout = !event->oldSize().isValid() || event->oldSize().width() <= 0;
    if (firstLayout ? m_panelWidthChosen : event->size().width() >= event->oldSize().width()) return;
    // A narrowed window takes the width from the run panel first, down to a quarter: the splitter keeps
    // the panel's width (stretch 0), which left a 1024 px wide window's charts and toolbars 640 px.
    const QList<int> sizes = m_splitter->sizes();
    if (sizes.size() != 2) return;
    // Before the first layout the splitter still holds its initial sizes, so the window's width decides.
    const int total = firstLayout ? event->size().width() : sizes[0] + sizes[1];
    const int panel = std::max(m_splitter->widget(0)->minimumWidth(), total / 4);
    if (sizes[0] > panel) m_splitter->setSizes({panel, total - panel});
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_pendingImports.clear();
    m_pendingAttach.clear();
    m_worker->cancel();
    Settings settings;
    settings.setGeometry(saveGeometry());
    settings.setWindowState(saveState());
    settings.setSplitterState(m_splitter->saveState());
    settings.setCurveDisplay(m_curves->display());
    if (m_workspace) settings.setGroupBy(workspacePath(), m_curves->display().groupBy);
    if (m_workspace && isTemporaryWorkspace(workspacePath())) setWorkspace(nullptr); // removes its files
    QMainWindow::closeEvent(event);
}

} // namespace runlens::ui
