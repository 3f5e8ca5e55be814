// The main window's background imports and drops: the import queue (logs, then prediction logs attached to
// runs), its progress and outcome, and files dropped anywhere on the window (split from main_window.cpp,
// which builds and wires the window).
#include "ui/context/settings.h"
#include "ui/shell/import_report_panel.h"
#include "ui/shell/import_worker.h"
#include "ui/shell/main_window.h"
#include "ui/shell/workspace_files.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QUrl>
#include <tuple>

namespace runlens::ui {
namespace {

QStringList localPaths(const QMimeData* mime) {
    QStringList paths;
    if (!mime || !mime->hasUrls()) return paths;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile()) paths << url.toLocalFile();
    }
    return paths;
}

} // namespace

void MainWindow::importPaths(const QStringList& paths) {
    if (paths.isEmpty()) return;
    // The user's own logs never go into the demo: they start a workspace of their own.
    if (isDemoWorkspace() && !(paths.size() == 1 && QFileInfo(paths.front()) == QFileInfo(demoLogsPath()))) {
        const QString own = ownWorkspacePathFor(paths);
        if (!createWorkspace(own)) return;
        statusBar()->showMessage(
            tr("Your logs go into a new workspace, %1; the demo stays as it was (File > Recent).").arg(own),
            15000);
    }
    if (!m_workspace && !createWorkspace(temporaryWorkspacePath())) return;
    Settings().addImportRoots(workspacePath(), paths);
    m_pendingImports.append(paths);
    startNextImport();
}

void MainWindow::startNextImport() {
    if (isImporting() || (m_pendingImports.isEmpty() && m_pendingAttach.isEmpty()) || !m_workspace) return;
    ImportRequest request;
    if (!m_pendingAttach.isEmpty()) {
        std::tie(m_runningImport, request) = m_pendingAttach.takeFirst();
    } else {
        m_runningImport = m_pendingImports.takeFirst();
    }
    if (!m_worker->start(m_runningImport, workspacePath(), request)) return;
    m_progress->setRange(0, 0); // busy until the first progress report gives totals
    m_progress->show();
    m_cancel->show();
    m_cancel->setEnabled(true);
    statusBar()->showMessage(tr("Importing %1…").arg(QFileInfo(m_runningImport.front()).fileName()));
}

void MainWindow::onImportProgress(qint64 filesDone, qint64 filesTotal, qint64 bytesDone, qint64 bytesTotal,
                                  const QString& file) {
    if (bytesTotal > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(
            static_cast<int>(1000.0 * static_cast<double>(bytesDone) / static_cast<double>(bytesTotal)));
    } else if (filesTotal > 0) {
        m_progress->setRange(0, static_cast<int>(filesTotal));
        m_progress->setValue(static_cast<int>(filesDone));
    }
    m_progress->setFormat(tr("%1 / %2 files").arg(filesDone).arg(filesTotal));
    statusBar()->showMessage(tr("Importing %1").arg(QFileInfo(file).fileName()));
}

void MainWindow::onImportFinished() {
    const ImportOutcome& outcome = m_worker->outcome();
    m_progress->hide();
    m_cancel->hide();
    m_report->showSummary(outcome.summary, outcome.error);
    refreshRuns();
    if (!outcome.error.isEmpty())
        statusBar()->showMessage(tr("Import failed: %1").arg(outcome.error), 15000);
    else
        statusBar()->showMessage(
            outcome.summary.cancelled
                ? tr("Import cancelled")
                : tr("Imported %n run(s)", nullptr, static_cast<int>(outcome.summary.runs.size())),
            8000);
    m_runningImport.clear();
    emit importFinished();
    startNextImport();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (!localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    handleDrop(event, event->position().toPoint());
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    const QEvent::Type type = event->type();
    if (type != QEvent::DragEnter && type != QEvent::DragMove && type != QEvent::Drop)
        return QMainWindow::eventFilter(watched, event);
    auto* widget = qobject_cast<QWidget*>(watched);
    auto* drop = static_cast<QDropEvent*>(event); // DragEnter and DragMove events are drop events too
    // Only drags over this window's children and only file drags: text dragged into the filter box, or a
    // drag over another window, stays theirs.
    if (!widget || widget == this || widget->window() != this || localPaths(drop->mimeData()).isEmpty())
        return QMainWindow::eventFilter(watched, event);
    if (type == QEvent::Drop)
        handleDrop(drop, widget->mapTo(this, drop->position().toPoint()));
    else
        drop->acceptProposedAction();
    return true;
}

void MainWindow::handleDrop(QDropEvent* event, const QPoint& windowPos) {
    QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    // Dropping one workspace file opens it; anything else is imported into the open workspace.
    if (paths.size() == 1 && looksLikeWorkspace(paths.front()) &&
        QFileInfo(paths.front()).suffix() == QLatin1String("runlens")) {
        openWorkspace(paths.front());
        return;
    }
    if (attachDroppedPredictions(paths, windowPos, event->modifiers().testFlag(Qt::ShiftModifier))) return;
    importPaths(paths);
}

} // namespace runlens::ui
