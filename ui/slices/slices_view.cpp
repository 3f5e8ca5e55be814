// The Slices tab: per-slice metrics of cohorts with the Simpson verdict, a slice finder and regressed slices
// A->B.
#include "ui/slices/slices_view.h"

#include "core/analysis/paired_comparison.h"
#include "core/analysis/paired_evaluation.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/view_context.h"
#include "ui/slices/fairness_panel.h"
#include "ui/slices/slice_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QRegularExpression>
#include <QShowEvent>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTabWidget>
#include <QtConcurrent>
#include <QTextStream>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace runlens::ui {

namespace {

constexpr int kScheduleDelayMs = 80;
constexpr int kExportWidth = 1200;
constexpr int kExportHeight = 750;
constexpr int kSortRole = Qt::UserRole + 1;
constexpr int kIndexRole = Qt::UserRole + 2;
constexpr double kChangeFdr = 0.05;
const QString kNoFeature = QStringLiteral("(none)");

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

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

QString keyText(const std::vector<std::pair<std::string, std::string>>& key) {
    QStringList parts;
    for (const auto& [feature, value] : key)
        parts << qs(feature + " = " + value);
    return parts.join(QStringLiteral(", "));
}

QString numberText(double value, int digits = 3) {
    if (!std::isfinite(value)) return QStringLiteral("-");
    return QString::number(value, 'g', digits);
}

QString pText(double p) {
    if (!std::isfinite(p)) return QStringLiteral("-");
    if (p < 1e-300) return QStringLiteral("< 1e-300"); // underflows to zero in double precision
    return p < 1e-4 ? QString::number(p, 'e', 1) : QString::number(p, 'f', 4);
}

// "error_rate" -> "Error rate", for the metric combo.
QString metricLabel(SliceMetric metric) {
    if (metric == SliceMetric::Auc) return QObject::tr("ROC AUC");
    if (metric == SliceMetric::F1) return QObject::tr("F1");
    QString label = qs(std::string(sliceMetricInfo(metric).name)).replace('_', ' ');
    label[0] = label[0].toUpper();
    return label;
}

int predictedOf(const CohortInput& cohort, std::size_t row, double threshold) {
    if (!cohort.predictions.empty()) return cohort.predictions[row];
    return cohort.scores[row] >= threshold ? 1 : 0;
}

// ---- Background jobs: plain functions over copies, so nothing they touch belongs to the GUI thread. ----

struct JobInput {
    std::filesystem::path workspacePath;
    std::vector<SliceSetRef> refs;
    SliceSetCache cached;
    int generation = 0;
};

struct SliceJob {
    JobInput input;
    std::optional<SliceSetRef> source;
    std::string compareColumn; // empty: the cohorts are the runs of input.refs
    SliceOptions options;
};

struct FinderJob {
    JobInput input;
    SliceFinderOptions options;
};

std::shared_ptr<const LoadedSliceSet> loadSet(const Workspace& workspace, const SliceSetRef& ref) {
    auto set = std::make_shared<LoadedSliceSet>();
    set->ref = ref;
    try {
        set->table = workspace.readPredictions(ref.tableId);
    } catch (const std::exception& e) {
        set->error = ref.runName + ": " + ref.setName + ": " + e.what();
        return set;
    }
    auto result = extractEvaluationSet(set->table);
    if (!result.ok())
        set->error = ref.runName + ": " + ref.setName + ": " + result.errors.front().describe();
    else
        set->eval = std::move(result.set);
    return set;
}

// The sets of refs, from the cache or read through a read-only connection of this thread's own.
bool loadSets(const JobInput& input, const std::vector<SliceSetRef>& refs, SliceJobResult& result) {
    std::unique_ptr<Workspace> workspace;
    for (const auto& ref : refs) {
        if (result.loaded.count(ref.tableId)) continue;
        if (auto it = input.cached.find(ref.tableId); it != input.cached.end()) {
            result.loaded[ref.tableId] = it->second;
            continue;
        }
        try {
            if (!workspace) workspace = Workspace::open(input.workspacePath, Workspace::Mode::ReadOnly);
        } catch (const std::exception& e) {
            result.error = e.what();
            return false;
        }
        result.loaded[ref.tableId] = loadSet(*workspace, ref);
    }
    for (const auto& ref : refs) {
        const auto& set = result.loaded.at(ref.tableId);
        if (!set->error.empty()) {
            result.error = set->error;
            return false;
        }
    }
    return true;
}

std::vector<std::string> sharedFeatures(const std::vector<const LoadedSliceSet*>& sets) {
    if (sets.empty()) return {};
    std::vector<std::string> out = sets.front()->featureColumns();
    for (std::size_t i = 1; i < sets.size(); ++i) {
        const auto cols = sets[i]->featureColumns();
        std::erase_if(
            out, [&](const std::string& c) { return std::find(cols.begin(), cols.end(), c) == cols.end(); });
    }
    return out;
}

SliceJobResult runSliceJob(const SliceJob& job) {
    SliceJobResult result;
    result.generation = job.input.generation;
    std::vector<SliceSetRef> refs = job.input.refs;
    if (job.source) refs.push_back(*job.source);
    if (!loadSets(job.input, refs, result)) return result;
    if (job.source) result.sourceColumns = result.loaded.at(job.source->tableId)->featureColumns();

    std::vector<const LoadedSliceSet*> sets;
    if (!job.compareColumn.empty() && job.source)
        sets.push_back(result.loaded.at(job.source->tableId).get());
    else
        for (const auto& ref : job.input.refs)
            sets.push_back(result.loaded.at(ref.tableId).get());
    result.features = sharedFeatures(sets);
    if (sets.empty() || job.options.by.empty()) return result;

    const auto metric = job.options.metric;
    for (const auto* set : sets)
        if (set->eval.multiclass && metric != SliceMetric::Accuracy && metric != SliceMetric::ErrorRate) {
            result.error = set->ref.runName + ": " + set->ref.setName +
                           " is multiclass: slices support accuracy and error rate for it";
            return result;
        }
    std::vector<CohortInput> cohorts;
    for (const auto* set : sets)
        cohorts.push_back(set->cohort());
    if (!job.compareColumn.empty()) {
        auto split = splitByColumn(cohorts.front(), job.compareColumn, &result.error);
        if (!split) return result;
        cohorts = std::move(*split);
    }
    result.report = compareSlices(cohorts, job.options, &result.error);
    return result;
}

SliceJobResult runFinderJob(const FinderJob& job) {
    SliceJobResult result;
    result.generation = job.input.generation;
    if (job.input.refs.empty() || !loadSets(job.input, job.input.refs, result)) return result;
    const auto& set = *result.loaded.at(job.input.refs.front().tableId);
    const auto errors = set.errors();
    result.found = findSlices(set.table, errors, {}, job.options);
    return result;
}

SliceJobResult runChangesJob(const FinderJob& job) {
    SliceJobResult result;
    result.generation = job.input.generation;
    if (job.input.refs.size() != 2 || !loadSets(job.input, job.input.refs, result)) return result;
    const auto& a = *result.loaded.at(job.input.refs[0].tableId);
    const auto& b = *result.loaded.at(job.input.refs[1].tableId);
    // The paired engine's alignment (ids checked, labels must agree), as in Compare and `runlens diff`.
    const auto checked = alignEvaluations(a.table, a.eval, b.table, b.eval, &result.error);
    if (!checked) return result;
    const Alignment& alignment = checked->pairs;
    result.alignedExamples = static_cast<std::int64_t>(alignment.rowsA.size());
    result.alignedById = alignment.byId;
    if (alignment.rowsA.empty()) {
        result.error = "the two evaluation sets share no example (by id and label)";
        return result;
    }
    const CohortInput ca = a.cohort(), cb = b.cohort();
    std::vector<std::uint8_t> correctA, correctB;
    correctA.reserve(alignment.rowsA.size());
    correctB.reserve(alignment.rowsA.size());
    for (std::size_t i = 0; i < alignment.rowsA.size(); ++i) {
        const auto ra = alignment.rowsA[i], rb = alignment.rowsB[i];
        correctA.push_back(static_cast<std::uint8_t>(predictedOf(ca, ra, 0.5) == ca.labels[ra]));
        correctB.push_back(static_cast<std::uint8_t>(predictedOf(cb, rb, 0.5) == cb.labels[rb]));
    }
    result.changes = sliceChanges(a.table, alignment.rowsA, correctA, correctB, job.options, kChangeFdr);
    std::erase_if(result.changes, [](const SliceChange& c) { return !(c.qValue < kChangeFdr); });
    return result;
}

// "col: 0, 10, 100; other: 1, 2" -> edges per column.
bool parseEdges(const QString& text, std::map<std::string, std::vector<double>>& out, QString* error) {
    for (const QString& part : text.split(';', Qt::SkipEmptyParts)) {
        const int colon = part.indexOf(':');
        const QString column = part.left(colon).trimmed();
        if (colon < 0 || column.isEmpty()) {
            *error = QObject::tr("Edges: write column: e1, e2, ... (got \"%1\")").arg(part.trimmed());
            return false;
        }
        std::vector<double> edges;
        for (const QString& item : part.mid(colon + 1).split(',', Qt::SkipEmptyParts)) {
            bool ok = false;
            const double v = item.trimmed().toDouble(&ok);
            if (!ok || !std::isfinite(v)) {
                *error = QObject::tr("Edges of %1: \"%2\" is not a number").arg(column, item.trimmed());
                return false;
            }
            edges.push_back(v);
        }
        if (edges.size() < 2 || !std::is_sorted(edges.begin(), edges.end())) {
            *error = QObject::tr("Edges of %1: give at least two increasing numbers").arg(column);
            return false;
        }
        out[column.toStdString()] = std::move(edges);
    }
    return true;
}

QTableWidget* newTable(QWidget* parent) {
    auto* table = new QTableWidget(parent);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setSortingEnabled(true);
    table->setTabKeyNavigation(false); // Tab moves to the next control, arrows move inside the table
    return table;
}

void setRowItems(QTableWidget* table, int row, const std::vector<QTableWidgetItem*>& items) {
    for (std::size_t c = 0; c < items.size(); ++c)
        table->setItem(row, static_cast<int>(c), items[c]);
}

// Keeps the current choice of a combo when its items are replaced, when that choice still exists.
void resetCombo(QComboBox* combo, const QStringList& items, const QString& fallback = {}) {
    const QString current = combo->currentText();
    combo->clear();
    combo->addItems(items);
    int index = combo->findText(current);
    if (index < 0) index = combo->findText(fallback);
    combo->setCurrentIndex(index < 0 && !items.isEmpty() ? 0 : index);
}

} // namespace

// ---- LoadedSliceSet ----

CohortInput LoadedSliceSet::cohort() const {
    return cohortFromEvaluation(ref.runName, table, eval);
}

std::vector<std::uint8_t> LoadedSliceSet::errors(double threshold) const {
    const CohortInput c = cohort();
    std::vector<std::uint8_t> out(c.labels.size());
    for (std::size_t r = 0; r < out.size(); ++r)
        out[r] = static_cast<std::uint8_t>(predictedOf(c, r, threshold) != c.labels[r]);
    return out;
}

// Feature columns, the ones that describe examples first: the first is the default to slice by, so an id-like
// column comes last.
std::vector<std::string> LoadedSliceSet::featureColumns() const {
    std::vector<std::string> out, idLike;
    for (const auto& column : table.columns)
        if (column.role == ColumnRole::Feature)
            (looksLikeIdColumn(column) ? idLike : out).push_back(column.name);
    out.insert(out.end(), idLike.begin(), idLike.end());
    return out;
}

// ---- Panel: one background computation at a time, rerun once when asked again while running. ----

struct SlicesView::Panel {
    QFutureWatcher<SliceJobResult> watcher;
    int generation = 0;
    bool running = false;
    bool pending = false;

    template <typename Job, typename Fn> void launch(Job job, Fn fn) {
        if (running) {
            pending = true;
            return;
        }
        running = true;
        pending = false;
        job.input.generation = ++generation;
        watcher.setFuture(QtConcurrent::run([job = std::move(job), fn] { return fn(job); }));
    }

    // Takes the finished result; false when a newer request is waiting (the caller restarts instead).
    bool finish(SliceJobResult& result, SliceSetCache& cache) {
        running = false;
        result = watcher.result();
        for (const auto& [id, set] : result.loaded)
            cache[id] = set;
        return !pending;
    }
};

// ---- Construction ----

SlicesView::SlicesView(ViewContext* window, QWidget* parent)
    : QWidget(parent), m_window(window), m_slicesJob(std::make_unique<Panel>()),
      m_finderJob(std::make_unique<Panel>()), m_changesJob(std::make_unique<Panel>()) {
    auto makeTimer = [this](void (SlicesView::*start)()) {
        auto* timer = new QTimer(this);
        timer->setSingleShot(true);
        timer->setInterval(kScheduleDelayMs);
        connect(timer, &QTimer::timeout, this, start);
        return timer;
    };
    m_slicesTimer = makeTimer(&SlicesView::startSlices);
    m_finderTimer = makeTimer(&SlicesView::startFinder);
    m_changesTimer = makeTimer(&SlicesView::startChanges);
    buildUi();
    connectControls();

    connect(&m_slicesJob->watcher, &QFutureWatcherBase::finished, this, [this] {
        SliceJobResult result;
        if (!m_slicesJob->finish(result, m_cache)) return startSlices();
        onSlicesDone(std::move(result));
    });
    connect(&m_finderJob->watcher, &QFutureWatcherBase::finished, this, [this] {
        SliceJobResult result;
        if (!m_finderJob->finish(result, m_cache)) return startFinder();
        onFinderDone(std::move(result));
    });
    connect(&m_changesJob->watcher, &QFutureWatcherBase::finished, this, [this] {
        SliceJobResult result;
        if (!m_changesJob->finish(result, m_cache)) return startChanges();
        onChangesDone(std::move(result));
    });
    connect(window, &ViewContext::workspaceChanged, this, &SlicesView::onWorkspaceChanged);
    connect(window, &ViewContext::runsChanged, this, &SlicesView::onWorkspaceChanged);
    connect(window->runModel(), &RunTableModel::visibilityChanged, this, [this] {
        refreshSetCombo();
        refreshRunCombos();
        scheduleSlices();
        scheduleFinder();
        scheduleChanges();
    });
    onWorkspaceChanged();
}

SlicesView::~SlicesView() {
    // A running job only touches its own copies; wait so no result arrives at a dead view.
    for (Panel* panel : {m_slicesJob.get(), m_finderJob.get(), m_changesJob.get()})
        panel->watcher.waitForFinished();
}

bool SlicesView::isBusy() const {
    for (const Panel* panel : {m_slicesJob.get(), m_finderJob.get(), m_changesJob.get()})
        if (panel->running || panel->pending) return true;
    return m_slicesTimer->isActive() || m_finderTimer->isActive() || m_changesTimer->isActive();
}

void SlicesView::buildUi() {
    m_stack = new QStackedWidget(this);
    m_emptyHint = new QLabel(m_stack);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setMargin(24);
    m_stack->addWidget(m_emptyHint);

    auto* content = new QWidget(m_stack);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildControls());
    m_banner = new QLabel(content);
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setAccessibleName(tr("Simpson verdict"));
    layout->addWidget(m_banner);
    m_status = new QLabel(content);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* vertical = new QSplitter(Qt::Vertical, content);
    vertical->addWidget(buildSlicesPage());
    auto* lower = new QTabWidget(vertical);
    lower->addTab(buildFinderPage(), tr("Slice finder"));
    lower->addTab(buildChangesPage(), tr("Regressed slices A→B"));
    m_fairness = new FairnessPanel(lower);
    lower->addTab(m_fairness, tr("Disparity"));
    vertical->addWidget(lower);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    layout->addWidget(vertical, 1);
    m_stack->addWidget(content);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);
}

QWidget* SlicesView::buildControls() {
    auto* box = new QWidget(this);
    // The controls wrap at the page's width instead of making a laptop-sized window scroll sideways.
    auto* flow = new FlowLayout(box);
    auto addPair = [&](const QString& text, QWidget* field) { flow->addField(text, field); };
    m_setCombo = new QComboBox(box);
    m_setCombo->setToolTip(tr("Evaluation set (prediction table) the visible runs share"));
    m_compareCombo = new QComboBox(box);
    m_compareCombo->setToolTip(
        tr("Cohorts: the visible runs having the set, or the values of a column of the "
           "source run's set"));
    m_sourceRunCombo = new QComboBox(box);
    m_sourceRunCombo->setToolTip(tr("Run whose set is split by a column and searched by the slice finder"));
    m_metricCombo = new QComboBox(box);
    const SliceMetric metrics[] = {SliceMetric::Accuracy,  SliceMetric::ErrorRate, SliceMetric::PositiveRate,
                                   SliceMetric::Precision, SliceMetric::Recall,    SliceMetric::F1,
                                   SliceMetric::Auc,       SliceMetric::LogLoss,   SliceMetric::Brier,
                                   SliceMetric::MeanScore};
    for (SliceMetric m : metrics)
        m_metricCombo->addItem(metricLabel(m), int(m));
    addPair(tr("&Set"), m_setCombo);
    addPair(tr("Co&mpare"), m_compareCombo);
    addPair(tr("Source &run"), m_sourceRunCombo);
    addPair(tr("Me&tric"), m_metricCombo);

    for (int i = 0; i < 3; ++i) {
        m_featureCombos[i] = new QComboBox(box);
        m_featureCombos[i]->setMinimumContentsLength(10);
        m_featureCombos[i]->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        addPair(i == 0 ? tr("Slice &by") : tr("then by"), m_featureCombos[i]);
    }
    m_bucketsSpin = new QSpinBox(box);
    m_bucketsSpin->setRange(1, 100);
    m_bucketsSpin->setValue(4);
    m_bucketsSpin->setToolTip(tr("Quantile buckets for numeric features without typed edges"));
    addPair(tr("B&uckets"), m_bucketsSpin);

    m_edgesEdit = new QLineEdit(box);
    m_edgesEdit->setPlaceholderText(tr("typed edges, e.g. age: 0, 18, 65, 120"));
    m_edgesEdit->setClearButtonEnabled(true);
    m_edgesEdit->setMinimumWidth(260); // room for the placeholder's example
    addPair(tr("Edges"), m_edgesEdit);
    m_minNSpin = new QSpinBox(box);
    m_minNSpin->setRange(1, 1000000000);
    m_minNSpin->setValue(10);
    m_minNSpin->setToolTip(tr("A slice is compared when every cohort has at least this many examples"));
    addPair(tr("Min &n"), m_minNSpin);
    m_seedSpin = new QSpinBox(box);
    m_seedSpin->setRange(0, 2147483647);
    m_seedSpin->setValue(20261126);
    m_seedSpin->setToolTip(tr("Seed of the bootstrap intervals (non-rate metrics)"));
    addPair(tr("S&eed"), m_seedSpin);
    return box;
}

QWidget* SlicesView::buildSlicesPage() {
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_sliceTable = newTable(left);
    m_sliceTable->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_sliceTable, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        menu.addAction(tr("Export data as CSV…"), this, &SlicesView::exportCsvInteractive);
        menu.exec(m_sliceTable->viewport()->mapToGlobal(pos));
    });
    leftLayout->addWidget(m_sliceTable, 1);
    m_overall = new QLabel(left);
    m_overall->setWordWrap(true);
    m_overall->setTextInteractionFlags(Qt::TextSelectableByMouse);
    leftLayout->addWidget(m_overall);

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_exportButton = new QToolButton(right);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_exportButton);
    menu->addAction(tr("Chart as PNG…"), this, [this] { exportChartInteractive(QStringLiteral("png")); });
    menu->addAction(tr("Chart as SVG…"), this, [this] { exportChartInteractive(QStringLiteral("svg")); });
    menu->addAction(tr("Chart as PDF…"), this, [this] { exportChartInteractive(QStringLiteral("pdf")); });
    menu->addSeparator();
    menu->addAction(tr("Data as CSV…"), this, &SlicesView::exportCsvInteractive);
    m_exportButton->setMenu(menu);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addStretch(1);
    buttonRow->addWidget(m_exportButton);
    rightLayout->addLayout(buttonRow);
    m_chartView = new InteractiveChartView(right);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->replaceChart(new QChart);
    m_chartView->setMinimumSize(320, 240);
    rightLayout->addWidget(m_chartView, 1);
    splitter->addWidget(left);
    splitter->addWidget(right);
    // The table carries five columns per cohort, so it gets a little more of the width.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({550, 450});
    return splitter;
}

QWidget* SlicesView::buildFinderPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* row = new QHBoxLayout;
    m_alphaSpin = new QDoubleSpinBox(page);
    m_alphaSpin->setRange(0.01, 0.99);
    m_alphaSpin->setSingleStep(0.05);
    m_alphaSpin->setDecimals(2);
    m_alphaSpin->setValue(0.5);
    m_alphaSpin->setToolTip(tr("SliceLine's weight between the slice's error and its size"));
    m_minSupportSpin = new QSpinBox(page);
    m_minSupportSpin->setRange(1, 1000000000);
    m_minSupportSpin->setValue(32);
    m_maxFeaturesSpin = new QSpinBox(page);
    m_maxFeaturesSpin->setRange(1, 3);
    m_maxFeaturesSpin->setValue(3);
    auto addField = [&](const QString& text, QWidget* field) {
        auto* label = new QLabel(text, page);
        label->setBuddy(field);
        row->addWidget(label);
        row->addWidget(field);
    };
    addField(tr("&Alpha"), m_alphaSpin);
    addField(tr("Min su&pport"), m_minSupportSpin);
    addField(tr("Max &features"), m_maxFeaturesSpin);
    m_finderStatus = new QLabel(page);
    m_finderStatus->setWordWrap(true);
    row->addWidget(m_finderStatus, 1);
    layout->addLayout(row);
    m_finderTable = newTable(page);
    m_finderTable->setColumnCount(8);
    m_finderTable->setHorizontalHeaderLabels({tr("Slice"), tr("n"), tr("Error rate"), tr("Rest error rate"),
                                              tr("Effect size (h)"), tr("p"), tr("q (BH)"), tr("Score")});
    layout->addWidget(m_finderTable, 1);
    return page;
}

QWidget* SlicesView::buildChangesPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* row = new QHBoxLayout;
    m_runACombo = new QComboBox(page);
    m_runBCombo = new QComboBox(page);
    auto* labelA = new QLabel(tr("Run &A"), page);
    labelA->setBuddy(m_runACombo);
    auto* labelB = new QLabel(tr("Run &B"), page);
    labelB->setBuddy(m_runBCombo);
    row->addWidget(labelA);
    row->addWidget(m_runACombo);
    row->addWidget(labelB);
    row->addWidget(m_runBCombo);
    m_changesStatus = new QLabel(page);
    m_changesStatus->setWordWrap(true);
    row->addWidget(m_changesStatus, 1);
    layout->addLayout(row);
    m_changesTable = newTable(page);
    m_changesTable->setColumnCount(7);
    m_changesTable->setHorizontalHeaderLabels({tr("Slice"), tr("n"), tr("Accuracy A"), tr("Accuracy B"),
                                               tr("Δ (B − A)"), tr("p (McNemar)"), tr("q (BH)")});
    layout->addWidget(m_changesTable, 1);
    return page;
}

void SlicesView::connectControls() {
    auto slices = [this] { scheduleSlices(); };
    connect(m_setCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (m_updatingControls) return;
        refreshRunCombos();
        scheduleSlices();
        scheduleFinder();
        scheduleChanges();
    });
    connect(m_sourceRunCombo, &QComboBox::currentIndexChanged, this, [this] {
        scheduleSlices();
        scheduleFinder();
    });
    for (QComboBox* combo :
         {m_compareCombo, m_metricCombo, m_featureCombos[0], m_featureCombos[1], m_featureCombos[2]})
        connect(combo, &QComboBox::currentIndexChanged, this, slices);
    for (QSpinBox* spin : {m_bucketsSpin, m_minNSpin, m_seedSpin})
        connect(spin, &QSpinBox::valueChanged, this, slices);
    connect(m_edgesEdit, &QLineEdit::editingFinished, this, slices);
    connect(m_alphaSpin, &QDoubleSpinBox::valueChanged, this, [this] { scheduleFinder(); });
    connect(m_maxFeaturesSpin, &QSpinBox::valueChanged, this, [this] { scheduleFinder(); });
    connect(m_minSupportSpin, &QSpinBox::valueChanged, this, [this] {
        scheduleFinder();
        scheduleChanges();
    });
    for (QComboBox* combo : {m_runACombo, m_runBCombo})
        connect(combo, &QComboBox::currentIndexChanged, this, [this] { scheduleChanges(); });
    connect(m_finderTable, &QTableWidget::cellClicked, this, [this](int row, int) { showFoundSlice(row); });
    connect(m_finderTable, &QTableWidget::cellActivated, this, [this](int row, int) { showFoundSlice(row); });
}

// ---- Workspace and run selection ----

void SlicesView::onWorkspaceChanged() {
    m_cache.clear(); // tables may have been re-imported or the workspace replaced
    refreshSets();
    refreshSetCombo();
    refreshRunCombos();
    scheduleSlices();
    scheduleFinder();
    scheduleChanges();
}

void SlicesView::refreshSets() {
    m_allSets.clear();
    Workspace* workspace = m_window->workspace();
    m_workspacePath = workspace ? workspace->path() : std::filesystem::path();
    if (!workspace) return;
    try {
        for (const auto& run : workspace->runs())
            for (const auto& info : workspace->predictionTables(run.id))
                m_allSets.push_back({info.id, run.id, run.name, info.name});
    } catch (const std::exception& e) {
        m_status->setText(tr("Could not list evaluation sets: %1").arg(qs(e.what())));
    }
}

std::vector<SliceSetRef> SlicesView::setsNamed(const std::string& setName, bool visibleOnly) const {
    std::vector<SliceSetRef> out;
    const RunTableModel* model = m_window->runModel();
    // In run-table order, so cohorts follow the order the user sees.
    for (const RunInfo* run : model->visibleRuns())
        for (const auto& ref : m_allSets)
            if (ref.runId == run->id && ref.setName == setName) out.push_back(ref);
    if (visibleOnly) return out;
    for (const auto& ref : m_allSets)
        if (ref.setName == setName && !model->isVisible(ref.runId)) out.push_back(ref);
    return out;
}

std::optional<SliceSetRef> SlicesView::setOfRun(const QString& runName) const {
    const std::string set = m_setCombo->currentText().toStdString();
    for (const auto& ref : m_allSets)
        if (ref.setName == set && qs(ref.runName) == runName) return ref;
    return std::nullopt;
}

std::vector<SliceSetRef> SlicesView::cohortRefs() const {
    return setsNamed(m_setCombo->currentText().toStdString(), true);
}

void SlicesView::refreshSetCombo() {
    std::set<QString> names;
    const RunTableModel* model = m_window->runModel();
    for (const auto& ref : m_allSets)
        if (model->isVisible(ref.runId)) names.insert(qs(ref.setName));
    m_updatingControls = true;
    resetCombo(m_setCombo, QStringList(names.begin(), names.end()), QStringLiteral("test"));
    m_updatingControls = false;
    if (!m_window->workspace()) {
        m_emptyHint->setText(tr("Open or import a workspace to compare slices of its evaluation sets."));
        m_stack->setCurrentIndex(0);
    } else if (names.empty()) {
        m_emptyHint->setText(
            tr("No evaluation sets yet: drop a predictions_*.csv onto a run, or import a run "
               "folder that holds one. Hidden runs are not listed."));
        m_stack->setCurrentIndex(0);
    } else {
        m_stack->setCurrentIndex(1);
    }
}

void SlicesView::refreshRunCombos() {
    QStringList runs;
    for (const auto& ref : setsNamed(m_setCombo->currentText().toStdString(), true))
        runs << qs(ref.runName);
    const QSignalBlocker blockSource(m_sourceRunCombo), blockA(m_runACombo), blockB(m_runBCombo);
    resetCombo(m_sourceRunCombo, runs);
    resetCombo(m_runACombo, runs);
    resetCombo(m_runBCombo, runs, runs.size() > 1 ? runs[1] : QString());
    if (m_runBCombo->currentIndex() == m_runACombo->currentIndex() && runs.size() > 1)
        m_runBCombo->setCurrentIndex(m_runACombo->currentIndex() == 0 ? 1 : 0);
}

// ---- Scheduling ----

void SlicesView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_dirty) return;
    m_dirty = false;
    scheduleSlices();
    scheduleFinder();
    scheduleChanges();
}

void SlicesView::scheduleSlices() {
    if (!m_updatingControls) m_slicesTimer->start();
}
void SlicesView::scheduleFinder() {
    m_finderTimer->start();
}
void SlicesView::scheduleChanges() {
    m_changesTimer->start();
}

SliceOptions SlicesView::currentOptions(QString* error) const {
    SliceOptions options;
    for (QComboBox* combo : m_featureCombos) {
        const std::string feature = combo->currentText().toStdString();
        if (combo->currentText().isEmpty() || combo->currentText() == kNoFeature) continue;
        if (std::find(options.by.begin(), options.by.end(), feature) == options.by.end())
            options.by.push_back(feature);
    }
    options.metric = static_cast<SliceMetric>(m_metricCombo->currentData().toInt());
    options.quantileBuckets = m_bucketsSpin->value();
    options.minN = m_minNSpin->value();
    options.seed = static_cast<std::uint64_t>(m_seedSpin->value());
    parseEdges(m_edgesEdit->text(), options.edges, error);
    return options;
}

void SlicesView::startSlices() {
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    const auto refs = cohortRefs();
    if (refs.empty()) {
        m_report.reset();
        showReport();
        return;
    }
    QString edgeError;
    SliceJob job;
    job.options = currentOptions(&edgeError);
    if (!edgeError.isEmpty()) {
        m_status->setText(edgeError);
        return;
    }
    job.input.workspacePath = m_workspacePath;
    job.input.refs = refs;
    job.input.cached = m_cache;
    job.source = setOfRun(m_sourceRunCombo->currentText());
    job.compareColumn = m_compareCombo->currentIndex() > 0 ? m_compareCombo->currentText().toStdString() : "";
    m_status->setText(tr("Computing slices…"));
    m_slicesJob->launch(std::move(job), runSliceJob);
}

void SlicesView::startFinder() {
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    const auto ref = setOfRun(m_sourceRunCombo->currentText());
    if (!ref) {
        m_found.reset();
        m_finderStatus->setText(tr("Choose a source run with the evaluation set."));
        m_fairness->setSource(nullptr, QString());
        showFinder();
        return;
    }
    FinderJob job;
    job.input.workspacePath = m_workspacePath;
    job.input.refs = {*ref};
    job.input.cached = m_cache;
    job.options.alpha = m_alphaSpin->value();
    job.options.minSupport = m_minSupportSpin->value();
    job.options.maxLevel = m_maxFeaturesSpin->value();
    m_finderStatus->setText(tr("Searching slices of %1…").arg(qs(ref->runName)));
    m_finderJob->launch(std::move(job), runFinderJob);
}

void SlicesView::startChanges() {
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    const auto a = setOfRun(m_runACombo->currentText()), b = setOfRun(m_runBCombo->currentText());
    if (!a || !b || a->runId == b->runId) {
        m_changes.clear();
        showChanges();
        m_changesStatus->setText(tr("Choose two different runs that share the evaluation set."));
        return;
    }
    FinderJob job;
    job.input.workspacePath = m_workspacePath;
    job.input.refs = {*a, *b};
    job.input.cached = m_cache;
    job.options.maxLevel = 2; // single features and pairs, as `runlens diff`
    job.options.minSupport = m_minSupportSpin->value();
    m_changesStatus->setText(tr("Comparing %1 with %2…").arg(qs(a->runName), qs(b->runName)));
    m_changesJob->launch(std::move(job), runChangesJob);
}

// ---- Results ----

void SlicesView::updateFeatureCombos(const std::vector<std::string>& features,
                                     const std::vector<std::string>& sourceColumns) {
    QStringList names;
    for (const auto& f : features)
        names << qs(f);
    QStringList columns{tr("Visible runs")};
    for (const auto& c : sourceColumns)
        columns << qs(c);
    auto choices = [this] {
        QStringList texts{m_compareCombo->currentText()};
        for (QComboBox* combo : m_featureCombos)
            texts << combo->currentText();
        return texts;
    };
    const QStringList before = choices();
    m_updatingControls = true;
    resetCombo(m_featureCombos[0], names);
    for (int i = 1; i < 3; ++i)
        resetCombo(m_featureCombos[i], QStringList{kNoFeature} + names, kNoFeature);
    resetCombo(m_compareCombo, columns);
    m_updatingControls = false;
    // A first load picks the first feature, and a set without the chosen feature falls back: recompute.
    if (choices() != before) scheduleSlices();
}

void SlicesView::onSlicesDone(SliceJobResult result) {
    updateFeatureCombos(result.features, result.sourceColumns);
    m_report = std::move(result.report);
    if (!m_report && result.error.empty() && result.features.empty())
        result.error = "the evaluation set has no feature columns to slice by";
    m_status->setText(qs(result.error));
    showReport();
    if (!m_slicesTimer->isActive()) highlightSlice();
}

void SlicesView::onFinderDone(SliceJobResult result) {
    // The finder loaded the source run's set: the disparity panel judges the same set.
    const auto ref = setOfRun(m_sourceRunCombo->currentText());
    const auto cached = ref ? m_cache.find(ref->tableId) : m_cache.end();
    m_fairness->setSource(cached == m_cache.end() ? nullptr : cached->second,
                          ref ? qs(ref->runName + " / " + ref->setName) : QString());
    m_found = std::move(result.found);
    showFinder();
    if (!result.error.empty() || !m_found) {
        m_finderStatus->setText(qs(result.error));
        return;
    }
    QString text = tr("%L1 slices evaluated; overall error rate %2.")
                       .arg(m_found->slicesEvaluated)
                       .arg(qs(formatMetricValue(m_found->overallErrorRate, true)));
    QStringList skipped;
    for (const auto& feature : m_found->skippedFeatures)
        skipped << qs(feature);
    if (!skipped.isEmpty()) text += tr(" Skipped: %1.").arg(skipped.join(QStringLiteral(", ")));
    if (m_found->slices.empty()) text += tr(" No slice with enough support errs more than the rest.");
    m_finderStatus->setText(text);
}

void SlicesView::onChangesDone(SliceJobResult result) {
    m_changes = std::move(result.changes);
    showChanges();
    if (!result.error.empty()) {
        m_changesStatus->setText(qs(result.error));
        return;
    }
    const QString aligned = tr("%L1 examples aligned by %2")
                                .arg(result.alignedExamples)
                                .arg(result.alignedById ? tr("id") : tr("row"));
    m_changesStatus->setText(
        m_changes.empty() ? tr("No slice changed significantly (q < 0.05); %1.").arg(aligned)
                          : tr("%n slice(s) changed significantly (q < 0.05); %1.", "", int(m_changes.size()))
                                .arg(aligned));
}

void SlicesView::showReport() {
    m_sliceTable->setSortingEnabled(false);
    m_sliceTable->clear();
    m_sliceTable->setRowCount(0);
    if (!m_report) {
        m_sliceTable->setColumnCount(0);
        m_overall->clear();
        m_chartView->replaceChart(new QChart);
        showBanner();
        return;
    }
    const SliceReport& r = *m_report;
    const bool percent = sliceMetricInfo(r.metric).rate;
    const int cohorts = static_cast<int>(r.cohorts.size());
    // The winner comes right after the slice so it stays in view however many cohort columns follow.
    QStringList headers{tr("Slice")};
    if (cohorts > 1) headers << tr("Winner");
    for (const auto& c : r.cohorts)
        headers << tr("%1\nn").arg(qs(c)) << tr("%1\nshare").arg(qs(c))
                << tr("%1\n%2").arg(qs(c), metricLabel(r.metric).toLower())
                << tr("%1\n95% interval").arg(qs(c)) << tr("%1\nzero-rule").arg(qs(c));
    m_sliceTable->setColumnCount(static_cast<int>(headers.size()));
    m_sliceTable->setHorizontalHeaderLabels(headers);
    m_sliceTable->setRowCount(static_cast<int>(r.slices.size()));
    for (std::size_t s = 0; s < r.slices.size(); ++s) {
        const SliceRow& row = r.slices[s];
        std::vector<QTableWidgetItem*> items;
        auto* name = new SortItem(keyText(row.key));
        name->setData(kIndexRole, static_cast<int>(s));
        items.push_back(name);
        if (cohorts > 1)
            items.push_back(new SortItem(row.winner.empty() ? QStringLiteral("-") : qs(row.winner)));
        for (const SliceCell& cell : row.cohorts) {
            items.push_back(new SortItem(QString::number(cell.n), double(cell.n)));
            items.push_back(new SortItem(QString::number(cell.share * 100, 'f', 1) + '%', cell.share));
            const bool empty = cell.n == 0;
            items.push_back(empty ? new SortItem(QStringLiteral("-"), -1e300)
                                  : new SortItem(qs(formatMetricValue(cell.value, percent)), cell.value));
            items.push_back(empty ? new SortItem(QStringLiteral("-"), -1e300)
                                  : new SortItem(QStringLiteral("[%1, %2]")
                                                     .arg(qs(formatMetricValue(cell.ciLow, percent)),
                                                          qs(formatMetricValue(cell.ciHigh, percent))),
                                                 cell.ciHigh - cell.ciLow));
            // What always predicting the slice's majority label scores here, as `slices --json` zero_rule.
            items.push_back(empty || !std::isfinite(cell.zeroRule)
                                ? new SortItem(QStringLiteral("-"), -1e300)
                                : new SortItem(qs(formatMetricValue(cell.zeroRule, percent)), cell.zeroRule));
        }
        setRowItems(m_sliceTable, static_cast<int>(s), items);
    }
    m_sliceTable->setSortingEnabled(true);
    m_sliceTable->resizeColumnsToContents();

    QStringList overall;
    for (int c = 0; c < cohorts; ++c) {
        const SliceCell& cell = r.overall[static_cast<std::size_t>(c)];
        QString text =
            tr("%1 %2 [%3, %4] n=%L5")
                .arg(qs(r.cohorts[static_cast<std::size_t>(c)]), qs(formatMetricValue(cell.value, percent)),
                     qs(formatMetricValue(cell.ciLow, percent)), qs(formatMetricValue(cell.ciHigh, percent)))
                .arg(cell.n);
        if (std::isfinite(cell.zeroRule))
            text += tr(" (zero-rule %1)").arg(qs(formatMetricValue(cell.zeroRule, percent)));
        overall << text;
    }
    QString method = tr("95% %1 intervals").arg(qs(r.intervalMethod));
    if (r.bootstrapResamples > 0)
        method +=
            tr(" (%1 resamples, seed %2)").arg(r.bootstrapResamples).arg(static_cast<qulonglong>(r.seed));
    m_overall->setText(tr("Overall: %1. %2.").arg(overall.join(QStringLiteral("; ")), method));
    m_chartView->replaceChart(buildSliceChart(r));
    showBanner();
}

void SlicesView::showBanner() {
    if (!m_report) {
        m_banner->hide();
        return;
    }
    m_banner->show();
    const SliceReport& r = *m_report;
    if (r.cohorts.size() < 2) {
        m_banner->setStyleSheet(
            QStringLiteral("QLabel { background: palette(alternate-base); padding: 6px; }"));
        m_banner->setText(
            tr("One cohort: nothing to compare. Make two or more runs with this set visible, or "
               "compare by a column."));
        return;
    }
    const SimpsonVerdict& v = r.simpson;
    struct Style {
        const char* background;
        const char* foreground;
        QString title;
    };
    Style style{"#d1e7dd", "#0f5132", tr("No reversal")};
    if (v.reversal == Reversal::Complete)
        style = {"#f8d7da", "#842029", tr("Complete reversal (Simpson's paradox)")};
    if (v.reversal == Reversal::Partial) style = {"#fff3cd", "#664d03", tr("Partial reversal")};
    if (v.reversal == Reversal::Impossible) style = {"#cfe2ff", "#084298", tr("Reversal impossible")};
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; padding: 6px; border-radius: 4px; }")
            .arg(QLatin1String(style.background), QLatin1String(style.foreground)));
    const bool percent = sliceMetricInfo(r.metric).rate;
    QStringList standardized;
    for (const auto& [cohort, value] : v.standardized)
        standardized << qs(cohort).toHtmlEscaped() + ' ' + qs(formatMetricValue(value, percent));
    QStringList mixes;
    for (const auto& [cohort, strata] : v.mix) {
        QStringList parts;
        for (const auto& [stratum, share] : strata)
            parts << QStringLiteral("%1 %2%").arg(qs(stratum).toHtmlEscaped()).arg(share * 100, 0, 'f', 0);
        if (parts.size() > 8) parts = parts.mid(0, 8) << QStringLiteral("…");
        mixes << QStringLiteral("<i>%1</i>: %2")
                     .arg(qs(cohort).toHtmlEscaped(), parts.join(QStringLiteral(", ")));
    }
    QString text = QStringLiteral("<b>%1.</b> %2").arg(style.title, qs(v.explanation).toHtmlEscaped());
    if (!standardized.isEmpty())
        text += tr("<br>Standardised to the pooled mix: %1%2.")
                    .arg(standardized.join(QStringLiteral(", ")),
                         v.standardizedWinner.empty()
                             ? QString()
                             : tr(" (better: %1)").arg(qs(v.standardizedWinner).toHtmlEscaped()));
    if (!mixes.isEmpty()) text += tr("<br>Mix: %1").arg(mixes.join(QStringLiteral("; ")));
    m_banner->setText(text);
}

void SlicesView::showFinder() {
    m_finderTable->setSortingEnabled(false);
    m_finderTable->setRowCount(0);
    if (!m_found) return;
    const auto& slices = m_found->slices;
    m_finderTable->setRowCount(static_cast<int>(slices.size()));
    for (std::size_t i = 0; i < slices.size(); ++i) {
        const FoundSlice& s = slices[i];
        auto* name = new SortItem(keyText(s.key));
        name->setData(kIndexRole, static_cast<int>(i));
        setRowItems(m_finderTable, static_cast<int>(i),
                    {name, new SortItem(QString::number(s.n), double(s.n)),
                     new SortItem(qs(formatMetricValue(s.errorRate, true)), s.errorRate),
                     new SortItem(qs(formatMetricValue(s.restErrorRate, true)), s.restErrorRate),
                     new SortItem(numberText(s.effectSize), s.effectSize),
                     new SortItem(pText(s.pValue), s.pValue), new SortItem(pText(s.qValue), s.qValue),
                     new SortItem(numberText(s.score), s.score)});
    }
    m_finderTable->setSortingEnabled(true);
    m_finderTable->resizeColumnsToContents();
}

void SlicesView::showChanges() {
    m_changesTable->setSortingEnabled(false);
    m_changesTable->setRowCount(static_cast<int>(m_changes.size()));
    for (std::size_t i = 0; i < m_changes.size(); ++i) {
        const SliceChange& c = m_changes[i];
        setRowItems(
            m_changesTable, static_cast<int>(i),
            {new SortItem(keyText(c.key)), new SortItem(QString::number(c.n), double(c.n)),
             new SortItem(qs(formatMetricValue(c.accuracyA, true)), c.accuracyA),
             new SortItem(qs(formatMetricValue(c.accuracyB, true)), c.accuracyB),
             new SortItem(QStringLiteral("%1%2 pp").arg(c.delta > 0 ? "+" : "").arg(c.delta * 100, 0, 'f', 1),
                          c.delta),
             new SortItem(pText(c.pValue), c.pValue), new SortItem(pText(c.qValue), c.qValue)});
    }
    m_changesTable->setSortingEnabled(true);
    m_changesTable->resizeColumnsToContents();
}

void SlicesView::showFoundSlice(int finderRow) {
    const QTableWidgetItem* item = m_finderTable->item(finderRow, 0);
    if (!m_found || !item) return;
    const int index = item->data(kIndexRole).toInt();
    if (index < 0 || index >= static_cast<int>(m_found->slices.size())) return;
    m_finderTable->selectRow(finderRow);
    const auto& key = m_found->slices[static_cast<std::size_t>(index)].key;
    m_highlightKey = key;
    m_updatingControls = true;
    for (int i = 0; i < 3; ++i) {
        const QString feature =
            i < static_cast<int>(key.size()) ? qs(key[static_cast<std::size_t>(i)].first) : kNoFeature;
        const int at = m_featureCombos[i]->findText(feature);
        m_featureCombos[i]->setCurrentIndex(at < 0 ? (i == 0 ? 0 : m_featureCombos[i]->findText(kNoFeature))
                                                   : at);
    }
    // The finder buckets numeric features by quartiles of the one set; match it so the same slice appears.
    m_bucketsSpin->setValue(SliceFinderOptions{}.quantileBuckets);
    m_updatingControls = false;
    scheduleSlices();
}

void SlicesView::highlightSlice() {
    if (m_highlightKey.empty() || !m_report) return;
    for (int row = 0; row < m_sliceTable->rowCount(); ++row) {
        const int index = m_sliceTable->item(row, 0)->data(kIndexRole).toInt();
        auto key = m_report->slices[static_cast<std::size_t>(index)].key;
        auto wanted = m_highlightKey;
        std::sort(key.begin(), key.end());
        std::sort(wanted.begin(), wanted.end());
        if (key != wanted) continue;
        m_sliceTable->selectRow(row);
        m_sliceTable->scrollToItem(m_sliceTable->item(row, 0));
        return;
    }
}

// ---- Export ----

bool SlicesView::exportChartImage(const QString& path, QString* error) {
    if (!m_report) {
        if (error) *error = tr("There is no slice chart to export yet.");
        return false;
    }
    std::unique_ptr<QChart> chart(buildSliceChart(*m_report));
    return exportChart(chart.get(), QSize(kExportWidth, kExportHeight), path, error);
}

bool SlicesView::exportCsv(const QString& path, QString* error) {
    if (!m_report) {
        if (error) *error = tr("There are no slices to export yet.");
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const SliceReport& r = *m_report;
    QTextStream out(&file);
    QStringList header;
    for (const auto& f : r.by)
        header << csvField(qs(f));
    header << "cohort"
           << "metric"
           << "n"
           << "share"
           << "value"
           << "ci_low"
           << "ci_high"
           << "interval"
           << "winner"
           << "zero_rule";
    out << header.join(',') << '\n';
    const QString metric = qs(std::string(sliceMetricInfo(r.metric).name));
    auto writeRow = [&](const QStringList& key, std::size_t c, const SliceCell& cell,
                        const std::string& winner) {
        QStringList fields = key;
        fields << csvField(qs(r.cohorts[c])) << metric << QString::number(cell.n)
               << QString::number(cell.share, 'g', 10) << QString::number(cell.value, 'g', 10)
               << QString::number(cell.ciLow, 'g', 10) << QString::number(cell.ciHigh, 'g', 10)
               << csvField(qs(r.intervalMethod)) << csvField(qs(winner))
               << (std::isfinite(cell.zeroRule) ? QString::number(cell.zeroRule, 'g', 10) : QString());
        out << fields.join(',') << '\n';
    };
    for (const SliceRow& row : r.slices) {
        QStringList key;
        for (const auto& f : r.by) {
            QString value;
            for (const auto& [feature, label] : row.key)
                if (feature == f) value = qs(label);
            key << csvField(value);
        }
        for (std::size_t c = 0; c < r.cohorts.size(); ++c)
            writeRow(key, c, row.cohorts[c], row.winner);
    }
    QStringList overallKey;
    for (std::size_t i = 0; i < r.by.size(); ++i)
        overallKey << QStringLiteral("(overall)");
    for (std::size_t c = 0; c < r.cohorts.size(); ++c)
        writeRow(overallKey, c, r.overall[c], r.cohorts.size() > 1 ? r.simpson.overallWinner : std::string());
    out.flush();
    if (file.error() != QFileDevice::NoError) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void SlicesView::exportChartInteractive(const QString& suffix) {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export slice chart"), QStringLiteral("slices.%1").arg(suffix),
                                     tr("%1 files (*.%2)").arg(suffix.toUpper(), suffix));
    if (path.isEmpty()) return;
    QString error;
    if (!exportChartImage(path, &error))
        m_status->setText(error);
    else
        m_status->setText(tr("Wrote %1").arg(path));
}

void SlicesView::exportCsvInteractive() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export slice data"),
                                                      QStringLiteral("slices.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportCsv(path, &error))
        m_status->setText(error);
    else
        m_status->setText(tr("Wrote %1").arg(path));
}

} // namespace runlens::ui
