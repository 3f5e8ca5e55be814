// Disparity panel: computes core/analysis/fairness off the GUI thread for the chosen sensitive column and
// shows the groups' rates as a dot chart with Wilson intervals beside a table and the disparity sentence.
#include "ui/slices/fairness_panel.h"

#include "ui/charts/chart_export.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/charts/interval_dot_chart.h"
#include "ui/slices/slices_view.h"

#include <cmath>
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

QString rateText(double rate, const stats::Interval& ci, bool defined) {
    if (!defined) return QObject::tr("n/a");
    return rateWithInterval(rate, ci.low, ci.high);
}

FairnessPanelResult compute(std::shared_ptr<const LoadedSliceSet> set, QString column, double threshold) {
    FairnessPanelResult out;
    out.column = column;
    std::string error;
    out.report = fairnessOfEvaluation(set->table, set->eval, column.toStdString(), threshold, error);
    out.error = QString::fromStdString(error);
    return out;
}

} // namespace

FairnessPanel::FairnessPanel(QWidget* parent)
    : QWidget(parent), m_compute(
                           this, &m_result, [this] { startCompute(); }, [this] { showResult(); }) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget;
    m_hint =
        newEmptyHint(tr("Choose a source run whose evaluation set is binary: the disparity panel compares "
                        "its selection rate, TPR, FPR and precision across the groups of a sensitive column "
                        "(gender, region, age band, ...)."),
                     QStringLiteral("fairnessHint"));
    m_stack->addWidget(m_hint);

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto* controls = new QHBoxLayout;
    m_column = new QComboBox;
    m_column->setObjectName("fairnessColumn");
    m_column->setToolTip(tr("The sensitive column whose groups are compared"));
    m_threshold = new QDoubleSpinBox;
    m_threshold->setRange(0, 1);
    m_threshold->setDecimals(3);
    m_threshold->setSingleStep(0.05);
    m_threshold->setValue(0.5);
    m_threshold->setToolTip(tr("Decision threshold on the score when the log has no prediction column"));
    m_exportButton = newExportButton(QString(), this, [this] { return exportSpec(); });
    controls->addWidget(new QLabel(tr("Sensitive column")));
    controls->addWidget(m_column, 1);
    controls->addWidget(new QLabel(tr("Threshold")));
    controls->addWidget(m_threshold);
    controls->addWidget(m_exportButton);
    contentLayout->addLayout(controls);
    m_summary = new QLabel;
    m_summary->setObjectName("fairnessSummary");
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    contentLayout->addWidget(m_summary);
    auto* split = new QSplitter(Qt::Horizontal);
    m_chart = new InteractiveChartView;
    m_chart->setMinimumHeight(240); // one row per group plus axis and legend stay readable in the lower tab
    m_table = new QTableWidget(0, 6);
    m_table->setObjectName("fairnessGroups");
    m_table->setHorizontalHeaderLabels({tr("group"), tr("n"), tr("selection rate [95% CI]"),
                                        tr("TPR [95% CI]"), tr("FPR [95% CI]"), tr("precision [95% CI]")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    split->addWidget(m_chart);
    split->addWidget(m_table);
    split->setSizes({450, 550});
    contentLayout->addWidget(split, 1);
    m_stack->addWidget(content);
    layout->addWidget(m_stack);

    connect(m_column, &QComboBox::currentIndexChanged, this, [this] { startCompute(); });
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, [this] { startCompute(); });
}

FairnessPanel::~FairnessPanel() = default; // m_compute waits for a running computation

void FairnessPanel::setSource(std::shared_ptr<const LoadedSliceSet> set, const QString& label) {
    const bool usable = set && set->error.empty() && !set->eval.multiclass && set->eval.rows() > 0;
    m_set = usable ? std::move(set) : nullptr;
    m_label = label;
    const QString previous = m_column->currentText();
    {
        const QSignalBlocker block(m_column);
        m_column->clear();
        if (m_set)
            for (const auto& c : m_set->featureColumns())
                m_column->addItem(QString::fromStdString(c));
        m_column->setCurrentIndex(std::max(m_column->findText(previous), 0));
    }
    m_threshold->setEnabled(m_set && m_set->eval.predictions.empty());
    m_stack->setCurrentIndex(m_set && m_column->count() > 0 ? 1 : 0);
    startCompute();
}

bool FairnessPanel::showsHint() const {
    return m_stack->currentIndex() == 0;
}

void FairnessPanel::startCompute() {
    if (!m_compute.mayStart()) return;
    if (!m_set || m_column->count() == 0) {
        m_result = {};
        showResult();
        return;
    }
    m_compute.run(compute, m_set, m_column->currentText(), m_threshold->value());
}

QChart* FairnessPanel::buildChart() const {
    if (!m_result.report) return nullptr;
    const auto& r = *m_result.report;
    DotChartInput input;
    input.title = tr("Rates by %1: %2").arg(m_result.column, m_label);
    input.title += tr(" (whiskers: Wilson 95%)");
    input.valueTitle = tr("rate (%)");
    input.percent = true;
    DotChartSeries selection{tr("selection rate"), runColor(0), {}, {}, {}, {}, {}};
    DotChartSeries tpr{tr("TPR"), runColor(1), {}, {}, {}, {}, {}};
    DotChartSeries fpr{tr("FPR"), runColor(2), {}, {}, {}, {}, {}};
    const double nan = std::nan("");
    auto add = [&](DotChartSeries& s, double v, const stats::Interval& ci, bool defined) {
        s.value.push_back(defined ? 100 * v : nan);
        s.low.push_back(defined ? 100 * ci.low : nan);
        s.high.push_back(defined ? 100 * ci.high : nan);
    };
    for (const auto& g : r.groups) {
        input.rows << QString::fromStdString(g.group) + QString(" (n %1)").arg(g.n);
        add(selection, g.selectionRate, g.selectionCi, true);
        add(tpr, g.tpr, g.tprCi, g.tprDefined);
        add(fpr, g.fpr, g.fprCi, g.fprDefined);
    }
    input.series = {selection, tpr, fpr};
    return buildIntervalDotChart(input);
}

void FairnessPanel::showResult() {
    m_exportButton->setEnabled(m_result.report.has_value());
    m_table->setRowCount(0);
    if (!m_result.report) {
        m_summary->setText(m_result.error);
        m_chart->replaceChart(new QChart);
        return;
    }
    const auto& r = *m_result.report;
    m_summary->setText(
        tr("Demographic parity: difference %1, ratio %2 · equalized odds: difference %3, ratio "
           "%4 · severity %5. %6")
            .arg(formatMetric(r.demographicParityDifference, 3), formatMetric(r.demographicParityRatio, 3),
                 formatMetric(r.equalizedOddsDifference, 3), formatMetric(r.equalizedOddsRatio, 3),
                 QString::fromUtf8(fairnessSeverityName(r.severity).data()),
                 QString::fromStdString(r.sentence)));
    m_table->setRowCount(int(r.groups.size()));
    for (int i = 0; i < int(r.groups.size()); ++i) {
        const auto& g = r.groups[std::size_t(i)];
        const QStringList cells{QString::fromStdString(g.group),
                                QString::number(g.n),
                                rateText(g.selectionRate, g.selectionCi, true),
                                rateText(g.tpr, g.tprCi, g.tprDefined),
                                rateText(g.fpr, g.fprCi, g.fprDefined),
                                rateText(g.precision, g.precisionCi, g.precisionDefined)};
        for (int c = 0; c < cells.size(); ++c)
            m_table->setItem(i, c, new QTableWidgetItem(cells[c]));
    }
    m_chart->replaceChart(buildChart());
}

QString FairnessPanel::groupsCsv() const {
    QString csv = "group,n,selection_rate,selection_ci_low,selection_ci_high,tpr,tpr_ci_low,tpr_ci_high,fpr,"
                  "fpr_ci_low,fpr_ci_high,precision,precision_ci_low,precision_ci_high\n";
    if (!m_result.report) return csv;
    for (const auto& g : m_result.report->groups) {
        auto rate = [](double v, const stats::Interval& ci, bool defined) {
            return defined ? QStringList{csvNumber(v), csvNumber(ci.low), csvNumber(ci.high)}.join(',')
                           : QStringLiteral(",,");
        };
        csv += QStringList{csvField(QString::fromStdString(g.group)),
                           QString::number(g.n),
                           rate(g.selectionRate, g.selectionCi, true),
                           rate(g.tpr, g.tprCi, g.tprDefined),
                           rate(g.fpr, g.fprCi, g.fprDefined),
                           rate(g.precision, g.precisionCi, g.precisionDefined)}
                   .join(',') +
               '\n';
    }
    return csv;
}

ChartExportSpec FairnessPanel::exportSpec() const {
    ChartExportSpec spec;
    spec.baseName = QStringLiteral("disparity");
    spec.buildChart = [this] { return buildChart(); };
    spec.csv.push_back({tr("Groups as CSV…"), [this] { return groupsCsv(); }});
    return spec;
}

bool FairnessPanel::exportImage(const QString& path, QString* error) const {
    return exportShownImage(m_result.report.has_value(), exportSpec(),
                            QStringLiteral("no disparity chart to export"), path, error);
}

} // namespace runlens::ui
