// Curves tab: builds one card per tag, refreshes only the cards inside the viewport, caches read series.
#include "ui/curves_view.h"

#include "core/store/workspace.h"
#include "ui/chart_card.h"
#include "ui/run_table_model.h"

#include <cmath>
#include <exception>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace runlens::ui {
namespace {

constexpr int kMinCardWidth = 440;
constexpr int kMaxColumns = 4;

} // namespace

CurvesView::CurvesView(RunTableModel* runs, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_slider(new QSlider(Qt::Horizontal)), m_spin(new QDoubleSpinBox),
      m_smoother(new QComboBox), m_xAxis(new QComboBox), m_logY(new QCheckBox(tr("Log y"))),
      m_robustY(new QCheckBox(tr("Robust y"))), m_showRaw(new QCheckBox(tr("Raw"))),
      m_tagFilter(new QLineEdit), m_stack(new QStackedWidget), m_emptyLabel(new QLabel),
      m_scroll(new QScrollArea), m_grid(new QWidget), m_gridLayout(new QGridLayout(m_grid)) {
    setObjectName(QStringLiteral("curvesView"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setTextFormat(Qt::RichText);
    m_emptyLabel->setObjectName(QStringLiteral("curvesEmptyHint"));

    m_gridLayout->setContentsMargins(6, 6, 6, 6);
    m_gridLayout->setSpacing(8);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidget(m_grid);
    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(m_scroll);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(buildToolbar());
    layout->addWidget(m_stack, 1);

    connect(m_scroll->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &CurvesView::scheduleVisibleRefresh);
    connect(m_runs, &RunTableModel::visibilityChanged, this, &CurvesView::onVisibilityChanged);
    connect(m_runs, &QAbstractItemModel::modelReset, this, &CurvesView::rebuildCards);
    setDisplay(m_display);
    rebuildCards();
}

QWidget* CurvesView::buildToolbar() {
    auto* bar = new QWidget;
    bar->setObjectName(QStringLiteral("curvesToolbar"));
    m_slider->setObjectName(QStringLiteral("smoothingSlider"));
    m_slider->setRange(0, kSliderSteps);
    m_slider->setMinimumWidth(110);
    m_slider->setToolTip(tr("Smoothing weight (0 = off)"));
    m_spin->setRange(0.0, 0.999);
    m_spin->setDecimals(3);
    m_spin->setSingleStep(0.01);
    m_smoother->addItem(tr("EMA"), QStringLiteral("ema"));
    m_smoother->addItem(tr("Time-weighted EMA"), QStringLiteral("twema"));
    m_smoother->addItem(tr("Gaussian"), QStringLiteral("gaussian"));
    m_smoother->addItem(tr("Running average"), QStringLiteral("average"));
    m_smoother->setToolTip(tr("Smoother"));
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
    m_tagFilter->setMinimumWidth(140);

    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(6, 4, 6, 4);
    row->addWidget(new QLabel(tr("Smoothing")));
    row->addWidget(m_slider, 1);
    row->addWidget(m_spin);
    row->addWidget(m_smoother);
    row->addSpacing(6);
    row->addWidget(new QLabel(tr("X")));
    row->addWidget(m_xAxis);
    row->addSpacing(6);
    row->addWidget(m_logY);
    row->addWidget(m_robustY);
    row->addWidget(m_showRaw);
    row->addSpacing(6);
    row->addWidget(m_tagFilter, 1);

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
    for (QCheckBox* box : {m_logY, m_robustY, m_showRaw})
        connect(box, &QCheckBox::toggled, this, &CurvesView::onDisplayEdited);
    connect(m_tagFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        const QRegularExpression regex(text, QRegularExpression::CaseInsensitiveOption);
        m_tagFilter->setStyleSheet(regex.isValid() ? QString() : QStringLiteral("color: #c0392b;"));
        m_tagFilter->setToolTip(regex.isValid() ? QString() : regex.errorString());
        if (regex.isValid()) rebuildCards();
    });
    return bar;
}

void CurvesView::setDisplay(const CurveDisplay& display) {
    m_display = display;
    m_updatingControls = true;
    m_slider->setValue(static_cast<int>(std::lround(display.smoothing * 1000.0)));
    m_spin->setValue(display.smoothing);
    m_smoother->setCurrentIndex(std::max(0, m_smoother->findData(display.smoother)));
    m_xAxis->setCurrentIndex(std::max(0, m_xAxis->findData(display.xAxis)));
    m_logY->setChecked(display.logY);
    m_robustY->setChecked(display.robustY);
    m_showRaw->setChecked(display.showRaw);
    m_updatingControls = false;
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
    for (ChartCard* card : m_cards)
        card->setDisplay(m_display);
    // Drawn at once (not deferred) so the slider feels live; off-screen cards catch up when scrolled to.
    refreshVisibleCards();
    emit displayChanged(m_display);
}

void CurvesView::setWorkspace(Workspace* workspace) {
    m_workspace = workspace;
    m_cache.clear();
    rebuildCards();
}

void CurvesView::reload() {
    m_cache.clear();
    rebuildCards();
}

void CurvesView::onVisibilityChanged() {
    for (ChartCard* card : m_cards)
        card->invalidateData();
    updateEmptyState();
    scheduleVisibleRefresh();
}

std::vector<CardRun> CurvesView::runsForTag(const QString& tag) {
    std::vector<CardRun> out;
    if (!m_workspace) return out;
    const std::string key = tag.toStdString();
    for (const RunInfo* run : m_runs->visibleRuns()) {
        const bool hasTag = std::any_of(run->series.begin(), run->series.end(),
                                        [&](const SeriesSummary& summary) { return summary.tag == key; });
        if (!hasTag) continue;
        auto cached = m_cache.find({run->id, key});
        if (cached == m_cache.end()) {
            try {
                auto data = std::make_shared<const SeriesData>(m_workspace->readSeries(run->id, key));
                cached = m_cache.emplace(std::make_pair(run->id, key), std::move(data)).first;
            } catch (const std::exception&) {
                continue; // an unreadable series leaves its run out of this card rather than failing the view
            }
        }
        out.push_back({QString::fromStdString(run->name), m_runs->colorOf(run->id), cached->second});
    }
    return out;
}

void CurvesView::rebuildCards() {
    qDeleteAll(m_cards);
    m_cards.clear();
    const QRegularExpression filter(m_tagFilter->text(), QRegularExpression::CaseInsensitiveOption);
    if (m_workspace) {
        for (const QString& tag : m_runs->metricTags()) {
            if (filter.isValid() && !filter.match(tag).hasMatch()) continue;
            auto* card = new ChartCard(
                tag, [this](const QString& t) { return runsForTag(t); }, m_display, m_grid);
            m_cards.append(card);
        }
    }
    m_columns = 0;
    relayoutCards();
    updateEmptyState();
    scheduleVisibleRefresh();
}

int CurvesView::columnsForWidth() const {
    const int width = m_scroll->viewport()->width();
    return std::clamp(width / kMinCardWidth, 1, kMaxColumns);
}

void CurvesView::relayoutCards() {
    const int columns = columnsForWidth();
    if (columns == m_columns && m_gridLayout->count() == m_cards.size()) return;
    m_columns = columns;
    while (QLayoutItem* item = m_gridLayout->takeAt(0))
        delete item;
    for (int i = 0; i < m_cards.size(); ++i)
        m_gridLayout->addWidget(m_cards[i], i / columns, i % columns);
    for (int c = 0; c < kMaxColumns; ++c)
        m_gridLayout->setColumnStretch(c, c < columns ? 1 : 0);
    // A stretch row below the cards keeps them at their fixed height when there are few of them.
    const int lastRow = (static_cast<int>(m_cards.size()) + columns - 1) / columns;
    for (int r = 0; r <= lastRow; ++r)
        m_gridLayout->setRowStretch(r, r == lastRow ? 1 : 0);
}

void CurvesView::updateEmptyState() {
    QString hint;
    if (!m_workspace || m_runs->rowCount() == 0) {
        hint =
            tr("<p style='font-size:large'><b>Drop log files or folders here, or use File &gt; Import</b></p>"
               "<p>TensorBoard event files, MLflow runs, Lightning, Keras, Hugging Face, DVCLive, W&amp;B "
               "exports and plain CSV / JSONL logs are recognised.</p>");
    } else if (m_runs->metricTags().isEmpty()) {
        hint = tr("<p style='font-size:large'><b>These runs have no scalar metrics</b></p>"
                  "<p>Drop more log files or folders here to add curves.</p>");
    } else if (m_cards.isEmpty()) {
        hint = tr("<p style='font-size:large'><b>No metric matches the filter</b></p>"
                  "<p>Clear or change the metric filter above.</p>");
    } else if (m_runs->visibleRuns().empty()) {
        hint = tr("<p style='font-size:large'><b>All runs are hidden</b></p>"
                  "<p>Tick runs in the run table to draw their curves.</p>");
    }
    m_emptyLabel->setText(hint);
    m_stack->setCurrentWidget(hint.isEmpty() ? static_cast<QWidget*>(m_scroll) : m_emptyLabel);
}

bool CurvesView::showsEmptyState() const {
    return m_stack->currentWidget() == m_emptyLabel;
}

void CurvesView::scheduleVisibleRefresh() {
    if (m_refreshScheduled) return;
    m_refreshScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_refreshScheduled = false;
        refreshVisibleCards();
    });
}

void CurvesView::refreshVisibleCards() {
    if (!isVisible() || showsEmptyState()) return;
    relayoutCards(); // the viewport has its final width only once shown
    const QRect viewport = m_scroll->viewport()->rect();
    for (ChartCard* card : m_cards) {
        const QRect area(card->mapTo(m_scroll->viewport(), QPoint(0, 0)), card->size());
        if (area.intersects(viewport)) card->refreshIfNeeded();
    }
}

void CurvesView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    relayoutCards();
    scheduleVisibleRefresh();
}

void CurvesView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    relayoutCards();
    scheduleVisibleRefresh();
}

QStringList CurvesView::exportAll(const QString& dir, QStringList* errors) {
    QStringList written;
    QDir().mkpath(dir);
    for (ChartCard* card : m_cards) {
        const QString base = QDir(dir).filePath(ChartCard::safeFileName(card->tag()));
        for (const QString& suffix : {QStringLiteral(".png"), QStringLiteral(".svg")}) {
            QString error;
            if (card->exportImage(base + suffix, &error))
                written << base + suffix;
            else if (errors)
                errors->append(error);
        }
        QString error;
        if (card->exportLongCsv(base + QStringLiteral(".csv"), &error))
            written << base + QStringLiteral(".csv");
        else if (errors)
            errors->append(error);
    }
    return written;
}

} // namespace runlens::ui
