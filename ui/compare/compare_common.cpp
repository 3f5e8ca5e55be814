// Helpers shared by the Compare tab's pages.
#include "ui/compare/compare_common.h"

#include "ui/charts/chart_export.h"

#include <cmath>
#include <QFile>
#include <QHeaderView>
#include <QTableWidget>
#include <QTextStream>

namespace runlens::ui::compare {

namespace {

// Opens a text file for writing; on failure fills error.
bool openForWrite(QFile& file, QString* error) {
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return true;
    if (error) *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
    return false;
}

} // namespace

QString num(double v, int digits) {
    // A dash, as in the run diff: here NaN stands for a value one side does not have.
    if (std::isnan(v)) return QStringLiteral("—");
    return QString::number(v, 'g', digits);
}

bool writeRows(const QString& path, const std::vector<QStringList>& rows, QString* error) {
    QFile file(path);
    if (!openForWrite(file, error)) return false;
    QTextStream out(&file);
    for (const QStringList& row : rows) {
        QStringList fields;
        for (const QString& f : row)
            fields << csvField(f);
        out << fields.join(QLatin1Char(',')) << '\n';
    }
    return true;
}

QTableWidgetItem* readOnlyItem(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

QTableWidget* makeTable(QWidget* parent) {
    auto* table = new QTableWidget(parent);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->setAlternatingRowColors(true);
    return table;
}

} // namespace runlens::ui::compare
