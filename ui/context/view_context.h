// What an analysis view needs from the window: the open workspace, the run table (model, filter proxy and
// view, for the runs the user checked and sees), and the signals that say they changed.
#pragma once

#include <functional>
#include <QObject>

class QTableView;

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class RunFilterProxy;
class RunTableModel;

// Views hold this instead of the whole MainWindow, so a view (and its test) depends on the run table and the
// workspace, not on menus, imports and the other tabs.
class ViewContext : public QObject {
    Q_OBJECT

  public:
    ViewContext(std::function<Workspace*()> workspace, RunTableModel* runModel, RunFilterProxy* runProxy,
                QTableView* runTable, QObject* parent = nullptr);

    Workspace* workspace() const { return m_workspace(); } // the open workspace, or nullptr
    RunTableModel* runModel() const { return m_runModel; }
    RunFilterProxy* runProxy() const { return m_runProxy; }
    QTableView* runTable() const { return m_runTable; }

  signals:
    void workspaceChanged(runlens::Workspace* workspace); // a different workspace is open (may be nullptr)
    void runsChanged();                                   // the open workspace's runs or points changed
    void importFinished();                                // an import ended (its runs are listed already)

  private:
    std::function<Workspace*()> m_workspace;
    RunTableModel* m_runModel;
    RunFilterProxy* m_runProxy;
    QTableView* m_runTable;
};

} // namespace runlens::ui
