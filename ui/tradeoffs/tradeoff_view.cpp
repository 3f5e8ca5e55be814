// The Trade-offs tab: ROC/PR curves with a threshold marker, costs, and risk-coverage, computed off the GUI
// thread; the charts and their CSV are drawn in tradeoff_charts.cpp.
#include "ui/tradeoffs/tradeoff_view.h"

#include "core/analysis/multiclass_metrics.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/evaluation_frame.h"
#include "ui/common/flow_layout.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"
#include "ui/tradeoffs/tradeoff_cost.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSlider>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

namespace runlens::ui {

struct TradeoffView::Input {
    std::vector<EvaluationEntry> entries; // usable entries of the chosen set, run table order
    std::string positiveClass;            // multiclass sets: the class drawn one-vs-rest ("" = none)
};

namespace {

// ROC, PR and the threshold counts of a binary set (a multiclass set's one-vs-rest view).
void computeBinary(TradeoffRun& run, const EvaluationSet& e) {
    run.binary = true;
    run.negativeClass = QString::fromStdString(e.classes.size() > 0 ? e.classes[0] : "0");
    run.positiveClass = QString::fromStdString(e.classes.size() > 1 ? e.classes[1] : "1");
    auto sweep = std::make_shared<ThresholdSweep>(thresholdSweep(rankScores(e.labels, e.scores)));
    const RankedScores& ranked = sweep->ranked;
    run.positives = ranked.positives;
    run.negatives = ranked.negatives();
    run.roc = rocCurve(ranked);
    run.pr = precisionRecallCurve(ranked);
    run.rocAuc = rocAuc(ranked);
    run.averagePrecision = averagePrecision(ranked);
    run.sweep = std::move(sweep);
}

TradeoffRun computeRun(const EvaluationEntry& entry, const std::string& positiveClass) {
    TradeoffRun run;
    run.name = entry.runName;
    run.color = entry.color;
    const EvaluationSet& e = *entry.set;
    if (e.multiclass) {
        const auto cls = std::find(e.classes.begin(), e.classes.end(), positiveClass);
        if (cls != e.classes.end())
            computeBinary(run, oneVsRest(e, static_cast<std::size_t>(cls - e.classes.begin())));
    } else {
        computeBinary(run, e);
    }
    const SelectiveInputs selective = selectiveInputs(e);
    run.riskCoverage = riskCoverage(selective.confidence, selective.correct);
    return run;
}

std::vector<TradeoffRun> computeAll(const TradeoffView::Input& in) {
    std::vector<TradeoffRun> runs;
    for (const auto& entry : in.entries)
        runs.push_back(computeRun(entry, in.positiveClass));
    return runs;
}

QToolButton* exportButton(QWidget* owner, QWidget* chartView, std::function<ChartExportSpec()> spec) {
    auto* button = new QToolButton;
    attachExportMenu(button, chartView, owner, std::move(spec));
    return button;
}

QWidget* chartBox(InteractiveChartView* view, QToolButton* button, bool legendBelow = false) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(view, 1);
    if (legendBelow) {
        // Run names with their AUC or AP are long; inside a half-width chart Qt cut them to "churn_v1 (…".
        auto* legend = new QLabel;
        legend->setObjectName(QStringLiteral("chartLegend"));
        legend->setWordWrap(true);
        legend->setTextFormat(Qt::RichText);
        legend->hide();
        view->setLegendLabel(legend);
        layout->addWidget(legend);
    }
    layout->addWidget(button, 0, Qt::AlignLeft);
    return box;
}

QLabel* fieldLabel(const QString& text, QWidget* buddy) {
    auto* label = new QLabel(text);
    label->setBuddy(buddy);
    return label;
}

} // namespace

TradeoffView::TradeoffView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context),
      m_compute(
          this, &m_runs, [this] { startCompute(); }, [this] { showRuns(); }, StaleResult::Show),
      m_debounce(new QTimer(this)) {
    buildUi();
    followEvaluationsDebounced(
        context, this, m_source, m_debounce, [this] { startCompute(); }, [this] { reloadEntries(); });
}

TradeoffView::~TradeoffView() = default; // m_compute waits for a running computation

void TradeoffView::buildUi() {
    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QHBoxLayout;
    m_setCombo = new QComboBox;
    m_setCombo->setToolTip("The evaluation set; every visible run with a set of this name is drawn");
    m_setCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_focusCombo = new QComboBox;
    m_focusCombo->setToolTip("The run whose confusion matrix, costs and coverage are shown");
    m_focusCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    top->addWidget(fieldLabel("&Set:", m_setCombo));
    top->addWidget(m_setCombo);
    top->addWidget(fieldLabel("&Run:", m_focusCombo));
    top->addWidget(m_focusCombo);
    m_classCombo = new QComboBox;
    m_classCombo->setObjectName("tradeoffClass");
    m_classCombo->setToolTip("Multiclass sets: the class whose ROC, PR, costs and threshold are shown, one "
                             "against the rest");
    m_classCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_classLabel = fieldLabel("C&lass:", m_classCombo);
    top->addWidget(m_classLabel);
    top->addWidget(m_classCombo);
    m_classLabel->hide();
    m_classCombo->hide();
    top->addStretch(1);
    contentLayout->addLayout(top);
    m_pages = new QTabWidget;
    m_pages->addTab(buildThresholdPage(), "Threshold");
    m_pages->addTab(buildConfidencePage(), "Confidence");
    contentLayout->addWidget(m_pages, 1);
    const EvaluationFrame frame = layOutEvaluationFrame(this, content, contentLayout, "tradeoffEmptyHint");
    m_stack = frame.stack;
    m_emptyHint = frame.emptyHint;
    m_errors = frame.errors;

    connect(m_setCombo, &QComboBox::currentIndexChanged, this, &TradeoffView::scheduleRecompute);
    connect(m_classCombo, &QComboBox::currentIndexChanged, this, &TradeoffView::scheduleRecompute);
    connect(m_focusCombo, &QComboBox::currentIndexChanged, this, [this] {
        rebuildCharts();
        updateThresholdReadouts();
        updateConfidenceReadouts();
    });
}

QWidget* TradeoffView::buildThresholdPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* controls = new QVBoxLayout;
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setRange(0, kSliderSteps);
    m_slider->setValue(kSliderSteps / 2);
    m_slider->setToolTip("Decision threshold: a score >= threshold predicts the positive class");
    m_thresholdSpin = new QDoubleSpinBox;
    m_thresholdSpin->setRange(0, 1);
    m_thresholdSpin->setDecimals(6);
    m_thresholdSpin->setSingleStep(0.01);
    m_thresholdSpin->setValue(0.5);
    m_costFp = new QDoubleSpinBox;
    m_costFp->setRange(0, 1e9);
    m_costFp->setDecimals(3);
    m_costFp->setValue(1);
    m_costFp->setToolTip("Cost of one false positive (a negative accepted)");
    m_costFn = new QDoubleSpinBox;
    m_costFn->setRange(0, 1e9);
    m_costFn->setDecimals(3);
    m_costFn->setValue(1);
    m_costFn->setToolTip("Cost of one false negative (a positive rejected)");
    m_useCheapest = new QPushButton("Use &cheapest");
    m_useCheapest->setToolTip("Move the threshold to the one with the lowest expected cost");
    m_cheapestLabel = new QLabel;
    // The threshold row keeps its slider stretched across the page; the cost controls wrap when narrow.
    auto* thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(fieldLabel("&Threshold:", m_slider));
    thresholdRow->addWidget(m_slider, 1);
    thresholdRow->addWidget(m_thresholdSpin);
    controls->addLayout(thresholdRow);
    auto* costs = new FlowLayout;
    costs->addField("Cost of a false &positive:", m_costFp);
    costs->addField("Cost of a false &negative:", m_costFn);
    costs->addWidget(m_useCheapest);
    costs->addWidget(m_cheapestLabel);
    controls->addLayout(costs);
    layout->addLayout(controls);

    m_sentence = new QLabel;
    m_sentence->setObjectName("tradeoffSentence");
    m_sentence->setWordWrap(true);
    QFont bold = m_sentence->font();
    bold.setBold(true);
    m_sentence->setFont(bold);
    layout->addWidget(m_sentence);

    auto* grid = new QGridLayout;
    m_rocView = new InteractiveChartView;
    m_prView = new InteractiveChartView;
    m_costView = new InteractiveChartView;
    for (auto* view : {m_rocView, m_prView, m_costView})
        view->setMinimumSize(300, 240);
    grid->addWidget(chartBox(m_rocView,
                             exportButton(this, m_rocView, [this] { return exportSpec(ChartKind::Roc); }),
                             true),
                    0, 0);
    grid->addWidget(
        chartBox(m_prView, exportButton(this, m_prView, [this] { return exportSpec(ChartKind::Pr); }), true),
        0, 1);
    grid->addWidget(
        chartBox(m_costView, exportButton(this, m_costView, [this] { return exportSpec(ChartKind::Cost); })),
        1, 0);
    auto* readouts = new QWidget;
    auto* readoutLayout = new QVBoxLayout(readouts);
    readoutLayout->setContentsMargins(0, 0, 0, 0);
    m_confusion = new QTableWidget(2, 2);
    m_confusion->setObjectName("confusionMatrix");
    m_confusion->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_confusion->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_confusion->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_confusion->setMaximumHeight(130);
    m_stats = new QLabel;
    m_stats->setObjectName("thresholdStats");
    m_stats->setWordWrap(true);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_binaryNote =
        new QLabel("ROC, PR and costs need a binary set, or a class of a multiclass set (choose it "
                   "under Class); this run's set does not have that class.");
    m_binaryNote->setWordWrap(true);
    m_binaryNote->hide();
    readoutLayout->addWidget(new QLabel("Confusion matrix (rows: actual, columns: predicted)"));
    readoutLayout->addWidget(m_confusion);
    readoutLayout->addWidget(m_stats);
    readoutLayout->addWidget(m_binaryNote);
    readoutLayout->addStretch(1);
    grid->addWidget(readouts, 1, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(1, 1);
    layout->addLayout(grid, 1);

    connect(m_slider, &QSlider::valueChanged, this,
            [this](int value) { setThreshold(double(value) / double(kSliderSteps)); });
    connect(m_thresholdSpin, &QDoubleSpinBox::valueChanged, this,
            [this](double value) { setThreshold(value); });
    for (auto* spin : {m_costFp, m_costFn})
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this] {
            updateCostChart();
            updateThresholdReadouts();
        });
    connect(m_useCheapest, &QPushButton::clicked, this, [this] {
        if (const auto choice = cheapest()) setThreshold(std::min(choice->threshold, 1.0));
    });
    return page;
}

QWidget* TradeoffView::buildConfidencePage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* controls = new FlowLayout;
    m_coverage = new QDoubleSpinBox;
    m_coverage->setRange(1, 100);
    m_coverage->setDecimals(1);
    m_coverage->setValue(80);
    m_coverage->setSuffix(" %");
    m_coverage->setToolTip("Share of the examples answered, most confident first");
    m_targetAccuracy = new QDoubleSpinBox;
    m_targetAccuracy->setRange(1, 100);
    m_targetAccuracy->setDecimals(1);
    m_targetAccuracy->setValue(95);
    m_targetAccuracy->setSuffix(" %");
    m_targetAccuracy->setToolTip("Accuracy the answered part must reach");
    controls->addField("C&overage:", m_coverage);
    controls->addField("Target &accuracy:", m_targetAccuracy);
    layout->addLayout(controls);
    m_coverageLabel = new QLabel;
    m_coverageLabel->setObjectName("coverageSummary");
    m_coverageLabel->setWordWrap(true);
    m_targetLabel = new QLabel;
    m_targetLabel->setObjectName("targetSummary");
    m_targetLabel->setWordWrap(true);
    layout->addWidget(m_coverageLabel);
    layout->addWidget(m_targetLabel);
    m_rcView = new InteractiveChartView;
    m_rcView->setMinimumSize(400, 300);
    layout->addWidget(
        chartBox(m_rcView,
                 exportButton(this, m_rcView, [this] { return exportSpec(ChartKind::RiskCoverage); })),
        1);
    connect(m_coverage, &QDoubleSpinBox::valueChanged, this, [this] {
        updateMarkers();
        updateConfidenceReadouts();
    });
    connect(m_targetAccuracy, &QDoubleSpinBox::valueChanged, this, &TradeoffView::updateConfidenceReadouts);
    return page;
}

void TradeoffView::reloadEntries() {
    m_entries = m_source.loadVisible(*m_context->runModel());
    showEvaluationEntries(m_errors, m_stack, m_entries);
    fillSetCombo();
    scheduleRecompute();
}

void TradeoffView::fillSetCombo() {
    const QString previous = m_setCombo->currentText();
    const QSignalBlocker block(m_setCombo);
    m_setCombo->clear();
    m_setCombo->addItems(EvaluationSource::setNames(m_entries));
    const int index = m_setCombo->findText(previous);
    m_setCombo->setCurrentIndex(index >= 0 ? index : (m_setCombo->count() > 0 ? 0 : -1));
}

bool TradeoffView::isBusy() const {
    return m_debounce->isActive() || m_compute.busy();
}

bool TradeoffView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

void TradeoffView::scheduleRecompute() {
    m_debounce->start();
}

void TradeoffView::startCompute() {
    if (!m_compute.mayStart()) return;
    Input in;
    const QString setName = m_setCombo->currentText();
    for (const auto& e : m_entries)
        if (e.tableName == setName && e.usable()) in.entries.push_back(e);
    fillClassCombo(in.entries);
    if (!m_classCombo->isHidden()) in.positiveClass = m_classCombo->currentText().toStdString();
    m_compute.run([in = std::move(in)] { return computeAll(in); });
}

void TradeoffView::showRuns() {
    fillFocusCombo();
    rebuildCharts();
    updateThresholdReadouts();
    updateConfidenceReadouts();
}

// The classes of the set's multiclass runs (first seen order); hidden when the set is binary. The class
// chosen before is kept when the new set has it.
void TradeoffView::fillClassCombo(const std::vector<EvaluationEntry>& entries) {
    QStringList classes;
    for (const auto& e : entries)
        if (e.set->multiclass)
            for (const auto& c : e.set->classes)
                if (!classes.contains(QString::fromStdString(c))) classes << QString::fromStdString(c);
    const QString previous = m_classCombo->currentText();
    const QSignalBlocker block(m_classCombo);
    m_classCombo->clear();
    m_classCombo->addItems(classes);
    const int index = m_classCombo->findText(previous);
    m_classCombo->setCurrentIndex(index >= 0 ? index : (classes.isEmpty() ? -1 : 0));
    m_classLabel->setHidden(classes.isEmpty());
    m_classCombo->setHidden(classes.isEmpty());
}

void TradeoffView::fillFocusCombo() {
    const QString previous = m_focusCombo->currentText();
    const QSignalBlocker block(m_focusCombo);
    m_focusCombo->clear();
    for (const auto& run : m_runs)
        m_focusCombo->addItem(run.name);
    const int index = m_focusCombo->findText(previous);
    m_focusCombo->setCurrentIndex(index >= 0 ? index : (m_runs.empty() ? -1 : 0));
}

int TradeoffView::focusIndex() const {
    const int index = m_focusCombo->currentIndex();
    return index >= 0 && index < static_cast<int>(m_runs.size()) ? index : -1;
}

const TradeoffRun* TradeoffView::focusRun() const {
    const int index = focusIndex();
    return index < 0 ? nullptr : &m_runs[static_cast<std::size_t>(index)];
}

ThresholdPoint TradeoffView::pointAt(const TradeoffRun& run, double threshold) {
    ThresholdPoint p;
    p.threshold = threshold;
    if (!run.binary || !run.sweep) return p;
    const ThresholdStats stats = statsAtThreshold(*run.sweep, threshold);
    p.confusion = stats.confusion;
    p.precision = stats.precision;
    p.recall = stats.recall;
    p.fpr = stats.fpr;
    p.accuracy = stats.accuracy;
    return p;
}

ThresholdPoint TradeoffView::currentPoint() const {
    const TradeoffRun* run = focusRun();
    return run ? pointAt(*run, m_threshold) : ThresholdPoint{};
}

std::optional<CostChoice> TradeoffView::cheapest() const {
    const TradeoffRun* run = focusRun();
    if (!run || !run->binary || !run->sweep) return std::nullopt;
    return minimumCostThreshold(run->sweep->ranked, m_costFp->value(), m_costFn->value());
}

namespace {

// "0"/"1" make a clumsy sentence ("29.7% of 0 examples accepted"); say negative/positive for such labels.
QString readableClass(const QString& name, bool positive) {
    static const QStringList plain = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("false"),
                                      QStringLiteral("true"), QStringLiteral("-1")};
    if (plain.contains(name.toLower()))
        return positive ? QStringLiteral("positive") : QStringLiteral("negative");
    return name;
}

} // namespace

QString TradeoffView::sentence() const {
    const TradeoffRun* run = focusRun();
    if (!run || !run->binary) return {};
    const ThresholdPoint p = currentPoint();
    const double fnRate = run->positives > 0 ? double(p.confusion.fn) / double(run->positives) : 0.0;
    return QString(
               "At threshold %1: %2 of %3 examples accepted (false positives), %4 of %5 examples rejected "
               "(false negatives).")
        .arg(m_threshold, 0, 'f', 3)
        .arg(percentText(p.fpr), readableClass(run->negativeClass, false), percentText(fnRate),
             readableClass(run->positiveClass, true));
}

void TradeoffView::setThreshold(double threshold) {
    m_threshold = std::clamp(threshold, 0.0, 1.0);
    {
        const QSignalBlocker a(m_slider);
        const QSignalBlocker b(m_thresholdSpin);
        m_slider->setValue(static_cast<int>(std::lround(m_threshold * kSliderSteps)));
        m_thresholdSpin->setValue(m_threshold);
    }
    updateMarkers();
    updateThresholdReadouts();
}

void TradeoffView::updateThresholdReadouts() {
    const TradeoffRun* run = focusRun();
    const bool binary = run && run->binary;
    m_binaryNote->setVisible(run && !binary);
    m_confusion->setEnabled(binary);
    m_useCheapest->setEnabled(binary);
    m_sentence->setText(sentence());
    if (!binary) {
        m_stats->clear();
        m_cheapestLabel->clear();
        m_confusion->clearContents();
        return;
    }
    const ThresholdPoint p = currentPoint();
    m_confusion->setHorizontalHeaderLabels(
        {"predicted " + run->negativeClass, "predicted " + run->positiveClass});
    m_confusion->setVerticalHeaderLabels({"actual " + run->negativeClass, "actual " + run->positiveClass});
    const std::int64_t cells[2][2] = {{p.confusion.tn, p.confusion.fp}, {p.confusion.fn, p.confusion.tp}};
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c) {
            auto* item = new QTableWidgetItem(QString::number(cells[r][c]));
            item->setData(Qt::UserRole, static_cast<qlonglong>(cells[r][c]));
            item->setTextAlignment(Qt::AlignCenter);
            m_confusion->setItem(r, c, item);
        }
    const std::int64_t n = run->positives + run->negatives;
    m_stats->setText(
        QString("precision %1   recall %2   false positive rate %3   accuracy %4\n"
                "expected cost %5 per example (%6 in total)")
            .arg(p.precision, 0, 'f', 4)
            .arg(p.recall, 0, 'f', 4)
            .arg(p.fpr, 0, 'f', 4)
            .arg(p.accuracy, 0, 'f', 4)
            .arg(costPerExample(p, m_costFp->value(), m_costFn->value(), n), 0, 'g', 5)
            .arg(costPerExample(p, m_costFp->value(), m_costFn->value(), n) * double(n), 0, 'g', 6));
    if (const auto choice = cheapest()) {
        const QString where = std::isfinite(choice->threshold)
                                  ? QString::number(choice->threshold, 'f', 4)
                                  : QString("never predict %1").arg(run->positiveClass);
        m_cheapestLabel->setText(
            QString("cheapest: %1 (cost %2 per example)").arg(where).arg(choice->costPerExample, 0, 'g', 5));
    }
}

QString TradeoffView::coverageSummary() const {
    const TradeoffRun* run = focusRun();
    if (!run) return {};
    const auto r = accuracyAtCoverage(run->riskCoverage, m_coverage->value() / 100.0);
    if (!r) return "No examples to answer.";
    return QString(
               "Answering the most confident %1 (confidence >= %2, %3 answered, %4 examples): accuracy %5.")
        .arg(percentText(m_coverage->value() / 100.0))
        .arg(r->threshold, 0, 'f', 4)
        .arg(percentText(r->coverage))
        .arg(r->answered)
        .arg(percentText(r->accuracy));
}

QString TradeoffView::targetSummary() const {
    const TradeoffRun* run = focusRun();
    if (!run) return {};
    const double target = m_targetAccuracy->value() / 100.0;
    const auto r = thresholdForAccuracy(run->riskCoverage, target);
    if (!r) return QString("No confidence threshold reaches %1 accuracy.").arg(percentText(target));
    return QString("%1 accuracy is reached by answering when confidence >= %2: coverage %3 (%4 examples), "
                   "accuracy %5.")
        .arg(percentText(target))
        .arg(r->threshold, 0, 'f', 4)
        .arg(percentText(r->coverage))
        .arg(r->answered)
        .arg(percentText(r->accuracy));
}

void TradeoffView::updateConfidenceReadouts() {
    const TradeoffRun* run = focusRun();
    const QString aurc =
        run ? QString("%1: AURC %2. ").arg(run->name).arg(run->riskCoverage.aurc, 0, 'f', 4) : QString();
    m_coverageLabel->setText(aurc + coverageSummary());
    m_targetLabel->setText(targetSummary());
}

} // namespace runlens::ui
