// Presents the workspace's runs as table rows; numbers sort numerically via SortRole.
#include "ui/run_table_model.h"

#include "ui/chart_export.h"

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

const SeriesSummary* findSeries(const RunInfo& run, const std::string& tag) {
    for (const SeriesSummary& summary : run.series) {
        if (summary.tag == tag) return &summary;
    }
    return nullptr;
}

QString formatValue(double value) {
    if (std::isnan(value)) return QStringLiteral("NaN");
    if (std::isinf(value)) return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', 4);
}

} // namespace

RunTableModel::RunTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunTableModel::setRuns(std::vector<RunInfo> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    m_colors.clear();
    std::set<QString> params;
    std::set<QString> metrics;
    for (const RunInfo& run : m_runs) {
        auto found = m_colorByName.find(run.name);
        if (found == m_colorByName.end())
            found = m_colorByName.emplace(run.name, runColor(m_nextColor++)).first;
        m_colors.push_back(found->second);
        for (const auto& [key, value] : run.params)
            params.insert(QString::fromStdString(key));
        for (const SeriesSummary& summary : run.series)
            metrics.insert(QString::fromStdString(summary.tag));
    }
    m_paramKeys = QStringList(params.begin(), params.end());
    m_metricTags = QStringList(metrics.begin(), metrics.end());
    if (m_userChoseColumns) {
        std::erase_if(m_columns, [this](const RunColumn& column) {
            return !(column.kind == RunColumn::Kind::Param ? m_paramKeys : m_metricTags).contains(column.key);
        });
    } else {
        chooseDefaultColumns();
    }
    endResetModel();
    emit visibilityChanged();
}

// Params that differ between runs tell runs apart; constant ones (same model everywhere) only take space.
void RunTableModel::chooseDefaultColumns() {
    m_columns.clear();
    QStringList varying;
    for (const QString& key : m_paramKeys) {
        std::set<std::string> values;
        for (const RunInfo& run : m_runs) {
            const auto found = run.params.find(key.toStdString());
            values.insert(found == run.params.end() ? std::string("\x1f") : found->second);
        }
        if (values.size() > 1 || m_runs.size() == 1) varying << key;
    }
    for (int i = 0; i < varying.size() && i < kMaxDefaultParams; ++i)
        m_columns.push_back({RunColumn::Kind::Param, varying[i]});
    for (int i = 0; i < m_metricTags.size() && i < kMaxDefaultMetrics; ++i)
        m_columns.push_back({RunColumn::Kind::Metric, m_metricTags[i]});
}

const RunInfo* RunTableModel::runAt(int row) const {
    if (row < 0 || row >= static_cast<int>(m_runs.size())) return nullptr;
    return &m_runs[static_cast<std::size_t>(row)];
}

int RunTableModel::rowOfRun(std::int64_t runId) const {
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i].id == runId) return static_cast<int>(i);
    }
    return -1;
}

QColor RunTableModel::colorOf(std::int64_t runId) const {
    const int row = rowOfRun(runId);
    return row < 0 ? QColor() : m_colors[static_cast<std::size_t>(row)];
}

bool RunTableModel::isVisible(std::int64_t runId) const {
    const RunInfo* run = runAt(rowOfRun(runId));
    return run && !m_hidden.contains(run->name);
}

void RunTableModel::setRunVisible(std::int64_t runId, bool visible) {
    const int row = rowOfRun(runId);
    const RunInfo* run = runAt(row);
    if (!run || isVisible(runId) == visible) return;
    if (visible)
        m_hidden.erase(run->name);
    else
        m_hidden.insert(run->name);
    const QModelIndex cell = index(row, kNameColumn);
    emit dataChanged(cell, cell, {Qt::CheckStateRole});
    emit visibilityChanged();
}

void RunTableModel::setAllVisible(bool visible) {
    for (const RunInfo& run : m_runs) {
        if (visible)
            m_hidden.erase(run.name);
        else
            m_hidden.insert(run.name);
    }
    if (!m_runs.empty())
        emit dataChanged(index(0, kNameColumn), index(rowCount() - 1, kNameColumn), {Qt::CheckStateRole});
    emit visibilityChanged();
}

std::vector<const RunInfo*> RunTableModel::visibleRuns() const {
    std::vector<const RunInfo*> visible;
    for (const RunInfo& run : m_runs) {
        if (!m_hidden.contains(run.name)) visible.push_back(&run);
    }
    return visible;
}

bool RunTableModel::hasColumn(const RunColumn& column) const {
    return std::find(m_columns.begin(), m_columns.end(), column) != m_columns.end();
}

void RunTableModel::setColumnShown(const RunColumn& column, bool shown) {
    if (hasColumn(column) == shown) return;
    m_userChoseColumns = true;
    beginResetModel();
    if (shown)
        m_columns.push_back(column);
    else
        std::erase(m_columns, column);
    endResetModel();
}

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
    return std::nullopt;
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 1 + static_cast<int>(m_columns.size());
}

QVariant RunTableModel::cellValue(const RunInfo& run, const RunColumn& column, int role) const {
    if (column.kind == RunColumn::Kind::Param) {
        const auto found = run.params.find(column.key.toStdString());
        if (found == run.params.end()) return {};
        if (role == SortRole) {
            if (const auto number = parseNumber(found->second)) return *number;
        }
        return QString::fromStdString(found->second);
    }
    const SeriesSummary* summary = findSeries(run, column.key.toStdString());
    if (!summary || summary->points == 0) return {};
    if (role == SortRole) return summary->last;
    return formatValue(summary->last);
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
    const RunInfo* run = runAt(index.row());
    if (!run || index.column() < 0 || index.column() >= columnCount()) return {};
    switch (role) {
    case RunIdRole:
        return QVariant::fromValue<qint64>(run->id);
    case ColorRole:
        return m_colors[static_cast<std::size_t>(index.row())];
    case FilterTextRole: {
        QString text = QString::fromStdString(run->name);
        for (const auto& [key, value] : run->params)
            text += QStringLiteral(" %1=%2").arg(QString::fromStdString(key), QString::fromStdString(value));
        return text;
    }
    default:
        break;
    }
    if (index.column() == kNameColumn) {
        switch (role) {
        case Qt::DisplayRole:
        case SortRole:
            return QString::fromStdString(run->name);
        case Qt::CheckStateRole:
            return m_hidden.contains(run->name) ? Qt::Unchecked : Qt::Checked;
        case Qt::DecorationRole:
            return m_colors[static_cast<std::size_t>(index.row())];
        case Qt::ToolTipRole:
            return QString::fromStdString(run->provenance.sourcePath.empty() ? run->name
                                                                             : run->provenance.sourcePath);
        default:
            return {};
        }
    }
    const RunColumn& column = m_columns[static_cast<std::size_t>(index.column() - 1)];
    if (role == Qt::DisplayRole || role == SortRole) return cellValue(*run, column, role);
    if (role == Qt::TextAlignmentRole && cellValue(*run, column, SortRole).typeId() == QMetaType::Double)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

bool RunTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    const RunInfo* run = runAt(index.row());
    if (!run || index.column() != kNameColumn || role != Qt::CheckStateRole) return false;
    setRunVisible(run->id, value.toInt() == Qt::Checked);
    return true;
}

Qt::ItemFlags RunTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags result = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == kNameColumn) result |= Qt::ItemIsUserCheckable;
    return result;
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == kNameColumn) return role == Qt::DisplayRole ? QVariant(tr("Run")) : QVariant();
    const RunColumn& column = m_columns[static_cast<std::size_t>(section - 1)];
    if (role == Qt::DisplayRole) return column.key;
    if (role == Qt::ToolTipRole)
        return column.kind == RunColumn::Kind::Param ? tr("Parameter %1").arg(column.key)
                                                     : tr("Last value of %1").arg(column.key);
    return {};
}

} // namespace runlens::ui
