// Collapsible panel listing the last import's issues (severity, file, line, message) and totals.
#pragma once

#include "core/import/importer.h"

#include <QWidget>

class QLabel;
class QTableWidget;
class QToolButton;

namespace runlens::ui {

class ImportReportPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ImportReportPanel(QWidget* parent = nullptr);

    // Shows the summary; expands itself when there are warnings or errors to read.
    void showSummary(const ImportSummary& summary, const QString& failure = {});
    void clear();
    void setExpanded(bool expanded);
    bool isExpanded() const;
    int issueCount() const;
    QTableWidget* table() const { return m_table; }

  private:
    QToolButton* m_toggle;
    QLabel* m_headline;
    QTableWidget* m_table;
};

} // namespace runlens::ui
