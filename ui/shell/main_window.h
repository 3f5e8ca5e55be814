// The Runlens main window: run table, view tabs, import report, menus, drag-and-drop and background import.
#pragma once

#include "ui/shell/import_worker.h"

#include <functional>
#include <memory>
#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>

class QLabel;
class QCheckBox;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableView;
class QTabWidget;

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class CurvesView;
class EvaluationSource;
class ReportExporter;
class ImportReportPanel;
class ImportWorker;
class RunFilterProxy;
class HealthScanner;
class RunTableModel;
class ViewContext;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // `runlens [PATH...]`: a workspace opens; log paths import into a new temporary workspace; nothing opens
    // the last workspace, else the demo experiment.
    void startWith(const QStringList& paths);
    bool openWorkspace(const QString& path, QString* error = nullptr);
    bool createWorkspace(const QString& path, QString* error = nullptr);
    // Imports files or folders off the GUI thread (queued behind a running import); creates a temporary
    // workspace when none is open.
    void importPaths(const QStringList& paths);
    // Imports prediction logs as evaluation sets of the run runName, off the GUI thread. Columns are
    // recognised by name; the "Prediction log columns" dialog opens when they are not, or with askRoles.
    void attachPredictions(const QStringList& files, const QString& runName, bool askRoles = false);
    // Writes the demo logs into the app data folder once, imports them into demo.runlens there and opens it.
    void openDemo();
    // The bundled demo experiment's workspace is open (the user's own imports then start a new one).
    bool isDemoWorkspace() const;
    QString statusText() const; // the permanent status-bar text (runs, points, workspace)

    bool isImporting() const;
    bool hasPendingWork() const; // an import is running or queued
    Workspace* workspace() const { return m_workspace.get(); }
    QString workspacePath() const;
    RunTableModel* runModel() const { return m_runModel; }
    // What the analysis views are given: workspace, run table and their change signals.
    ViewContext* viewContext() const { return m_context; }
    RunFilterProxy* runProxy() const { return m_runProxy; }
    QTableView* runTable() const { return m_runTable; }
    QLineEdit* runFilter() const { return m_filter; }
    CurvesView* curvesView() const { return m_curves; }
    ImportReportPanel* reportPanel() const { return m_report; }
    QTabWidget* tabs() const { return m_tabs; }
    QCheckBox* filterChartsBox() const { return m_filterCharts; }
    // Adds a view tab beside Curves (Calibration, Slices, ...); returns its index.
    // What File > Export All Charts writes for a tab into its own folder: files written and errors appended.
    using TabExport = std::function<void(const QString& dir, QStringList& written, QStringList& errors)>;
    int addViewTab(QWidget* view, const QString& title, TabExport exportAll = {});
    // Every Curves card into dir and every tab with an export into dir/<tab>; the files written.
    QStringList exportAllCharts(const QString& dir, QStringList* errors);
    // Writes the ship report of the visible runs to path (.html or .pdf) in the background; reportExported
    // follows. False with error when it cannot start.
    bool exportReport(const QString& path, QString* error = nullptr);

  signals:
    void workspaceChanged(runlens::Workspace* workspace); // a different workspace is open (may be nullptr)
    void runsChanged();                                   // the open workspace's runs or points changed
    void importFinished();
    void reportExported(const QString& path, const QString& error); // error empty on success

  protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    // Takes drags with file URLs away from every child widget (a chart view accepts the drag enter through
    // its scene, then refuses the move and the drop), so a drop anywhere on the window imports.
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void buildMenus();
    void handleDrop(QDropEvent* event, const QPoint& windowPos);
    QWidget* buildRunPanel();
    void setWorkspace(std::unique_ptr<Workspace> workspace);
    void refreshRuns();
    void updateStatus();
    void applyFilterToCharts();
    void startNextImport();
    void onImportProgress(qint64 filesDone, qint64 filesTotal, qint64 bytesDone, qint64 bytesTotal,
                          const QString& file);
    void onImportFinished();
    void showHeaderMenu(const QPoint& pos);
    void showRunMenu(const QPoint& pos);
    void fillRecentMenu();
    void reportFailure(const QString& message); // status bar + report panel, never a modal box

    void actionNew();
    void actionOpen();
    void actionImportFiles();
    void actionImportFolder();
    void actionSaveAs();
    void actionExportAll();
    void actionExportReport();
    void actionReload();
    void actionWatchFolder();
    void actionImportPredictions();
    // A drop of prediction log files onto a run row attaches them to that run; false for any other drop.
    bool attachDroppedPredictions(const QStringList& paths, const QPoint& windowPos, bool askRoles);

    std::unique_ptr<Workspace> m_workspace;
    RunTableModel* m_runModel;
    HealthScanner* m_health;
    RunFilterProxy* m_runProxy;
    QTableView* m_runTable;
    ViewContext* m_context;
    QLineEdit* m_filter;
    QCheckBox* m_filterCharts; // the filter also keeps the runs it hides out of the charts and views
    QTabWidget* m_tabs;
    std::vector<std::pair<QPointer<QWidget>, TabExport>> m_tabExports;
    CurvesView* m_curves;
    ImportReportPanel* m_report;
    QSplitter* m_splitter;
    bool m_panelWidthChosen = false; // the user's split was restored: the first layout keeps it
    ImportWorker* m_worker;
    class WatchController* m_watch = nullptr;
    ReportExporter* m_reportExporter = nullptr;
    std::unique_ptr<EvaluationSource> m_reportSource; // evaluation sets read for reports
    QList<QStringList> m_pendingImports;
    QList<std::pair<QStringList, ImportRequest>> m_pendingAttach; // prediction logs attached to runs
    QStringList m_runningImport;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_statusLabel;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
};

} // namespace runlens::ui
