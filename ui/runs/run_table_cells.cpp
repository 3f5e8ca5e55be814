// The run table's cells: the name column (disclosure marks, worker counts), param values, last metric values
// (a folded run's worker mean), health badges and the headers (split from run_table_model.cpp, which keeps
// the runs, rows, colours, visibility, workers and columns).
#include "core/io/worker_runs.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace runlens::ui {
namespace {

std::optional<double> parseNumber(const std::string& text) {
    if (text.empty()) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return value;
}

QString formatValue(double value) {
    if (std::isnan(value)) return QStringLiteral("NaN");
    if (std::isinf(value)) return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', 4);
}

QString workerName(int worker) {
    return QObject::tr("worker %1").arg(worker);
}

int severity(HealthBadge::Kind kind) {
    switch (kind) {
    case HealthBadge::Kind::NonFinite:
        return 4;
    case HealthBadge::Kind::Diverging:
        return 3;
    case HealthBadge::Kind::Overfitting:
        return 2;
    case HealthBadge::Kind::Plateau:
        return 1;
    case HealthBadge::Kind::SeedSpread:
        return 0;
    }
    return 0;
}

} // namespace

QString RunTableModel::normalizedKey(const QString& key) {
    QString out;
    for (QChar c : key.toLower())
        out.append(c.isLetterOrNumber() ? c : QChar('_'));
    return out;
}

std::optional<double> RunTableModel::numericValue(const RunInfo& run, const QString& normalized) const {
    for (const auto& [key, value] : run.params) {
        if (normalizedKey(QString::fromStdString(key)) == normalized) return parseNumber(value);
    }
    for (const SeriesSummary& summary : run.series) {
        if (normalizedKey(QString::fromStdString(summary.tag)) == normalized) return summary.last;
    }
    for (const QString& tag : m_columnTags) {
        if (normalizedKey(tag) == normalized) return workerMean(run, tag.toStdString());
    }
    return std::nullopt;
}

QVariant RunTableModel::metricValue(const RunInfo& run, const std::string& tag, int role) const {
    const SeriesSummary* summary = findSeries(run, tag);
    if (!summary || summary->points == 0) return {};
    if (role == SortRole) return summary->last;
    return formatValue(summary->last);
}

QVariant RunTableModel::healthValue(const RunInfo& run, int role) const {
    const auto found = m_health.find(run.name);
    if (found == m_health.end() || found->second.empty())
        return role == SortRole ? QVariant(0.0) : QVariant();
    const std::vector<HealthBadge>& badges = found->second;
    int worst = 0;
    QStringList labels, details;
    for (const HealthBadge& badge : badges) {
        worst = std::max(worst, severity(badge.kind));
        labels << QString::fromStdString(badge.label);
        details << QString::fromStdString(badge.detail);
    }
    switch (role) {
    case Qt::DisplayRole:
        return labels.join(QStringLiteral("  "));
    case SortRole: // worst problem first when sorted descending, then the number of findings
        return worst + 0.1 * static_cast<double>(badges.size());
    case Qt::ToolTipRole:
        return details.join(QStringLiteral("\n"));
    case Qt::ForegroundRole:
        if (worst >= 3) return QColor(0xc0, 0x39, 0x2b);
        if (worst == 2) return QColor(0xd3, 0x54, 0x00);
        return {};
    default:
        return {};
    }
}

QVariant RunTableModel::cellValue(const RunInfo& run, const RunColumn& column, int role) const {
    if (column.kind == RunColumn::Kind::Health) return healthValue(run, role);
    if (column.kind == RunColumn::Kind::Param) {
        const auto found = run.params.find(column.key.toStdString());
        if (found == run.params.end()) return {};
        if (role == SortRole) {
            if (const auto number = parseNumber(found->second)) return *number;
        }
        return QString::fromStdString(found->second);
    }
    const std::string tag = column.key.toStdString();
    if (findSeries(run, tag)) return metricValue(run, tag, role);
    const auto mean = workerMean(run, tag);
    if (!mean) return {};
    return role == SortRole ? QVariant(*mean) : QVariant(formatValue(*mean));
}

QString RunTableModel::filterText(const RunInfo& run) const {
    QString text = QString::fromStdString(run.name);
    for (const auto& [key, value] : run.params)
        text += QStringLiteral(" %1=%2").arg(QString::fromStdString(key), QString::fromStdString(value));
    return text;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
    if (index.row() < 0 || index.row() >= rowCount() || index.column() < 0 || index.column() >= columnCount())
        return {};
    const RowRef ref = m_rows[static_cast<std::size_t>(index.row())];
    const RunInfo& run = m_runs[static_cast<std::size_t>(ref.run)];
    // The roles of the whole row, the same for every column of a run or worker row.
    switch (role) {
    case RunIdRole:
        return QVariant::fromValue<qint64>(run.id);
    case WorkerRole:
        return ref.worker;
    case ColorRole:
        return ref.worker < 0 ? m_colors[static_cast<std::size_t>(ref.run)] : workerColor(run.id, ref.worker);
    case FilterTextRole:
        return filterText(run);
    default:
        break;
    }
    return ref.worker < 0 ? runData(index, ref.run, role) : workerData(index, ref.run, ref.worker, role);
}

QVariant RunTableModel::runData(const QModelIndex& index, int runIndex, int role) const {
    const RunInfo& run = m_runs[static_cast<std::size_t>(runIndex)];
    const QColor& color = m_colors[static_cast<std::size_t>(runIndex)];
    const auto& workers = m_workers[static_cast<std::size_t>(runIndex)];
    if (index.column() == kNameColumn) {
        switch (role) {
        case Qt::DisplayRole: {
            const QString name = QString::fromStdString(run.name);
            if (workers.empty()) return name;
            if (m_expanded.contains(run.name)) return kExpandedRunMark + name;
            const int count = static_cast<int>(workers.size());
            return kCollapsedRunMark + name +
                   (count == 1 ? tr("  \u00B7 1 worker") : tr("  \u00B7 %1 workers").arg(count));
        }
        case SortRole:
            return QString::fromStdString(run.name);
        case Qt::CheckStateRole:
            return m_hidden.contains(run.name) ? Qt::Unchecked : Qt::Checked;
        case Qt::DecorationRole:
            return color;
        case Qt::ToolTipRole:
            return QString::fromStdString(run.provenance.sourcePath.empty() ? run.name
                                                                            : run.provenance.sourcePath);
        default:
            return {};
        }
    }
    const RunColumn& column = m_columns[static_cast<std::size_t>(index.column() - 1)];
    if (column.kind == RunColumn::Kind::Health) return healthValue(run, role);
    if (role == Qt::DisplayRole || role == SortRole) return cellValue(run, column, role);
    if (role == Qt::TextAlignmentRole && cellValue(run, column, SortRole).typeId() == QMetaType::Double)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && column.kind == RunColumn::Kind::Metric &&
        !findSeries(run, column.key.toStdString()) && !workers.empty())
        return tr("Mean of the workers' last values of %1").arg(column.key);
    return {};
}

QVariant RunTableModel::workerData(const QModelIndex& index, int runIndex, int worker, int role) const {
    const RunInfo& run = m_runs[static_cast<std::size_t>(runIndex)];
    if (index.column() == kNameColumn) {
        switch (role) {
        case Qt::DisplayRole:
            return workerName(worker);
        case SortRole:
            return QString::fromStdString(run.name);
        case Qt::CheckStateRole:
            return m_hiddenWorkers.contains({run.name, worker}) ? Qt::Unchecked : Qt::Checked;
        case Qt::DecorationRole:
            return workerColor(run.id, worker);
        case Qt::ToolTipRole: {
            const auto source = run.params.find("worker_" + std::to_string(worker));
            return source == run.params.end()
                       ? tr("Worker %1 of %2").arg(worker).arg(QString::fromStdString(run.name))
                       : QString::fromStdString(source->second);
        }
        default:
            return {};
        }
    }
    const RunColumn& column = m_columns[static_cast<std::size_t>(index.column() - 1)];
    if (column.kind != RunColumn::Kind::Metric) return {};
    const std::string tag = workerTag(column.key.toStdString(), worker);
    if (role == Qt::DisplayRole || role == SortRole) return metricValue(run, tag, role);
    if (role == Qt::TextAlignmentRole && metricValue(run, tag, SortRole).isValid())
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == kNameColumn) return role == Qt::DisplayRole ? QVariant(tr("Run")) : QVariant();
    const RunColumn& column = m_columns[static_cast<std::size_t>(section - 1)];
    if (role == Qt::DisplayRole) return column.key;
    if (role == Qt::ToolTipRole && column.kind == RunColumn::Kind::Health)
        return tr(
            "Training diagnostics: NaN/Inf values, divergence, overfitting onset, plateau, and the spread "
            "of runs that differ only by seed (hover a cell for details)");
    if (role == Qt::ToolTipRole)
        return column.kind == RunColumn::Kind::Param ? tr("Parameter %1").arg(column.key)
                                                     : tr("Last value of %1").arg(column.key);
    return {};
}

} // namespace runlens::ui
