// Calibration tab, the recalibration preview page: its controls, the before/after diagrams and metrics, and
// the fitted mapping's export (split from calibration_view.cpp, which has the reliability page and computes).
#include "ui/calibration/calibration_parts.h"
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"

#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

using namespace calibration_parts;

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
    attachExportMenu(beforeExport, m_beforeChart, this, [this] { return recalibrationSpec(false); });
    attachExportMenu(afterExport, m_afterChart, this, [this] { return recalibrationSpec(true); });

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
