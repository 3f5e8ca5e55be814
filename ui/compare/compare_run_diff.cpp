// The Compare tab's Runs page: the run diff (core's run_diff for params and tags) with its model, the
// comparability warnings (core's run_comparability) and the page itself.
#include "ui/compare/compare_run_diff.h"

#include "core/analysis/run_comparability.h"
#include "core/analysis/run_diff.h"
#include "ui/compare/compare_common.h"
#include "ui/compare/compare_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <QCheckBox>
#include <QColor>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

using compare::num;
using compare::writeRows;

namespace {

constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();

QString timeText(double seconds) {
    if (std::isnan(seconds)) return {};
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(seconds * 1000.0))
        .toUTC()
        .toString(Qt::ISODate);
}

void addRow(std::map<std::pair<int, QString>, DiffRow>& rows, int order, const QString& section,
            const QString& key, std::size_t run, std::size_t runs, const QString& value, double number) {
    DiffRow& row = rows[{order, key}];
    if (row.values.empty()) {
        row.section = section;
        row.key = key;
        row.values.resize(runs);
        row.numbers.assign(runs, kNaNd);
    }
    row.values[run] = value;
    row.numbers[run] = number;
}

// Params or tags of every run (maps[i] is run i's), aligned and parsed by core as `runlens diff` does.
void addKeyDiffs(std::map<std::pair<int, QString>, DiffRow>& rows, int order, const QString& section,
                 const std::vector<const std::map<std::string, std::string>*>& maps) {
    for (const KeyDiff& k : diffKeyedValues(maps))
        for (std::size_t i = 0; i < maps.size(); ++i)
            if (k.values[i])
                addRow(rows, order, section, QString::fromStdString(k.key), i, maps.size(),
                       QString::fromStdString(*k.values[i]), k.numbers[i]);
}

std::vector<std::vector<EvaluationSetSize>>
evaluationSetSizes(const std::vector<std::vector<PredictionTableInfo>>& evalSets) {
    std::vector<std::vector<EvaluationSetSize>> out;
    for (const auto& tables : evalSets) {
        auto& sizes = out.emplace_back();
        for (const auto& t : tables)
            sizes.push_back({t.name, t.rows});
    }
    return out;
}

} // namespace

std::vector<DiffRow> buildRunDiff(const std::vector<RunInfo>& runs) {
    std::map<std::pair<int, QString>, DiffRow> rows;
    const std::size_t n = runs.size();
    for (std::size_t i = 0; i < n; ++i) {
        const RunInfo& run = runs[i];
        const Provenance& p = run.provenance;
        auto prov = [&](int order, const char* key, const std::string& value) {
            if (!value.empty())
                addRow(rows, order, QStringLiteral("Provenance"), QString::fromLatin1(key), i, n,
                       QString::fromStdString(value), wholeNumber(value).value_or(kNaNd));
        };
        prov(0, "code_version", p.codeVersion);
        prov(0, "data_version", p.dataVersion);
        prov(0, "seed", p.seed);
        prov(0, "status", p.status);
        if (!std::isnan(p.startTime))
            addRow(rows, 0, QStringLiteral("Provenance"), QStringLiteral("start_time"), i, n,
                   timeText(p.startTime), p.startTime);
        if (!std::isnan(p.startTime) && !std::isnan(p.endTime))
            addRow(rows, 0, QStringLiteral("Provenance"), QStringLiteral("duration_s"), i, n,
                   num(p.endTime - p.startTime), p.endTime - p.startTime);
        prov(0, "format", p.format);
        prov(0, "source_path", p.sourcePath);
        for (const auto& s : run.series) {
            const QString tag = QString::fromStdString(s.tag);
            const std::pair<const char*, double> stats[] = {{"last", s.last}, {"min", s.min}, {"max", s.max}};
            for (const auto& [what, v] : stats)
                addRow(rows, 3, QStringLiteral("Metric"),
                       QStringLiteral("%1 (%2)").arg(tag, QLatin1String(what)), i, n, num(v, 8), v);
        }
    }
    std::vector<const std::map<std::string, std::string>*> params, tags;
    for (const RunInfo& run : runs) {
        params.push_back(&run.params);
        tags.push_back(&run.tags);
    }
    addKeyDiffs(rows, 1, QStringLiteral("Param"), params);
    addKeyDiffs(rows, 2, QStringLiteral("Tag"), tags);
    std::vector<DiffRow> out;
    out.reserve(rows.size());
    for (auto& [key, row] : rows) {
        row.differs = std::any_of(row.values.begin(), row.values.end(),
                                  [&](const std::optional<QString>& v) { return v != row.values.front(); });
        out.push_back(std::move(row));
    }
    return out;
}

QStringList comparabilityWarnings(const std::vector<RunInfo>& runs,
                                  const std::vector<std::vector<PredictionTableInfo>>& evalSets) {
    QStringList warnings;
    for (const std::string& warning : runlens::comparabilityWarnings(runs, evaluationSetSizes(evalSets)))
        warnings << QString::fromStdString(warning);
    return warnings;
}

// ---------------------------------------------------------------------------------------------------------------

RunDiffModel::RunDiffModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunDiffModel::setDiff(std::vector<DiffRow> rows, QStringList runNames) {
    beginResetModel();
    m_rows = std::move(rows);
    m_runNames = std::move(runNames);
    m_shown.clear();
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (!m_onlyDiffs || m_rows[i].differs) m_shown.push_back(i);
    endResetModel();
}

void RunDiffModel::setOnlyDifferences(bool only) {
    if (only == m_onlyDiffs) return;
    m_onlyDiffs = only;
    refilter();
}

void RunDiffModel::refilter() {
    beginResetModel();
    m_shown.clear();
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (!m_onlyDiffs || m_rows[i].differs) m_shown.push_back(i);
    endResetModel();
}

int RunDiffModel::rowOf(const QString& section, const QString& key) const {
    for (std::size_t r = 0; r < m_shown.size(); ++r) {
        const DiffRow& row = m_rows[m_shown[r]];
        if (row.section == section && row.key == key) return static_cast<int>(r);
    }
    return -1;
}

int RunDiffModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_shown.size());
}

int RunDiffModel::columnCount(const QModelIndex& parent) const {
    if (parent.isValid()) return 0;
    return kFirstRunColumn + static_cast<int>(m_runNames.size()) + (hasDeltaColumns() ? 2 : 0);
}

QString RunDiffModel::cellText(const DiffRow& row, int column) const {
    if (column == kSectionColumn) return row.section;
    if (column == kKeyColumn) return row.key;
    const int run = column - kFirstRunColumn;
    if (run < static_cast<int>(row.values.size())) {
        const auto& v = row.values[static_cast<std::size_t>(run)];
        return v ? *v : QString();
    }
    const double a = row.numbers[0], b = row.numbers[1];
    if (std::isnan(a) || std::isnan(b)) return {};
    if (run == static_cast<int>(row.values.size())) return num(b - a);
    if (a == 0) return {};
    return num((b - a) / std::abs(a) * 100.0, 4) + QLatin1Char('%');
}

QVariant RunDiffModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const DiffRow& row = rowAt(index.row());
    const int run = index.column() - kFirstRunColumn;
    const bool runCell = run >= 0 && run < static_cast<int>(row.values.size());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: {
        const QString text = cellText(row, index.column());
        if (runCell && !row.values[static_cast<std::size_t>(run)])
            return role == Qt::ToolTipRole ? QStringLiteral("missing") : QStringLiteral("—");
        return text;
    }
    case Qt::BackgroundRole:
        // A run's cell is highlighted where it differs from A's value.
        if (runCell && run > 0 && row.values[static_cast<std::size_t>(run)] != row.values[0])
            return QColor(255, 190, 0, 80);
        return {};
    case Qt::FontRole:
        if (index.column() == kKeyColumn && row.differs) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (runCell && !std::isnan(row.numbers[static_cast<std::size_t>(run)]))
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant RunDiffModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == kSectionColumn) return tr("Kind");
    if (section == kKeyColumn) return tr("Key");
    const int run = section - kFirstRunColumn;
    if (run < static_cast<int>(m_runNames.size())) {
        const QString letter = run == 0   ? QStringLiteral("A: ")
                               : run == 1 ? QStringLiteral("B: ")
                                          : QString();
        return letter + m_runNames[run];
    }
    return run == static_cast<int>(m_runNames.size()) ? tr("Δ (B − A)") : tr("Change %");
}

bool RunDiffModel::writeCsv(const QString& path, QString* error) const {
    std::vector<QStringList> rows;
    QStringList header;
    for (int c = 0; c < columnCount(); ++c)
        header << headerData(c, Qt::Horizontal).toString();
    rows.push_back(header);
    for (int r = 0; r < rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < columnCount(); ++c)
            cells << cellText(rowAt(r), c);
        rows.push_back(cells);
    }
    return writeRows(path, rows, error);
}

// ---------------------------------------------------------------------------------------------------------------

QWidget* CompareView::buildRunsPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* bar = new QHBoxLayout;
    m_onlyDiffs = new QCheckBox(tr("Show only &differences"), page);
    m_onlyDiffs->setChecked(true);
    bar->addWidget(m_onlyDiffs);
    bar->addStretch(1);
    bar->addWidget(exportButton(tr("diff"), nullptr,
                                [this](const QString& p, QString* e) { return exportDiffCsv(p, e); }));
    layout->addLayout(bar);
    m_diffModel = new RunDiffModel(page);
    m_diffTable = new QTableView(page);
    m_diffTable->setModel(m_diffModel);
    m_diffTable->setAlternatingRowColors(true);
    m_diffTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_diffTable->verticalHeader()->setDefaultSectionSize(m_diffTable->fontMetrics().height() + 6);
    m_diffTable->verticalHeader()->hide();
    m_diffTable->horizontalHeader()->setStretchLastSection(true);
    m_diffTable->setWordWrap(false);
    layout->addWidget(m_diffTable, 1);
    connect(m_onlyDiffs, &QCheckBox::toggled, m_diffModel, &RunDiffModel::setOnlyDifferences);
    return page;
}

void CompareView::refreshDiff() {
    QStringList names;
    for (const auto& r : m_runs)
        names << QString::fromStdString(r.name);
    m_diffModel->setDiff(buildRunDiff(m_runs), names);
    m_diffTable->resizeColumnsToContents();
    for (int c = 0; c < m_diffModel->columnCount(); ++c)
        m_diffTable->setColumnWidth(c, std::min(m_diffTable->columnWidth(c), 320));
}

bool CompareView::exportDiffCsv(const QString& path, QString* error) const {
    return m_diffModel->writeCsv(path, error);
}

} // namespace runlens::ui
