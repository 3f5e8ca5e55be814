// Curves tab, the toolbar: smoothing, axes, grouping and tag controls, and the display they edit (split from
// curves_view.cpp, which builds and lays out the cards).
#include "ui/charts/chart_card.h"
#include "ui/common/flow_layout.h"
#include "ui/curves/curves_view.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <cmath>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSlider>
#include <QVBoxLayout>

namespace runlens::ui {

QWidget* CurvesView::buildToolbar() {
    auto* bar = new QWidget;
    bar->setObjectName(QStringLiteral("curvesToolbar"));
    m_slider->setObjectName(QStringLiteral("smoothingSlider"));
    m_slider->setRange(0, kSliderSteps);
    m_slider->setMinimumWidth(80); // the first row must fit beside the run panel on a 1024 px window
    m_slider->setToolTip(tr("Smoothing weight (0 = off)"));
    m_spin->setRange(0.0, 0.999);
    m_spin->setDecimals(3);
    m_spin->setSingleStep(0.01);
    m_smoother->addItem(tr("EMA"), QStringLiteral("ema"));
    m_smoother->addItem(tr("Time-weighted EMA"), QStringLiteral("twema"));
    m_smoother->addItem(tr("Gaussian"), QStringLiteral("gaussian"));
    m_smoother->addItem(tr("Running average"), QStringLiteral("average"));
    m_smoother->setToolTip(tr("Smoother"));
    // Sized for "Running", not "Time-weighted EMA" (shown elided; the list shows it whole): 50 px of the
    // first row, which has to fit a 1024 px window.
    m_smoother->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_smoother->setMinimumContentsLength(7);
    m_xAxis->addItem(tr("Step"), QStringLiteral("step"));
    m_xAxis->addItem(tr("Relative time"), QStringLiteral("relative"));
    m_xAxis->addItem(tr("Wall time"), QStringLiteral("wall"));
    m_xAxis->setToolTip(tr("Horizontal axis"));
    m_logY->setToolTip(tr("Logarithmic y axis (values <= 0 are not drawn)"));
    m_robustY->setToolTip(
        tr("Fit the y range to the 5th-95th percentile so outliers do not flatten the curves"));
    m_showRaw->setToolTip(tr("Draw the unsmoothed points faintly behind the smoothed curves"));
    m_tagFilter->setPlaceholderText(tr("Filter metrics (regex)"));
    m_tagFilter->setClearButtonEnabled(true);
    m_tagFilter->setObjectName(QStringLiteral("tagFilter"));
    m_tagFilter->setMinimumWidth(96);

    m_groupBy->setObjectName(QStringLiteral("groupBy"));
    m_groupBy->setToolTip(tr("Draw runs with the same value of a param (or the same name pattern match) as "
                             "one line with a band"));
    m_groupBy->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_groupPattern->setPlaceholderText(tr("name pattern, e.g. (.*)-seed\\d+"));
    m_groupPattern->setToolTip(tr("Runs whose names give the same first capture (or match) form one group"));
    m_groupPattern->setClearButtonEnabled(true);
    m_groupPattern->hide();
    m_center->addItem(tr("Mean"), QStringLiteral("mean"));
    m_center->addItem(tr("Median"), QStringLiteral("median"));
    m_center->setToolTip(tr("The group's centre line"));
    m_band->addItem(tr("± std"), QStringLiteral("std"));
    m_band->addItem(tr("± std. error"), QStringLiteral("stderr"));
    m_band->addItem(tr("95% CI"), QStringLiteral("ci95"));
    m_band->addItem(tr("Min–max"), QStringLiteral("minmax"));
    m_band->setToolTip(tr("The band around each group: spread of the runs (std, min-max) or uncertainty of "
                          "the mean (standard error, 95% t interval)"));
    m_showRunLines->setToolTip(tr("Also draw each member run thinly behind its group"));
    m_logX->setToolTip(tr("Logarithmic x axis (x <= 0 is not drawn)"));
    m_combineTags->setToolTip(tr("One card for tags that differ only by a train/val/test prefix or suffix "
                                 "(train/loss and val/loss; loss and val_loss): solid, dashed, dotted"));
    m_splitRestarts->setToolTip(
        tr("Where a series' step goes back (a restarted run), draw each attempt as its "
           "own line instead of merging them by step"));

    auto* rows = new QVBoxLayout(bar);
    rows->setContentsMargins(0, 0, 0, 0);
    rows->setSpacing(0);
    // Two logical rows that each wrap at the page's width, so the toolbar fits a laptop-sized window.
    auto* row = new FlowLayout;
    rows->addLayout(row);
    row->setContentsMargins(6, 4, 6, 2);
    m_slider->setMinimumWidth(120);
    row->addGroup({new QLabel(tr("Smoothing")), m_slider, m_spin, m_smoother});
    row->addGroup({new QLabel(tr("X")), m_xAxis});
    row->addGroup({m_logY, m_robustY, m_showRaw});
    m_tagFilter->setMinimumWidth(160);
    row->addWidget(m_tagFilter);

    auto* second = new FlowLayout;
    rows->addLayout(second);
    second->setContentsMargins(6, 0, 6, 4);
    second->addGroup(
        {new QLabel(tr("Group by")), m_groupBy, m_groupPattern, m_center, m_band, m_showRunLines});
    m_syncX = new QCheckBox(tr("Sync x"));
    m_syncX->setObjectName(QStringLiteral("syncX"));
    m_syncX->setToolTip(tr("Zooming or panning one chart shows the same x range on every chart"));
    connect(m_syncX, &QCheckBox::toggled, this, [this](bool on) {
        if (!on) m_syncedX.reset(); // each card keeps the range it has
    });
    second->addGroup({m_logX, m_combineTags, m_splitRestarts, m_syncX});

    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (m_updatingControls) return;
        m_updatingControls = true;
        m_spin->setValue(value / 1000.0);
        m_updatingControls = false;
        onDisplayEdited();
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (m_updatingControls) return;
        m_updatingControls = true;
        m_slider->setValue(static_cast<int>(std::lround(value * 1000.0)));
        m_updatingControls = false;
        onDisplayEdited();
    });
    connect(m_smoother, &QComboBox::currentIndexChanged, this, &CurvesView::onDisplayEdited);
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, &CurvesView::onDisplayEdited);
    for (QCheckBox* box :
         {m_logY, m_robustY, m_showRaw, m_logX, m_showRunLines, m_combineTags, m_splitRestarts})
        connect(box, &QCheckBox::toggled, this, &CurvesView::onDisplayEdited);
    for (QComboBox* box : {m_groupBy, m_center, m_band})
        connect(box, &QComboBox::currentIndexChanged, this, &CurvesView::onDisplayEdited);
    connect(m_groupPattern, &QLineEdit::editingFinished, this, &CurvesView::onDisplayEdited);
    connect(m_tagFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        const QRegularExpression regex(text, QRegularExpression::CaseInsensitiveOption);
        m_tagFilter->setStyleSheet(regex.isValid() ? QString() : QStringLiteral("color: #c0392b;"));
        m_tagFilter->setToolTip(regex.isValid() ? QString() : regex.errorString());
        if (regex.isValid()) rebuildCards();
    });
    return bar;
}

void CurvesView::setDisplay(const CurveDisplay& display) {
    const bool cardsChange = display.combineTags != m_display.combineTags;
    m_display = display;
    m_updatingControls = true;
    m_slider->setValue(static_cast<int>(std::lround(display.smoothing * 1000.0)));
    m_spin->setValue(display.smoothing);
    m_smoother->setCurrentIndex(std::max(0, m_smoother->findData(display.smoother)));
    m_xAxis->setCurrentIndex(std::max(0, m_xAxis->findData(display.xAxis)));
    m_logY->setChecked(display.logY);
    m_robustY->setChecked(display.robustY);
    m_showRaw->setChecked(display.showRaw);
    m_logX->setChecked(display.logX);
    const bool pattern = display.groupBy.startsWith(QStringLiteral("re:"));
    int groupIndex =
        pattern ? m_groupBy->findData(QStringLiteral("re:")) : m_groupBy->findData(display.groupBy);
    if (groupIndex < 0 && !display.groupBy.isEmpty()) { // a param of another workspace: keep the choice
        m_groupBy->addItem(display.groupBy, display.groupBy);
        groupIndex = m_groupBy->count() - 1;
    }
    m_groupBy->setCurrentIndex(std::max(0, groupIndex));
    m_groupPattern->setText(pattern ? display.groupBy.mid(3) : QString());
    m_groupPattern->setVisible(pattern);
    m_center->setCurrentIndex(std::max(0, m_center->findData(display.center)));
    m_band->setCurrentIndex(std::max(0, m_band->findData(display.band)));
    m_showRunLines->setChecked(display.showRunLines);
    m_combineTags->setChecked(display.combineTags);
    m_splitRestarts->setChecked(display.splitRestarts);
    const bool grouping = !display.groupBy.isEmpty();
    m_center->setEnabled(grouping);
    m_band->setEnabled(grouping);
    m_showRunLines->setEnabled(grouping);
    m_updatingControls = false;
    updateGroupColors();
    if (cardsChange) {
        rebuildCards();
        return;
    }
    for (ChartCard* card : m_cards)
        card->setDisplay(m_display);
    scheduleVisibleRefresh();
}

void CurvesView::onDisplayEdited() {
    if (m_updatingControls) return;
    m_display.smoothing = m_spin->value();
    m_display.smoother = m_smoother->currentData().toString();
    m_display.xAxis = m_xAxis->currentData().toString();
    m_display.logY = m_logY->isChecked();
    m_display.robustY = m_robustY->isChecked();
    m_display.showRaw = m_showRaw->isChecked();
    m_display.logX = m_logX->isChecked();
    const QString groupChoice = m_groupBy->currentData().toString();
    m_groupPattern->setVisible(groupChoice == QLatin1String("re:"));
    if (groupChoice == QLatin1String("re:"))
        m_display.groupBy =
            m_groupPattern->text().isEmpty() ? QString() : QStringLiteral("re:") + m_groupPattern->text();
    else
        m_display.groupBy = groupChoice;
    m_display.center = m_center->currentData().toString();
    m_display.band = m_band->currentData().toString();
    m_display.showRunLines = m_showRunLines->isChecked();
    const bool cardsChange = m_display.combineTags != m_combineTags->isChecked();
    m_display.combineTags = m_combineTags->isChecked();
    m_display.splitRestarts = m_splitRestarts->isChecked();
    const bool grouping = !m_display.groupBy.isEmpty();
    m_center->setEnabled(grouping);
    m_band->setEnabled(grouping);
    m_showRunLines->setEnabled(grouping);
    updateGroupColors();
    if (cardsChange) {
        rebuildCards();
        emit displayChanged(m_display);
        return;
    }
    for (ChartCard* card : m_cards)
        card->setDisplay(m_display);
    // Drawn at once (not deferred) so the slider feels live; off-screen cards catch up when scrolled to.
    refreshVisibleCards();
    emit displayChanged(m_display);
}

void CurvesView::refreshChoiceLists() {
    const QString group = m_display.groupBy;
    const QString xAxis = m_display.xAxis;
    m_updatingControls = true;
    m_groupBy->clear();
    m_groupBy->addItem(tr("None"), QString());
    for (const QString& key : m_runs->paramKeys())
        m_groupBy->addItem(key, key);
    m_groupBy->addItem(tr("Name pattern…"), QStringLiteral("re:"));
    while (m_xAxis->count() > 3)
        m_xAxis->removeItem(3);
    QStringList metrics;
    for (const QString& tag : m_runs->metricTags())
        if (workerOfTag(tag) < 0) metrics << tag;
    if (!metrics.isEmpty()) m_xAxis->insertSeparator(3);
    for (const QString& tag : metrics)
        m_xAxis->addItem(tr("By %1").arg(tag), QStringLiteral("metric:") + tag);
    m_updatingControls = false;
    // Restore the choices (setDisplay re-selects them, adding a param this workspace lacks).
    CurveDisplay display = m_display;
    display.groupBy = group;
    display.xAxis = m_xAxis->findData(xAxis) >= 0 ? xAxis : QStringLiteral("step");
    setDisplay(display);
}

} // namespace runlens::ui
