// The narrow window interface the analysis views are built on.
#include "ui/context/view_context.h"

namespace runlens::ui {

ViewContext::ViewContext(std::function<Workspace*()> workspace, RunTableModel* runModel,
                         RunFilterProxy* runProxy, QTableView* runTable, QObject* parent)
    : QObject(parent), m_workspace(std::move(workspace)), m_runModel(runModel), m_runProxy(runProxy),
      m_runTable(runTable) {}

} // namespace runlens::ui
