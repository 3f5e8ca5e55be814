// The Sweep tab: reduces each visible run's metric, lays params out in parallel coordinates and links the
// brushes.
#include "ui/sweep/sweep_view.h"

#include "core/analysis/best_so_far.h"
#include "core/analysis/cost_quality.h"
#include "core/model/tag_names.h"
#include "core/model/text_number.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/view_context.h"
#include "ui/sweep/parallel_coordinates.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QPushButton>
#include <QScatterSeries>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>
#include <set>

namespace runlens::ui {

namespace {

constexpr int kMaxCategories = 40; // more distinct texts than this is an id, not a sweep dimension
const QSize kExportSize(1100, 650);
const QColor kSelectedColor(0x4E79A7);
const QColor kFadedColor(190, 190, 190);

// A param value that is a finite number, read by core's one text-number parser as the readers read cells.
std::optional<double> parseNumber(const QString& text) {
    double value = 0;
    if (textnum::parseDouble(text.toStdString(), value) != textnum::Parsed::Number || !std::isfinite(value))
        return std::nullopt;
    return value;
}

bool allNumeric(const std::vector<SweepRun>& runs, std::size_t param) {
    bool any = false;
    for (const auto& run : runs) {
        if (run.params[param].isEmpty()) continue;
        if (!parseNumber(run.params[param])) return false;
        any = true;
    }
    return any;
}

// The goal the metric's name implies (core/model/tag_names), maximise when the name does not tell.
bool lowerIsBetterName(const QString& metric) {
    return lowerIsBetter(metric.toStdString()).value_or(false);
}

// Learning-rate-like params span orders of magnitude: log x when positive over more than two decades, or
// over one decade when the name says learning rate / weight decay.
bool wantsLogX(const QString& name, double lo, double hi) {
    if (!(lo > 0) || !(hi > lo)) return false;
    const double decades = std::log10(hi / lo);
    const QString key = name.toLower();
    const bool rateLike = key == QLatin1String("lr") || key.contains(QLatin1String("learning_rate")) ||
                          key.contains(QLatin1String("weight_decay")) || key.endsWith(QLatin1String("_lr"));
    return decades > 2 || (rateLike && decades >= 1);
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

// Run names always in quotes, so a spreadsheet never reads one as a number or a date.
QString quoted(const QString& text) {
    return csvField(text, CsvQuoting::Always);
}

QString numberText(double value) {
    return QString::number(value, 'g', 17);
}

void setComboItems(QComboBox* combo, const QStringList& items, const QString& preferred) {
    const QString keep = combo->currentText();
    combo->clear();
    combo->addItems(items);
    int index = combo->findText(keep);
    if (index < 0) index = combo->findText(preferred);
    combo->setCurrentIndex(std::max(index, 0));
}

void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

QChart* newChart(const QString& title) {
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setTitle(title);
    chart->setMargins(QMargins(6, 4, 16, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

QValueAxis* valueAxis(double lo, double hi, const QString& title) {
    auto* axis = new QValueAxis;
    const double pad = hi > lo ? (hi - lo) * 0.06 : std::max(std::abs(lo) * 0.1, 0.5);
    axis->setRange(lo - pad, hi + pad);
    axis->applyNiceNumbers();
    axis->setTitleText(title);
    return axis;
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
                values.push_back(parseNumber(run.params[p]).value_or(NAN));
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

QChart* SweepView::makeScatterChart() const {
    const QString param = m_param->currentText();
    const QString metric = m_metric->currentText();
    QChart* chart = newChart(param.isEmpty() ? tr("No numeric param varies across these runs")
                                             : tr("%1 against %2").arg(metric, param));
    const qsizetype column = m_paramKeys.indexOf(param);
    const bool brushed = m_parallel->hasBrush();
    auto* inside = new QScatterSeries;
    auto* outside = new QScatterSeries;
    inside->setName(brushed ? tr("brushed runs") : tr("runs"));
    outside->setName(tr("brushed out"));
    inside->setColor(kSelectedColor);
    inside->setBorderColor(kSelectedColor.darker(140));
    inside->setMarkerSize(brushed ? 12 : 10);
    outside->setColor(kFadedColor);
    outside->setBorderColor(kFadedColor);
    outside->setMarkerSize(7);
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (std::size_t r = 0; r < m_runs.size() && column >= 0; ++r) {
        const auto x = parseNumber(m_runs[r].params[static_cast<std::size_t>(column)]);
        if (!x) continue;
        const bool in = r >= m_selected.size() || m_selected[r];
        (in ? inside : outside)->append(*x, m_runs[r].value);
        xlo = std::min(xlo, *x), xhi = std::max(xhi, *x);
        ylo = std::min(ylo, m_runs[r].value), yhi = std::max(yhi, m_runs[r].value);
    }
    if (xlo > xhi) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
    QAbstractAxis* xAxis = nullptr;
    if (wantsLogX(param, xlo, xhi)) {
        auto* log = new QLogValueAxis;
        log->setBase(10);
        log->setLabelFormat(QStringLiteral("%g"));
        // A margin so the extreme points are not cut in half by the plot edge.
        log->setRange(xlo / 1.6, xhi * 1.6);
        log->setMinorTickCount(8);
        log->setTitleText(param + tr(" (log scale)"));
        xAxis = log;
    } else {
        xAxis = valueAxis(xlo, xhi, param);
    }
    QAbstractAxis* yAxis = valueAxis(ylo, yhi, metric);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    // Faded points first so the highlighted ones are drawn over them.
    attach(chart, outside, xAxis, yAxis);
    attach(chart, inside, xAxis, yAxis);
    if (!brushed) chart->legend()->hide();
    return chart;
}

void SweepView::rebuildScatter() {
    m_scatter->replaceChart(makeScatterChart());
}

std::vector<std::pair<double, const SweepRun*>> SweepView::bestOrder() const {
    std::vector<std::pair<double, const SweepRun*>> order;
    if (m_order->currentIndex() == 1) {
        for (const auto& run : m_runs)
            if (std::isfinite(run.startTime)) order.emplace_back(run.startTime, &run);
        std::stable_sort(order.begin(), order.end(),
                         [](const auto& l, const auto& r) { return l.first < r.first; });
        return order;
    }
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        order.emplace_back(static_cast<double>(i + 1), &m_runs[i]);
    return order;
}

QChart* SweepView::makeBestChart() const {
    const auto order = bestOrder();
    const bool byTime = m_order->currentIndex() == 1;
    const QString goal = maximise() ? tr("maximise") : tr("minimise");
    QChart* chart = newChart(order.empty() ? tr("No run has a start time")
                                           : tr("Best %1 so far (%2)").arg(m_metric->currentText(), goal));
    std::vector<double> values;
    for (const auto& [x, run] : order)
        values.push_back(run->value);
    const std::vector<double> best = bestSoFar(values, maximise());
    const double xScale = byTime ? 1000.0 : 1.0; // QDateTimeAxis works in milliseconds
    auto* points = new QScatterSeries;
    points->setName(tr("run"));
    points->setColor(kFadedColor.darker(125));
    points->setBorderColor(kFadedColor.darker(150));
    points->setMarkerSize(7);
    auto* line = new QLineSeries;
    line->setName(tr("best so far"));
    line->setPen(QPen(QColor(0xE15759), 2.2));
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const double x = order[i].first * xScale;
        points->append(x, values[i]);
        // A step line: the best holds until a run improves on it.
        if (i > 0 && std::isfinite(best[i - 1])) line->append(x, best[i - 1]);
        if (std::isfinite(best[i])) line->append(x, best[i]);
        xlo = std::min(xlo, x), xhi = std::max(xhi, x);
        ylo = std::min(ylo, values[i]), yhi = std::max(yhi, values[i]);
    }
    if (xlo > xhi) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
    QAbstractAxis* xAxis = nullptr;
    if (byTime) {
        auto* time = new QDateTimeAxis;
        const double pad = std::max((xhi - xlo) * 0.04, 60000.0);
        time->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(xlo - pad)),
                       QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(xhi + pad)));
        time->setFormat(xhi - xlo < 2 * 86400e3 ? QStringLiteral("HH:mm") : QStringLiteral("MMM d"));
        time->setTickCount(5);
        time->setTitleText(tr("Start time"));
        xAxis = time;
    } else {
        auto* index = new QValueAxis;
        index->setRange(0.5, std::max(1.5, xhi + 0.5));
        index->setLabelFormat(QStringLiteral("%d"));
        index->setTickType(QValueAxis::TicksDynamic);
        index->setTickAnchor(1);
        index->setTickInterval(std::max(1.0, std::ceil((xhi - xlo) / 8)));
        index->setTitleText(tr("Run index"));
        xAxis = index;
    }
    QAbstractAxis* yAxis = valueAxis(ylo, yhi, m_metric->currentText());
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    attach(chart, points, xAxis, yAxis);
    attach(chart, line, xAxis, yAxis);
    return chart;
}

void SweepView::rebuildBest() {
    m_best->replaceChart(makeBestChart());
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
            if (const auto number = parseNumber(text))
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

bool SweepView::exportParallel(const QString& path, QString* error) const {
    return m_parallel->exportImage(path, kExportSize, error);
}

bool SweepView::exportScatter(const QString& path, QString* error) {
    const std::unique_ptr<QChart> chart(makeScatterChart());
    return exportChart(chart.get(), kExportSize, path, error);
}

bool SweepView::exportBest(const QString& path, QString* error) {
    const std::unique_ptr<QChart> chart(makeBestChart());
    return exportChart(chart.get(), kExportSize, path, error);
}

bool SweepView::exportCsv(const QString& path, QString* error, bool bestSoFarData) const {
    QByteArray text;
    if (bestSoFarData) {
        const auto order = bestOrder();
        std::vector<double> values;
        for (const auto& entry : order)
            values.push_back(entry.second->value);
        const std::vector<double> best = bestSoFar(values, maximise());
        text =
            (m_order->currentIndex() == 1 ? "start_time" : "index") + QByteArray(",run,value,best_so_far\n");
        for (std::size_t i = 0; i < order.size(); ++i)
            text += QStringLiteral("%1,%2,%3,%4\n")
                        .arg(numberText(order[i].first), quoted(order[i].second->name), numberText(values[i]),
                             numberText(best[i]))
                        .toUtf8();
    } else {
        QStringList header{QStringLiteral("run"), quoted(m_metric->currentText()),
                           QStringLiteral("brushed_in")};
        for (const QString& key : m_paramKeys)
            header << quoted(key);
        text = header.join(QLatin1Char(',')).toUtf8() + '\n';
        for (std::size_t r = 0; r < m_runs.size(); ++r) {
            QStringList cells{quoted(m_runs[r].name), numberText(m_runs[r].value),
                              (r >= m_selected.size() || m_selected[r]) ? QStringLiteral("1")
                                                                        : QStringLiteral("0")};
            for (const QString& value : m_runs[r].params)
                cells << quoted(value);
            text += cells.join(QLatin1Char(',')).toUtf8() + '\n';
        }
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size()) {
        if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QToolButton* SweepView::exportButton(const QString& what, QWidget* chartWidget) {
    auto* button = new QToolButton;
    button->setText(tr("Export"));
    button->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(button);
    if (what != QLatin1String("table"))
        for (const QString& suffix : {QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")})
            menu->addAction(tr("Export chart as %1...").arg(suffix.toUpper()), this,
                            [this, what, suffix] { askAndExport(what, suffix); });
    menu->addAction(tr("Export data as CSV..."), this,
                    [this, what] { askAndExport(what, QStringLiteral("csv")); });
    button->setMenu(menu);
    // Chart views pan with the right button, so only the other panels get the menu on a right click too.
    if (qobject_cast<InteractiveChartView*>(chartWidget)) return button;
    chartWidget->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(chartWidget, &QWidget::customContextMenuRequested, this,
            [menu, chartWidget](const QPoint& pos) { menu->exec(chartWidget->mapToGlobal(pos)); });
    return button;
}

void SweepView::askAndExport(const QString& what, const QString& suffix) {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export"), QStringLiteral("sweep_%1.%2").arg(what, suffix),
                                     suffix.toUpper() + QStringLiteral(" (*.") + suffix + ')');
    if (path.isEmpty()) return;
    QString error;
    bool ok = false;
    if (suffix == QLatin1String("csv"))
        ok = exportCsv(path, &error, what == QLatin1String("best"));
    else if (what == QLatin1String("parallel"))
        ok = exportParallel(path, &error);
    else if (what == QLatin1String("scatter"))
        ok = exportScatter(path, &error);
    else
        ok = exportBest(path, &error);
    if (!ok) m_status->setText(tr("Export failed: %1").arg(error));
}

} // namespace runlens::ui
