// Curves tab: builds one card per tag, lays them out in sections and refreshes only the cards inside the
// viewport; the toolbar is in curves_toolbar.cpp, the lines a card draws in curves_lines.cpp and the
// background reads of what the cards draw in curves_overviews.cpp.
#include "ui/curves/curves_view.h"

#include "core/analysis/curve_diagnostics.h"
#include "core/io/wandb_csv_reader.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_card.h"
#include "ui/context/settings.h"
#include "ui/runs/run_table_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
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
      m_logX(new QCheckBox(tr("Log x"))), m_groupBy(new QComboBox), m_groupPattern(new QLineEdit),
      m_center(new QComboBox), m_band(new QComboBox), m_showRunLines(new QCheckBox(tr("Member runs"))),
      m_combineTags(new QCheckBox(tr("Train/val together"))),
      m_splitRestarts(new QCheckBox(tr("Split restarts"))), m_tagFilter(new QLineEdit),
      m_stack(new QStackedWidget), m_emptyLabel(new QLabel), m_damageNotice(new QLabel),
      m_scroll(new QScrollArea), m_grid(new QWidget), m_gridLayout(new QGridLayout(m_grid)) {
    setObjectName(QStringLiteral("curvesView"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setTextFormat(Qt::RichText);
    m_emptyLabel->setObjectName(QStringLiteral("curvesEmptyHint"));

    m_damageNotice->setObjectName(QStringLiteral("curvesDamageNotice"));
    m_damageNotice->setWordWrap(true);
    m_damageNotice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_damageNotice->setStyleSheet(
        QStringLiteral("QLabel { background: #fdecea; color: #611a15; padding: 4px 8px; }"));
    m_damageNotice->hide();

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
    layout->addWidget(m_damageNotice);
    layout->addWidget(m_stack, 1);

    connect(m_scroll->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &CurvesView::scheduleVisibleRefresh);
    connect(m_runs, &RunTableModel::visibilityChanged, this, &CurvesView::onVisibilityChanged);
    connect(m_runs, &RunTableModel::healthChanged, this, &CurvesView::onVisibilityChanged); // marks
    connect(m_runs, &QAbstractItemModel::modelReset, this, [this] {
        refreshChoiceLists();
        rebuildCards();
    });
    refreshChoiceLists();
    setDisplay(m_display);
    rebuildCards();
}

CurvesView::~CurvesView() {
    cancelOverviewReads();
}

void CurvesView::setWorkspace(Workspace* workspace) {
    const bool another = workspace != m_workspace;
    m_workspace = workspace;
    if (another) loadCardLayout();
    reload();
}

void CurvesView::reload() {
    cancelOverviewReads(); // their workspace (or its data) is gone
    ++m_generation;
    m_overviews.clear();
    m_overviewPoints = 0;
    m_cache.clear();
    m_unreadable.clear(); // a re-import may have rebuilt the damaged series
    updateDamageNotice();
    rebuildCards();
}

void CurvesView::onVisibilityChanged() {
    updateGroupColors();
    for (ChartCard* card : m_cards)
        card->invalidateData();
    updateEmptyState();
    scheduleVisibleRefresh();
}

void CurvesView::rebuildCards() {
    m_cardTags.clear();
    m_groupColors.clear();
    QStringList order;
    const QRegularExpression filter(m_tagFilter->text(), QRegularExpression::CaseInsensitiveOption);
    if (m_workspace) {
        updateGroupColors();
        // Model metrics first, then training speed, then system metrics (GPU, CPU, memory ...).
        QStringList system;
        const QStringList tags = m_runs->metricTags();
        for (const QString& tag : tags) {
            if (filter.isValid() && !filter.match(tag).hasMatch()) continue;
            // "loss__min" / "loss__max" beside "loss" are drawn as loss's band, not as cards of their own.
            if (const auto base = wandbBandBase(tag.toStdString());
                base && tags.contains(QString::fromStdString(*base)))
                continue;
            const QString key = cardKeyOf(tag, m_display.combineTags);
            if (!m_cardTags.count(key)) (isSystemMetric(key) ? system : order) << key;
            m_cardTags[key] << tag;
        }
        const bool anyTimes =
            std::any_of(m_runs->runs().begin(), m_runs->runs().end(), [](const RunInfo& run) {
                return std::any_of(run.series.begin(), run.series.end(), [](const SeriesSummary& summary) {
                    return std::isfinite(summary.firstWallTime) &&
                           summary.lastWallTime > summary.firstWallTime;
                });
            });
        const bool anyBatch =
            std::any_of(m_runs->runs().begin(), m_runs->runs().end(),
                        [](const RunInfo& run) { return batchSizeFromParams(run.params).has_value(); });
        for (const QString& key : {kStepsPerSecond, kSamplesPerSecond}) {
            if (!anyTimes || (key == kSamplesPerSecond && !anyBatch)) continue;
            if (filter.isValid() && !filter.match(key).hasMatch()) continue;
            order << key;
        }
        order << system;
    }
    // The same cards as before (a watched run grew, an import added points): keep them, with their zoom,
    // and let them read their points again.
    QStringList current;
    for (const ChartCard* card : m_cards)
        current << card->tag();
    if (!order.isEmpty() && current == order) {
        for (ChartCard* card : m_cards)
            card->invalidateData();
        updateEmptyState();
        scheduleVisibleRefresh();
        return;
    }
    qDeleteAll(m_cards);
    m_cards.clear();
    for (const QString& key : order) {
        auto* card = new ChartCard(
            key, [this](const QString& k) { return runsForTag(k); }, m_display, m_grid);
        card->setFullProvider([this](const QString& k) { return runsForTag(k, Read::Full); });
        card->setPinned(m_pinned.contains(key));
        connect(card, &ChartCard::xRangeChosen, this,
                [this, card](double lo, double hi) { onCardXRange(card, lo, hi); });
        connect(card, &ChartCard::zoomReset, this, [this, card] { onCardXRange(card, std::nullopt, 0); });
        if (m_syncedX) card->followXRange(m_syncedX->first, m_syncedX->second);
        connect(card, &ChartCard::pinToggled, this, [this, key] { setPinned(key, !m_pinned.contains(key)); });
        if (m_cardTags[key].size() > 1) card->setToolTip(m_cardTags[key].join(QStringLiteral(", ")));
        m_cards.append(card);
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

const QString CurvesView::kPinnedSection = QStringLiteral("pinned");

void CurvesView::onCardXRange(ChartCard* source, std::optional<double> lo, double hi) {
    if (!m_syncX->isChecked()) return;
    if (lo)
        m_syncedX = std::make_pair(*lo, hi);
    else
        m_syncedX.reset();
    for (ChartCard* card : m_cards) {
        if (card == source) continue;
        if (lo)
            card->followXRange(*lo, hi);
        else
            card->followReset();
    }
}

QString CurvesView::sectionOf(const QString& cardKey) const {
    if (m_pinned.contains(cardKey)) return kPinnedSection;
    if (cardKey == kStepsPerSecond || cardKey == kSamplesPerSecond) return QStringLiteral("speed");
    if (isSystemMetric(cardKey)) return QStringLiteral("system");
    const qsizetype slash = cardKey.indexOf(QLatin1Char('/'));
    return slash > 0 ? cardKey.left(slash) : QString(); // a tag without a prefix: the unnamed first section
}

void CurvesView::setSectionCollapsed(const QString& section, bool collapsed) {
    if (collapsed == m_collapsed.contains(section)) return;
    if (collapsed)
        m_collapsed.insert(section);
    else
        m_collapsed.remove(section);
    saveCardLayout();
    m_columns = 0; // lay out again
    relayoutCards();
    scheduleVisibleRefresh(); // cards of an opened section are drawn now
}

void CurvesView::setPinned(const QString& cardKey, bool pinned) {
    if (pinned == m_pinned.contains(cardKey)) return;
    if (pinned)
        m_pinned << cardKey;
    else
        m_pinned.removeAll(cardKey);
    if (ChartCard* card = cardOf(cardKey)) card->setPinned(pinned);
    saveCardLayout();
    m_columns = 0;
    relayoutCards();
    scheduleVisibleRefresh();
}

void CurvesView::loadCardLayout() {
    m_pinned.clear();
    m_collapsed.clear();
    if (!m_workspace) return;
    const Settings settings;
    const QString path = QString::fromStdString(m_workspace->path().string());
    m_pinned = settings.pinnedCards(path);
    const QStringList collapsed = settings.collapsedSections(path);
    m_collapsed = QSet<QString>(collapsed.begin(), collapsed.end());
}

void CurvesView::saveCardLayout() const {
    if (!m_workspace) return;
    Settings settings;
    const QString path = QString::fromStdString(m_workspace->path().string());
    settings.setPinnedCards(path, m_pinned);
    QStringList collapsed(m_collapsed.begin(), m_collapsed.end());
    collapsed.sort();
    settings.setCollapsedSections(path, collapsed);
}

void CurvesView::relayoutCards() {
    const int columns = columnsForWidth();
    // Whatever changes the cards or their sections sets m_columns to 0 first.
    if (columns == m_columns) return;
    m_columns = columns;
    while (QLayoutItem* item = m_gridLayout->takeAt(0))
        delete item;
    // Later, not now: a header's own click can be what lays the grid out again.
    for (QWidget* header : m_sectionHeaders) {
        header->hide();
        header->deleteLater();
    }
    m_sectionHeaders.clear();
    // Sections in the order their first card comes, pinned cards first in the order they were pinned.
    QStringList sections;
    std::map<QString, QList<ChartCard*>> bySection;
    for (const QString& key : m_pinned)
        if (ChartCard* card = cardOf(key)) {
            if (!sections.contains(kPinnedSection)) sections << kPinnedSection;
            bySection[kPinnedSection] << card;
        }
    for (ChartCard* card : m_cards) {
        const QString section = sectionOf(card->tag());
        if (section == kPinnedSection) continue;
        if (!sections.contains(section)) sections << section;
        bySection[section] << card;
    }
    // One section needs no header: the grid looks as it always did.
    const bool headers = sections.size() > 1;
    int row = 0;
    for (const QString& section : sections) {
        const QList<ChartCard*>& cards = bySection[section];
        const bool collapsed = headers && m_collapsed.contains(section);
        if (headers) {
            auto* header = new QToolButton(m_grid);
            header->setObjectName(QStringLiteral("cardSection"));
            header->setProperty("section", section);
            header->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
            header->setArrowType(collapsed ? Qt::RightArrow : Qt::DownArrow);
            header->setAutoRaise(true);
            const QString name = section.isEmpty() ? tr("metrics") : section;
            header->setText(cards.size() == 1 ? tr("%1  (1 chart)").arg(name)
                                              : tr("%1  (%2 charts)").arg(name).arg(cards.size()));
            header->setToolTip(collapsed ? tr("Show this section's charts")
                                         : tr("Hide this section's charts"));
            QFont bold = header->font();
            bold.setBold(true);
            header->setFont(bold);
            connect(header, &QToolButton::clicked, this,
                    [this, section] { setSectionCollapsed(section, !m_collapsed.contains(section)); });
            m_gridLayout->addWidget(header, row++, 0, 1, columns, Qt::AlignLeft);
            m_sectionHeaders << header;
        }
        for (qsizetype i = 0; i < cards.size(); ++i) {
            ChartCard* card = cards[i];
            card->setVisible(!collapsed);
            if (collapsed) continue;
            m_gridLayout->addWidget(card, row + static_cast<int>(i) / columns, static_cast<int>(i) % columns);
        }
        if (!collapsed) row += (static_cast<int>(cards.size()) + columns - 1) / columns;
    }
    for (int c = 0; c < kMaxColumns; ++c)
        m_gridLayout->setColumnStretch(c, c < columns ? 1 : 0);
    // A stretch row below the cards keeps them at their fixed height when there are few of them.
    for (int r = 0; r <= row; ++r)
        m_gridLayout->setRowStretch(r, r == row ? 1 : 0);
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
    for (ChartCard* card : m_cards) {
        if (!isOnScreen(card) || !card->needsRefresh()) continue;
        // A card of many lines is drawn once its overviews have been read in the background: the window
        // stays responsive and the cards appear one by one (issue 19).
        if (usesOverviews(card->tag()) && !overviewsReady(card->tag())) {
            card->invalidateData(); // drawn from the new overviews, not the ones it holds
            continue;
        }
        card->refreshIfNeeded();
    }
    startOverviewReads();
}

bool CurvesView::isOnScreen(const ChartCard* card) const {
    if (card->isHidden()) return false; // in a collapsed section
    const QRect area(card->mapTo(m_scroll->viewport(), QPoint(0, 0)), card->size());
    return area.intersects(m_scroll->viewport()->rect());
}

ChartCard* CurvesView::cardOf(const QString& cardKey) const {
    for (ChartCard* card : m_cards)
        if (card->tag() == cardKey) return card;
    return nullptr;
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
        for (const QString& suffix :
             {QStringLiteral(".png"), QStringLiteral(".svg"), QStringLiteral(".pdf")}) {
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
