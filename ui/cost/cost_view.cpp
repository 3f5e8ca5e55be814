// Cost tab: gathers the visible runs' numbers and evaluation sets, computes the cost-quality study with
// core/analysis/cost_quality off the GUI thread and shows the scatter with its front and a table of runs.
#include "ui/cost/cost_view.h"

#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/context/view_context.h"
#include "ui/cost/cost_chart.h"
#include "ui/runs/run_table_model.h"

#include <cmath>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

const char* kEmptyHint =
    "No runs to weigh yet.\n\nImport runs that log a quality (an evaluation set, or a metric such as "
    "val_accuracy or loss) and a cost: latency, throughput, params, model_size, flops or train_time as a "
    "metric, summary or param. Every run with timed points also has its wall-clock time as a cost.";

QString text(const std::string& s) {
    return QString::fromStdString(s);
}

CostQualityStudy compute(const std::vector<RunInfo>& runs, const std::vector<EvaluationEntry>& evaluations,
                         const CostQualityRequest& request) {
    const auto evaluationOf = [&](const RunInfo& run, SliceMetric metric) -> std::optional<SliceCell> {
        for (const auto& e : evaluations) {
            if (e.runId != run.id || !e.set || e.set->rows() == 0) continue;
            if (sliceMetricInfo(metric).needsScores && !e.set->hasScores()) continue;
            return evaluationQuality(*e.table, *e.set, metric);
        }
        return std::nullopt;
    };
    return costQualityStudy(runs, request, evaluationOf);
}

} // namespace

CostView::CostView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context),
      m_compute(
          this, &m_study, [this] { startCompute(); }, [this] { showStudy(); }) {
    buildUi();
    followVisibleEvaluations(context, this, m_source, [this] { reload(); });
}

CostView::~CostView() = default; // m_compute waits for a running computation

void CostView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget;
    m_emptyHint = newEmptyHint(tr(kEmptyHint), QStringLiteral("costEmptyHint"));
    m_stack->addWidget(m_emptyHint);

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    auto* controls = new FlowLayout; // wraps at the page's width (a laptop-sized window)
    m_quality = new QComboBox;
    m_quality->setObjectName("costQuality");
    m_quality->setToolTip(tr("Quality: an evaluation-set metric (with its interval) or a logged metric"));
    m_quality->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_quality->setMinimumContentsLength(12);
    m_cost = new QComboBox;
    m_cost->setObjectName("costCost");
    m_cost->setToolTip(
        tr("Cost: a number whose name says latency, throughput, parameters, size, FLOPs or time"));
    m_cost->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_cost->setMinimumContentsLength(12);
    m_within = new QDoubleSpinBox;
    m_within->setObjectName("costWithin");
    m_within->setDecimals(4);
    m_within->setRange(0, 1e9);
    m_within->setValue(1.0);
    m_within->setToolTip(tr("How much worse than the best quality a cheaper run may be"));
    m_withinKind = new QComboBox;
    m_withinKind->addItems({tr("% of the best"), tr("absolute")});
    m_logCost = new QCheckBox(tr("Log cost"));
    m_logCost->setChecked(true);
    m_exportButton = newExportButton(tr("Export the chart as PNG, SVG or PDF, or the runs as CSV"), this,
                                     [this] { return exportSpec(); });
    controls->addField(tr("Quality"), m_quality);
    controls->addField(tr("Cost"), m_cost);
    controls->addGroup({new QLabel(tr("Within")), m_within, m_withinKind});
    controls->addWidget(m_logCost);
    controls->addWidget(m_exportButton);
    contentLayout->addLayout(controls);
    m_sentence = new QLabel;
    m_sentence->setObjectName("costSentence");
    m_sentence->setWordWrap(true);
    m_sentence->setTextInteractionFlags(Qt::TextSelectableByMouse);
    contentLayout->addWidget(m_sentence);
    auto* split = new QSplitter(Qt::Horizontal);
    m_chart = new InteractiveChartView;
    m_table = new QTableWidget(0, 6);
    m_table->setObjectName("costRuns");
    m_table->setHorizontalHeaderLabels(
        {tr("run"), tr("quality"), tr("95% interval"), tr("cost"), tr("front"), tr("dominated by")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(false);
    split->addWidget(m_chart);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({600, 400});
    contentLayout->addWidget(split, 1);
    m_stack->addWidget(content);
    layout->addWidget(m_stack);

    for (auto* c : {m_quality, m_cost, m_withinKind})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { startCompute(); });
    connect(m_within, &QDoubleSpinBox::valueChanged, this, [this] { startCompute(); });
    connect(m_logCost, &QCheckBox::toggled, this, [this] { m_chart->replaceChart(buildChart(false)); });
}

void CostView::reload() {
    m_runs.clear();
    for (const RunInfo* run : m_context->runModel()->visibleRuns())
        m_runs.push_back(*run);
    m_evaluations.clear();
    for (auto& e : m_source.loadVisible(*m_context->runModel()))
        if (e.set && e.set->rows() > 0) m_evaluations.push_back(std::move(e));

    const auto names = runNumberNames(m_runs);
    const QString quality = m_quality->currentText(), cost = m_cost->currentText();
    {
        const QSignalBlocker b1(m_quality), b2(m_cost);
        m_quality->clear();
        m_cost->clear();
        if (!m_evaluations.empty())
            for (const auto& n : evaluationQualityNames())
                m_quality->addItem(text(n));
        for (const auto& n : runlens::qualityNames(names))
            m_quality->addItem(text(n.name));
        for (const auto& n : runlens::costNames(names))
            m_cost->addItem(text(n.name));
        m_quality->setCurrentIndex(std::max(m_quality->findText(quality), 0));
        m_cost->setCurrentIndex(std::max(m_cost->findText(cost), 0));
    }
    m_stack->setCurrentIndex(m_runs.empty() || m_quality->count() == 0 || m_cost->count() == 0 ? 0 : 1);
    startCompute();
}

void CostView::startCompute() {
    if (!m_compute.mayStart()) return;
    if (showsEmptyState()) {
        m_study = {};
        showStudy();
        return;
    }
    CostQualityRequest request;
    request.quality = m_quality->currentText().toStdString();
    request.costs = {m_cost->currentText().toStdString()};
    const bool relative = m_withinKind->currentIndex() == 0;
    request.toleranceKind = relative ? ToleranceKind::Relative : ToleranceKind::Absolute;
    request.tolerance = relative ? m_within->value() / 100.0 : m_within->value();
    m_compute.run([runs = m_runs, evaluations = m_evaluations, request] {
        return compute(runs, evaluations, request);
    });
}

bool CostView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

QStringList CostView::qualityNames() const {
    QStringList out;
    for (int i = 0; i < m_quality->count(); ++i)
        out << m_quality->itemText(i);
    return out;
}

QStringList CostView::costNames() const {
    QStringList out;
    for (int i = 0; i < m_cost->count(); ++i)
        out << m_cost->itemText(i);
    return out;
}

bool CostView::setQuality(const QString& name) {
    const int i = m_quality->findText(name);
    if (i >= 0) m_quality->setCurrentIndex(i);
    return i >= 0;
}

bool CostView::setCost(const QString& name) {
    const int i = m_cost->findText(name);
    if (i >= 0) m_cost->setCurrentIndex(i);
    return i >= 0;
}

void CostView::setTolerance(double value, bool relative) {
    const QSignalBlocker block(m_withinKind);
    m_withinKind->setCurrentIndex(relative ? 0 : 1);
    m_within->setValue(relative ? value * 100.0 : value); // emits valueChanged -> one computation
    startCompute();
}

QChart* CostView::buildChart(bool withSentence) const {
    if (m_study.points.empty()) return nullptr;
    return buildCostQualityChart(costChartInput(m_study, withSentence, m_logCost->isChecked()));
}

void CostView::showStudy() {
    const bool ok = !m_study.points.empty();
    m_exportButton->setEnabled(ok);
    m_table->setRowCount(0);
    if (!ok) {
        m_sentence->setText(text(m_study.error));
        m_chart->replaceChart(new QChart);
        return;
    }
    QString sentence = text(m_study.cheapest.sentence);
    if (!m_study.left.empty())
        sentence += ' ' + tr("%n run(s) left out (e.g. %1).", nullptr, int(m_study.left.size()))
                              .arg(text(m_study.left.front()));
    m_sentence->setText(sentence);
    // Front first, cheapest first; then the dominated runs by quality.
    std::vector<std::size_t> order = m_study.front.front;
    for (std::size_t i = 0; i < m_study.points.size(); ++i)
        if (!m_study.front.onFront[i]) order.push_back(i);
    m_table->setRowCount(int(order.size()));
    for (int r = 0; r < int(order.size()); ++r) {
        const std::size_t i = order[std::size_t(r)];
        const auto& p = m_study.points[i];
        QStringList dominators;
        for (std::size_t d : m_study.dominatedBy[i])
            dominators << text(m_study.points[d].name);
        const QStringList cells{
            text(p.name),
            formatMetric(p.quality),
            std::isfinite(p.qualityLow)
                ? QString("[%1, %2]").arg(formatMetric(p.qualityLow), formatMetric(p.qualityHigh))
                : QString(),
            QString::number(p.costs.front(), 'g', 6),
            m_study.front.onFront[i] ? tr("yes") : QString(),
            dominators.join(", ")};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
    m_chart->replaceChart(buildChart(false));
}

QString CostView::pointsCsv() const {
    QString csv = "run,quality,quality_low,quality_high";
    for (const auto& c : m_study.axes.costNames)
        csv += ',' + csvText(c);
    csv += ",on_front,dominated_by\n";
    for (std::size_t i = 0; i < m_study.points.size(); ++i) {
        const auto& p = m_study.points[i];
        QStringList cells{csvText(p.name), csvNumber(p.quality), csvNumber(p.qualityLow),
                          csvNumber(p.qualityHigh)};
        for (double c : p.costs)
            cells << csvNumber(c);
        QStringList dominators;
        for (std::size_t d : m_study.dominatedBy[i])
            dominators << text(m_study.points[d].name);
        cells << (m_study.front.onFront[i] ? "1" : "0") << csvField(dominators.join(';'));
        csv += cells.join(',') + '\n';
    }
    return csv;
}

ChartExportSpec CostView::exportSpec() const {
    ChartExportSpec spec;
    spec.baseName = QStringLiteral("cost_quality");
    spec.buildChart = [this] { return buildChart(true); };
    spec.csv.push_back({tr("Runs as CSV…"), [this] { return pointsCsv(); }});
    return spec;
}

bool CostView::exportImage(const QString& path, QString* error) const {
    return exportShownImage(!m_study.points.empty(), exportSpec(),
                            QStringLiteral("no cost-quality chart to export"), path, error);
}

} // namespace runlens::ui
