// What the main window's menus and the run table's context menus do: new, open, import, save as, export,
// report, watch, attach predictions, reload (split from main_window.cpp, which builds and wires the window).
#include "core/demo/demo_experiment.h"
#include "core/store/workspace.h"
#include "ui/common/prediction_roles_dialog.h"
#include "ui/context/settings.h"
#include "ui/report/report_exporter.h"
#include "ui/runs/run_filter.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/main_window.h"
#include "ui/shell/watch_controller.h"
#include "ui/shell/workspace_files.h"

#include <filesystem>
#include <QAction>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <tuple>

namespace runlens::ui {

void MainWindow::showHeaderMenu(const QPoint& pos) {
    QMenu menu(this);
    auto addColumns = [&](QMenu* sub, const QStringList& keys, RunColumn::Kind kind) {
        if (keys.isEmpty()) sub->setEnabled(false);
        for (const QString& key : keys) {
            QAction* action = sub->addAction(key);
            action->setCheckable(true);
            const RunColumn column{kind, key};
            action->setChecked(m_runModel->hasColumn(column));
            connect(action, &QAction::toggled, this,
                    [this, column](bool on) { m_runModel->setColumnShown(column, on); });
        }
    };
    addColumns(menu.addMenu(tr("Parameters")), m_runModel->paramKeys(), RunColumn::Kind::Param);
    addColumns(menu.addMenu(tr("Metrics (last value)")), m_runModel->metricColumnTags(),
               RunColumn::Kind::Metric);
    QAction* health = menu.addAction(tr("Health (training diagnostics)"));
    health->setCheckable(true);
    health->setChecked(m_runModel->hasColumn(RunTableModel::healthColumn()));
    connect(health, &QAction::toggled, this,
            [this](bool on) { m_runModel->setColumnShown(RunTableModel::healthColumn(), on); });
    menu.exec(m_runTable->horizontalHeader()->mapToGlobal(pos));
}

void MainWindow::showRunMenu(const QPoint& pos) {
    const QModelIndex index = m_runTable->indexAt(pos);
    QMenu menu(this);
    if (index.isValid()) {
        const qint64 runId = index.data(RunTableModel::RunIdRole).toLongLong();
        menu.addAction(tr("Show Only This Run"), this, [this, runId] {
            m_runModel->setAllVisible(false);
            m_runModel->setRunVisible(runId, true);
        });
        if (m_runModel->hasWorkers(runId)) {
            const bool expanded = m_runModel->isExpanded(runId);
            menu.addAction(expanded ? tr("Hide Workers") : tr("Show Workers"), this,
                           [this, runId, expanded] { m_runModel->setExpanded(runId, !expanded); });
        }
        for (const RunInfo& run : m_runModel->runs()) {
            if (run.id != runId) continue;
            const QString runName = QString::fromStdString(run.name);
            menu.addAction(tr("Attach Predictions…"), this, [this, runName] {
                const QStringList files = QFileDialog::getOpenFileNames(
                    this, tr("Attach prediction logs to %1").arg(runName), QDir::homePath(),
                    tr("Prediction logs (*.csv *.tsv *.jsonl *.ndjson);;All files (*)"));
                attachPredictions(files, runName, true);
            });
        }
    }
    menu.addAction(tr("Show Filtered Runs Only"), this, [this] {
        m_runModel->setAllVisible(false);
        for (int row = 0; row < m_runProxy->rowCount(); ++row)
            m_runModel->setRunVisible(m_runProxy->index(row, 0).data(RunTableModel::RunIdRole).toLongLong(),
                                      true);
    });
    menu.addAction(tr("Show All Runs"), this, [this] { m_runModel->setAllVisible(true); });
    menu.addAction(tr("Hide All Runs"), this, [this] { m_runModel->setAllVisible(false); });
    menu.exec(m_runTable->viewport()->mapToGlobal(pos));
}

void MainWindow::fillRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = Settings().recentWorkspaces();
    for (const QString& path : recent) {
        QAction* action = m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path] {
            QString error;
            if (!openWorkspace(path, &error)) QMessageBox::warning(this, tr("Open workspace"), error);
        });
        action->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty()) m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
}

void MainWindow::actionNew() {
    QString path = QFileDialog::getSaveFileName(this, tr("New workspace"), QDir::homePath(),
                                                tr("Runlens workspaces (*.runlens)"));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".runlens");
    QString error;
    if (QFileInfo::exists(path) && !QFile::remove(path)) {
        QMessageBox::warning(this, tr("New workspace"), tr("Cannot replace %1").arg(path));
        return;
    }
    if (!createWorkspace(path, &error)) QMessageBox::warning(this, tr("New workspace"), error);
}

void MainWindow::actionOpen() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open workspace"), QFileInfo(workspacePath()).path(),
                                     tr("Runlens workspaces (*.runlens);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!openWorkspace(path, &error)) QMessageBox::warning(this, tr("Open workspace"), error);
}

void MainWindow::actionImportFiles() {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Import log files"), QDir::homePath());
    importPaths(files);
}

void MainWindow::actionImportFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Import a folder of logs"), QDir::homePath());
    if (!dir.isEmpty()) importPaths({dir});
}

void MainWindow::actionSaveAs() {
    if (!m_workspace) return;
    QString path = QFileDialog::getSaveFileName(this, tr("Save workspace as"), workspacePath(),
                                                tr("Runlens workspaces (*.runlens)"));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".runlens");
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(workspacePath()).absoluteFilePath()) return;
    if (hasPendingWork()) {
        QMessageBox::information(this, tr("Save workspace as"), tr("Wait for the import to finish first."));
        return;
    }
    QFile::remove(path); // the dialog asked before overwriting; VACUUM INTO refuses an existing file
    try {
        m_workspace->saveCopy(path.toStdString());
    } catch (const WorkspaceError& e) {
        QMessageBox::warning(this, tr("Save workspace as"), QString::fromStdString(e.what()));
        return;
    }
    const QStringList roots = Settings().importRoots(workspacePath());
    Settings().addImportRoots(path, roots);
    QString error;
    if (!openWorkspace(path, &error)) QMessageBox::warning(this, tr("Save workspace as"), error);
}

void MainWindow::actionExportAll() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Export all charts to a folder"), QDir::homePath());
    if (dir.isEmpty()) return;
    QStringList errors;
    const QStringList written = exportAllCharts(dir, &errors);
    if (!errors.isEmpty())
        QMessageBox::warning(this, tr("Export all charts"), errors.join(QLatin1Char('\n')));
    statusBar()->showMessage(tr("Wrote %n file(s) to %1", nullptr, static_cast<int>(written.size())).arg(dir),
                             8000);
}

bool MainWindow::exportReport(const QString& path, QString* error) {
    if (!m_reportExporter) {
        m_reportExporter = new ReportExporter(this);
        connect(m_reportExporter, &ReportExporter::finished, this,
                [this](const QString& file, const QString& why) {
                    if (why.isEmpty())
                        statusBar()->showMessage(
                            tr("Wrote the report to %1").arg(QDir::toNativeSeparators(file)), 8000);
                    else
                        reportFailure(tr("Cannot write the report: %1").arg(why));
                    emit reportExported(file, why);
                });
    }
    if (!m_reportSource) m_reportSource = std::make_unique<EvaluationSource>();
    m_reportSource->setWorkspace(m_workspace.get());
    QString why;
    if (!m_reportExporter->start(*m_runModel, *m_reportSource, path, &why)) {
        if (error) *error = why;
        return false;
    }
    statusBar()->showMessage(tr("Writing the report…"));
    return true;
}

void MainWindow::actionExportReport() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the ship report"), QDir::home().filePath(QStringLiteral("ship_report.html")),
        tr("HTML (*.html);;PDF (*.pdf)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportReport(path, &error)) reportFailure(tr("Cannot write the report: %1").arg(error));
}

void MainWindow::actionWatchFolder() {
    if (!m_workspace) {
        statusBar()->showMessage(tr("Open or create a workspace first, then watch a folder into it"), 8000);
        return;
    }
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Watch a folder of logs"), QDir::homePath());
    if (dir.isEmpty()) return;
    if (!m_watch->start(workspacePath(), {dir}, 2000)) {
        reportFailure(m_watch->lastError());
        return;
    }
    Settings().addImportRoots(workspacePath(), {dir});
    statusBar()->showMessage(tr("Watching %1: new runs and points appear as they are written").arg(dir),
                             8000);
}

void MainWindow::actionImportPredictions() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Import prediction logs"), QDir::homePath(),
                                      tr("Prediction logs (*.csv *.tsv *.jsonl *.ndjson);;All files (*)"));
    QString current;
    const QModelIndex index = m_runTable->currentIndex();
    if (index.isValid()) {
        const qint64 runId = index.data(RunTableModel::RunIdRole).toLongLong();
        for (const RunInfo& run : m_runModel->runs())
            if (run.id == runId) current = QString::fromStdString(run.name);
    }
    attachPredictions(files, current, true);
}

void MainWindow::attachPredictions(const QStringList& files, const QString& runName, bool askRoles) {
    QStringList runNames;
    for (const RunInfo& run : m_runModel->runs())
        runNames << QString::fromStdString(run.name);
    for (const QString& file : files) {
        ImportRequest request;
        request.predictions = true;
        request.runName = runName;
        // Name recognition is enough when it makes an evaluation set; otherwise the user says what is what.
        const PredictionPreview preview = readPredictionPreview(file);
        const bool recognised =
            preview.ok() && rolesProblem(preview.columns, recogniseRoles(preview)).isEmpty();
        if (askRoles || !recognised) {
            PredictionRolesDialog dialog(file, runNames, runName, this);
            if (dialog.exec() != QDialog::Accepted) continue;
            request.roles = dialog.roles();
            request.setName = dialog.setName();
            request.runName = dialog.runName();
        }
        if (request.runName.isEmpty())
            request.runName =
                QString::fromStdString(std::filesystem::path(file.toStdString()).stem().string());
        if (!m_workspace && !createWorkspace(temporaryWorkspacePath())) return;
        m_pendingAttach.append({QStringList{file}, request});
    }
    startNextImport();
}

bool MainWindow::attachDroppedPredictions(const QStringList& paths, const QPoint& windowPos, bool askRoles) {
    if (!m_workspace) return false;
    const QPoint local = m_runTable->viewport()->mapFrom(this, windowPos);
    if (!m_runTable->viewport()->rect().contains(local)) return false;
    const QModelIndex index = m_runTable->indexAt(local);
    if (!index.isValid()) return false;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        const QString suffix = info.suffix().toLower();
        const bool logLike = suffix == QLatin1String("csv") || suffix == QLatin1String("tsv") ||
                             suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson");
        if (!info.isFile() || !logLike) return false; // folders and other logs import as before
    }
    const qint64 runId = index.data(RunTableModel::RunIdRole).toLongLong();
    for (const RunInfo& run : m_runModel->runs()) {
        if (run.id != runId) continue;
        const QString runName = QString::fromStdString(run.name);
        bool dialog = askRoles;
        for (const QString& path : paths) {
            const PredictionPreview preview = readPredictionPreview(path);
            dialog =
                dialog || !preview.ok() || !rolesProblem(preview.columns, recogniseRoles(preview)).isEmpty();
        }
        // A modal dialog must not run inside the platform's drop handler: open it once the drop is over.
        if (dialog)
            QTimer::singleShot(
                0, this, [this, paths, runName, askRoles] { attachPredictions(paths, runName, askRoles); });
        else
            attachPredictions(paths, runName, false);
        return true;
    }
    return false;
}

void MainWindow::actionReload() {
    if (!m_workspace) return;
    if (m_watch->isWatching()) {
        m_watch->pollNow(); // F5 while watching: read on right away
        return;
    }
    QStringList roots;
    for (const QString& root : Settings().importRoots(workspacePath())) {
        if (QFileInfo::exists(root)) roots << root;
    }
    if (roots.isEmpty()) {
        statusBar()->showMessage(
            tr("Nothing to reload: no imported folder of this workspace is known or still exists"), 8000);
        refreshRuns();
        return;
    }
    m_pendingImports.append(roots);
    startNextImport();
}

} // namespace runlens::ui
