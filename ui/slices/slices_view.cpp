// The Slices tab: per-slice metrics of cohorts with the Simpson verdict, a slice finder and regressed slices
// A->B; what it computes runs in slice_jobs.cpp, off the GUI thread, its pages are built in
// slices_pages.cpp and its results shown in slices_results.cpp.
#include "ui/slices/slices_view.h"

#include "core/store/workspace.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"
#include "ui/slices/fairness_panel.h"
#include "ui/slices/slice_jobs.h"
#include "ui/slices/slices_text.h"

#include <algorithm>
#include <cmath>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QShowEvent>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QtConcurrent>
#include <QTimer>
#include <set>
#include <unordered_map>

namespace runlens::ui {

using namespace slices_text;

namespace {

constexpr int kScheduleDelayMs = 80;

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

SlicesView::SlicesView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context), m_slicesJob(std::make_unique<Panel>()),
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
    connect(context, &ViewContext::workspaceChanged, this, &SlicesView::onWorkspaceChanged);
    connect(context, &ViewContext::runsChanged, this, &SlicesView::onWorkspaceChanged);
    connect(context->runModel(), &RunTableModel::visibilityChanged, this, [this] {
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
    Workspace* workspace = m_context->workspace();
    m_workspacePath = workspace ? workspace->path() : std::filesystem::path();
    if (!workspace) return;
    // One query for every run's tables, named from the run table: listing the runs again here read every
    // run's params and series summaries a second time on the GUI thread (twice per open of 1,000 runs).
    std::unordered_map<std::int64_t, const RunInfo*> runsById;
    for (const RunInfo& run : m_context->runModel()->runs())
        runsById.emplace(run.id, &run);
    try {
        for (const auto& info : workspace->allPredictionTables())
            if (const auto it = runsById.find(info.runId); it != runsById.end())
                m_allSets.push_back({info.id, info.runId, it->second->name, info.name});
    } catch (const std::exception& e) {
        m_status->setText(tr("Could not list evaluation sets: %1").arg(qs(e.what())));
    }
}

std::vector<SliceSetRef> SlicesView::setsNamed(const std::string& setName, bool visibleOnly) const {
    std::vector<SliceSetRef> out;
    const RunTableModel* model = m_context->runModel();
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
    const RunTableModel* model = m_context->runModel();
    for (const auto& ref : m_allSets)
        if (model->isVisible(ref.runId)) names.insert(qs(ref.setName));
    m_updatingControls = true;
    resetCombo(m_setCombo, QStringList(names.begin(), names.end()), QStringLiteral("test"));
    m_updatingControls = false;
    if (!m_context->workspace()) {
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

} // namespace runlens::ui
