// The Sweep tab: reduces each visible run's metric, lays params out in parallel coordinates and links the
// brushes; the scatter and best-so-far charts and the exports are in sweep_charts.cpp.
#include "ui/sweep/sweep_view.h"

#include "core/analysis/cost_quality.h"
#include "core/model/tag_names.h"
#include "core/store/workspace.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"
#include "ui/sweep/parallel_coordinates.h"
#include "ui/sweep/sweep_param_number.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace runlens::ui {

namespace {

constexpr int kMaxCategories = 40; // more distinct texts than this is an id, not a sweep dimension

bool allNumeric(const std::vector<SweepRun>& runs, std::size_t param) {
    bool any = false;
    for (const auto& run : runs) {
        if (run.params[param].isEmpty()) continue;
        if (!sweepParamNumber(run.params[param])) return false;
        any = true;
    }
    return any;
}

// The goal the metric's name implies (core/model/tag_names), maximise when the name does not tell.
bool lowerIsBetterName(const QString& metric) {
    return lowerIsBetter(metric.toStdString()).value_or(false);
}

// The run's start: as its log recorded it, else its earliest logged wall time.
double startTimeOf(const RunInfo& run) {
    if (std::isfinite(run.provenance.startTime)) return run.provenance.startTime;
    double first = NAN;
    for (const auto& series : run.series)
        if (std::isfinite(series.firstWallTime) && !(series.firstWallTime >= first))
            first = series.firstWallTime;
    return first;
}

void setComboItems(QComboBox* combo, const QStringList& items, const QString& preferred) {
    const QString keep = combo->currentText();
    combo->clear();
    combo->addItems(items);
    int index = combo->findText(keep);
    if (index < 0) index = combo->findText(preferred);
    combo->setCurrentIndex(std::max(index, 0));
}

} // namespace

SweepView::SweepView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context), m_metric(new QComboBox), m_reduction(new QComboBox),
      m_param(new QComboBox), m_goal(new QComboBox), m_order(new QComboBox), m_stack(new QStackedWidget),
      m_emptyHint(new QLabel), m_status(new QLabel), m_parallel(new ParallelCoordinates),
      m_scatter(new InteractiveChartView), m_best(new InteractiveChartView),
      m_ranked(new QStandardItemModel(this)), m_table(new QTableView) {
    m_reduction->addItems({tr("last"), tr("min"), tr("max")});
    m_goal->addItems({tr("Minimise"), tr("Maximise")});
    m_order->addItems({tr("Run index"), tr("Start time")});
    m_metric->setMinimumContentsLength(14);
    m_param->setMinimumContentsLength(10);
    m_reduction->setToolTip(tr("Which value of each run's metric series is its result"));
    m_goal->setToolTip(tr("Whether a lower or a higher metric is better (ranking and best so far)"));
    m_param->setToolTip(tr("Param on the scatter's x axis"));
    m_order->setToolTip(tr("x axis of the best-so-far chart"));

    auto* clear = new QPushButton(tr("&Clear brushes"));
    clear->setToolTip(tr("Show every run again (Esc)"));
    connect(clear, &QPushButton::clicked, m_parallel, &ParallelCoordinates::clearBrushes);
    auto* escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, m_parallel, &ParallelCoordinates::clearBrushes);

    auto* controls = new FlowLayout; // wraps at the page's width (a laptop-sized window)
    const auto addLabelled = [&](const QString& text, QWidget* widget) { controls->addField(text, widget); };
    addLabelled(tr("&Metric"), m_metric);
    addLabelled(tr("&Reduce"), m_reduction);
    addLabelled(tr("&Goal"), m_goal);
    addLabelled(tr("Scatter &x"), m_param);
    addLabelled(tr("&Best so far by"), m_order);
    controls->addWidget(clear);
    controls->addWidget(m_status);

    m_table->setModel(m_ranked);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_scatter->setRenderHint(QPainter::Antialiasing);
    m_best->setRenderHint(QPainter::Antialiasing);

    const auto panel = [this](const QString& title, const QString& what, QWidget* body) {
        auto* box = new QWidget;
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(2, 2, 2, 2);
        layout->setSpacing(2);
        auto* header = new QHBoxLayout;
        auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title));
        header->addWidget(label);
        header->addStretch();
        header->addWidget(exportButton(what, body));
        layout->addLayout(header);
        layout->addWidget(body, 1);
        return box;
    };
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(panel(tr("Metric against param"), QStringLiteral("scatter"), m_scatter));
    bottom->addWidget(panel(tr("Best so far"), QStringLiteral("best"), m_best));
    bottom->addWidget(panel(tr("Ranked runs"), QStringLiteral("table"), m_table));
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 3);
    bottom->setStretchFactor(2, 4);
    auto* body = new QSplitter(Qt::Vertical);
    body->addWidget(panel(tr("Parallel coordinates: drag on an axis to brush, drag a title to move the axis"),
                          QStringLiteral("parallel"), m_parallel));
    body->addWidget(bottom);
    body->setStretchFactor(0, 5);
    body->setStretchFactor(1, 4);

    m_emptyHint->setObjectName("sweepEmptyHint");
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_stack->addWidget(m_emptyHint);
    m_stack->addWidget(body);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_stack, 1);

    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] {
        if (m_refilling) return;
        m_goal->blockSignals(true);
        m_goal->setCurrentIndex(lowerIsBetterName(m_metric->currentText()) ? 0 : 1);
        m_goal->blockSignals(false);
        recompute();
    });
    connect(m_reduction, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_refilling) recompute();
    });
    connect(m_goal, &QComboBox::currentIndexChanged, this, [this] {
        rebuildBest();
        rebuildTable();
    });
    connect(m_param, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_refilling) rebuildScatter();
    });
    connect(m_order, &QComboBox::currentIndexChanged, this, [this] { rebuildBest(); });
    connect(m_parallel, &ParallelCoordinates::selectionChanged, this, [this] {
        m_selected = m_parallel->selection();
        rebuildScatter();
        rebuildTable();
    });
    // Opening a workspace reloads three times (workspace, table, runs); a hidden tab waits until it is shown
    // instead of ranking every run on the GUI thread before the first curves paint.
    const auto reload = [this] {
        refillCombos();
        recomputeWhenShown();
    };
    connect(context, &ViewContext::workspaceChanged, this, [this, reload](Workspace* workspace) {
        m_source.setWorkspace(workspace);
        m_evaluationValues.clear();
        reload();
    });
    connect(context, &ViewContext::runsChanged, this, [this, reload] {
        m_source.invalidate();
        m_evaluationValues.clear();
        reload();
    });
    m_source.setWorkspace(context->workspace());
    connect(context->runModel(), &QAbstractItemModel::modelReset, this, reload);
    connect(context->runModel(), &RunTableModel::visibilityChanged, this, [this] { recomputeWhenShown(); });
    reload();
}

std::map<std::int64_t, double> SweepView::evaluationValues(const std::string& metric) {
    std::map<std::int64_t, double> values;
    SliceMetric m = SliceMetric::Accuracy;
    if (!parseEvaluationQuality(metric, m)) return values;
    for (auto& entry : m_source.loadVisible(*m_context->runModel())) {
        if (values.count(entry.runId) || !entry.set) continue;
        const auto key = std::make_pair(entry.tableId, metric);
        auto cached = m_evaluationValues.find(key);
        if (cached == m_evaluationValues.end())
            cached =
                m_evaluationValues.emplace(key, evaluationMetricValue(*entry.table, *entry.set, m)).first;
        if (std::isfinite(cached->second)) values[entry.runId] = cached->second;
    }
    return values;
}

bool SweepView::maximise() const {
    return m_goal->currentIndex() == 1;
}

bool SweepView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

QChart* SweepView::scatterChart() const {
    return m_scatter->chart();
}

QChart* SweepView::bestChart() const {
    return m_best->chart();
}

void SweepView::refillCombos() {
    m_refilling = true;
    QStringList tags = m_context->runModel()->metricTags();
    // Evaluation-set metrics join the choices when any visible run has a set.
    if (!m_source.list(*m_context->runModel()).empty())
        for (const auto& name : evaluationQualityNames())
            tags << QString::fromStdString(name);
    // The metric most runs log, a validation one among equals, so a tag only a few runs have is no default.
    std::map<QString, int> runsWith;
    for (const RunInfo& run : m_context->runModel()->runs())
        for (const auto& series : run.series)
            ++runsWith[QString::fromStdString(series.tag)];
    QString preferred;
    int most = 0;
    bool preferredIsValidation = false;
    for (const QString& tag : tags) {
        const auto it = runsWith.find(tag);
        const int n = it == runsWith.end() ? 0 : it->second;
        const bool validation = tag.contains(QLatin1String("val"), Qt::CaseInsensitive);
        if (n > most || (n == most && n > 0 && validation && !preferredIsValidation)) {
            preferred = tag;
            most = n;
            preferredIsValidation = validation;
        }
    }
    const QString before = m_metric->currentText();
    setComboItems(m_metric, tags, preferred);
    if (m_metric->currentText() != before)
        m_goal->setCurrentIndex(lowerIsBetterName(m_metric->currentText()) ? 0 : 1);
    m_refilling = false;
}

void SweepView::recomputeWhenShown() {
    if (!isVisible()) {
        m_recomputeOnShow = true;
        return;
    }
    recompute();
}

void SweepView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_recomputeOnShow) return;
    m_recomputeOnShow = false;
    recompute();
}

void SweepView::recompute() {
    m_runs.clear();
    m_paramKeys.clear();
    const std::string metric = m_metric->currentText().toStdString();
    std::vector<const RunInfo*> used;
    const bool fromEvaluation = metric.starts_with(kEvalPrefix);
    m_reduction->setEnabled(!fromEvaluation); // an evaluation set has one value per run
    const auto evaluated = fromEvaluation ? evaluationValues(metric) : std::map<std::int64_t, double>{};
    for (const RunInfo* run : m_context->runModel()->visibleRuns()) {
        double value = std::nan("");
        if (fromEvaluation) {
            const auto it = evaluated.find(run->id);
            if (it == evaluated.end()) continue;
            value = it->second;
        } else {
            const auto series = std::find_if(run->series.begin(), run->series.end(),
                                             [&](const SeriesSummary& s) { return s.tag == metric; });
            if (series == run->series.end()) continue;
            value = reducedValue(*series, static_cast<SeriesReduction>(m_reduction->currentIndex()));
        }
        if (!std::isfinite(value)) continue;
        SweepRun entry;
        entry.id = run->id;
        entry.name = QString::fromStdString(run->name);
        entry.color = m_context->runModel()->colorOf(run->id);
        entry.value = value;
        entry.startTime = startTimeOf(*run);
        m_runs.push_back(std::move(entry));
        used.push_back(run);
    }
    // Params that vary across these runs are the sweep's dimensions; constant ones add nothing.
    std::map<std::string, std::set<std::string>> distinct;
    for (const RunInfo* run : used)
        for (const auto& [key, value] : run->params)
            distinct[key].insert(value);
    for (const auto& [key, values] : distinct) {
        const bool missingSomewhere = std::any_of(used.begin(), used.end(), [&](const RunInfo* r) {
            return r->params.find(key) == r->params.end();
        });
        if (values.size() + (missingSomewhere ? 1 : 0) > 1) m_paramKeys << QString::fromStdString(key);
    }
    for (std::size_t r = 0; r < m_runs.size(); ++r)
        for (const QString& key : m_paramKeys) {
            const auto it = used[r]->params.find(key.toStdString());
            m_runs[r].params.push_back(it == used[r]->params.end() ? QString()
                                                                   : QString::fromStdString(it->second));
        }

    if (m_runs.empty()) {
        m_emptyHint->setText(
            m_context->runModel()->runs().empty()
                ? tr("No runs yet: drop the folders of a sweep here (each run's metrics plus its "
                     "params, e.g. hparams.yaml).")
                : tr("No visible run logs the chosen metric: pick another metric or show more "
                     "runs in the run table."));
        m_stack->setCurrentIndex(0);
        m_parallel->setData({}, {});
        return;
    }
    m_stack->setCurrentIndex(1);

    QStringList numericParams;
    for (std::size_t p = 0; p < static_cast<std::size_t>(m_paramKeys.size()); ++p)
        if (allNumeric(m_runs, p)) numericParams << m_paramKeys[static_cast<qsizetype>(p)];
    m_refilling = true;
    QString preferredParam = numericParams.isEmpty() ? QString() : numericParams.front();
    for (const QString& key : numericParams)
        if (key.contains(QLatin1String("lr"), Qt::CaseInsensitive) ||
            key.contains(QLatin1String("learning_rate"), Qt::CaseInsensitive)) {
            preferredParam = key;
            break;
        }
    setComboItems(m_param, numericParams, preferredParam);
    m_refilling = false;

    rebuildParallel(); // emits selectionChanged: the scatter and the table follow
    rebuildBest();
}

void SweepView::rebuildParallel() {
    std::vector<ParallelAxis> axes;
    for (std::size_t p = 0; p < static_cast<std::size_t>(m_paramKeys.size()); ++p) {
        const QString& key = m_paramKeys[static_cast<qsizetype>(p)];
        if (allNumeric(m_runs, p)) {
            std::vector<double> values;
            for (const auto& run : m_runs)
                values.push_back(sweepParamNumber(run.params[p]).value_or(NAN));
            axes.push_back(ParallelAxis::makeNumeric(key, std::move(values)));
            continue;
        }
        QStringList texts;
        for (const auto& run : m_runs)
            texts << run.params[p];
        ParallelAxis axis = ParallelAxis::makeCategorical(key, texts);
        if (axis.categories.size() <= kMaxCategories) axes.push_back(std::move(axis));
    }
    std::vector<double> metric;
    std::vector<ParallelRun> runs;
    for (const auto& run : m_runs) {
        metric.push_back(run.value);
        runs.push_back({run.name, run.color});
    }
    axes.push_back(ParallelAxis::makeNumeric(m_metric->currentText(), std::move(metric)));
    m_parallel->setData(std::move(axes), std::move(runs));
}

void SweepView::rebuildTable() {
    // Global rank among all runs, whatever the brushes keep.
    std::vector<std::size_t> byValue(m_runs.size());
    for (std::size_t i = 0; i < byValue.size(); ++i)
        byValue[i] = i;
    const bool max = maximise();
    std::stable_sort(byValue.begin(), byValue.end(), [&](std::size_t l, std::size_t r) {
        return max ? m_runs[l].value > m_runs[r].value : m_runs[l].value < m_runs[r].value;
    });
    m_table->setSortingEnabled(false);
    m_ranked->clear();
    QStringList headers{tr("Rank"), tr("Run"), m_metric->currentText()};
    headers += m_paramKeys;
    m_ranked->setHorizontalHeaderLabels(headers);
    int shown = 0;
    for (std::size_t rank = 0; rank < byValue.size(); ++rank) {
        const std::size_t r = byValue[rank];
        if (r < m_selected.size() && !m_selected[r]) continue;
        const SweepRun& run = m_runs[r];
        QList<QStandardItem*> row;
        auto* rankItem = new QStandardItem;
        rankItem->setData(static_cast<int>(rank + 1), Qt::DisplayRole);
        auto* nameItem = new QStandardItem(run.name);
        nameItem->setData(run.color, Qt::DecorationRole);
        auto* valueItem = new QStandardItem;
        valueItem->setData(run.value, Qt::DisplayRole);
        row << rankItem << nameItem << valueItem;
        for (const QString& text : run.params) {
            auto* item = new QStandardItem;
            if (const auto number = sweepParamNumber(text))
                item->setData(*number, Qt::DisplayRole);
            else
                item->setText(text);
            row << item;
        }
        m_ranked->appendRow(row);
        ++shown;
    }
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->resizeColumnsToContents();
    m_status->setText(m_parallel->hasBrush()
                          ? tr("%1 of %2 runs inside the brushes (Esc clears)").arg(shown).arg(m_runs.size())
                          : tr("%n run(s)", nullptr, static_cast<int>(m_runs.size())));
}

QStringList SweepView::rankedNames() const {
    QStringList names;
    for (int row = 0; row < m_ranked->rowCount(); ++row)
        names << m_ranked->item(row, 1)->text();
    return names;
}

} // namespace runlens::ui
