// The Calibration tab: reliability diagrams and calibration metrics beside baselines, computed off the GUI
// thread (calibration_compute.cpp); the recalibration preview page is in calibration_recalibration.cpp.
#include "ui/calibration/calibration_view.h"

#include "core/model/prediction_table.h"
#include "ui/calibration/calibration_chart.h"
#include "ui/calibration/calibration_parts.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/evaluation_frame.h"
#include "ui/common/flow_layout.h"
#include "ui/context/view_context.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

using namespace calibration_parts;

const std::vector<MetricRow>& calibration_parts::metricRowDefs() {
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

QString calibration_parts::topLabelName(const QString& row) {
    if (!row.startsWith(QLatin1String("Brier"))) return row;
    QString out = row;
    return out.replace(0, 5, QStringLiteral("Brier (top label)"));
}

namespace {

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

} // namespace

QChart* calibration_parts::reliabilityChart(const std::vector<CalibrationCurveResult>& curves,
                                            const QString& title) {
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

QString calibration_parts::binsCsv(const std::vector<CalibrationCurveResult>& curves) {
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

CalibrationView::CalibrationView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context),
      m_compute(
          this, &m_result, [this] { startCompute(); }, [this] { showResult(); }, StaleResult::Show),
      m_debounce(new QTimer(this)) {
    buildUi();
    followEvaluationsDebounced(
        context, this, m_source, m_debounce, [this] { startCompute(); }, [this] { reloadEntries(); });
}

CalibrationView::~CalibrationView() = default; // m_compute waits for a running computation

void CalibrationView::buildUi() {
    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    m_pages = new QTabWidget;
    m_pages->addTab(buildReliabilityPage(), "Reliability");
    m_pages->addTab(buildRecalibrationPage(), "Recalibration preview");
    contentLayout->addWidget(m_pages, 1);
    const EvaluationFrame frame = layOutEvaluationFrame(this, content, contentLayout, "calibrationEmptyHint");
    m_stack = frame.stack;
    m_emptyHint = frame.emptyHint;
    m_errors = frame.errors;
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
    attachExportMenu(exportButton, m_chart, this, [this] { return reliabilitySpec(); });

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

void CalibrationView::reloadEntries() {
    m_entries = m_source.loadVisible(*m_context->runModel());
    showEvaluationEntries(m_errors, m_stack, m_entries);
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
    return m_debounce->isActive() || m_compute.busy();
}

bool CalibrationView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

void CalibrationView::scheduleRecompute() {
    m_debounce->start();
}

void CalibrationView::startCompute() {
    if (!m_compute.mayStart()) return; // recomputed with the newest controls once this one is done
    Input in = makeInput();
    if (in.runs.empty()) {
        m_result = {};
        showResult();
        return;
    }
    m_compute.run([in = std::move(in)] { return computeCalibration(in); });
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

} // namespace runlens::ui
