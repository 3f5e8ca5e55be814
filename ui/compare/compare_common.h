// Small helpers the Compare tab's pages share: number cells, read-only tables and CSV rows.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

class QTableWidget;
class QTableWidgetItem;
class QWidget;

namespace runlens::ui::compare {

// Six significant digits (or `digits`); "—" for NaN.
QString num(double v, int digits = 6);
// Rows of cells as CSV (quoted where needed); on failure fills error.
bool writeRows(const QString& path, const std::vector<QStringList>& rows, QString* error);
QTableWidgetItem* readOnlyItem(const QString& text);
QTableWidget* makeTable(QWidget* parent);

} // namespace runlens::ui::compare
