// The Compare tab: run diff with comparability warnings, curves or their difference, paired tests and
// ensemble.
#include "ui/compare/compare_view.h"

#include "core/analysis/binary_metrics.h"
#include "core/analysis/curve_difference.h"
#include "core/analysis/ensemble_members.h"
#include "core/analysis/evaluation_set.h"
#include "core/analysis/run_comparability.h"
#include "core/analysis/run_diff.h"
#include "core/analysis/slices.h"
#include "ui/calibration/calibration_chart.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/runs/run_filter.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/view_context.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QTextStream>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace runlens::ui {

namespace {

constexpr double kNaNd = std::numeric_limits<double>::quiet_NaN();
constexpr int kDrawPixels = 1600;

QString num(double v, int digits = 6) {
    if (std::isnan(v)) return QStringLiteral("—");
    return QString::number(v, 'g', digits);
}

std::string stdNum(double v) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.15g", v);
    return buffer;
}

// Opens a text file for writing; on failure fills error.
bool openForWrite(QFile& file, QString* error) {
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return true;
    if (error) *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
    return false;
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

// Ids as the paired engine reads them, so the flips list shows the ids that were matched.
std::vector<std::string> idsOf(const PredictionTable& table) {
    return exampleIds(table);
}

// What each model said about a row: its logged class, a binary score, or a multiclass set's top class with
// its probability ("dog (0.62)").
std::vector<std::string> cellsOf(const EvaluationSet& e) {
    std::vector<std::string> out(e.rows());
    for (std::size_t r = 0; r < e.rows(); ++r) {
        if (!e.predictions.empty())
            out[r] = e.classes[static_cast<std::size_t>(e.predictions[r])];
        else if (!e.multiclass)
            out[r] = QString::number(e.scores[r], 'g', 6).toStdString();
        else
            out[r] = topClassText(e, r);
    }
    return out;
}

struct AnalysisInput {
    QString evalSet;
    std::vector<QString> names; // compared runs holding the set; A and B first
    std::vector<std::shared_ptr<const PredictionTable>> tables;
    SliceMetric metric = SliceMetric::Accuracy;
    int resamples = 1000;
    std::uint64_t seed = 20261126;
};

struct Extracted {
    EvaluationSet eval;
    QString error;
};

Extracted extract(const PredictionTable& table, const QString& name) {
    Extracted out;
    auto result = extractEvaluationSet(table);
    if (!result.ok())
        out.error = name + QStringLiteral(": ") + QString::fromStdString(result.errors.front().describe());
    else
        out.eval = std::move(result.set);
    return out;
}

// The ensemble what-if of core's ensembleOfRuns, with the note the Ensemble page shows above it.
void computeEnsemble(const AnalysisInput& in, const std::vector<Extracted>& sets, PairedAnalysis& out) {
    std::vector<EnsembleCandidate> candidates;
    for (std::size_t m = 0; m < sets.size(); ++m)
        candidates.push_back({in.names[m].toStdString(), in.tables[m].get(),
                              sets[m].error.isEmpty() ? &sets[m].eval : nullptr});
    EnsembleOfRuns result = ensembleOfRuns(candidates);
    out.ensembleMulticlass = result.multiclass;
    for (const auto& name : result.members)
        out.ensembleMembers << QString::fromStdString(name);
    out.ensemble = std::move(result.binary);
    out.ensemble.error = result.error;
    out.ensembleOfClasses = std::move(result.ofClasses);
    const QString kind = out.ensembleMulticlass ? QStringLiteral("class probabilities over the same classes")
                                                : QStringLiteral("binary scores");
    QStringList skipped;
    for (const auto& name : result.leftOut)
        skipped << QString::fromStdString(name);
    if (!skipped.isEmpty())
        out.ensembleNote =
            QStringLiteral("Left out (no %1, or unreadable): %2. ").arg(kind, skipped.join(", "));
    if (result.members.size() < 2) {
        out.ensembleNote +=
            QStringLiteral("An ensemble needs two or more runs with %1 on this set.").arg(kind);
        return;
    }
    if (out.ensembleMulticlass)
        out.ensembleNote +=
            QStringLiteral("Correct = the top class is the label; precision, recall and F1 are "
                           "macro averages, roc_auc one-vs-rest. ");
    out.ensembleNote +=
        QStringLiteral("%1 examples shared by all %2 members.").arg(result.shared).arg(result.members.size());
    if (result.labelDisagreements > 0)
        out.ensembleNote +=
            QStringLiteral(" Warning: %1 labels differ between members (the first run's are used).")
                .arg(result.labelDisagreements);
}

std::shared_ptr<const PairedAnalysis> analyse(const AnalysisInput& in) {
    auto out = std::make_shared<PairedAnalysis>();
    out->evalSet = in.evalSet;
    out->nameA = in.names[0];
    out->nameB = in.names[1];
    out->tableA = in.tables[0];
    out->tableB = in.tables[1];
    std::vector<Extracted> sets;
    for (std::size_t m = 0; m < in.tables.size(); ++m)
        sets.push_back(extract(*in.tables[m], in.names[m]));
    computeEnsemble(in, sets, *out);
    if (!sets[0].error.isEmpty() || !sets[1].error.isEmpty()) {
        out->error = !sets[0].error.isEmpty() ? sets[0].error : sets[1].error;
        return out;
    }
    const EvaluationSet& ea = sets[0].eval;
    const EvaluationSet& eb = sets[1].eval;
    out->classesA = ea.classes;
    out->labelsA = ea.labels;
    out->cellsA = cellsOf(ea);
    out->cellsB = cellsOf(eb);
    out->idsA = idsOf(*in.tables[0]);
    // The one paired engine `runlens diff` uses: same alignment rules, same tests, same seed.
    PairedOptions options;
    options.metric = in.metric;
    options.resamples = in.resamples;
    options.seed = in.seed;
    std::string error;
    auto paired = comparePaired(*in.tables[0], ea, *in.tables[1], eb, options, &error);
    if (!paired) {
        out->error = QString::fromStdString(error);
        return out;
    }
    out->paired = std::move(*paired);
    if (!ea.multiclass && !eb.multiclass && ea.hasScores() && eb.hasScores()) {
        // The same defaults as `runlens calibration`: 10 uniform bins, Wilson intervals.
        out->calibrationA = calibrationReport(ea.labels, ea.scores);
        out->calibrationB = calibrationReport(eb.labels, eb.scores);
    }
    return out;
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

QColor correlationColor(double r) {
    if (std::isnan(r)) return {};
    // Stronger error correlation means less to gain from averaging: warmer colour.
    const int alpha = static_cast<int>(std::clamp(std::abs(r), 0.0, 1.0) * 150.0);
    return r >= 0 ? QColor(220, 80, 60, alpha) : QColor(60, 120, 220, alpha);
}

void fillMatrix(QTableWidget* table, const QStringList& names, const CorrelationMatrix& m) {
    table->clear();
    table->setRowCount(static_cast<int>(m.k));
    table->setColumnCount(static_cast<int>(m.k));
    table->setHorizontalHeaderLabels(names);
    table->setVerticalHeaderLabels(names);
    for (std::size_t i = 0; i < m.k; ++i) {
        for (std::size_t j = 0; j < m.k; ++j) {
            auto* item = readOnlyItem(num(m.at(i, j), 3));
            item->setTextAlignment(Qt::AlignCenter);
            if (const QColor c = correlationColor(m.at(i, j)); c.isValid()) item->setBackground(c);
            table->setItem(static_cast<int>(i), static_cast<int>(j), item);
        }
    }
}

const QStringList kMetricHeaders{"accuracy", "precision", "recall",  "f1",
                                 "log_loss", "brier",     "roc_auc", "average_precision"};

QStringList metricCells(const BinaryMetrics& m) {
    const double v[] = {m.accuracy, m.precision, m.recall, m.f1,
                        m.logLoss,  m.brier,     m.rocAuc, m.averagePrecision};
    QStringList out;
    for (double x : v)
        out << num(x, 6);
    return out;
}

// Multiclass in the same columns: macro precision, recall and F1, one-vs-rest macro AUC, no average
// precision.
QStringList metricCells(const MulticlassMetrics& m) {
    const double v[] = {m.accuracy, m.macro.precision, m.macro.recall,   m.macro.f1,
                        m.logLoss,  m.brier,           m.rocAucOvrMacro, kNaNd};
    QStringList out;
    for (double x : v)
        out << num(x, 6);
    return out;
}

// The ensemble panel's table, whichever kind the members are: one row per member, then the average and
// the vote.
struct EnsembleTable {
    std::vector<QStringList> rows;
    std::size_t members = 0;
    const CorrelationMatrix* errors = nullptr;
    const CorrelationMatrix* residuals = nullptr;
};

EnsembleTable ensembleTable(const PairedAnalysis& p) {
    EnsembleTable t;
    const auto fill = [&t](const auto& report) {
        for (const auto& m : report.members)
            t.rows.push_back(metricCells(m));
        t.members = report.members.size();
        t.rows.push_back(metricCells(report.average));
        t.rows.push_back(metricCells(report.majorityVote));
        t.errors = &report.errorCorrelation;
        t.residuals = &report.residualCorrelation;
    };
    if (p.ensembleMulticlass)
        fill(p.ensembleOfClasses);
    else
        fill(p.ensemble);
    return t;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------

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

FlipsModel::FlipsModel(QObject* parent) : QAbstractTableModel(parent) {}

void FlipsModel::setAnalysis(std::shared_ptr<const PairedAnalysis> analysis) {
    beginResetModel();
    m_analysis = std::move(analysis);
    m_features.clear();
    if (m_analysis && m_analysis->tableA)
        for (std::size_t c = 0; c < m_analysis->tableA->columns.size(); ++c)
            if (m_analysis->tableA->columns[c].role == ColumnRole::Feature) m_features.push_back(c);
    endResetModel();
}

int FlipsModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_analysis || !m_analysis->error.isEmpty()) return 0;
    return static_cast<int>(m_analysis->paired.flips.size());
}

int FlipsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 4 + static_cast<int>(m_features.size());
}

QVariant FlipsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole) || index.row() >= rowCount())
        return {};
    const PairedAnalysis& p = *m_analysis;
    const std::size_t i = p.paired.flips[static_cast<std::size_t>(index.row())];
    const std::size_t ra = p.paired.alignment.pairs.rowsA[i], rb = p.paired.alignment.pairs.rowsB[i];
    switch (index.column()) {
    case 0:
        return p.idsA.empty() ? QString::number(ra) : QString::fromStdString(p.idsA[ra]);
    case 1:
        return QString::fromStdString(p.classesA[static_cast<std::size_t>(p.labelsA[ra])]);
    case 2:
        return QString::fromStdString(p.cellsA[ra]);
    case 3:
        return QString::fromStdString(p.cellsB[rb]);
    default:
        break;
    }
    const PredictionColumn& c = p.tableA->columns[m_features[static_cast<std::size_t>(index.column() - 4)]];
    if (c.numeric)
        return std::isnan(c.numbers[ra]) ? QString() : QString::fromStdString(stdNum(c.numbers[ra]));
    return c.codes[ra] < 0 ? QString()
                           : QString::fromStdString(c.dictionary[static_cast<std::size_t>(c.codes[ra])]);
}

QVariant FlipsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case 0:
        return m_analysis && !m_analysis->idsA.empty() ? tr("id") : tr("row");
    case 1:
        return tr("label");
    case 2:
        return m_analysis ? QStringLiteral("A: %1").arg(m_analysis->nameA) : tr("A");
    case 3:
        return m_analysis ? QStringLiteral("B: %1").arg(m_analysis->nameB) : tr("B");
    default:
        break;
    }
    const auto f = static_cast<std::size_t>(section - 4);
    if (!m_analysis || f >= m_features.size()) return {};
    return QString::fromStdString(m_analysis->tableA->columns[m_features[f]].name);
}

// ---------------------------------------------------------------------------------------------------------------

CompareView::CompareView(ViewContext* window, QWidget* parent)
    : QWidget(parent), m_window(window), m_refreshTimer(new QTimer(this)),
      m_watcher(new QFutureWatcher<std::shared_ptr<const PairedAnalysis>>(this)) {
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(50);
    connect(m_refreshTimer, &QTimer::timeout, this, &CompareView::refresh);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &CompareView::onAnalysisDone);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    m_emptyHint = new QLabel(this);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_stack->addWidget(m_emptyHint);

    auto* content = new QWidget(this);
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto* header = new QHBoxLayout;
    m_pickA = new QComboBox(content);
    m_pickB = new QComboBox(content);
    for (QComboBox* combo : {m_pickA, m_pickB}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(20); // long run names must not set the window's minimum width
    }
    m_pickA->setObjectName("compareA");
    m_pickB->setObjectName("compareB");
    m_pickA->setToolTip(tr("The reference run A, one of the compared runs"));
    m_pickB->setToolTip(tr("The run B compared with A"));
    auto* labelA = new QLabel(tr("<b>&A:</b>"), content);
    labelA->setBuddy(m_pickA);
    auto* labelB = new QLabel(tr("<b>&B:</b>"), content);
    labelB->setBuddy(m_pickB);
    connect(m_pickA, &QComboBox::activated, this, [this](int index) { pick(true, index); });
    connect(m_pickB, &QComboBox::activated, this, [this](int index) { pick(false, index); });
    header->addWidget(labelA);
    header->addWidget(m_pickA);
    header->addWidget(labelB);
    header->addWidget(m_pickB);
    m_runsHeader = new QLabel(content);
    m_runsHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runsHeader->setWordWrap(true); // long run names must not set the window's minimum width
    m_swap = new QToolButton(content);
    m_swap->setText(tr("&Swap A ↔ B"));
    m_swap->setToolTip(tr("Make B the reference run (Alt+S)"));
    connect(m_swap, &QToolButton::clicked, this, &CompareView::swapAB);
    header->addWidget(m_runsHeader, 1);
    header->addWidget(m_swap);
    contentLayout->addLayout(header);
    m_banner = new QLabel(content);
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #fff3cd; color: #5c4400; border: 1px solid "
                                           "#e0c060; border-radius: 3px; padding: 6px; }"));
    m_banner->hide();
    contentLayout->addWidget(m_banner);
    m_pages = new QTabWidget(content);
    m_pages->addTab(buildRunsPage(), tr("Runs"));
    m_pages->addTab(buildCurvesPage(), tr("Curves"));
    m_pages->addTab(buildPredictionsPage(), tr("Predictions"));
    m_pages->addTab(buildEnsemblePage(), tr("Ensemble what-if"));
    contentLayout->addWidget(m_pages, 1);
    m_stack->addWidget(content);

    connect(window, &ViewContext::workspaceChanged, this, &CompareView::scheduleRefresh);
    connect(window, &ViewContext::runsChanged, this, &CompareView::scheduleRefresh);
    connect(window, &ViewContext::importFinished, this, &CompareView::scheduleRefresh);
    connect(window->runModel(), &RunTableModel::visibilityChanged, this, &CompareView::scheduleRefresh);
    connect(window->runModel(), &QAbstractItemModel::modelReset, this, &CompareView::scheduleRefresh);
    if (auto* selection = window->runTable()->selectionModel())
        connect(selection, &QItemSelectionModel::selectionChanged, this, &CompareView::scheduleRefresh);
    m_emptyHint->setText(tr("Compare needs two or more runs."));
}

CompareView::~CompareView() {
    m_watcher->waitForFinished();
}

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

QWidget* CompareView::buildCurvesPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* bar = new QHBoxLayout;
    m_tagBox = new QComboBox(page);
    m_tagBox->setMinimumContentsLength(24);
    m_xBox = new QComboBox(page);
    m_xBox->setMinimumContentsLength(16);
    m_difference = new QCheckBox(tr("Difference &B − A"), page);
    m_difference->setToolTip(tr("Draw B minus A on a common grid (linear interpolation)"));
    auto* tagLabel = new QLabel(tr("&Metric:"), page);
    tagLabel->setBuddy(m_tagBox);
    auto* xLabel = new QLabel(tr("&X axis:"), page);
    xLabel->setBuddy(m_xBox);
    bar->addWidget(tagLabel);
    bar->addWidget(m_tagBox);
    bar->addWidget(xLabel);
    bar->addWidget(m_xBox);
    bar->addWidget(m_difference);
    bar->addStretch(1);
    bar->addWidget(exportButton(
        tr("curves"), [this](const QString& p, QString* e) { return exportCurveChart(p, e); },
        [this](const QString& p, QString* e) { return exportCurveCsv(p, e); }));
    layout->addLayout(bar);
    m_curveNote = new QLabel(page);
    m_curveNote->setWordWrap(true);
    m_curveNote->hide();
    layout->addWidget(m_curveNote);
    m_curveView = new InteractiveChartView(page);
    layout->addWidget(m_curveView, 1);
    connect(m_tagBox, &QComboBox::currentIndexChanged, this, &CompareView::refreshCurves);
    connect(m_xBox, &QComboBox::currentIndexChanged, this, &CompareView::refreshCurves);
    connect(m_difference, &QCheckBox::toggled, this, &CompareView::refreshCurves);
    return page;
}

QWidget* CompareView::buildPredictionsPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* bar = new QHBoxLayout;
    m_evalSetBox = new QComboBox(page);
    m_metricBox = new QComboBox(page);
    for (const char* m : {"accuracy", "error_rate", "f1", "auc", "log_loss", "brier"})
        m_metricBox->addItem(QString::fromLatin1(m));
    m_seed = new QSpinBox(page);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(20261126);
    m_resamples = new QSpinBox(page);
    m_resamples->setRange(10, 1000000);
    m_resamples->setValue(1000); // the default of `runlens diff`
    m_resamples->setSingleStep(500);
    auto label = [&](const QString& text, QWidget* buddy) {
        auto* l = new QLabel(text, page);
        l->setBuddy(buddy);
        bar->addWidget(l);
        bar->addWidget(buddy);
    };
    label(tr("&Evaluation set:"), m_evalSetBox);
    label(tr("Bootstrap &metric:"), m_metricBox);
    label(tr("Resam&ples:"), m_resamples);
    label(tr("S&eed:"), m_seed);
    bar->addStretch(1);
    layout->addLayout(bar);

    m_predStack = new QStackedWidget(page);
    m_predHint = new QLabel(page);
    m_predHint->setAlignment(Qt::AlignCenter);
    m_predHint->setWordWrap(true);
    m_predStack->addWidget(m_predHint);

    auto* body = new QSplitter(Qt::Horizontal, page);
    auto* left = new QWidget(body);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_contingency = makeTable(left);
    m_contingency->setRowCount(2);
    m_contingency->setColumnCount(2);
    m_contingency->setHorizontalHeaderLabels({tr("B correct"), tr("B wrong")});
    m_contingency->setVerticalHeaderLabels({tr("A correct"), tr("A wrong")});
    m_contingency->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_contingency->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_contingency->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_contingency->setFixedHeight(m_contingency->horizontalHeader()->sizeHint().height() +
                                  2 * m_contingency->verticalHeader()->defaultSectionSize() +
                                  2 * m_contingency->frameWidth() + 2);
    m_contingency->setMaximumWidth(260);
    m_pairedSummary = new QLabel(left);
    m_pairedSummary->setWordWrap(true);
    m_pairedSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_pairedSummary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    top->addWidget(m_contingency);
    top->addWidget(m_pairedSummary, 1);
    leftLayout->addLayout(top);

    auto* flipsBar = new QHBoxLayout;
    m_flipsCount = new QLabel(left);
    m_flipsFilter = new QLineEdit(left);
    m_flipsFilter->setPlaceholderText(tr("Filter flipped examples (regular expression over every column)"));
    m_flipsFilter->setClearButtonEnabled(true);
    flipsBar->addWidget(m_flipsCount);
    flipsBar->addWidget(m_flipsFilter, 1);
    flipsBar->addWidget(exportButton(tr("flipped examples"), nullptr,
                                     [this](const QString& p, QString* e) { return exportFlipsCsv(p, e); }));
    leftLayout->addLayout(flipsBar);
    m_flipsModel = new FlipsModel(left);
    m_flipsProxy = new QSortFilterProxyModel(left);
    m_flipsProxy->setSourceModel(m_flipsModel);
    m_flipsProxy->setFilterKeyColumn(-1);
    m_flipsProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_flipsTable = new QTableView(left);
    m_flipsTable->setModel(m_flipsProxy);
    m_flipsTable->setSortingEnabled(true);
    m_flipsTable->setAlternatingRowColors(true);
    m_flipsTable->horizontalHeader()->setStretchLastSection(true);
    m_flipsTable->verticalHeader()->hide();
    m_flipsTable->verticalHeader()->setDefaultSectionSize(m_flipsTable->fontMetrics().height() + 6);
    leftLayout->addWidget(m_flipsTable, 2);
    connect(m_flipsFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        QRegularExpression re(text, QRegularExpression::CaseInsensitiveOption);
        m_flipsProxy->setFilterRegularExpression(re.isValid() ? re : QRegularExpression());
        m_flipsCount->setText(
            tr("%1 of %2 flipped").arg(m_flipsProxy->rowCount()).arg(m_flipsModel->rowCount()));
    });

    auto* slicesLabel =
        new QLabel(tr("Slices whose accuracy changed significantly (Benjamini-Hochberg q < 0.05):"), left);
    slicesLabel->setWordWrap(true); // long labels wrap instead of widening the page
    leftLayout->addWidget(slicesLabel);
    m_sliceTable = makeTable(left);
    m_sliceTable->setColumnCount(7);
    m_sliceTable->setHorizontalHeaderLabels(
        {tr("slice"), tr("n"), tr("accuracy A"), tr("accuracy B"), tr("Δ (B − A)"), tr("p"), tr("q")});
    m_sliceTable->verticalHeader()->hide();
    leftLayout->addWidget(m_sliceTable, 1);
    m_classFlipsLabel = new QLabel(
        tr("Per true class: examples B fixes and breaks, McNemar's exact test on that class:"), left);
    m_classFlipsLabel->setWordWrap(true);
    leftLayout->addWidget(m_classFlipsLabel);
    m_classFlipsTable = makeTable(left);
    m_classFlipsTable->setObjectName("classFlips");
    m_classFlipsTable->setColumnCount(6);
    m_classFlipsTable->setHorizontalHeaderLabels({tr("class"), tr("n"), tr("fixed (A wrong, B right)"),
                                                  tr("broken (A right, B wrong)"), tr("both wrong"),
                                                  tr("p")});
    m_classFlipsTable->verticalHeader()->hide();
    leftLayout->addWidget(m_classFlipsTable, 1);
    m_classFlipsLabel->hide();
    m_classFlipsTable->hide();

    auto* right = new QWidget(body);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* calBar = new QHBoxLayout;
    calBar->addWidget(new QLabel(tr("Calibration of A and B"), right));
    calBar->addStretch(1);
    calBar->addWidget(exportButton(
        tr("calibration"), [this](const QString& p, QString* e) { return exportCalibrationChart(p, e); },
        [this](const QString& p, QString* e) { return exportCalibrationCsv(p, e); }));
    rightLayout->addLayout(calBar);
    m_calibrationView = new InteractiveChartView(right);
    m_calibrationView->setMinimumWidth(320);
    rightLayout->addWidget(m_calibrationView, 1);
    body->addWidget(left);
    body->addWidget(right);
    body->setStretchFactor(0, 1);
    body->setStretchFactor(1, 1);
    m_predStack->addWidget(body);
    layout->addWidget(m_predStack, 1);

    connect(m_evalSetBox, &QComboBox::currentIndexChanged, this, &CompareView::startAnalysis);
    connect(m_metricBox, &QComboBox::currentIndexChanged, this, &CompareView::startAnalysis);
    connect(m_seed, &QSpinBox::valueChanged, this, &CompareView::startAnalysis);
    connect(m_resamples, &QSpinBox::valueChanged, this, &CompareView::startAnalysis);
    return page;
}

QWidget* CompareView::buildEnsemblePage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* bar = new QHBoxLayout;
    m_ensembleNote = new QLabel(page);
    m_ensembleNote->setWordWrap(true);
    bar->addWidget(m_ensembleNote, 1);
    bar->addWidget(exportButton(tr("ensemble"), nullptr,
                                [this](const QString& p, QString* e) { return exportEnsembleCsv(p, e); }));
    layout->addLayout(bar);
    auto* matrices = new QHBoxLayout;
    auto* errBox = new QVBoxLayout;
    m_errorCorrLabel = new QLabel(page);
    m_errorCorrLabel->setWordWrap(true);
    errBox->addWidget(m_errorCorrLabel);
    m_errorCorr = makeTable(page);
    errBox->addWidget(m_errorCorr);
    auto* resBox = new QVBoxLayout;
    m_residualCorrLabel = new QLabel(page);
    m_residualCorrLabel->setWordWrap(true);
    resBox->addWidget(m_residualCorrLabel);
    m_residualCorr = makeTable(page);
    resBox->addWidget(m_residualCorr);
    matrices->addLayout(errBox);
    matrices->addLayout(resBox);
    layout->addLayout(matrices, 1);
    m_ensembleMetricsLabel = new QLabel(page);
    m_ensembleMetricsLabel->setWordWrap(true);
    layout->addWidget(m_ensembleMetricsLabel);
    setEnsembleCaptions(false);
    m_ensembleMetrics = makeTable(page);
    layout->addWidget(m_ensembleMetrics, 1);
    return page;
}

QToolButton* CompareView::exportButton(const QString& what,
                                       std::function<bool(const QString&, QString*)> image,
                                       std::function<bool(const QString&, QString*)> csv) {
    auto* button = new QToolButton(this);
    button->setText(tr("Export"));
    button->setToolTip(tr("Export the %1").arg(what));
    button->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(button);
    auto ask = [this, what](const QString& suffix,
                            const std::function<bool(const QString&, QString*)>& write) {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export %1").arg(what),
                                         QStringLiteral("%1.%2").arg(QString(what).replace(' ', '_'), suffix),
                                         QStringLiteral("*.%1").arg(suffix));
        if (path.isEmpty()) return;
        QString error;
        if (!write(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
    };
    if (image) {
        for (const char* suffix : {"png", "svg", "pdf"})
            menu->addAction(tr("Export %1…").arg(QString::fromLatin1(suffix).toUpper()), this,
                            [ask, image, suffix] { ask(QString::fromLatin1(suffix), image); });
    }
    menu->addAction(tr("Export data as CSV…"), this, [ask, csv] { ask(QStringLiteral("csv"), csv); });
    button->setMenu(menu);
    return button;
}

// ---------------------------------------------------------------------------------------------------------------

void CompareView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_dirty) m_refreshTimer->start();
}

void CompareView::scheduleRefresh() {
    m_dirty = true;
    if (isVisible()) m_refreshTimer->start();
}

void CompareView::refreshNow() {
    m_refreshTimer->stop();
    refresh();
}

bool CompareView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

std::vector<RunInfo> CompareView::chooseRuns() const {
    std::vector<RunInfo> out;
    RunTableModel* model = m_window->runModel();
    std::vector<int> rows;
    if (auto* selection = m_window->runTable()->selectionModel()) {
        for (const QModelIndex& index : selection->selectedRows())
            rows.push_back(index.row());
    }
    if (rows.size() >= 2) {
        std::sort(rows.begin(), rows.end()); // A is the selected run shown first in the table
        for (int proxyRow : rows) {
            const QModelIndex source = m_window->runProxy()->mapToSource(
                m_window->runProxy()->index(proxyRow, RunTableModel::kNameColumn));
            const RunInfo* run = model->runAt(source.row()); // a worker row stands for its run
            const bool seen = run && std::any_of(out.begin(), out.end(),
                                                 [&](const RunInfo& chosen) { return chosen.id == run->id; });
            if (run && !seen) out.push_back(*run);
        }
        if (out.size() >= 2) return out;
        out.clear();
    }
    for (const RunInfo* run : model->visibleRuns())
        out.push_back(*run);
    return out;
}

void CompareView::swapAB() {
    if (m_runs.size() < 2) return;
    m_chosenA = m_runs[1].id;
    m_chosenB = m_runs[0].id;
    refreshNow();
}

// A run picked as A or B; picking the other side's run swaps the two.
void CompareView::pick(bool a, int index) {
    if (m_runs.size() < 2 || index < 0) return;
    const std::int64_t id = (a ? m_pickA : m_pickB)->itemData(index).toLongLong();
    const std::int64_t other = a ? m_runs[1].id : m_runs[0].id;
    const std::int64_t previous = a ? m_runs[0].id : m_runs[1].id;
    m_chosenA = a ? id : (id == m_runs[0].id ? previous : m_runs[0].id);
    m_chosenB = a ? (id == other ? previous : other) : id;
    refreshNow();
}

void CompareView::refresh() {
    m_dirty = false;
    Workspace* ws = m_window->workspace();
    m_runs = ws ? chooseRuns() : std::vector<RunInfo>{};
    // The picked A and B come first when they are still among the compared runs.
    const auto moveTo = [this](std::int64_t id, std::size_t position) {
        const auto it = std::find_if(m_runs.begin() + static_cast<std::ptrdiff_t>(position), m_runs.end(),
                                     [id](const RunInfo& r) { return r.id == id; });
        if (it != m_runs.end())
            std::rotate(m_runs.begin() + static_cast<std::ptrdiff_t>(position), it, it + 1);
    };
    if (m_runs.size() >= 2) {
        moveTo(m_chosenA, 0);
        moveTo(m_chosenB, 1);
    }
    m_evalSets.clear();
    if (!ws) {
        m_emptyHint->setText(
            tr("No workspace is open: open one (Ctrl+O) or drop log folders onto the window."));
    } else if (m_runs.size() < 2) {
        m_emptyHint->setText(
            tr("Compare needs two or more runs: select them in the run table (Ctrl+click) or tick "
               "their visibility boxes. The first is A, the second B."));
    }
    if (!ws || m_runs.size() < 2) {
        m_stack->setCurrentIndex(0);
        m_runs.clear();
        m_diffModel->setDiff({}, {});
        m_paired.reset();
        m_flipsModel->setAnalysis(nullptr);
        return;
    }
    for (const RunInfo& run : m_runs) {
        try {
            m_evalSets.push_back(ws->predictionTables(run.id));
        } catch (const WorkspaceError&) {
            m_evalSets.emplace_back();
        }
    }
    m_stack->setCurrentIndex(1);
    updateRunsHeader();
    refreshDiff();
    const QStringList warnings = comparabilityWarnings(m_runs, m_evalSets);
    m_banner->setText(QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")));
    m_banner->setVisible(!warnings.isEmpty());
    refreshCurveChoices();
    refreshEvalSets();
}

void CompareView::updateRunsHeader() {
    for (QComboBox* combo : {m_pickA, m_pickB}) {
        const QSignalBlocker block(combo);
        combo->clear();
        for (const RunInfo& run : m_runs)
            combo->addItem(QString::fromStdString(run.name), QVariant::fromValue<qlonglong>(run.id));
    }
    m_pickA->setCurrentIndex(0);
    m_pickB->setCurrentIndex(1);
    QStringList others;
    for (std::size_t i = 2; i < m_runs.size(); ++i)
        others << QString::fromStdString(m_runs[i].name);
    QString text;
    // A few names read well; dozens would only widen the window, so the rest are counted (all in the
    // tooltip).
    constexpr qsizetype kNamedOthers = 4;
    if (!others.isEmpty()) {
        const QStringList named = others.mid(0, kNamedOthers);
        text += tr("<b>also:</b> %1").arg(named.join(", ").toHtmlEscaped());
        if (others.size() > kNamedOthers) text += tr(" and %1 more").arg(others.size() - kNamedOthers);
    }
    m_runsHeader->setText(text);
    m_runsHeader->setToolTip(others.isEmpty() ? QString() : tr("Also compared: %1").arg(others.join(", ")));
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

QString CompareView::bannerText() const {
    return m_banner->isHidden() ? QString() : m_banner->text();
}

// ---------------------------------------------------------------------------------------------------------------

void CompareView::refreshCurveChoices() {
    std::set<QString> tags;
    for (const auto& r : m_runs)
        for (const auto& s : r.series)
            tags.insert(QString::fromStdString(s.tag));
    const QString tag = m_tagBox->currentText(), x = m_xBox->currentData().toString();
    {
        const QSignalBlocker blockTag(m_tagBox), blockX(m_xBox);
        m_tagBox->clear();
        m_xBox->clear();
        m_xBox->addItem(tr("step"), QString());
        for (const QString& t : tags) {
            m_tagBox->addItem(t);
            m_xBox->addItem(t, t);
        }
        if (const int i = m_tagBox->findText(tag); i >= 0) m_tagBox->setCurrentIndex(i);
        if (const int i = m_xBox->findData(x); i >= 0) m_xBox->setCurrentIndex(i);
    }
    refreshCurves();
}

XYPoints CompareView::curveOf(std::int64_t runId, const QString& tag, const QString& xTag) const {
    XYPoints out;
    Workspace* ws = m_window->workspace();
    if (!ws) return out;
    try {
        const SeriesData y = ws->readSeries(runId, tag.toStdString());
        if (xTag.isEmpty()) return againstStep(y);
        // Another metric as x: pair the points logged at the same step (the last value of a step wins).
        out = pairByStep(ws->readSeries(runId, xTag.toStdString()), y);
    } catch (const WorkspaceError&) {
        out = {};
    }
    return out;
}

void CompareView::refreshCurves() {
    m_curveLines.clear();
    const QString tag = m_tagBox->currentText();
    const QString xTag = m_xBox->currentData().toString();
    m_curveXLabel = xTag.isEmpty() ? tr("step") : xTag;
    if (tag.isEmpty() || m_runs.size() < 2) {
        m_curveView->replaceChart(new QChart);
        return;
    }
    QString note;
    if (m_difference->isChecked()) {
        const XYPoints a = curveOf(m_runs[0].id, tag, xTag), b = curveOf(m_runs[1].id, tag, xTag);
        XYPoints diff = differenceOnGrid(a, b);
        if (diff.size() == 0)
            note = tr("A and B have no overlapping range of %1 for '%2'.").arg(m_curveXLabel, tag);
        m_curveLines.emplace_back(QStringLiteral("%1 − %2").arg(QString::fromStdString(m_runs[1].name),
                                                                QString::fromStdString(m_runs[0].name)),
                                  std::move(diff));
    } else {
        QStringList missing;
        for (const auto& r : m_runs) {
            XYPoints p = curveOf(r.id, tag, xTag);
            if (p.size() == 0) missing << QString::fromStdString(r.name);
            m_curveLines.emplace_back(QString::fromStdString(r.name), std::move(p));
        }
        if (!missing.isEmpty()) note = tr("No '%1' points in: %2").arg(tag, missing.join(", "));
    }
    m_curveNote->setText(note);
    m_curveNote->setVisible(!note.isEmpty());
    m_curveView->replaceChart(makeCurveChart(kDrawPixels));
}

QChart* CompareView::makeCurveChart(int pixels) const {
    CurveChartSpec spec;
    const QString tag = m_tagBox->currentText();
    const bool diff = m_difference->isChecked();
    spec.title = diff ? tr("%1: B − A").arg(tag) : tag;
    spec.xLabel = m_curveXLabel;
    spec.yLabel = diff ? tr("Δ %1").arg(tag) : tag;
    for (std::size_t i = 0; i < m_curveLines.size(); ++i) {
        const auto& [name, points] = m_curveLines[i];
        CurveLine line;
        line.runName = name;
        const std::size_t runIndex = diff ? 1 : i;
        line.color =
            runIndex < m_runs.size() ? m_window->runModel()->colorOf(m_runs[runIndex].id) : runColor(int(i));
        XYPoints drawn;
        if (points.size() > 0 && std::is_sorted(points.x.begin(), points.x.end()))
            drawn = decimateMinMax(points.x, points.y, points.x.front(), points.x.back(), pixels);
        else
            drawn =
                strideCurve(points, static_cast<std::size_t>(pixels) * 2); // a metric-vs-metric trajectory
        line.smoothX = std::move(drawn.x);
        line.smoothY = std::move(drawn.y);
        spec.lines.push_back(std::move(line));
    }
    return buildCurveChart(spec);
}

QChart* CompareView::curveChart() const {
    return m_curveView->chart();
}

// ---------------------------------------------------------------------------------------------------------------

void CompareView::refreshEvalSets() {
    std::set<QString> inA, inB;
    for (const auto& t : m_evalSets[0])
        inA.insert(QString::fromStdString(t.name));
    for (const auto& t : m_evalSets[1])
        inB.insert(QString::fromStdString(t.name));
    const QString current = m_evalSetBox->currentText();
    {
        const QSignalBlocker block(m_evalSetBox);
        m_evalSetBox->clear();
        for (const QString& name : inA)
            if (inB.count(name)) m_evalSetBox->addItem(name);
        if (const int i = m_evalSetBox->findText(current); i >= 0) m_evalSetBox->setCurrentIndex(i);
    }
    startAnalysis();
}

bool CompareView::isAnalysing() const {
    return m_analysisPending;
}

void CompareView::startAnalysis() {
    if (m_analysisPending) {
        m_restartAnalysis = true; // the running result is stale: compute again when it ends
        return;
    }
    m_restartAnalysis = false;
    Workspace* ws = m_window->workspace();
    const QString set = m_evalSetBox->currentText();
    if (!ws || m_runs.size() < 2 || set.isEmpty()) {
        m_paired.reset();
        m_flipsModel->setAnalysis(nullptr);
        m_predHint->setText(
            tr("No shared evaluation set yet: drop a predictions_*.csv onto each run, or import run "
               "folders that hold one. A and B need an evaluation set of the same name."));
        m_predStack->setCurrentIndex(0);
        m_ensembleNote->setText(
            tr("No shared evaluation set: the ensemble what-if needs the runs' predictions."));
        m_errorCorr->clear();
        m_residualCorr->clear();
        m_ensembleMetrics->clear();
        m_ensembleMetrics->setRowCount(0);
        emit analysisFinished();
        return;
    }
    AnalysisInput input;
    input.evalSet = set;
    SliceMetric metric = SliceMetric::Accuracy;
    parseSliceMetric(m_metricBox->currentText().toStdString(), metric);
    input.metric = metric;
    input.seed = static_cast<std::uint64_t>(m_seed->value());
    input.resamples = m_resamples->value();
    try {
        for (std::size_t i = 0; i < m_runs.size(); ++i) {
            for (const auto& t : m_evalSets[i]) {
                if (QString::fromStdString(t.name) != set) continue;
                input.names.push_back(QString::fromStdString(m_runs[i].name));
                input.tables.push_back(std::make_shared<const PredictionTable>(ws->readPredictions(t.id)));
                break;
            }
        }
    } catch (const WorkspaceError& e) {
        m_predHint->setText(tr("Cannot read the evaluation set: %1").arg(QString::fromUtf8(e.what())));
        m_predStack->setCurrentIndex(0);
        emit analysisFinished();
        return;
    }
    m_predHint->setText(tr("Comparing predictions…"));
    m_analysisPending = true;
    m_watcher->setFuture(QtConcurrent::run([input = std::move(input)] { return analyse(input); }));
}

void CompareView::onAnalysisDone() {
    m_analysisPending = false; // the finished signal, not the future's state, says the result is here
    if (m_restartAnalysis) {
        startAnalysis();
        return;
    }
    m_paired = m_watcher->result();
    showAnalysis();
    emit analysisFinished();
}

QString CompareView::pairedSummaryText() const {
    return m_pairedSummary->text();
}

void CompareView::showAnalysis() {
    const PairedAnalysis& p = *m_paired;
    m_flipsModel->setAnalysis(m_paired);
    if (!p.error.isEmpty()) {
        m_predHint->setText(tr("Paired comparison unavailable: %1").arg(p.error));
        m_predStack->setCurrentIndex(0);
    } else {
        m_predStack->setCurrentIndex(1);
        const auto& mc = p.paired.mcnemar;
        const std::int64_t cells[2][2] = {{mc.bothCorrect, mc.aOnlyCorrect}, {mc.bOnlyCorrect, mc.bothWrong}};
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 2; ++c) {
                auto* item = readOnlyItem(QString::number(cells[r][c]));
                item->setTextAlignment(Qt::AlignCenter);
                m_contingency->setItem(r, c, item);
            }
        QStringList lines;
        lines << tr("Evaluation set '%1': %2 shared examples aligned by %3; unmatched: %4 in A, %5 in B.")
                     .arg(p.evalSet)
                     .arg(mc.n)
                     .arg(p.paired.alignment.summary.byId ? tr("id") : tr("row"))
                     .arg(p.paired.alignment.pairs.unmatchedA)
                     .arg(p.paired.alignment.pairs.unmatchedB);
        if (!p.paired.alignment.summary.clean())
            lines << QString::fromStdString(p.paired.alignment.summary.warning());
        lines << tr("McNemar exact p = %1; χ² (continuity corrected) = %2, p = %3")
                     .arg(num(mc.exactP, 4), num(mc.chi2, 4), num(mc.chi2P, 4));
        lines << tr("%1 B − A = %2, 95% paired bootstrap interval [%3, %4] (%5 resamples, seed %6)")
                     .arg(QString::fromStdString(p.paired.bootstrap.metric), num(p.paired.bootstrap.delta, 4),
                          num(p.paired.bootstrap.ciLow, 4), num(p.paired.bootstrap.ciHigh, 4))
                     .arg(p.paired.bootstrap.resamples)
                     .arg(p.paired.bootstrap.seed);
        if (!p.paired.delong)
            lines << tr("DeLong not run: %1").arg(QString::fromStdString(p.paired.delongSkipped));
        if (p.paired.delong)
            lines << tr("ROC AUC %1 → %2, DeLong z = %3, p = %4")
                         .arg(num(p.paired.delong->aucA, 4), num(p.paired.delong->aucB, 4),
                              num(p.paired.delong->z, 4), num(p.paired.delong->p, 4));
        lines << tr("Zero-rule baseline (always the majority label) %1 = %2; lift of A %3, of B %4")
                     .arg(QString::fromStdString(p.paired.bootstrap.metric), num(p.paired.zeroRule, 4),
                          num(p.paired.metricA - p.paired.zeroRule, 4),
                          num(p.paired.metricB - p.paired.zeroRule, 4));
        lines << tr("%1 examples flipped between right and wrong").arg(p.paired.flips.size());
        m_pairedSummary->setText(lines.join('\n'));
        m_flipsCount->setText(
            tr("%1 of %2 flipped").arg(m_flipsProxy->rowCount()).arg(m_flipsModel->rowCount()));
        m_flipsTable->resizeColumnsToContents();

        m_sliceTable->setRowCount(static_cast<int>(p.paired.sliceChanges.size()));
        if (p.paired.sliceChanges.empty()) {
            m_sliceTable->setRowCount(1);
            m_sliceTable->setItem(0, 0, readOnlyItem(tr("no slice changed significantly")));
        }
        for (int r = 0; r < static_cast<int>(p.paired.sliceChanges.size()); ++r) {
            const SliceChange& c = p.paired.sliceChanges[static_cast<std::size_t>(r)];
            QStringList key;
            for (const auto& [f, v] : c.key)
                key << QStringLiteral("%1=%2").arg(QString::fromStdString(f), QString::fromStdString(v));
            const QStringList cells{key.join(", "),      QString::number(c.n), num(c.accuracyA, 4),
                                    num(c.accuracyB, 4), num(c.delta, 4),      num(c.pValue, 3),
                                    num(c.qValue, 3)};
            for (int col = 0; col < cells.size(); ++col)
                m_sliceTable->setItem(r, col, readOnlyItem(cells[col]));
        }
        m_classFlipsLabel->setVisible(!p.paired.classFlips.empty());
        m_classFlipsTable->setVisible(!p.paired.classFlips.empty());
        m_classFlipsTable->setRowCount(static_cast<int>(p.paired.classFlips.size()));
        for (int r = 0; r < static_cast<int>(p.paired.classFlips.size()); ++r) {
            const ClassFlips& f = p.paired.classFlips[static_cast<std::size_t>(r)];
            const auto cls = static_cast<std::size_t>(f.classIndex);
            const QStringList cells{cls < p.classesA.size() ? QString::fromStdString(p.classesA[cls])
                                                            : QString::number(f.classIndex),
                                    QString::number(f.n),
                                    QString::number(f.fixed),
                                    QString::number(f.broken),
                                    QString::number(f.bothWrong),
                                    num(f.mcnemar.exactP, 3)};
            for (int col = 0; col < cells.size(); ++col)
                m_classFlipsTable->setItem(r, col, readOnlyItem(cells[col]));
        }
        m_calibrationView->replaceChart(makeCalibrationChart());
    }

    // Ensemble panel.
    if (!p.ensemble.error.empty()) {
        m_ensembleNote->setText(p.ensembleNote);
        m_errorCorr->clear();
        m_residualCorr->clear();
        m_ensembleMetrics->clear();
        m_ensembleMetrics->setRowCount(0);
        return;
    }
    m_ensembleNote->setText(
        tr("Ensemble of %1 on '%2'. %3").arg(p.ensembleMembers.join(", "), p.evalSet, p.ensembleNote));
    setEnsembleCaptions(p.ensembleMulticlass);
    const EnsembleTable table = ensembleTable(p);
    fillMatrix(m_errorCorr, p.ensembleMembers, *table.errors);
    fillMatrix(m_residualCorr, p.ensembleMembers, *table.residuals);
    m_ensembleMetrics->clear();
    m_ensembleMetrics->setColumnCount(static_cast<int>(kMetricHeaders.size()));
    m_ensembleMetrics->setHorizontalHeaderLabels(kMetricHeaders);
    QStringList rowNames = p.ensembleMembers;
    rowNames << (p.ensembleMulticlass ? tr("average of probabilities") : tr("average of scores"))
             << tr("majority vote");
    m_ensembleMetrics->setRowCount(static_cast<int>(rowNames.size()));
    m_ensembleMetrics->setVerticalHeaderLabels(rowNames);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const QStringList& cells = table.rows[r];
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = readOnlyItem(cells[c]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (r >= table.members) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_ensembleMetrics->setItem(static_cast<int>(r), c, item);
        }
    }
}

// What the matrices and the table are computed on, for binary or multiclass members.
void CompareView::setEnsembleCaptions(bool multiclass) {
    m_errorCorrLabel->setText(multiclass
                                  ? tr("Correlation of errors (Pearson on 0/1 indicators that the top class "
                                       "is wrong): low is good for averaging")
                                  : tr("Correlation of errors (Pearson on 0/1 error indicators at 0.5): low "
                                       "is good for averaging"));
    m_residualCorrLabel->setText(multiclass
                                     ? tr("Correlation of residuals (1 − probability of the true class)")
                                     : tr("Correlation of residuals (label − score)"));
    m_ensembleMetricsLabel->setText(
        multiclass
            ? tr("Metrics of each member, their averaged class probabilities and their plurality vote (a "
                 "tie goes to the class the average ranks first; the vote's probability metrics use the "
                 "share of votes per class)")
            : tr("Metrics of each member, their averaged scores and their majority vote (a tie goes to the "
                 "average; the vote's score metrics use the share of votes)"));
}

QChart* CompareView::makeCalibrationChart() const {
    if (!m_paired || !m_paired->calibrationA || !m_paired->calibrationB) {
        auto* empty = new QChart;
        empty->setTitle(tr("Calibration needs binary scores in both evaluation sets"));
        return empty;
    }
    std::vector<ReliabilityCurve> curves{
        {QStringLiteral("A: %1").arg(m_paired->nameA), *m_paired->calibrationA},
        {QStringLiteral("B: %1").arg(m_paired->nameB), *m_paired->calibrationB}};
    return buildReliabilityChart(
        curves, tr("Reliability: %1 vs %2 on '%3'").arg(m_paired->nameA, m_paired->nameB, m_paired->evalSet));
}

QChart* CompareView::calibrationChart() const {
    return m_calibrationView->chart();
}

// ---------------------------------------------------------------------------------------------------------------

bool CompareView::exportDiffCsv(const QString& path, QString* error) const {
    return m_diffModel->writeCsv(path, error);
}

bool CompareView::exportCurveChart(const QString& path, QString* error) const {
    if (m_curveLines.empty()) {
        if (error) *error = tr("no curve to export");
        return false;
    }
    std::unique_ptr<QChart> chart(makeCurveChart(1200));
    return exportChart(chart.get(), QSize(1200, 750), path, error);
}

bool CompareView::exportCurveCsv(const QString& path, QString* error) const {
    std::vector<QStringList> rows{{QStringLiteral("line"), m_curveXLabel, m_tagBox->currentText()}};
    for (const auto& [name, p] : m_curveLines)
        for (std::size_t i = 0; i < p.size(); ++i)
            rows.push_back({name, QString::number(p.x[i], 'g', 17), QString::number(p.y[i], 'g', 17)});
    return writeRows(path, rows, error);
}

bool CompareView::exportCalibrationChart(const QString& path, QString* error) const {
    std::unique_ptr<QChart> chart(makeCalibrationChart());
    return exportChart(chart.get(), QSize(900, 750), path, error);
}

bool CompareView::exportCalibrationCsv(const QString& path, QString* error) const {
    std::vector<QStringList> rows{
        {"run", "lower", "upper", "count", "mean_predicted", "fraction_positive", "ci_low", "ci_high"}};
    if (m_paired && m_paired->calibrationA && m_paired->calibrationB) {
        const std::pair<QString, const CalibrationReport*> reports[] = {
            {m_paired->nameA, &*m_paired->calibrationA}, {m_paired->nameB, &*m_paired->calibrationB}};
        for (const auto& [name, report] : reports)
            for (const auto& b : report->bins)
                rows.push_back({name, QString::number(b.lower, 'g', 17), QString::number(b.upper, 'g', 17),
                                QString::number(b.count), QString::number(b.meanPredicted, 'g', 17),
                                QString::number(b.fractionPositive, 'g', 17),
                                QString::number(b.ciLow, 'g', 17), QString::number(b.ciHigh, 'g', 17)});
    }
    return writeRows(path, rows, error);
}

bool CompareView::exportFlipsCsv(const QString& path, QString* error) const {
    std::vector<QStringList> rows;
    QStringList header;
    for (int c = 0; c < m_flipsProxy->columnCount(); ++c)
        header << m_flipsProxy->headerData(c, Qt::Horizontal).toString();
    rows.push_back(header);
    for (int r = 0; r < m_flipsProxy->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < m_flipsProxy->columnCount(); ++c)
            cells << m_flipsProxy->index(r, c).data().toString();
        rows.push_back(cells);
    }
    return writeRows(path, rows, error);
}

bool CompareView::exportEnsembleCsv(const QString& path, QString* error) const {
    if (!m_paired || !m_paired->ensemble.error.empty()) {
        if (error) *error = tr("no ensemble to export");
        return false;
    }
    const PairedAnalysis& p = *m_paired;
    std::vector<QStringList> rows;
    QStringList header{QStringLiteral("model")};
    header << kMetricHeaders;
    rows.push_back(header);
    const EnsembleTable table = ensembleTable(p);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const QString name = r < table.members    ? p.ensembleMembers[static_cast<int>(r)]
                             : r == table.members ? QStringLiteral("average")
                                                  : QStringLiteral("majority_vote");
        rows.push_back(QStringList{name} + table.rows[r]);
    }
    const std::pair<const char*, const CorrelationMatrix*> matrices[] = {
        {"error_correlation", table.errors}, {"residual_correlation", table.residuals}};
    for (const auto& [name, m] : matrices) {
        rows.push_back({});
        rows.push_back(QStringList{QString::fromLatin1(name)} + p.ensembleMembers);
        for (std::size_t i = 0; i < m->k; ++i) {
            QStringList cells{p.ensembleMembers[static_cast<int>(i)]};
            for (std::size_t j = 0; j < m->k; ++j)
                cells << QString::number(m->at(i, j), 'g', 17);
            rows.push_back(cells);
        }
    }
    return writeRows(path, rows, error);
}

} // namespace runlens::ui
