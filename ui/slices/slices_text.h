// How the Slices tab writes its tables: items that sort by number, slice keys, numbers and p-values, shared
// by the tab's controls (slices_view.cpp) and its result pages (slices_results.cpp).
#pragma once

#include "core/analysis/slices.h"

#include <cmath>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTableWidget>
#include <QTableWidgetItem>
#include <string>
#include <utility>
#include <vector>

namespace runlens::ui::slices_text {

// The feature combos' "no second feature" entry.
inline const QString kNoFeature = QStringLiteral("(none)");

constexpr int kSortRole = Qt::UserRole + 1;
constexpr int kIndexRole = Qt::UserRole + 2;

// A table item that sorts by a number stored under kSortRole, so "9.5%" sorts below "10.2%".
class SortItem : public QTableWidgetItem {
  public:
    SortItem(const QString& text, double sortValue) : QTableWidgetItem(text) {
        setData(kSortRole, sortValue);
    }
    explicit SortItem(const QString& text) : QTableWidgetItem(text) {}
    bool operator<(const QTableWidgetItem& other) const override {
        const QVariant a = data(kSortRole), b = other.data(kSortRole);
        if (a.isValid() && b.isValid()) return a.toDouble() < b.toDouble();
        return QTableWidgetItem::operator<(other);
    }
};

inline QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

inline QString keyText(const std::vector<std::pair<std::string, std::string>>& key) {
    QStringList parts;
    for (const auto& [feature, value] : key)
        parts << qs(feature + " = " + value);
    return parts.join(QStringLiteral(", "));
}

inline QString numberText(double value, int digits = 3) {
    if (!std::isfinite(value)) return QStringLiteral("-");
    return QString::number(value, 'g', digits);
}

inline QString pText(double p) {
    if (!std::isfinite(p)) return QStringLiteral("-");
    if (p < 1e-300) return QStringLiteral("< 1e-300"); // underflows to zero in double precision
    return p < 1e-4 ? QString::number(p, 'e', 1) : QString::number(p, 'f', 4);
}

// "error_rate" -> "Error rate", for the metric combo.
inline QString metricLabel(SliceMetric metric) {
    if (metric == SliceMetric::Auc) return QObject::tr("ROC AUC");
    if (metric == SliceMetric::F1) return QObject::tr("F1");
    QString label = qs(std::string(sliceMetricInfo(metric).name)).replace('_', ' ');
    label[0] = label[0].toUpper();
    return label;
}

inline void setRowItems(QTableWidget* table, int row, const std::vector<QTableWidgetItem*>& items) {
    for (std::size_t c = 0; c < items.size(); ++c)
        table->setItem(row, static_cast<int>(c), items[c]);
}

} // namespace runlens::ui::slices_text
