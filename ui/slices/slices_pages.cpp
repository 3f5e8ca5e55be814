// The Slices tab's pages: the controls, the slice table and chart, the finder's and the changes' pages and
// the disparity panel, laid out with their widgets (split from slices_view.cpp, which follows the workspace
// and runs the jobs).
#include "ui/charts/interactive_chart_view.h"
#include "ui/common/flow_layout.h"
#include "ui/slices/fairness_panel.h"
#include "ui/slices/slices_text.h"
#include "ui/slices/slices_view.h"

#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace runlens::ui {

using namespace slices_text;

namespace {

QTableWidget* newTable(QWidget* parent) {
    auto* table = new QTableWidget(parent);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setSortingEnabled(true);
    table->setTabKeyNavigation(false); // Tab moves to the next control, arrows move inside the table
    return table;
}

} // namespace

void SlicesView::buildUi() {
    m_stack = new QStackedWidget(this);
    m_emptyHint = new QLabel(m_stack);
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setMargin(24);
    m_stack->addWidget(m_emptyHint);

    auto* content = new QWidget(m_stack);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildControls());
    m_banner = new QLabel(content);
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setAccessibleName(tr("Simpson verdict"));
    layout->addWidget(m_banner);
    m_status = new QLabel(content);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto* vertical = new QSplitter(Qt::Vertical, content);
    vertical->addWidget(buildSlicesPage());
    auto* lower = new QTabWidget(vertical);
    lower->addTab(buildFinderPage(), tr("Slice finder"));
    lower->addTab(buildChangesPage(), tr("Regressed slices A→B"));
    m_fairness = new FairnessPanel(lower);
    lower->addTab(m_fairness, tr("Disparity"));
    vertical->addWidget(lower);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    layout->addWidget(vertical, 1);
    m_stack->addWidget(content);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);
}

QWidget* SlicesView::buildControls() {
    auto* box = new QWidget(this);
    // The controls wrap at the page's width instead of making a laptop-sized window scroll sideways.
    auto* flow = new FlowLayout(box);
    auto addPair = [&](const QString& text, QWidget* field) { flow->addField(text, field); };
    m_setCombo = new QComboBox(box);
    m_setCombo->setToolTip(tr("Evaluation set (prediction table) the visible runs share"));
    m_compareCombo = new QComboBox(box);
    m_compareCombo->setToolTip(
        tr("Cohorts: the visible runs having the set, or the values of a column of the "
           "source run's set"));
    m_sourceRunCombo = new QComboBox(box);
    m_sourceRunCombo->setToolTip(tr("Run whose set is split by a column and searched by the slice finder"));
    m_metricCombo = new QComboBox(box);
    const SliceMetric metrics[] = {SliceMetric::Accuracy,  SliceMetric::ErrorRate, SliceMetric::PositiveRate,
                                   SliceMetric::Precision, SliceMetric::Recall,    SliceMetric::F1,
                                   SliceMetric::Auc,       SliceMetric::LogLoss,   SliceMetric::Brier,
                                   SliceMetric::MeanScore};
    for (SliceMetric m : metrics)
        m_metricCombo->addItem(metricLabel(m), int(m));
    addPair(tr("&Set"), m_setCombo);
    addPair(tr("Co&mpare"), m_compareCombo);
    addPair(tr("Source &run"), m_sourceRunCombo);
    addPair(tr("Me&tric"), m_metricCombo);

    for (int i = 0; i < 3; ++i) {
        m_featureCombos[i] = new QComboBox(box);
        m_featureCombos[i]->setMinimumContentsLength(10);
        m_featureCombos[i]->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        addPair(i == 0 ? tr("Slice &by") : tr("then by"), m_featureCombos[i]);
    }
    m_bucketsSpin = new QSpinBox(box);
    m_bucketsSpin->setRange(1, 100);
    m_bucketsSpin->setValue(4);
    m_bucketsSpin->setToolTip(tr("Quantile buckets for numeric features without typed edges"));
    addPair(tr("B&uckets"), m_bucketsSpin);

    m_edgesEdit = new QLineEdit(box);
    m_edgesEdit->setPlaceholderText(tr("typed edges, e.g. age: 0, 18, 65, 120"));
    m_edgesEdit->setClearButtonEnabled(true);
    m_edgesEdit->setMinimumWidth(260); // room for the placeholder's example
    addPair(tr("Edges"), m_edgesEdit);
    m_minNSpin = new QSpinBox(box);
    m_minNSpin->setRange(1, 1000000000);
    m_minNSpin->setValue(10);
    m_minNSpin->setToolTip(tr("A slice is compared when every cohort has at least this many examples"));
    addPair(tr("Min &n"), m_minNSpin);
    m_seedSpin = new QSpinBox(box);
    m_seedSpin->setRange(0, 2147483647);
    m_seedSpin->setValue(20261126);
    m_seedSpin->setToolTip(tr("Seed of the bootstrap intervals (non-rate metrics)"));
    addPair(tr("S&eed"), m_seedSpin);
    return box;
}

QWidget* SlicesView::buildSlicesPage() {
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_sliceTable = newTable(left);
    m_sliceTable->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_sliceTable, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        menu.addAction(tr("Export data as CSV…"), this, &SlicesView::exportCsvInteractive);
        menu.exec(m_sliceTable->viewport()->mapToGlobal(pos));
    });
    leftLayout->addWidget(m_sliceTable, 1);
    m_overall = new QLabel(left);
    m_overall->setWordWrap(true);
    m_overall->setTextInteractionFlags(Qt::TextSelectableByMouse);
    leftLayout->addWidget(m_overall);

    auto* right = new QWidget(splitter);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_exportButton = new QToolButton(right);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_exportButton);
    menu->addAction(tr("Chart as PNG…"), this, [this] { exportChartInteractive(QStringLiteral("png")); });
    menu->addAction(tr("Chart as SVG…"), this, [this] { exportChartInteractive(QStringLiteral("svg")); });
    menu->addAction(tr("Chart as PDF…"), this, [this] { exportChartInteractive(QStringLiteral("pdf")); });
    menu->addSeparator();
    menu->addAction(tr("Data as CSV…"), this, &SlicesView::exportCsvInteractive);
    m_exportButton->setMenu(menu);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addStretch(1);
    buttonRow->addWidget(m_exportButton);
    rightLayout->addLayout(buttonRow);
    m_chartView = new InteractiveChartView(right);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->replaceChart(new QChart);
    m_chartView->setMinimumSize(320, 240);
    rightLayout->addWidget(m_chartView, 1);
    splitter->addWidget(left);
    splitter->addWidget(right);
    // The table carries five columns per cohort, so it gets a little more of the width.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({550, 450});
    return splitter;
}

QWidget* SlicesView::buildFinderPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* row = new QHBoxLayout;
    m_alphaSpin = new QDoubleSpinBox(page);
    m_alphaSpin->setRange(0.01, 0.99);
    m_alphaSpin->setSingleStep(0.05);
    m_alphaSpin->setDecimals(2);
    m_alphaSpin->setValue(0.5);
    m_alphaSpin->setToolTip(tr("SliceLine's weight between the slice's error and its size"));
    m_minSupportSpin = new QSpinBox(page);
    m_minSupportSpin->setRange(1, 1000000000);
    m_minSupportSpin->setValue(32);
    m_maxFeaturesSpin = new QSpinBox(page);
    m_maxFeaturesSpin->setRange(1, 3);
    m_maxFeaturesSpin->setValue(3);
    auto addField = [&](const QString& text, QWidget* field) {
        auto* label = new QLabel(text, page);
        label->setBuddy(field);
        row->addWidget(label);
        row->addWidget(field);
    };
    addField(tr("&Alpha"), m_alphaSpin);
    addField(tr("Min su&pport"), m_minSupportSpin);
    addField(tr("Max &features"), m_maxFeaturesSpin);
    m_finderStatus = new QLabel(page);
    m_finderStatus->setWordWrap(true);
    row->addWidget(m_finderStatus, 1);
    layout->addLayout(row);
    m_finderTable = newTable(page);
    m_finderTable->setColumnCount(8);
    m_finderTable->setHorizontalHeaderLabels({tr("Slice"), tr("n"), tr("Error rate"), tr("Rest error rate"),
                                              tr("Effect size (h)"), tr("p"), tr("q (BH)"), tr("Score")});
    layout->addWidget(m_finderTable, 1);
    return page;
}

QWidget* SlicesView::buildChangesPage() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* row = new QHBoxLayout;
    m_runACombo = new QComboBox(page);
    m_runBCombo = new QComboBox(page);
    auto* labelA = new QLabel(tr("Run &A"), page);
    labelA->setBuddy(m_runACombo);
    auto* labelB = new QLabel(tr("Run &B"), page);
    labelB->setBuddy(m_runBCombo);
    row->addWidget(labelA);
    row->addWidget(m_runACombo);
    row->addWidget(labelB);
    row->addWidget(m_runBCombo);
    m_changesStatus = new QLabel(page);
    m_changesStatus->setWordWrap(true);
    row->addWidget(m_changesStatus, 1);
    layout->addLayout(row);
    m_changesTable = newTable(page);
    m_changesTable->setColumnCount(7);
    m_changesTable->setHorizontalHeaderLabels({tr("Slice"), tr("n"), tr("Accuracy A"), tr("Accuracy B"),
                                               tr("Δ (B − A)"), tr("p (McNemar)"), tr("q (BH)")});
    layout->addWidget(m_changesTable, 1);
    return page;
}

} // namespace runlens::ui
