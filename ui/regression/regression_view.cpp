// Regression tab: lists the regression logs among the visible runs' evaluation sets, computes the report
// with core/analysis/regression_report off the GUI thread and shows it as a chart and a table.
#include "ui/regression/regression_view.h"

#include "core/model/regression_columns.h"
#include "core/store/workspace.h"
#include "ui/chart_export.h"
#include "ui/interactive_chart_view.h"
#include "ui/main_window.h"
#include "ui/regression/regression_charts.h"
#include "ui/run_table_model.h"

#include <cmath>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

const char* kEmptyHint =
    "No regression log in the visible runs yet.\n\nDrop a prediction log with a continuous label and "
    "prediction column (y_pred, prediction, pred or yhat; optional q05,q95 or lower,upper intervals) onto a "
    "run, or import a run folder holding predictions*.csv.";

RegressionViewResult compute(QString name, std::shared_ptr<const PredictionTable> table) {
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

RegressionView::RegressionView(MainWindow* window, QWidget* parent)
    : QWidget(parent), m_window(window), m_watcher(new QFutureWatcher<RegressionViewResult>(this)) {
    connect(m_watcher, &QFutureWatcher<RegressionViewResult>::finished, this, &RegressionView::onComputed);
    buildUi();
    followVisibleEvaluations(window, this, m_source, [this] { reloadEntries(); });
}

RegressionView::~RegressionView() {
    m_watcher->waitForFinished();
}

void RegressionView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget;
    m_emptyHint = newEmptyHint(tr(kEmptyHint), QStringLiteral("regressionEmptyHint"));
    m_stack->addWidget(m_emptyHint);

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    auto* controls = new QHBoxLayout;
    m_log = new QComboBox;
    m_log->setObjectName("regressionLog");
    m_log->setToolTip(tr("The regression log (run / evaluation set) to analyse"));
    m_plot = new QComboBox;
    m_plot->setObjectName("regressionPlot");
    m_plot->addItems({tr("Predicted vs actual"), tr("Residuals by prediction"), tr("Residual histogram")});
    auto* exportButton = m_exportButton = new QToolButton;
    exportButton->setEnabled(false);
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Export the chart as PNG, SVG or PDF, or the metrics as CSV"));
    controls->addWidget(new QLabel(tr("Log")));
    controls->addWidget(m_log, 1);
    controls->addWidget(new QLabel(tr("Plot")));
    controls->addWidget(m_plot);
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
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    split->addWidget(m_chart);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    contentLayout->addWidget(split, 1);
    m_stack->addWidget(content);
    layout->addWidget(m_stack);

    connect(m_log, &QComboBox::currentIndexChanged, this, [this] { startCompute(); });
    connect(m_plot, &QComboBox::currentIndexChanged, this, [this] { showResult(); });
    connect(exportButton, &QToolButton::clicked, this, [this, exportButton] {
        popupExportMenu(exportButton, exportSpec(),
                        exportButton->mapToGlobal(QPoint(0, exportButton->height())));
    });
}

void RegressionView::reloadEntries() {
    m_regressionEntries.clear();
    for (auto& entry : m_source.list(*m_window->runModel())) {
        m_source.load(entry); // a regression log loads with the classification refusal as its error
        if (entry.table && isRegressionTable(*entry.table)) m_regressionEntries.push_back(entry);
    }
    const QString current = m_log->currentText();
    {
        const QSignalBlocker block(m_log);
        m_log->clear();
        for (const auto& e : m_regressionEntries)
            m_log->addItem(e.label());
        const int keep = m_log->findText(current);
        m_log->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    m_stack->setCurrentIndex(m_regressionEntries.empty() ? 0 : 1);
    startCompute();
}

void RegressionView::startCompute() {
    if (m_computing) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    const int index = m_log->currentIndex();
    if (index < 0 || std::size_t(index) >= m_regressionEntries.size()) {
        m_result = {};
        showResult();
        return;
    }
    const auto& entry = m_regressionEntries[std::size_t(index)];
    m_computing = true;
    m_watcher->setFuture(
        QtConcurrent::run([name = entry.label(), table = entry.table] { return compute(name, table); }));
}

void RegressionView::onComputed() {
    m_computing = false;
    m_result = m_watcher->result();
    if (m_dirty) {
        startCompute();
        return;
    }
    showResult();
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
    switch (Plot(m_plot->currentIndex())) {
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

void RegressionView::showResult() {
    m_exportButton->setEnabled(m_result.log != nullptr); // an export of nothing would fail or crash
    m_table->setRowCount(0);
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
        csv += QString("\"%1\",%2,%3,%4\n")
                   .arg(row.metric, csvNumber(row.value), csvNumber(row.low), csvNumber(row.high));
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
    if (!m_result.log) {
        if (error) *error = "no regression chart to export";
        return false;
    }
    return exportSpecImage(exportSpec(), path, error);
}

} // namespace runlens::ui
