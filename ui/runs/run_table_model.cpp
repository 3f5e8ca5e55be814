// Presents the workspace's runs (and the workers of expanded distributed runs) as table rows: their colours,
// visibility, expansion and columns. What each cell shows (numbers sort numerically via SortRole) is in
// run_table_cells.cpp, the name column's delegate (disclosure marks, elision) in run_name_delegate.cpp.
#include "ui/runs/run_table_model.h"

#include "core/model/run_names.h"
#include "ui/charts/chart_export.h"

#include <algorithm>
#include <cmath>

namespace runlens::ui {
namespace {

// N of "worker_<N>" (the whole text), as written by WorkerSink.
std::optional<int> workerNumber(std::string_view text) {
    constexpr std::string_view prefix = "worker_";
    if (text.size() <= prefix.size() || text.size() > prefix.size() + 6 || !text.starts_with(prefix))
        return std::nullopt;
    int n = 0;
    for (const char c : text.substr(prefix.size())) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

// The base tag and worker of "<tag>/worker_<N>".
std::optional<std::pair<std::string, int>> splitWorkerTag(const std::string& tag) {
    const auto slash = tag.rfind('/');
    if (slash == std::string::npos || slash == 0) return std::nullopt;
    const auto worker = workerNumber(std::string_view(tag).substr(slash + 1));
    if (!worker) return std::nullopt;
    return std::make_pair(tag.substr(0, slash), *worker);
}

std::vector<int> findWorkers(const RunInfo& run) {
    std::set<int> workers;
    for (const auto& [key, value] : run.params) {
        if (const auto n = workerNumber(key)) workers.insert(*n);
    }
    for (const SeriesSummary& summary : run.series) {
        if (const auto split = splitWorkerTag(summary.tag)) workers.insert(split->second);
    }
    return {workers.begin(), workers.end()};
}

// Shades of the run colour: lightness rises with the worker's position and the hue is nudged by a non-zero
// amount, so workers differ from each other and from their run.
QColor shadeOf(const QColor& base, int position, int count) {
    float hue = 0, saturation = 0, lightness = 0;
    base.toHsl().getHslF(&hue, &saturation, &lightness);
    if (hue < 0) hue = 0; // achromatic
    const double t = count <= 1 ? 0.5 : double(position) / (count - 1);
    const double nudge = 0.04 * ((position % 3) - 1) + 0.015;
    const double shiftedHue = std::fmod(hue + nudge + 1.0, 1.0);
    return QColor::fromHslF(float(shiftedHue), std::max(saturation, 0.35f), float(0.28 + 0.44 * t));
}

} // namespace

RunTableModel::RunTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunTableModel::setRuns(std::vector<RunInfo> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    m_colors.clear();
    m_workers.clear();
    std::set<QString> params;
    std::set<QString> metrics;
    std::set<QString> columnTags;
    assignColors();
    std::vector<std::string> names;
    for (const RunInfo& run : m_runs)
        names.push_back(run.name);
    m_distinctNames.clear();
    for (const std::string& tail : distinctNameTails(names))
        m_distinctNames.push_back(QString::fromStdString(tail));
    for (const RunInfo& run : m_runs) {
        m_workers.push_back(findWorkers(run));
        for (const auto& [key, value] : run.params)
            params.insert(QString::fromStdString(key));
        for (const SeriesSummary& summary : run.series) {
            metrics.insert(QString::fromStdString(summary.tag));
            const auto split = splitWorkerTag(summary.tag);
            columnTags.insert(QString::fromStdString(split ? split->first : summary.tag));
        }
    }
    rebuildRows();
    m_paramKeys = QStringList(params.begin(), params.end());
    m_metricTags = QStringList(metrics.begin(), metrics.end());
    m_columnTags = QStringList(columnTags.begin(), columnTags.end());
    if (m_userChoseColumns) {
        std::erase_if(m_columns, [this](const RunColumn& column) {
            if (column.kind == RunColumn::Kind::Health) return false;
            return column.kind == RunColumn::Kind::Param
                       ? !m_paramKeys.contains(column.key)
                       : !m_columnTags.contains(column.key) && !m_metricTags.contains(column.key);
        });
    } else {
        chooseDefaultColumns();
    }
    endResetModel();
    emit visibilityChanged();
}

void RunTableModel::assignColors() {
    // A run's colour is its name's palette slot, so it does not change when other runs are added, removed or
    // filtered, nor between sessions. When that slot is already taken by a loaded run, the next free one is
    // used; runs are handled in import (id) order, so an added run, never an older one, moves on, and a
    // fresh start gives the colours the runs had in the session that imported them.
    m_colors.assign(m_runs.size(), QColor());
    std::vector<std::size_t> order(m_runs.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
              [this](std::size_t a, std::size_t b) { return m_runs[a].id < m_runs[b].id; });
    std::set<QRgb> used;
    for (const std::size_t i : order) // colours given earlier in this session stay
        if (const auto found = m_colorByName.find(m_runs[i].name); found != m_colorByName.end()) {
            m_colors[i] = found->second;
            used.insert(found->second.rgb());
        }
    for (const std::size_t i : order) {
        if (m_colors[i].isValid()) continue;
        const int slot = runColorSlot(QString::fromStdString(m_runs[i].name));
        QColor color = runColor(slot); // every colour in use: share the preferred one
        for (int k = 0; k < kRunColorCount; ++k)
            if (const QColor candidate = runColor(slot + k); !used.contains(candidate.rgb())) {
                color = candidate;
                break;
            }
        m_colors[i] = color;
        used.insert(color.rgb());
        m_colorByName.emplace(m_runs[i].name, color);
    }
}

void RunTableModel::rebuildRows() {
    m_rows.clear();
    m_runRows.assign(m_runs.size(), -1);
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        m_runRows[i] = static_cast<int>(m_rows.size());
        m_rows.push_back({static_cast<int>(i), -1});
        if (!m_expanded.contains(m_runs[i].name)) continue;
        for (const int worker : m_workers[i])
            m_rows.push_back({static_cast<int>(i), worker});
    }
}

// Params that differ between runs tell runs apart; constant ones (same model everywhere) only take space.
// The worker_<N> params of distributed runs name log folders and are shown as worker rows instead.
void RunTableModel::chooseDefaultColumns() {
    const bool health = hasColumn(healthColumn());
    m_columns.clear();
    if (health) m_columns.push_back(healthColumn());
    QStringList varying;
    for (const QString& key : m_paramKeys) {
        if (workerNumber(key.toStdString())) continue;
        std::set<std::string> values;
        for (const RunInfo& run : m_runs) {
            const auto found = run.params.find(key.toStdString());
            values.insert(found == run.params.end() ? std::string("\x1f") : found->second);
        }
        if (values.size() > 1 || m_runs.size() == 1) varying << key;
    }
    for (int i = 0; i < varying.size() && i < kMaxDefaultParams; ++i)
        m_columns.push_back({RunColumn::Kind::Param, varying[i]});
    for (int i = 0; i < m_columnTags.size() && i < kMaxDefaultMetrics; ++i)
        m_columns.push_back({RunColumn::Kind::Metric, m_columnTags[i]});
}

const RunInfo* RunTableModel::runAt(int row) const {
    if (row < 0 || row >= static_cast<int>(m_rows.size())) return nullptr;
    return &m_runs[static_cast<std::size_t>(m_rows[static_cast<std::size_t>(row)].run)];
}

int RunTableModel::workerAt(int row) const {
    if (row < 0 || row >= static_cast<int>(m_rows.size())) return -1;
    return m_rows[static_cast<std::size_t>(row)].worker;
}

int RunTableModel::parentRowOf(int row) const {
    if (row < 0 || row >= static_cast<int>(m_rows.size())) return -1;
    return m_runRows[static_cast<std::size_t>(m_rows[static_cast<std::size_t>(row)].run)];
}

int RunTableModel::runIndexOf(std::int64_t runId) const {
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i].id == runId) return static_cast<int>(i);
    }
    return -1;
}

int RunTableModel::rowOfRun(std::int64_t runId) const {
    const int index = runIndexOf(runId);
    return index < 0 ? -1 : m_runRows[static_cast<std::size_t>(index)];
}

QString RunTableModel::distinctName(std::int64_t runId) const {
    const int runIndex = runIndexOf(runId);
    if (runIndex < 0 || static_cast<std::size_t>(runIndex) >= m_distinctNames.size()) return {};
    return m_distinctNames[static_cast<std::size_t>(runIndex)];
}

QColor RunTableModel::colorOf(std::int64_t runId) const {
    const int index = runIndexOf(runId);
    return index < 0 ? QColor() : m_colors[static_cast<std::size_t>(index)];
}

bool RunTableModel::isVisible(std::int64_t runId) const {
    const int index = runIndexOf(runId);
    if (index < 0) return false;
    const std::string& name = m_runs[static_cast<std::size_t>(index)].name;
    return !m_hidden.contains(name) && !m_filteredOut.contains(name);
}

void RunTableModel::setFilteredOut(std::set<std::string> names) {
    if (names == m_filteredOut) return;
    m_filteredOut = std::move(names);
    emit visibilityChanged();
}

void RunTableModel::setRunVisible(std::int64_t runId, bool visible) {
    const int index = runIndexOf(runId);
    if (index < 0) return;
    const std::string& name = m_runs[static_cast<std::size_t>(index)].name;
    if (m_hidden.contains(name) != visible) return; // the check box already says so
    if (visible)
        m_hidden.erase(name);
    else
        m_hidden.insert(name);
    const QModelIndex cell = this->index(rowOfRun(runId), kNameColumn);
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
    if (!m_rows.empty())
        emit dataChanged(index(0, kNameColumn), index(rowCount() - 1, kNameColumn), {Qt::CheckStateRole});
    emit visibilityChanged();
}

std::vector<const RunInfo*> RunTableModel::visibleRuns() const {
    std::vector<const RunInfo*> visible;
    for (const RunInfo& run : m_runs) {
        if (!m_hidden.contains(run.name) && !m_filteredOut.contains(run.name)) visible.push_back(&run);
    }
    return visible;
}

bool RunTableModel::hasWorkers(std::int64_t runId) const {
    return !workersOf(runId).empty();
}

std::vector<int> RunTableModel::workersOf(std::int64_t runId) const {
    const int index = runIndexOf(runId);
    return index < 0 ? std::vector<int>{} : m_workers[static_cast<std::size_t>(index)];
}

bool RunTableModel::isExpanded(std::int64_t runId) const {
    const int index = runIndexOf(runId);
    return index >= 0 && !m_workers[static_cast<std::size_t>(index)].empty() &&
           m_expanded.contains(m_runs[static_cast<std::size_t>(index)].name);
}

void RunTableModel::setExpanded(std::int64_t runId, bool expanded) {
    const int index = runIndexOf(runId);
    if (index < 0 || !hasWorkers(runId) || isExpanded(runId) == expanded) return;
    const auto runIndex = static_cast<std::size_t>(index);
    const int row = m_runRows[runIndex];
    const int count = static_cast<int>(m_workers[runIndex].size());
    if (expanded) {
        beginInsertRows({}, row + 1, row + count);
        m_expanded.insert(m_runs[runIndex].name);
        rebuildRows();
        endInsertRows();
    } else {
        beginRemoveRows({}, row + 1, row + count);
        m_expanded.erase(m_runs[runIndex].name);
        rebuildRows();
        endRemoveRows();
    }
    const QModelIndex cell = this->index(row, kNameColumn);
    emit dataChanged(cell, cell, {Qt::DisplayRole});
    emit visibilityChanged();
}

bool RunTableModel::isWorkerVisible(std::int64_t runId, int worker) const {
    const int index = runIndexOf(runId);
    if (index < 0) return false;
    const auto& workers = m_workers[static_cast<std::size_t>(index)];
    if (!std::binary_search(workers.begin(), workers.end(), worker)) return false;
    return !m_hiddenWorkers.contains({m_runs[static_cast<std::size_t>(index)].name, worker});
}

void RunTableModel::setWorkerVisible(std::int64_t runId, int worker, bool visible) {
    const int index = runIndexOf(runId);
    if (index < 0) return;
    const auto& workers = m_workers[static_cast<std::size_t>(index)];
    if (!std::binary_search(workers.begin(), workers.end(), worker)) return;
    if (isWorkerVisible(runId, worker) == visible) return;
    const std::pair<std::string, int> key{m_runs[static_cast<std::size_t>(index)].name, worker};
    if (visible)
        m_hiddenWorkers.erase(key);
    else
        m_hiddenWorkers.insert(key);
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        if (m_rows[row].run != index || m_rows[row].worker != worker) continue;
        const QModelIndex cell = this->index(static_cast<int>(row), kNameColumn);
        emit dataChanged(cell, cell, {Qt::CheckStateRole});
    }
    emit visibilityChanged();
}

QColor RunTableModel::workerColor(std::int64_t runId, int worker) const {
    const int index = runIndexOf(runId);
    if (index < 0) return {};
    const auto& workers = m_workers[static_cast<std::size_t>(index)];
    const auto found = std::lower_bound(workers.begin(), workers.end(), worker);
    if (found == workers.end() || *found != worker) return {};
    return shadeOf(m_colors[static_cast<std::size_t>(index)], static_cast<int>(found - workers.begin()),
                   static_cast<int>(workers.size()));
}

bool RunTableModel::hasColumn(const RunColumn& column) const {
    return std::find(m_columns.begin(), m_columns.end(), column) != m_columns.end();
}

void RunTableModel::setColumnShown(const RunColumn& column, bool shown) {
    if (hasColumn(column) == shown) return;
    if (column.kind == RunColumn::Kind::Health) {
        m_userRemovedHealth = !shown;
    } else {
        m_userChoseColumns = true;
    }
    beginResetModel();
    if (shown)
        m_columns.push_back(column);
    else
        std::erase(m_columns, column);
    endResetModel();
}

// The run's summary when it is not distributed; for a folded run, the workers agree on what was trained, so
// the mean of their last values stands for the run (the tooltip says so).
std::optional<double> RunTableModel::workerMean(const RunInfo& run, const std::string& tag) const {
    double sum = 0;
    int count = 0;
    for (const SeriesSummary& summary : run.series) {
        const auto split = splitWorkerTag(summary.tag);
        if (!split || split->first != tag || summary.points == 0) continue;
        sum += summary.last;
        ++count;
    }
    if (count == 0) return std::nullopt;
    return sum / count;
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 1 + static_cast<int>(m_columns.size());
}

void RunTableModel::setHealth(const std::map<std::int64_t, std::vector<HealthBadge>>& health) {
    m_health.clear();
    bool any = false;
    for (const RunInfo& run : m_runs) {
        const auto found = health.find(run.id);
        if (found == health.end() || found->second.empty()) continue;
        m_health[run.name] = found->second;
        any = true;
    }
    if (any && !m_userRemovedHealth && !hasColumn(healthColumn())) {
        beginInsertColumns({}, 1, 1);
        m_columns.insert(m_columns.begin(), healthColumn());
        endInsertColumns();
        emit healthChanged();
        return;
    }
    emit healthChanged();
    const auto it = std::find(m_columns.begin(), m_columns.end(), healthColumn());
    if (it == m_columns.end() || rowCount() == 0) return;
    const int column = 1 + static_cast<int>(it - m_columns.begin());
    emit dataChanged(index(0, column), index(rowCount() - 1, column));
}

std::vector<HealthBadge> RunTableModel::healthOf(std::int64_t runId) const {
    for (const RunInfo& run : m_runs) {
        if (run.id != runId) continue;
        const auto found = m_health.find(run.name);
        return found == m_health.end() ? std::vector<HealthBadge>{} : found->second;
    }
    return {};
}

bool RunTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    const RunInfo* run = runAt(index.row());
    if (!run || index.column() != kNameColumn || role != Qt::CheckStateRole) return false;
    const bool checked = value.toInt() == Qt::Checked;
    const int worker = workerAt(index.row());
    if (worker >= 0)
        setWorkerVisible(run->id, worker, checked);
    else
        setRunVisible(run->id, checked);
    return true;
}

Qt::ItemFlags RunTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags result = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == kNameColumn) result |= Qt::ItemIsUserCheckable;
    return result;
}

} // namespace runlens::ui
