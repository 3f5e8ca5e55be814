// Confusion tab: the report comes from core/analysis/multiclass_report (off the GUI thread); the matrix is a
// shaded table so a click names its cell, whose examples are listed from the prediction table.
#include "ui/confusion/confusion_view.h"

#include "core/store/workspace.h"
#include "ui/confusion/confusion_chart.h"
#include "ui/context/view_context.h"
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
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

namespace {

ConfusionViewResult compute(EvaluationEntry entry) {
    ConfusionViewResult out;
    const auto& e = *entry.set;
    // core's predicted classes and probability rows, as `runlens confusion` reads them.
    out.predictions = predictedClasses(e);
    const std::vector<double> probs = classProbabilityRows(e);
    out.report = multiclassReport(e.labels, out.predictions, probs, e.classCount());
    out.entry = std::move(entry);
    return out;
}

} // namespace

ConfusionView::ConfusionView(ViewContext* context, QWidget* parent)
    : QWidget(parent), m_context(context),
      m_compute(
          this, &m_result, [this] { startCompute(); }, [this] { showResult(); }) {
    buildUi();
    followVisibleEvaluations(context, this, m_source, [this] { reloadEntries(); });
}

ConfusionView::~ConfusionView() = default; // m_compute waits for a running computation

void ConfusionView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget;
    auto* hint = new QLabel(EvaluationSource::emptyHint());
    hint->setObjectName("confusionEmptyHint");
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    m_stack->addWidget(hint);
    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    auto* controls = new QHBoxLayout;
    m_set = new QComboBox;
    m_normalize = new QComboBox;
    m_normalize->addItems({tr("counts"), tr("row shares (recall)"), tr("column shares (precision)")});
    auto* exportButton = m_exportButton = newExportButton(
        tr("Export the matrix as PNG, SVG or PDF, or as CSV"), this, [this] { return exportSpec(); });
    controls->addWidget(new QLabel(tr("Evaluation set")));
    controls->addWidget(m_set, 1);
    controls->addWidget(new QLabel(tr("Show")));
    controls->addWidget(m_normalize);
    controls->addWidget(exportButton);
    contentLayout->addLayout(controls);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setObjectName("confusionSummary");
    contentLayout->addWidget(m_summary);
    auto* split = new QSplitter(Qt::Vertical);
    auto* top = new QSplitter(Qt::Horizontal);
    m_matrix = new QTableWidget;
    m_matrix->setObjectName("confusionMatrix");
    m_matrix->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_matrix->setToolTip(
        tr("Rows: true class; columns: predicted class. Click a cell to list its examples."));
    m_perClass = new QTableWidget(0, 4);
    m_perClass->setObjectName("confusionPerClass");
    m_perClass->setHorizontalHeaderLabels({tr("precision"), tr("recall"), tr("F1"), tr("support")});
    m_perClass->setEditTriggers(QAbstractItemView::NoEditTriggers);
    top->addWidget(m_matrix);
    top->addWidget(m_perClass);
    m_examples = new QTableWidget;
    m_examples->setObjectName("confusionExamples");
    m_examples->setEditTriggers(QAbstractItemView::NoEditTriggers);
    split->addWidget(top);
    split->addWidget(m_examples);
    contentLayout->addWidget(split, 1);
    m_stack->addWidget(content);
    layout->addWidget(m_stack);
    connect(m_set, &QComboBox::currentIndexChanged, this, [this] { startCompute(); });
    connect(m_normalize, &QComboBox::currentIndexChanged, this, [this] { showResult(); });
    connect(m_matrix, &QTableWidget::cellClicked, this, &ConfusionView::selectCell);
}

void ConfusionView::reloadEntries() {
    m_entries.clear();
    for (auto& entry : m_source.list(*m_context->runModel()))
        if (m_source.load(entry) && entry.set && entry.set->rows() > 0) m_entries.push_back(entry);
    QStringList labels;
    for (const auto& e : m_entries)
        labels << e.label();
    refillCombo(m_set, labels);
    m_stack->setCurrentIndex(m_entries.empty() ? 0 : 1);
    startCompute();
}

void ConfusionView::startCompute() {
    if (!m_compute.mayStart()) return;
    const int index = m_set->currentIndex();
    if (index < 0 || std::size_t(index) >= m_entries.size()) {
        m_result = {};
        showResult();
        return;
    }
    m_compute.run([entry = m_entries[std::size_t(index)]] { return compute(entry); });
}

bool ConfusionView::showsEmptyState() const {
    return m_stack->currentIndex() == 0;
}

ConfusionNormalization ConfusionView::normalization() const {
    switch (m_normalize->currentIndex()) {
    case 1:
        return ConfusionNormalization::True;
    case 2:
        return ConfusionNormalization::Pred;
    default:
        return ConfusionNormalization::None;
    }
}

void ConfusionView::setNormalization(ConfusionNormalization n) {
    m_normalize->setCurrentIndex(n == ConfusionNormalization::True   ? 1
                                 : n == ConfusionNormalization::Pred ? 2
                                                                     : 0);
}

void ConfusionView::showResult() {
    m_exportButton->setEnabled(m_result.entry.set != nullptr); // an export of nothing would fail or crash
    const auto& r = m_result.report;
    const std::size_t k = r.classes;
    m_examples->clear();
    m_examples->setRowCount(0);
    m_examples->setColumnCount(0);
    m_matrix->setRowCount(int(k));
    m_matrix->setColumnCount(int(k));
    m_perClass->setRowCount(int(k));
    if (!m_result.entry.set) {
        m_summary->clear();
        return;
    }
    QStringList names;
    for (const auto& c : m_result.entry.set->classes)
        names << QString::fromStdString(c);
    m_matrix->setHorizontalHeaderLabels(names);
    m_matrix->setVerticalHeaderLabels(names);
    m_perClass->setVerticalHeaderLabels(names);
    const auto shown = normalizedConfusion(r.confusion, k, normalization());
    const double top = shown.empty() ? 0 : *std::max_element(shown.begin(), shown.end());
    for (std::size_t t = 0; t < k; ++t) {
        for (std::size_t p = 0; p < k; ++p) {
            const double v = shown[t * k + p];
            auto* item = new QTableWidgetItem(normalization() == ConfusionNormalization::None
                                                  ? QString::number(r.confusion[t * k + p])
                                                  : QString::number(v, 'f', 2));
            const double share = top > 0 ? v / top : 0;
            const QColor shade(31, 119, 180, int(15 + 220 * share));
            item->setBackground(shade);
            // The text colour is chosen against the shade as drawn over the table's base (dark on a dark
            // desktop theme), so the count stays readable in both.
            const QColor base = m_matrix->palette().color(QPalette::Base);
            const double alpha = shade.alphaF();
            const double drawn = alpha * QColor(31, 119, 180).lightnessF() + (1 - alpha) * base.lightnessF();
            item->setForeground(drawn < 0.5 ? Qt::white : Qt::black);
            item->setTextAlignment(Qt::AlignCenter);
            m_matrix->setItem(int(t), int(p), item);
        }
        const auto& row = r.perClass[t];
        const QString cells[] = {formatMetric(row.precision), formatMetric(row.recall), formatMetric(row.f1),
                                 QString::number(row.support)};
        for (int c = 0; c < 4; ++c)
            m_perClass->setItem(int(t), c, new QTableWidgetItem(cells[c]));
    }
    QString summary = tr("%1: %2 examples. Accuracy %3, balanced accuracy %4, Cohen's kappa %5; macro F1 %6, "
                         "weighted F1 %7.")
                          .arg(m_result.entry.label())
                          .arg(r.n)
                          .arg(formatMetric(r.accuracy), formatMetric(r.balancedAccuracy),
                               formatMetric(r.kappa), formatMetric(r.macro.f1), formatMetric(r.weighted.f1));
    if (std::isfinite(r.macroAuc))
        summary += tr(" One-vs-rest ROC AUC, macro: %1.").arg(formatMetric(r.macroAuc));
    if (r.topK.size() >= 2) summary += tr(" Top-2 accuracy %1.").arg(formatMetric(r.topK[1]));
    m_summary->setText(summary);
}

void ConfusionView::selectCell(int trueClass, int predictedClass) {
    if (!m_result.entry.set || !m_result.entry.table) return;
    const auto rows =
        cellExamples(m_result.entry.set->labels, m_result.predictions, trueClass, predictedClass);
    const auto& table = *m_result.entry.table;
    std::vector<const PredictionColumn*> columns;
    QStringList headers{tr("row")};
    for (const auto& c : table.columns)
        if (c.role == ColumnRole::Id || c.role == ColumnRole::Feature) {
            columns.push_back(&c);
            headers << QString::fromStdString(c.name);
        }
    m_examples->clear();
    m_examples->setColumnCount(int(headers.size()));
    m_examples->setHorizontalHeaderLabels(headers);
    m_examples->setRowCount(int(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        m_examples->setItem(int(i), 0, new QTableWidgetItem(QString::number(rows[i] + 1)));
        for (std::size_t c = 0; c < columns.size(); ++c)
            m_examples->setItem(int(i), int(c + 1),
                                new QTableWidgetItem(QString::fromStdString(cellText(*columns[c], rows[i]))));
    }
}

int ConfusionView::listedExamples() const {
    return m_examples->rowCount();
}

QString ConfusionView::matrixCsv() const {
    const auto& r = m_result.report;
    if (!m_result.entry.set) return {};
    const auto& classes = m_result.entry.set->classes;
    QString csv = "true\\predicted";
    for (const auto& c : classes)
        csv += ",\"" + QString::fromStdString(c) + "\"";
    csv += '\n';
    for (std::size_t t = 0; t < r.classes; ++t) {
        csv += "\"" + QString::fromStdString(classes[t]) + "\"";
        for (std::size_t p = 0; p < r.classes; ++p)
            csv += ',' + QString::number(r.confusion[t * r.classes + p]);
        csv += '\n';
    }
    return csv;
}

ChartExportSpec ConfusionView::exportSpec() const {
    ChartExportSpec spec;
    spec.baseName = QStringLiteral("confusion");
    spec.buildChart = [this]() -> QChart* {
        ConfusionChartInput input;
        for (const auto& c : m_result.entry.set->classes)
            input.classes << QString::fromStdString(c);
        input.counts = m_result.report.confusion;
        input.shown =
            normalizedConfusion(m_result.report.confusion, m_result.report.classes, normalization());
        input.fractions = normalization() != ConfusionNormalization::None;
        return buildConfusionChart(input, tr("Confusion matrix of %1").arg(m_result.entry.label()));
    };
    spec.csv.push_back({tr("Matrix as CSV…"), [this] { return matrixCsv(); }});
    return spec;
}

bool ConfusionView::exportImage(const QString& path, QString* error) const {
    return exportShownImage(m_result.entry.set != nullptr, exportSpec(),
                            QStringLiteral("no confusion matrix to export"), path, error);
}

} // namespace runlens::ui
