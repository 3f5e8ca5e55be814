// The Calibration tab: reliability diagrams and calibration metrics beside baselines, computed off the GUI
// thread.
#include "ui/calibration/calibration_view.h"

#include "core/analysis/baselines.h"
#include "core/analysis/binary_metrics.h"
#include "core/analysis/multiclass_metrics.h"
#include "core/analysis/recalibration.h"
#include "core/analysis/slices.h"
#include "core/store/workspace.h"
#include "ui/calibration/calibration_chart.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/view_context.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTabWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

struct CalibrationView::Input {
    QString setName;
    std::vector<EvaluationEntry> runs; // usable entries of the set, the selected one first
    std::optional<EvaluationEntry> pinned;
    CalibrationOptions options;
    bool classwise = false;
    std::string sliceColumn;
    Method method = Method::Platt;
    SplitMode split = SplitMode::HoldOut;
    double fraction = 0.5;
    int folds = 5;
    std::uint64_t seed = 0;
};

namespace {

constexpr int kMaxCurves = 10; // the chart palette has ten colours
constexpr int kMaxSliceCurves = 8;
constexpr std::size_t kMinRecalibrationRows = 20;

struct MetricRow {
    QString name;
    double (*get)(const CalibrationColumn&);
};

const std::vector<MetricRow>& metricRowDefs() {
    static const std::vector<MetricRow> rows{
        {"ECE", [](const CalibrationColumn& c) { return c.report.ece; }},
        {"MCE", [](const CalibrationColumn& c) { return c.report.mce; }},
        {"ACE (average over bins)", [](const CalibrationColumn& c) { return c.report.aceAvgBins; }},
        {"debiased L2 calibration error", [](const CalibrationColumn& c) { return c.report.l2CeDebiased; }},
        {"Brier", [](const CalibrationColumn& c) { return c.report.brier; }},
        {"Brier: reliability",
         [](const CalibrationColumn& c) { return c.report.brierDecomposition.reliability; }},
        {"Brier: resolution",
         [](const CalibrationColumn& c) { return c.report.brierDecomposition.resolution; }},
        {"Brier: uncertainty",
         [](const CalibrationColumn& c) { return c.report.brierDecomposition.uncertainty; }},
        {"Brier: residual", [](const CalibrationColumn& c) { return c.report.brierDecomposition.residual; }},
        {"log loss", [](const CalibrationColumn& c) { return c.metrics.logLoss; }},
        {"ROC AUC", [](const CalibrationColumn& c) { return c.metrics.rocAuc; }},
        {"average precision", [](const CalibrationColumn& c) { return c.metrics.averagePrecision; }},
        {"accuracy", [](const CalibrationColumn& c) { return c.metrics.accuracy; }},
        {"class-wise ECE (mean)", [](const CalibrationColumn& c) { return c.metrics.classwiseEce; }},
        {"multiclass Brier (sum over classes)",
         [](const CalibrationColumn& c) { return c.metrics.multiclassBrier; }},
    };
    return rows;
}

// "Brier" -> "Brier (top label)", "Brier: reliability" -> "Brier (top label): reliability".
QString topLabelName(const QString& row) {
    if (!row.startsWith(QLatin1String("Brier"))) return row;
    QString out = row;
    return out.replace(0, 5, QStringLiteral("Brier (top label)"));
}

QString baselineLabel(BaselineKind kind) {
    switch (kind) {
    case BaselineKind::UniformRandom:
        return "uniform random";
    case BaselineKind::ZeroRule:
        return "zero-rule";
    case BaselineKind::Prior:
        return "prior";
    }
    return {};
}

CalibrationColumn binaryColumn(const QString& name, std::span<const int> labels,
                               std::span<const double> scores, std::span<const int> predictions,
                               const CalibrationOptions& options) {
    CalibrationColumn column;
    column.name = name;
    const auto ranked = rankScores(labels, scores);
    column.report = calibrationReport(ranked, labels, scores, options);
    const auto m = binaryMetrics(ranked, labels, scores, 0.5, predictions);
    column.metrics.logLoss = m.logLoss;
    column.metrics.rocAuc = m.rocAuc;
    column.metrics.averagePrecision = m.averagePrecision;
    column.metrics.accuracy = m.accuracy;
    return column;
}

CalibrationColumn multiclassColumn(const QString& name, std::span<const int> labels,
                                   std::span<const double> probs, std::size_t k,
                                   std::span<const int> predictions, const CalibrationOptions& options) {
    CalibrationColumn column;
    column.name = name;
    column.report = topLabelCalibration(labels, probs, k, options);
    const auto m = multiclassMetrics(labels, probs, k, predictions);
    column.metrics.logLoss = m.logLoss;
    column.metrics.rocAuc = m.rocAucOvrMacro;
    column.metrics.accuracy = m.accuracy;
    column.metrics.classwiseEce = classwiseCalibration(labels, probs, k, options).meanEce;
    column.metrics.multiclassBrier = m.brier;
    return column;
}

CalibrationColumn columnOf(const QString& name, const EvaluationSet& e, const CalibrationOptions& options) {
    if (e.multiclass)
        return multiclassColumn(name, e.labels, e.probs, e.classCount(), e.predictions, options);
    return binaryColumn(name, e.labels, e.scores, e.predictions, options);
}

std::vector<CalibrationColumn> baselineColumns(const EvaluationSet& e, const CalibrationOptions& options) {
    std::vector<CalibrationColumn> columns;
    if (!e.multiclass) {
        // As `runlens calibration`: metrics from binaryBaselines, calibration from the baseline's scores.
        for (const auto& b : binaryBaselines(e.labels, 0.5, 0)) {
            CalibrationColumn column;
            column.name = baselineLabel(b.kind);
            column.baseline = true;
            column.report = calibrationReport(e.labels, b.scores, options);
            column.metrics.logLoss = b.metrics.logLoss;
            column.metrics.rocAuc = b.metrics.rocAuc;
            column.metrics.averagePrecision = b.metrics.averagePrecision;
            column.metrics.accuracy = b.metrics.accuracy;
            columns.push_back(std::move(column));
        }
        return columns;
    }
    for (auto kind : {BaselineKind::UniformRandom, BaselineKind::ZeroRule, BaselineKind::Prior}) {
        const auto probs = baselineProbabilities(kind, e.labels, e.classCount(), 0);
        auto column = multiclassColumn(baselineLabel(kind), e.labels, probs, e.classCount(), {}, options);
        column.baseline = true;
        columns.push_back(std::move(column));
    }
    return columns;
}

CalibrationReport reportOfRows(const EvaluationSet& e, const std::vector<std::size_t>& rows,
                               const CalibrationOptions& options) {
    const EvaluationSet part = evaluationRows(e, rows);
    if (e.multiclass) return topLabelCalibration(part.labels, part.probs, e.classCount(), options);
    return calibrationReport(part.labels, part.scores, options);
}

// One curve per value (or quantile bucket) of a feature column, the largest groups first.
std::vector<CalibrationCurveResult> sliceCurves(const EvaluationEntry& entry, const std::string& columnName,
                                                const CalibrationOptions& options) {
    std::vector<CalibrationCurveResult> curves;
    const PredictionColumn* column = entry.table->column(columnName);
    if (!column || column->size() != entry.set->rows()) return curves;
    const auto labels = featureLabels(*column, {}, column->numbers, 4);
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t r = 0; r < labels.size(); ++r)
        groups[labels[r]].push_back(r);
    std::vector<std::pair<std::string, std::vector<std::size_t>>> ordered(groups.begin(), groups.end());
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
    if (ordered.size() > kMaxSliceCurves) ordered.resize(kMaxSliceCurves);
    for (const auto& [value, rows] : ordered) {
        CalibrationCurveResult curve;
        curve.name = QString("%1 = %2 (n=%3)")
                         .arg(QString::fromStdString(columnName), QString::fromStdString(value))
                         .arg(rows.size());
        curve.report = reportOfRows(*entry.set, rows, options);
        curves.push_back(std::move(curve));
    }
    return curves;
}

using Method = CalibrationView::Method;

RecalibrationMethod coreMethod(Method method) {
    switch (method) {
    case Method::Platt:
        return RecalibrationMethod::Platt;
    case Method::Isotonic:
        return RecalibrationMethod::Isotonic;
    case Method::Temperature:
        break;
    }
    return RecalibrationMethod::Temperature;
}

CalibrationMetrics metricsOfValues(const std::vector<int>& labels, const std::vector<double>& values,
                                   std::size_t k, bool multiclass, const CalibrationOptions& options,
                                   CalibrationReport* report) {
    const auto column = multiclass ? multiclassColumn({}, labels, values, k, {}, options)
                                   : binaryColumn({}, labels, values, {}, options);
    *report = column.report;
    return column.metrics;
}

RecalibrationOutcome recalibrate(const CalibrationView::Input& in) {
    RecalibrationOutcome out;
    const EvaluationSet& e = *in.runs.front().set;
    const std::size_t n = e.rows();
    const bool multi = e.multiclass;
    const std::size_t k = multi ? e.classCount() : 1;
    const Method method = multi ? Method::Temperature : in.method;
    const char* names[] = {"Platt scaling", "isotonic regression", "temperature scaling"};
    out.method = names[static_cast<int>(method)];
    if (n < kMinRecalibrationRows) {
        out.message = QString("Recalibration needs at least %1 examples; this set has %2.")
                          .arg(kMinRecalibrationRows)
                          .arg(n);
        return out;
    }
    // core's seeded split (the same shuffle as its cross-fitting), so a seed means the same rows everywhere.
    RecalibrationPreviewOptions options;
    options.method = coreMethod(method);
    options.crossFit = in.split == CalibrationView::SplitMode::KFold;
    options.fraction = in.fraction;
    options.folds = in.folds;
    options.seed = in.seed;
    const auto preview = previewRecalibration(e.labels, multi ? e.probs : e.scores, multi ? k : 0, options);
    out.mappingJson = preview.mappingJson;
    QString note;
    if (!options.crossFit)
        note = QString("%1 fitted on %2 examples (seed %3), shown on the %4 held out.")
                   .arg(out.method)
                   .arg(preview.fitted)
                   .arg(in.seed)
                   .arg(preview.labels.size());
    else
        note = QString("%1, %2-fold cross-fitting (seed %3): every example is mapped by a fit on the other "
                       "folds. The exported mapping is fitted on all %4 examples.")
                   .arg(out.method)
                   .arg(in.folds)
                   .arg(in.seed)
                   .arg(n);
    if (multi && in.method != Method::Temperature)
        note += " Platt and isotonic apply to binary sets: temperature scaling is used.";
    out.beforeMetrics = metricsOfValues(preview.labels, preview.before, k, multi, in.options, &out.before);
    out.afterMetrics = metricsOfValues(preview.labels, preview.after, k, multi, in.options, &out.after);
    out.message = note;
    out.ok = true;
    return out;
}

CalibrationResult compute(const CalibrationView::Input& in) {
    CalibrationResult result;
    result.setName = in.setName;
    if (in.runs.empty()) return result;
    const EvaluationEntry& first = in.runs.front();
    result.multiclass = first.set->multiclass;
    for (const auto& entry : in.runs)
        result.columns.push_back(columnOf(entry.runName, *entry.set, in.options));
    for (auto& column : baselineColumns(*first.set, in.options))
        result.columns.push_back(std::move(column));
    if (in.pinned) {
        auto column = columnOf("baseline: " + in.pinned->runName, *in.pinned->set, in.options);
        column.baseline = true;
        result.columns.push_back(std::move(column));
    }
    if (!in.sliceColumn.empty()) {
        result.curves = sliceCurves(first, in.sliceColumn, in.options);
    } else if (result.multiclass && in.classwise) {
        const auto classwise =
            classwiseCalibration(first.set->labels, first.set->probs, first.set->classCount(), in.options);
        for (std::size_t c = 0; c < classwise.perClass.size() && c < kMaxCurves; ++c)
            result.curves.push_back({QString("class %1").arg(QString::fromStdString(first.set->classes[c])),
                                     QColor(), classwise.perClass[c]});
    } else {
        for (std::size_t i = 0; i < in.runs.size() && i < kMaxCurves; ++i)
            result.curves.push_back({in.runs[i].runName, in.runs[i].color, result.columns[i].report});
    }
    result.recalibration = recalibrate(in);
    return result;
}

// The reliability chart colours curve i with runColor(i); give run curves their run table colours instead.
void applyCurveColors(QChart* chart, const std::vector<CalibrationCurveResult>& curves) {
    std::vector<std::pair<QColor, QColor>> map;
    for (std::size_t i = 0; i < curves.size() && i < kMaxCurves; ++i)
        if (curves[i].color.isValid()) map.emplace_back(runColor(static_cast<int>(i)), curves[i].color);
    auto lookup = [&](const QColor& c) -> std::optional<QColor> {
        for (const auto& [from, to] : map)
            if (from.rgb() == c.rgb() && c.alpha() == 255) return to;
        return std::nullopt;
    };
    for (QAbstractSeries* s : chart->series()) {
        if (auto* scatter = qobject_cast<QScatterSeries*>(s)) {
            if (auto to = lookup(scatter->color())) {
                scatter->setColor(*to);
                scatter->setBorderColor(to->darker(130));
            }
        } else if (auto* line = qobject_cast<QLineSeries*>(s)) {
            QPen pen = line->pen();
            if (auto to = lookup(pen.color())) {
                pen.setColor(*to);
                line->setPen(pen);
            }
        }
    }
}

QChart* reliabilityChart(const std::vector<CalibrationCurveResult>& curves, const QString& title) {
    std::vector<ReliabilityCurve> input;
    for (const auto& c : curves)
        input.push_back({c.name, c.report});
    QChart* chart = buildReliabilityChart(input, title);
    applyCurveColors(chart, curves);
    QFont font = chart->legend()->font();
    font.setPointSizeF(font.pointSizeF() * 0.85); // legends name runs with their ECE: keep them unclipped
    chart->legend()->setFont(font);
    return chart;
}

QString binsCsv(const std::vector<CalibrationCurveResult>& curves) {
    QString csv = "curve,lower,upper,count,mean_predicted,fraction_positive,ci_low,ci_high\n";
    for (const auto& c : curves)
        for (const auto& b : c.report.bins)
            csv += QString("%1,%2,%3,%4,%5,%6,%7,%8\n")
                       .arg(csvField(c.name))
                       .arg(b.lower, 0, 'g', 17)
                       .arg(b.upper, 0, 'g', 17)
                       .arg(b.count)
                       .arg(b.meanPredicted, 0, 'g', 17)
                       .arg(b.fractionPositive, 0, 'g', 17)
                       .arg(b.ciLow, 0, 'g', 17)
                       .arg(b.ciHigh, 0, 'g', 17);
    return csv;
}

void attachExport(QToolButton* button, QWidget* chartView, QWidget* owner,
                  std::function<ChartExportSpec()> spec) {
    button->setText("Export…");
    button->setToolTip("Export the chart as PNG, SVG or PDF, or its data as CSV");
    // The menu is built when asked for, so it always exports what is shown now.
    auto popup = [spec](QWidget* anchor, const QPoint& pos) {
        popupExportMenu(anchor, spec(), anchor->mapToGlobal(pos));
    };
    QObject::connect(button, &QToolButton::clicked, owner,
                     [button, popup] { popup(button, QPoint(0, button->height())); });
    chartView->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(chartView, &QWidget::customContextMenuRequested, owner,
                     [chartView, popup](const QPoint& pos) { popup(chartView, pos); });
}

} // namespace

CalibrationView::CalibrationView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context), m_watcher(new QFutureWatcher<CalibrationResult>(this)),
      m_debounce(new QTimer(this)) {
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(40);
    connect(m_debounce, &QTimer::timeout, this, &CalibrationView::startCompute);
    connect(m_watcher, &QFutureWatcher<CalibrationResult>::finished, this, &CalibrationView::onComputed);
    buildUi();
    followVisibleEvaluations(context, this, m_source, [this] { reloadEntries(); });
}

CalibrationView::~CalibrationView() {
    m_watcher->waitForFinished();
}

void CalibrationView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget;
    m_emptyHint = new QLabel(EvaluationSource::emptyHint());
    m_emptyHint->setObjectName("calibrationEmptyHint");
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_stack->addWidget(m_emptyHint);
    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    m_pages = new QTabWidget;
    m_pages->addTab(buildReliabilityPage(), "Reliability");
    m_pages->addTab(buildRecalibrationPage(), "Recalibration preview");
    contentLayout->addWidget(m_pages, 1);
    m_errors = new QLabel;
    m_errors->setWordWrap(true);
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errors->setStyleSheet("color: #b03030;");
    m_errors->hide();
    contentLayout->addWidget(m_errors);
    m_stack->addWidget(content);
    layout->addWidget(m_stack);
}

QWidget* CalibrationView::buildReliabilityPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* controls = new FlowLayout;
    m_setCombo = new QComboBox;
    m_setCombo->setToolTip("The evaluation set; every visible run with a set of this name is overlaid");
    m_setCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_bins = new QSpinBox;
    m_bins->setRange(2, 100);
    m_bins->setValue(10);
    m_strategy = new QComboBox;
    m_strategy->addItems({"uniform", "quantile"});
    m_interval = new QComboBox;
    m_interval->addItems({"Wilson", "Clopper-Pearson"});
    m_consistency = new QCheckBox("Consistency bands");
    m_consistency->setToolTip("Where a perfectly calibrated model's bin would fall 95% of the time "
                              "(Bröcker & Smith 2007)");
    m_baselineRun = new QComboBox;
    m_baselineRun->setToolTip("Pin another run's predictions on the same set as a baseline column");
    m_slice = new QComboBox;
    m_slice->setToolTip("One reliability curve per value of a feature column (numeric: quartile buckets)");
    m_classMode = new QComboBox;
    m_classMode->addItems({"top-label", "class-wise"});
    m_classMode->setToolTip(
        "Multiclass: calibration of the top label's confidence, or one-vs-rest per class");
    auto* exportButton = new QToolButton;

    controls->addField("&Set:", m_setCombo);
    controls->addField("&Bins:", m_bins);
    controls->addField("S&trategy:", m_strategy);
    controls->addField("&Interval:", m_interval);
    controls->addWidget(m_consistency);
    controls->addField("&Pin baseline run:", m_baselineRun);
    controls->addField("Slice b&y:", m_slice);
    controls->addField("&Multiclass:", m_classMode);
    controls->addWidget(exportButton);
    layout->addLayout(controls);

    auto* splitter = new QSplitter(Qt::Horizontal);
    m_chart = new InteractiveChartView;
    m_chart->setMinimumSize(420, 360);
    splitter->addWidget(m_chart);
    m_table = new QTableWidget;
    m_table->setObjectName("calibrationMetrics");
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setToolTip("Runs, then baselines (italic): a model is useful only where it beats them");
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({620, 420}); // the diagram gets the larger share; the table scrolls
    layout->addWidget(splitter, 1);
    attachExport(exportButton, m_chart, this, [this] { return reliabilitySpec(); });

    connect(m_setCombo, &QComboBox::currentIndexChanged, this, [this] {
        fillDependentCombos();
        scheduleRecompute();
    });
    connect(m_bins, &QSpinBox::valueChanged, this, &CalibrationView::scheduleRecompute);
    for (QComboBox* box : {m_strategy, m_interval, m_baselineRun, m_slice, m_classMode})
        connect(box, &QComboBox::currentIndexChanged, this, &CalibrationView::scheduleRecompute);
    connect(m_consistency, &QCheckBox::toggled, this, &CalibrationView::scheduleRecompute);
    return page;
}

QWidget* CalibrationView::buildRecalibrationPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* controls = new FlowLayout;
    m_method = new QComboBox;
    m_method->addItems({"Platt", "isotonic", "temperature"});
    m_method->setToolTip(
        "Platt and isotonic map binary scores; temperature scaling rescales multiclass logits");
    m_split = new QComboBox;
    m_split->addItems({"hold-out split", "k-fold"});
    m_fraction = new QDoubleSpinBox;
    m_fraction->setRange(0.1, 0.9);
    m_fraction->setSingleStep(0.05);
    m_fraction->setValue(0.5);
    m_fraction->setToolTip("Share of the examples used to fit the mapping; the rest shows the effect");
    m_folds = new QSpinBox;
    m_folds->setRange(2, 20);
    m_folds->setValue(5);
    m_seed = new QSpinBox;
    m_seed->setRange(0, 1000000);
    m_seed->setValue(0);
    m_exportMapping = new QPushButton("Export mapping…");
    m_exportMapping->setToolTip("Save the fitted parameters as JSON");
    auto* beforeExport = new QToolButton;
    auto* afterExport = new QToolButton;
    controls->addField("M&ethod:", m_method);
    controls->addField("Spli&t:", m_split);
    controls->addField("Calibration &share:", m_fraction);
    controls->addField("&Folds:", m_folds);
    controls->addField("See&d:", m_seed);
    controls->addWidget(m_exportMapping);
    layout->addLayout(controls);
    m_recalNote = new QLabel;
    m_recalNote->setWordWrap(true);
    layout->addWidget(m_recalNote);

    auto* splitter = new QSplitter(Qt::Vertical);
    auto* charts = new QWidget;
    auto* chartsLayout = new QGridLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    m_beforeChart = new InteractiveChartView;
    m_afterChart = new InteractiveChartView;
    m_beforeChart->setMinimumSize(320, 300);
    m_afterChart->setMinimumSize(320, 300);
    chartsLayout->addWidget(m_beforeChart, 0, 0);
    chartsLayout->addWidget(m_afterChart, 0, 1);
    chartsLayout->addWidget(beforeExport, 1, 0, Qt::AlignLeft);
    chartsLayout->addWidget(afterExport, 1, 1, Qt::AlignLeft);
    splitter->addWidget(charts);
    m_recalTable = new QTableWidget;
    m_recalTable->setObjectName("recalibrationMetrics");
    m_recalTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_recalTable->setMinimumHeight(110);
    splitter->addWidget(m_recalTable);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({600, 120}); // two rows (before, after) with the metrics across
    layout->addWidget(splitter, 1);
    attachExport(beforeExport, m_beforeChart, this, [this] { return recalibrationSpec(false); });
    attachExport(afterExport, m_afterChart, this, [this] { return recalibrationSpec(true); });

    auto updateSplitControls = [this] {
        const bool holdOut = m_split->currentIndex() == 0;
        m_fraction->setEnabled(holdOut);
        m_folds->setEnabled(!holdOut);
    };
    updateSplitControls();
    connect(m_split, &QComboBox::currentIndexChanged, this, updateSplitControls);
    for (QComboBox* box : {m_method, m_split})
        connect(box, &QComboBox::currentIndexChanged, this, &CalibrationView::scheduleRecompute);
    connect(m_fraction, &QDoubleSpinBox::valueChanged, this, &CalibrationView::scheduleRecompute);
    connect(m_folds, &QSpinBox::valueChanged, this, &CalibrationView::scheduleRecompute);
    connect(m_seed, &QSpinBox::valueChanged, this, &CalibrationView::scheduleRecompute);
    connect(m_exportMapping, &QPushButton::clicked, this, &CalibrationView::askExportMapping);
    return page;
}

void CalibrationView::reloadEntries() {
    m_entries = m_source.loadVisible(*m_context->runModel());
    const QString errors = EvaluationSource::errorSummary(m_entries);
    m_errors->setText(errors);
    m_errors->setVisible(!errors.isEmpty());
    m_stack->setCurrentIndex(m_entries.empty() ? 0 : 1);
    fillSetCombo();
    fillDependentCombos();
    scheduleRecompute();
}

void CalibrationView::fillSetCombo() {
    const QString previous = m_setCombo->currentText();
    const QSignalBlocker block(m_setCombo);
    m_setCombo->clear();
    for (const auto& e : m_entries)
        m_setCombo->addItem(e.label(), QVariant::fromValue<qint64>(e.tableId));
    const int index = m_setCombo->findText(previous);
    m_setCombo->setCurrentIndex(index >= 0 ? index : (m_entries.empty() ? -1 : 0));
}

void CalibrationView::fillDependentCombos() {
    const EvaluationEntry* selected = selectedEntry();
    {
        const QString previous = m_baselineRun->currentText();
        const QSignalBlocker block(m_baselineRun);
        m_baselineRun->clear();
        m_baselineRun->addItem("(none)", QVariant::fromValue<qint64>(-1));
        for (const auto& e : m_entries)
            if (selected && e.tableName == selected->tableName && e.tableId != selected->tableId &&
                e.usable())
                m_baselineRun->addItem(e.runName, QVariant::fromValue<qint64>(e.tableId));
        m_baselineRun->setCurrentIndex(std::max(0, m_baselineRun->findText(previous)));
    }
    {
        const QString previous = m_slice->currentText();
        const QSignalBlocker block(m_slice);
        m_slice->clear();
        m_slice->addItem("(none)");
        if (selected && selected->table)
            for (const auto& c : selected->table->columns)
                if (c.role == ColumnRole::Feature) m_slice->addItem(QString::fromStdString(c.name));
        m_slice->setCurrentIndex(std::max(0, m_slice->findText(previous)));
    }
    const bool multi = selected && selected->set && selected->set->multiclass;
    m_classMode->setEnabled(multi);
}

const EvaluationEntry* CalibrationView::selectedEntry() const {
    const qint64 id = m_setCombo->currentData().toLongLong();
    for (const auto& e : m_entries)
        if (e.tableId == id) return &e;
    return nullptr;
}

CalibrationView::Input CalibrationView::makeInput() const {
    Input in;
    const EvaluationEntry* selected = selectedEntry();
    if (!selected || !selected->usable()) return in;
    in.setName = selected->tableName;
    in.runs.push_back(*selected);
    for (const auto& e : m_entries)
        if (e.tableName == selected->tableName && e.tableId != selected->tableId && e.usable())
            in.runs.push_back(e);
    const qint64 pinnedId = m_baselineRun->currentData().toLongLong();
    for (const auto& e : m_entries)
        if (e.tableId == pinnedId && e.usable()) in.pinned = e;
    in.options.bins = m_bins->value();
    in.options.strategy = m_strategy->currentIndex() == 1 ? BinStrategy::Quantile : BinStrategy::Uniform;
    in.options.interval =
        m_interval->currentIndex() == 1 ? IntervalMethod::ClopperPearson : IntervalMethod::Wilson;
    in.options.consistencyBands = m_consistency->isChecked();
    in.classwise = m_classMode->currentIndex() == 1;
    if (m_slice->currentIndex() > 0) in.sliceColumn = m_slice->currentText().toStdString();
    in.method = static_cast<Method>(std::max(0, m_method->currentIndex()));
    in.split = m_split->currentIndex() == 1 ? SplitMode::KFold : SplitMode::HoldOut;
    in.fraction = m_fraction->value();
    in.folds = m_folds->value();
    in.seed = static_cast<std::uint64_t>(m_seed->value());
    return in;
}

bool CalibrationView::isBusy() const {
    return m_debounce->isActive() || m_computing || m_dirty;
}

bool CalibrationView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

void CalibrationView::scheduleRecompute() {
    m_debounce->start();
}

void CalibrationView::startCompute() {
    if (m_computing) {
        m_dirty = true; // recompute with the newest controls once this one is done
        return;
    }
    m_dirty = false;
    Input in = makeInput();
    if (in.runs.empty()) {
        m_result = {};
        showResult();
        return;
    }
    m_computing = true;
    m_watcher->setFuture(QtConcurrent::run([in = std::move(in)] { return compute(in); }));
}

void CalibrationView::onComputed() {
    m_computing = false;
    m_result = m_watcher->result();
    showResult();
    if (m_dirty) startCompute();
}

void CalibrationView::showResult() {
    QString title;
    if (!m_result.curves.empty()) {
        title = QString("Reliability of %1 (%2 bins, %3%4)")
                    .arg(m_result.setName)
                    .arg(m_bins->value())
                    .arg(m_strategy->currentText())
                    .arg(m_slice->currentIndex() > 0 ? ", by " + m_slice->currentText() : QString());
        m_chart->replaceChart(reliabilityChart(m_result.curves, title));
    } else {
        m_chart->replaceChart(new QChart);
    }
    fillMetricsTable();
    fillRecalibration();
}

QStringList CalibrationView::metricRows() const {
    QStringList rows;
    // Multiclass rows are top-label calibration: its Brier rows say so, beside the multiclass Brier.
    for (const auto& def : metricRowDefs()) {
        const bool multiclassOnly =
            def.name == "class-wise ECE (mean)" || def.name == "multiclass Brier (sum over classes)";
        if (multiclassOnly && !m_result.multiclass) continue;
        rows << (m_result.multiclass && def.name.startsWith("Brier") ? topLabelName(def.name) : def.name);
    }
    return rows;
}

double CalibrationView::metricValue(const QString& column, const QString& row) const {
    for (const auto& c : m_result.columns) {
        if (c.name != column) continue;
        for (const auto& def : metricRowDefs())
            if (def.name == row || topLabelName(def.name) == row) return def.get(c);
    }
    return BinaryMetrics::kNaN;
}

void CalibrationView::fillMetricsTable() {
    const QStringList rows = metricRows();
    m_table->clear();
    m_table->setRowCount(static_cast<int>(rows.size()));
    m_table->setColumnCount(static_cast<int>(m_result.columns.size()));
    m_table->setVerticalHeaderLabels(rows);
    for (int c = 0; c < static_cast<int>(m_result.columns.size()); ++c) {
        const auto& column = m_result.columns[static_cast<std::size_t>(c)];
        auto* header = new QTableWidgetItem(column.name);
        if (column.baseline) {
            QFont font = header->font();
            font.setItalic(true);
            header->setFont(font);
            header->setToolTip("baseline");
        }
        m_table->setHorizontalHeaderItem(c, header);
        for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
            const double value = metricValue(column.name, rows[r]);
            auto* item = new QTableWidgetItem(formatMetric(value, rows[r].endsWith(": residual") ? 6 : 4));
            item->setData(Qt::UserRole, value);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (column.baseline) item->setForeground(palette().color(QPalette::PlaceholderText));
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeColumnsToContents();
}

void CalibrationView::fillRecalibration() {
    const auto& rec = m_result.recalibration;
    m_recalNote->setText(rec.message.isEmpty() ? QString("Pick an evaluation set with scores.")
                                               : rec.message);
    m_exportMapping->setEnabled(rec.ok);
    if (!rec.ok) {
        m_beforeChart->replaceChart(new QChart);
        m_afterChart->replaceChart(new QChart);
        m_recalTable->clear();
        m_recalTable->setRowCount(0);
        m_recalTable->setColumnCount(0);
        return;
    }
    const QString tag = m_result.multiclass ? " (top-label)" : QString();
    m_beforeChart->replaceChart(
        reliabilityChart({{"before", QColor(), rec.before}}, "Held-out before recalibration" + tag));
    m_afterChart->replaceChart(
        reliabilityChart({{"after", QColor(), rec.after}}, "Held-out after " + rec.method + tag));
    // Transposed beside the main table: two rows (before, after) keep the charts tall.
    const QStringList metrics = metricRows();
    m_recalTable->clear();
    m_recalTable->setRowCount(2);
    m_recalTable->setColumnCount(static_cast<int>(metrics.size()));
    m_recalTable->setVerticalHeaderLabels({"before", "after"});
    m_recalTable->setHorizontalHeaderLabels(metrics);
    const CalibrationColumn before{"before", false, rec.before, rec.beforeMetrics};
    const CalibrationColumn after{"after", false, rec.after, rec.afterMetrics};
    for (int m = 0; m < static_cast<int>(metrics.size()); ++m) {
        for (const auto& def : metricRowDefs()) {
            if (def.name != metrics[m] && topLabelName(def.name) != metrics[m]) continue;
            int r = 0;
            for (const auto* column : {&before, &after}) {
                const double value = def.get(*column);
                auto* item =
                    new QTableWidgetItem(formatMetric(value, metrics[m].endsWith(": residual") ? 6 : 4));
                item->setData(Qt::UserRole, value);
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_recalTable->setItem(r++, m, item);
            }
        }
    }
    m_recalTable->resizeColumnsToContents();
}

ChartExportSpec CalibrationView::reliabilitySpec() const {
    ChartExportSpec spec;
    spec.baseName = "reliability-" + m_result.setName;
    const auto curves = m_result.curves;
    const QString title = QString("Reliability of %1").arg(m_result.setName);
    spec.buildChart = [curves, title] { return reliabilityChart(curves, title); };
    const QString bins = binsCsv(curves);
    const QString metrics = metricsCsv();
    spec.csv.emplace_back("Export bins as CSV…", [bins] { return bins; });
    spec.csv.emplace_back("Export metrics table as CSV…", [metrics] { return metrics; });
    return spec;
}

ChartExportSpec CalibrationView::recalibrationSpec(bool after) const {
    ChartExportSpec spec;
    const auto& rec = m_result.recalibration;
    const std::vector<CalibrationCurveResult> curves{
        {after ? QString("after") : QString("before"), QColor(), after ? rec.after : rec.before}};
    spec.baseName = QString("recalibration-%1-%2").arg(m_result.setName, after ? "after" : "before");
    const QString title = after ? "Held-out after " + rec.method : QString("Held-out before recalibration");
    spec.buildChart = [curves, title] { return reliabilityChart(curves, title); };
    const QString bins = binsCsv(curves);
    spec.csv.emplace_back("Export bins as CSV…", [bins] { return bins; });
    return spec;
}

bool CalibrationView::exportReliabilityImage(const QString& path, QString* error) const {
    if (m_result.curves.empty()) {
        if (error) *error = "no reliability diagram to export";
        return false;
    }
    return exportSpecImage(reliabilitySpec(), path, error);
}

QString CalibrationView::reliabilityCsv() const {
    return binsCsv(m_result.curves);
}

QString CalibrationView::metricsCsv() const {
    QString csv = "metric";
    for (const auto& c : m_result.columns)
        csv += ',' + csvField(c.name);
    csv += '\n';
    for (const QString& row : metricRows()) {
        csv += csvField(row);
        for (const auto& c : m_result.columns) {
            const double v = metricValue(c.name, row);
            csv += ',' + (std::isfinite(v) ? QString::number(v, 'g', 17) : QString());
        }
        csv += '\n';
    }
    return csv;
}

bool CalibrationView::exportMapping(const QString& path, QString* error) const {
    if (!m_result.recalibration.ok) {
        if (error) *error = "no fitted mapping to export";
        return false;
    }
    return writeTextFile(path, QString::fromStdString(m_result.recalibration.mappingJson) + '\n', error);
}

void CalibrationView::askExportMapping() {
    const QString path = QFileDialog::getSaveFileName(
        this, "Export recalibration mapping", "recalibration-" + m_result.setName + ".json", "JSON (*.json)");
    if (path.isEmpty()) return;
    QString error;
    if (!exportMapping(path, &error)) QMessageBox::warning(this, "Export failed", error);
}

} // namespace runlens::ui
