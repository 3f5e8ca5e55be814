// Regression tab: lists the regression logs among the visible runs' evaluation sets, computes the report
// with core/analysis/regression_report off the GUI thread and shows it as a chart and a table.
#include "ui/regression/regression_view.h"

#include "core/analysis/number_format.h"
#include "core/model/regression_columns.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/context/view_context.h"
#include "ui/regression/regression_charts.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <cmath>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

const char* kEmptyHint =
    "No regression log in the visible runs yet.\n\nDrop a prediction log with a continuous label and "
    "prediction column (y_pred, prediction, pred or yhat; optional q05,q95 or lower,upper intervals) onto a "
    "run, or import a run folder holding predictions*.csv.";

constexpr int kFixedPlots = 3; // predicted vs actual, residuals by prediction, residual histogram

// The chosen log as B against another as A, as `runlens regression A B` compares them (absolute errors).
void compareWith(RegressionViewResult& out, const QString& name, const PredictionTable& other) {
    out.comparedWith = name;
    std::string error;
    const auto a = regressionLogFrom(other, error);
    if (!a) {
        out.comparisonError = name + QStringLiteral(": ") + QString::fromStdString(error);
        return;
    }
    auto aligned = alignRegressionLogs(*a, *out.log);
    if (!aligned.refusal.empty()) {
        out.comparisonError = QString::fromStdString(aligned.refusal);
        return;
    }
    out.paired = compareRegressors(aligned.labels, aligned.predictionsA, aligned.predictionsB);
    out.alignment = std::move(aligned);
}

// Per-slice metrics of the log (B) and, when compared, of the other log (A, first), by `by`; and the slices
// where B's absolute error is highest.
void computeSlices(RegressionViewResult& out, const PredictionTable& table, const PredictionTable* other,
                   const std::string& by) {
    out.sliceColumns = regressionSliceColumns(table, *out.log);
    const std::string column =
        std::find(out.sliceColumns.begin(), out.sliceColumns.end(), by) != out.sliceColumns.end()
            ? by
            : (out.sliceColumns.empty() ? std::string() : out.sliceColumns.front());
    if (column.empty()) {
        out.slicesError = QStringLiteral("The log has no feature column to slice by.");
        return;
    }
    std::optional<RegressionLog> otherLog;
    std::string error;
    if (other && out.paired) otherLog = regressionLogFrom(*other, error);
    std::vector<RegressionCohort> cohorts;
    if (otherLog)
        cohorts.push_back({"A", other, {}, otherLog->labels, otherLog->predictions, otherLog->weights});
    cohorts.push_back(
        {otherLog ? "B" : "this log", &table, {}, out.log->labels, out.log->predictions, out.log->weights});
    RegressionSliceOptions options;
    options.by = {column};
    out.slices = regressionSlices(cohorts, options, &error);
    if (!out.slices) out.slicesError = QString::fromStdString(error);
    std::vector<double> loss(out.log->rows());
    for (std::size_t r = 0; r < loss.size(); ++r)
        loss[r] = std::abs(out.log->labels[r] - out.log->predictions[r]);
    SliceFinderOptions finder;
    finder.features = out.sliceColumns;
    finder.maxLevel = 2;
    finder.topK = 10;
    out.worstSlices = findLossSlices(table, loss, {}, finder);
}

RegressionViewResult compute(QString name, std::shared_ptr<const PredictionTable> table, QString otherName,
                             std::shared_ptr<const PredictionTable> other, std::string sliceBy) {
    RegressionViewResult out;
    out.name = std::move(name);
    std::string error;
    auto log = regressionLogFrom(*table, error);
    if (!log) {
        out.error = QString::fromStdString(error);
        return out;
    }
    auto shared = std::make_shared<const RegressionLog>(std::move(*log));
    out.report = regressionReport(reportInputOf(*shared));
    out.log = std::move(shared);
    if (other) compareWith(out, otherName, *other);
    computeSlices(out, *table, other.get(), sliceBy);
    return out;
}

struct Row {
    QString metric;
    double value, low, high;
};

std::vector<Row> tableRows(const RegressionReport& r) {
    const auto& b = r.bootstrap;
    std::vector<Row> rows = {{"MAE", b.mae.value, b.mae.low, b.mae.high},
                             {"RMSE", b.rmse.value, b.rmse.low, b.rmse.high},
                             {"MSE", b.mse.value, b.mse.low, b.mse.high},
                             {"R²", b.r2.value, b.r2.low, b.r2.high},
                             {"median absolute error", b.medianAe.value, b.medianAe.low, b.medianAe.high},
                             {"MAPE", b.mape.value, b.mape.low, b.mape.high},
                             {"sMAPE", b.smape.value, b.smape.low, b.smape.high},
                             {"max error", b.maxError.value, b.maxError.low, b.maxError.high},
                             {"mean error (bias)", b.meanError.value, b.meanError.low, b.meanError.high}};
    constexpr double nan = RegressionMetrics::kNaN;
    for (const auto& base : r.baselines) {
        rows.push_back(
            {QString("baseline %1: MAE").arg(QString::fromStdString(base.name)), base.metrics.mae, nan, nan});
        rows.push_back(
            {QString("baseline %1: R²").arg(QString::fromStdString(base.name)), base.metrics.r2, nan, nan});
    }
    for (const auto& c : r.coverage)
        rows.push_back(
            {QString("coverage of %1 (nominal %2)").arg(QString::fromStdString(c.name)).arg(c.nominal),
             c.coverage, c.coverageCi.low, c.coverageCi.high});
    return rows;
}

} // namespace

RegressionView::RegressionView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context),
      m_compute(
          this, &m_result, [this] { startCompute(); }, [this] { showResult(); }) {
    buildUi();
    followVisibleEvaluations(context, this, m_source, [this] { reloadEntries(); });
}

RegressionView::~RegressionView() = default; // m_compute waits for a running computation

void RegressionView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget;
    m_emptyHint = newEmptyHint(tr(kEmptyHint), QStringLiteral("regressionEmptyHint"));
    m_stack->addWidget(m_emptyHint);

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    auto* controls = new FlowLayout; // wraps at the page's width (a laptop-sized window)
    m_log = new QComboBox;
    m_log->setObjectName("regressionLog");
    m_log->setToolTip(tr("The regression log (run / evaluation set) to analyse"));
    m_plot = new QComboBox;
    m_plot->setObjectName("regressionPlot");
    m_plot->addItems({tr("Predicted vs actual"), tr("Residuals by prediction"), tr("Residual histogram")});
    auto* exportButton = m_exportButton =
        newExportButton(tr("Export the chart as PNG, SVG or PDF, or the metrics as CSV"), this,
                        [this] { return exportSpec(); });
    controls->addField(tr("Log"), m_log);
    controls->addField(tr("Plot"), m_plot);
    m_compare = new QComboBox;
    m_compare->setObjectName("regressionCompare");
    m_compare->setToolTip(
        tr("Another regression log of the same examples: the paired comparison of the chosen "
           "log (B) against it (A)"));
    controls->addField(tr("Compare with"), m_compare);
    controls->addWidget(exportButton);
    contentLayout->addLayout(controls);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setObjectName("regressionSummary");
    contentLayout->addWidget(m_summary);
    auto* split = new QSplitter(Qt::Horizontal);
    m_chart = new InteractiveChartView;
    m_table = new QTableWidget(0, 4);
    m_table->setObjectName("regressionMetrics");
    m_table->setHorizontalHeaderLabels({tr("metric"), tr("value"), tr("95% low"), tr("95% high")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    split->addWidget(m_chart);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({3000, 2000}); // the metrics keep room for their four columns
    // The comparison with another log spans the width under the chart and the metrics.
    auto* comparison = m_comparisonPanel = new QWidget;
    auto* comparisonLayout = new QHBoxLayout(comparison);
    comparisonLayout->setContentsMargins(0, 0, 0, 0);
    m_comparison = new QLabel;
    m_comparison->setObjectName("regressionComparison");
    m_comparison->setWordWrap(true);
    m_comparison->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_comparison->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_regressions = new QTableWidget(0, 5);
    m_regressions->setObjectName("regressionLargestRegressions");
    m_regressions->setHorizontalHeaderLabels(
        {tr("example"), tr("label"), tr("|error| A"), tr("|error| B"), tr("change")});
    m_regressions->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_regressions->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_regressions->verticalHeader()->hide();
    comparisonLayout->addWidget(m_comparison, 2);
    comparisonLayout->addWidget(m_regressions, 3);
    comparison->hide();
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(split);
    vertical->addWidget(comparison);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);
    vertical->setSizes({600, 260});
    m_pages = new QTabWidget;
    m_pages->addTab(vertical, tr("Overview"));
    m_pages->addTab(buildSlicesPage(), tr("Slices"));
    contentLayout->addWidget(m_pages, 1);
    m_stack->addWidget(content);
    layout->addWidget(m_stack);

    connect(m_log, &QComboBox::currentIndexChanged, this, [this] { startCompute(); });
    connect(m_compare, &QComboBox::currentIndexChanged, this, [this] { startCompute(); });
    connect(m_plot, &QComboBox::currentIndexChanged, this, [this] { showResult(); });
}

QWidget* RegressionView::buildSlicesPage() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* controls = new QHBoxLayout;
    m_sliceBy = new QComboBox;
    m_sliceBy->setObjectName("regressionSliceBy");
    m_sliceBy->setToolTip(tr("The feature column to slice by; numeric columns are cut at their quartiles"));
    m_sliceBy->setMinimumContentsLength(12);
    controls->addWidget(new QLabel(tr("Slice by")));
    controls->addWidget(m_sliceBy);
    controls->addStretch(1);
    layout->addLayout(controls);
    m_sliceVerdict = new QLabel;
    m_sliceVerdict->setObjectName("regressionSliceVerdict");
    m_sliceVerdict->setWordWrap(true);
    m_sliceVerdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_sliceVerdict);
    const auto makeTable = [] {
        auto* table = new QTableWidget;
        table->setEditTriggers(QAbstractItemView::NoEditTriggers);
        table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        table->horizontalHeader()->setStretchLastSection(true);
        table->verticalHeader()->hide();
        return table;
    };
    m_sliceTable = makeTable();
    m_sliceTable->setObjectName("regressionSlices");
    layout->addWidget(m_sliceTable, 3);
    auto* worstLabel =
        new QLabel(tr("Where the log errs most: slices (one feature or two crossed) whose mean "
                      "absolute error is above the rest's; one-sided Welch test, "
                      "Benjamini-Hochberg q"));
    worstLabel->setWordWrap(true); // wraps instead of widening the page
    layout->addWidget(worstLabel);
    m_worstTable = makeTable();
    m_worstTable->setObjectName("regressionWorstSlices");
    m_worstTable->setColumnCount(6);
    m_worstTable->setHorizontalHeaderLabels(
        {tr("slice"), tr("n"), tr("mean |error|"), tr("rest"), tr("Cohen's d"), tr("q")});
    layout->addWidget(m_worstTable, 2);
    connect(m_sliceBy, &QComboBox::currentIndexChanged, this, [this] { startCompute(); });
    return page;
}

QString RegressionView::sliceVerdictText() const {
    return m_sliceVerdict->text();
}

namespace {

QString sliceKeyText(const std::vector<std::pair<std::string, std::string>>& key) {
    QStringList parts;
    for (const auto& [feature, value] : key)
        parts << QString::fromStdString(feature + " = " + value);
    return parts.join(QStringLiteral(", "));
}

QString withInterval(const MetricInterval& m, double value) {
    // A metric that cannot be computed reads "n/a" as in every evaluation view (formatMetric).
    if (!std::isfinite(value) || !std::isfinite(m.low) || !std::isfinite(m.high)) return formatMetric(value);
    return QStringLiteral("%1 [%2, %3]").arg(formatMetric(value), formatMetric(m.low), formatMetric(m.high));
}

} // namespace

void RegressionView::showSlices() {
    {
        const QString current = m_sliceBy->currentText();
        const QSignalBlocker block(m_sliceBy);
        m_sliceBy->clear();
        for (const auto& c : m_result.sliceColumns)
            m_sliceBy->addItem(QString::fromStdString(c));
        const QString shown = m_result.slices && !m_result.slices->by.empty()
                                  ? QString::fromStdString(m_result.slices->by.front())
                                  : current;
        m_sliceBy->setCurrentIndex(std::max(0, m_sliceBy->findText(shown)));
    }
    m_sliceTable->setRowCount(0);
    m_worstTable->setRowCount(0);
    if (!m_result.slices) {
        m_sliceVerdict->setText(m_result.slicesError);
        m_sliceTable->setColumnCount(0);
        return;
    }
    const auto& r = *m_result.slices;
    QStringList verdict;
    if (r.cohorts.size() == 2) verdict << tr("A = %1, B = %2.").arg(m_result.comparedWith, m_result.name);
    for (const auto& s : r.simpson)
        verdict << tr("%1: Simpson's reversal %2. %3")
                       .arg(QString::fromStdString(s.metric).toUpper(),
                            QString::fromStdString(std::string(reversalName(s.verdict.reversal))),
                            QString::fromStdString(s.verdict.explanation));
    if (!r.nonDecomposableNote.empty() && !r.simpson.empty())
        verdict << QString::fromStdString(r.nonDecomposableNote);
    verdict << tr("95% intervals from %1 seeded bootstrap resamples (seed %2).").arg(r.resamples).arg(r.seed);
    m_sliceVerdict->setText(verdict.join('\n'));

    // Each measure with the cohorts side by side (n A, n B, MAE A, MAE B, ...).
    const bool two = r.cohorts.size() == 2;
    const QStringList measures{tr("n"), tr("MAE"), tr("RMSE"), tr("R²"), tr("bias")};
    QStringList headers{QString::fromStdString(r.by.front())};
    for (const auto& measure : measures)
        for (const auto& c : r.cohorts)
            headers << (two ? measure + QStringLiteral(" ") + QString::fromStdString(c) : measure);
    m_sliceTable->setColumnCount(int(headers.size()));
    m_sliceTable->setHorizontalHeaderLabels(headers);
    const auto addRow = [&](const QString& key, const std::vector<RegressionSliceCell>& cells, bool bold) {
        const int row = m_sliceTable->rowCount();
        m_sliceTable->insertRow(row);
        QStringList texts{key};
        for (int measure = 0; measure < int(measures.size()); ++measure)
            for (const auto& cell : cells) {
                const auto& m = cell.metrics;
                switch (measure) {
                case 0:
                    texts << QString::number(cell.n);
                    break;
                case 1:
                    texts << withInterval(m.mae, m.point.mae);
                    break;
                case 2:
                    texts << withInterval(m.rmse, m.point.rmse);
                    break;
                case 3:
                    texts << withInterval(m.r2, m.point.r2);
                    break;
                default:
                    texts << withInterval(m.meanError, m.point.meanError);
                }
            }
        for (int col = 0; col < texts.size(); ++col) {
            auto* item = new QTableWidgetItem(texts[col]);
            if (bold) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            m_sliceTable->setItem(row, col, item);
        }
    };
    for (const auto& slice : r.slices) {
        QStringList values; // the column header names the feature
        for (const auto& [feature, value] : slice.key)
            values << QString::fromStdString(value);
        addRow(values.join(QStringLiteral(", ")), slice.cohorts, false);
    }
    addRow(tr("overall"), r.overall, true);

    for (const auto& s : m_result.worstSlices.slices) {
        const int row = m_worstTable->rowCount();
        m_worstTable->insertRow(row);
        const QStringList texts{sliceKeyText(s.key),        QString::number(s.n),
                                formatMetric(s.meanLoss),   formatMetric(s.restMeanLoss),
                                formatMetric(s.effectSize), QString::fromStdString(formatPValue(s.qValue))};
        for (int col = 0; col < texts.size(); ++col)
            m_worstTable->setItem(row, col, new QTableWidgetItem(texts[col]));
    }
}

void RegressionView::reloadEntries() {
    m_regressionEntries.clear();
    for (auto& entry : m_source.list(*m_context->runModel())) {
        m_source.load(entry); // a regression log loads with the classification refusal as its error
        if (entry.table && isRegressionTable(*entry.table)) m_regressionEntries.push_back(entry);
    }
    QStringList labels;
    for (const auto& e : m_regressionEntries)
        labels << e.label();
    refillCombo(m_log, labels);
    refillCombo(m_compare, QStringList{tr("(none)")} + labels);
    m_stack->setCurrentIndex(m_regressionEntries.empty() ? 0 : 1);
    startCompute();
}

void RegressionView::startCompute() {
    if (!m_compute.mayStart()) return;
    const int index = m_log->currentIndex();
    if (index < 0 || std::size_t(index) >= m_regressionEntries.size()) {
        m_result = {};
        showResult();
        return;
    }
    const auto& entry = m_regressionEntries[std::size_t(index)];
    const int other = m_compare->currentIndex() - 1; // 0 is "(none)"
    QString otherName;
    std::shared_ptr<const PredictionTable> otherTable;
    if (other >= 0 && std::size_t(other) < m_regressionEntries.size() && other != index) {
        otherName = m_regressionEntries[std::size_t(other)].label();
        otherTable = m_regressionEntries[std::size_t(other)].table;
    }
    m_compute.run([name = entry.label(), table = entry.table, otherName, otherTable,
                   by = m_sliceBy->currentText().toStdString()] {
        return compute(name, table, otherName, otherTable, by);
    });
}

bool RegressionView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

QStringList RegressionView::logNames() const {
    QStringList names;
    for (const auto& e : m_regressionEntries)
        names << e.label();
    return names;
}

void RegressionView::setPlot(Plot plot) {
    m_plot->setCurrentIndex(int(plot));
}

QChart* RegressionView::buildChart() const {
    if (!m_result.log) return nullptr;
    const int feature = m_plot->currentIndex() - kFixedPlots;
    if (feature >= 0 && std::size_t(feature) < m_result.report.byFeature.size()) {
        const auto& [name, bins] = m_result.report.byFeature[std::size_t(feature)];
        const QString column = QString::fromStdString(name);
        return buildResidualBinsChart(bins, column, tr("Residuals of %1 by %2").arg(m_result.name, column));
    }
    switch (Plot(std::clamp(m_plot->currentIndex(), 0, kFixedPlots - 1))) {
    case Plot::ResidualsByPrediction:
        return buildResidualBinsChart(m_result.report.byPrediction, tr("predicted"),
                                      tr("Residuals of %1 by prediction decile").arg(m_result.name));
    case Plot::ResidualHistogram:
        return buildResidualHistogramChart(m_result.report.histogram,
                                           tr("Residuals of %1").arg(m_result.name));
    case Plot::PredictedActual:
        break;
    }
    return buildPredictedActualChart(m_result.report.density,
                                     tr("Predicted against actual: %1").arg(m_result.name));
}

// The fixed plots, then residuals by each numeric feature of the shown log; the choice is kept by name.
void RegressionView::fillPlotCombo() {
    const QString current = m_plot->currentText();
    const QSignalBlocker block(m_plot);
    while (m_plot->count() > kFixedPlots)
        m_plot->removeItem(m_plot->count() - 1);
    for (const auto& [name, bins] : m_result.report.byFeature)
        m_plot->addItem(tr("Residuals by %1").arg(QString::fromStdString(name)));
    const int keep = m_plot->findText(current);
    m_plot->setCurrentIndex(keep >= 0 ? keep : 0);
}

QString RegressionView::comparisonText() const {
    return m_comparison->text();
}

void RegressionView::showComparison() {
    m_regressions->setRowCount(0);
    m_comparisonPanel->setHidden(m_result.comparedWith.isEmpty());
    if (m_result.comparedWith.isEmpty()) {
        m_comparison->clear();
        return;
    }
    if (!m_result.paired) {
        m_comparison->setText(
            tr("Cannot compare with %1: %2").arg(m_result.comparedWith, m_result.comparisonError));
        return;
    }
    const auto& c = *m_result.paired;
    const auto& a = *m_result.alignment;
    QStringList lines;
    lines << tr("B = %1 against A = %2: %3 shared examples, aligned by %4.")
                 .arg(m_result.name, m_result.comparedWith)
                 .arg(c.n)
                 .arg(a.byId ? tr("id") : tr("row"));
    if (a.onlyA + a.onlyB + a.labelConflicts + a.duplicates > 0)
        lines << tr("Left out: %1 ids only in A, %2 only in B, %3 with conflicting labels, %4 duplicated.")
                     .arg(a.onlyA)
                     .arg(a.onlyB)
                     .arg(a.labelConflicts)
                     .arg(a.duplicates);
    lines << tr("MAE B − A %1 [%2, %3]; RMSE B − A %4 [%5, %6] (paired bootstrap, 95%).")
                 .arg(formatMetric(c.maeDelta.delta), formatMetric(c.maeDelta.ciLow),
                      formatMetric(c.maeDelta.ciHigh), formatMetric(c.rmseDelta.delta),
                      formatMetric(c.rmseDelta.ciLow), formatMetric(c.rmseDelta.ciHigh));
    const auto pText = [](double p) {
        const QString text = QString::fromStdString(formatPValue(p));
        return text.startsWith('<') ? QStringLiteral("p ") + text : QStringLiteral("p = ") + text;
    };
    lines << tr("Wilcoxon signed-rank on absolute errors %1; paired t %2; B better on %3 examples (%4%), A "
                "on %5, "
                "ties %6. The table lists the examples where B got most worse.")
                 .arg(pText(c.wilcoxon.p), pText(c.tTest.p))
                 .arg(c.bBetter)
                 .arg(100.0 * c.shareBBetter, 0, 'f', 1)
                 .arg(c.aBetter)
                 .arg(c.ties);
    lines << QString::fromStdString(c.sentence);
    m_comparison->setText(lines.join('\n'));
    for (const auto& x : c.largestRegressions) {
        const int r = m_regressions->rowCount();
        m_regressions->insertRow(r);
        const QString example = a.byId ? QString::fromStdString(a.ids[x.row]) : tr("row %1").arg(x.row + 1);
        const QStringList cells{example, formatMetric(a.labels[x.row]), formatMetric(x.errorA),
                                formatMetric(x.errorB), formatMetric(x.change)};
        for (int col = 0; col < cells.size(); ++col)
            m_regressions->setItem(r, col, new QTableWidgetItem(cells[col]));
    }
}

void RegressionView::showResult() {
    m_exportButton->setEnabled(m_result.log != nullptr); // an export of nothing would fail or crash
    m_table->setRowCount(0);
    fillPlotCombo();
    showComparison();
    showSlices();
    if (!m_result.log) {
        m_summary->setText(m_result.error);
        m_chart->replaceChart(new QChart);
        return;
    }
    const auto& p = m_result.report.bootstrap.point;
    QString summary = tr("%1: %2 examples; 95% intervals from %3 seeded bootstrap resamples (seed %4).")
                          .arg(m_result.name)
                          .arg(p.n)
                          .arg(m_result.report.bootstrap.resamples)
                          .arg(m_result.report.bootstrap.seed);
    if (!p.mapeMeaningful) summary += ' ' + QString::fromStdString(p.mapeNote);
    for (const auto& c : m_result.report.coverage)
        summary += ' ' + QString::fromStdString(c.sentence);
    m_summary->setText(summary);
    for (const auto& row : tableRows(m_result.report)) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, new QTableWidgetItem(row.metric));
        m_table->setItem(r, 1, new QTableWidgetItem(formatMetric(row.value)));
        m_table->setItem(r, 2,
                         new QTableWidgetItem(std::isfinite(row.low) ? formatMetric(row.low) : QString()));
        m_table->setItem(r, 3,
                         new QTableWidgetItem(std::isfinite(row.high) ? formatMetric(row.high) : QString()));
    }
    m_chart->replaceChart(buildChart());
}

QString RegressionView::metricsCsv() const {
    QString csv = "metric,value,ci_low,ci_high\n";
    if (!m_result.log) return csv;
    for (const auto& row : tableRows(m_result.report))
        csv += QString("%1,%2,%3,%4\n")
                   .arg(csvField(row.metric, CsvQuoting::Always), csvNumber(row.value), csvNumber(row.low),
                        csvNumber(row.high));
    return csv;
}

ChartExportSpec RegressionView::exportSpec() const {
    ChartExportSpec spec;
    spec.baseName = QStringLiteral("regression");
    spec.buildChart = [this] { return buildChart(); };
    spec.csv.push_back({tr("Metrics as CSV…"), [this] { return metricsCsv(); }});
    return spec;
}

bool RegressionView::exportImage(const QString& path, QString* error) const {
    return exportShownImage(m_result.log != nullptr, exportSpec(),
                            QStringLiteral("no regression chart to export"), path, error);
}

} // namespace runlens::ui
