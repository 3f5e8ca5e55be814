// Curves tab: builds one card per tag, lays them out in sections and refreshes only the cards inside the
// viewport; the background reads of what the cards draw are in curves_overviews.cpp.
#include "ui/curves/curves_view.h"

#include "core/analysis/curve_diagnostics.h"
#include "core/analysis/curve_prep.h"
#include "core/io/wandb_csv_reader.h"
#include "core/model/tag_names.h"
#include "core/store/workspace.h"
#include "ui/charts/chart_card.h"
#include "ui/charts/chart_export.h"
#include "ui/common/flow_layout.h"
#include "ui/runs/run_table_model.h"
#include "ui/shell/settings.h"

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
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

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

namespace {

// Solid for training (or unmarked) tags, dashed for validation, dotted for test, so the same style means the
// same split on every card.
int splitStyleIndex(const QString& tag) {
    switch (splitOf(tag.toStdString())) {
    case Split::Validation:
        return 1;
    case Split::Test:
        return 2;
    default:
        return 0;
    }
}

} // namespace

QString CurvesView::cardKeyOf(const QString& tag, bool combineTags) {
    const std::string base = foldWorkerTag(tag.toStdString());
    return QString::fromStdString(combineTags ? stripSplit(base) : base);
}

bool CurvesView::isSystemMetric(const QString& tag) {
    return runlens::isSystemMetric(tag.toStdString());
}

int CurvesView::workerOfTag(const QString& tag) {
    int worker = -1;
    foldWorkerTag(tag.toStdString(), &worker);
    return worker;
}

std::shared_ptr<const SeriesData> CurvesView::series(std::int64_t runId, const std::string& tag) {
    auto cached = m_cache.find({runId, tag});
    if (cached != m_cache.end()) return cached->second;
    try {
        auto data = std::make_shared<const SeriesData>(m_workspace->readSeries(runId, tag));
        return m_cache.emplace(std::make_pair(runId, tag), std::move(data)).first->second;
    } catch (const std::exception& e) {
        // The run is left out of this card rather than failing the view, and the notice says so; the failed
        // read is cached so a redraw does not read the damaged chunks again.
        QString runName = QString::number(runId);
        if (const auto run = m_workspace->run(runId)) runName = QString::fromStdString(run->name);
        m_unreadable << QStringLiteral("%1: %2: %3")
                            .arg(runName, QString::fromStdString(tag), QString::fromUtf8(e.what()));
        QMetaObject::invokeMethod(this, &CurvesView::updateDamageNotice, Qt::QueuedConnection);
        return m_cache.emplace(std::make_pair(runId, tag), nullptr).first->second;
    }
}

void CurvesView::updateDamageNotice() {
    if (m_unreadable.isEmpty()) {
        m_damageNotice->hide();
        return;
    }
    constexpr qsizetype kListed = 3;
    const QString text0 =
        m_unreadable.size() == 1
            ? tr("1 series could not be read and is left out of its chart")
            : tr("%1 series could not be read and are left out of their charts").arg(m_unreadable.size());
    QString text = text0 + tr(" (the workspace is damaged; importing the logs again rebuilds it):");
    for (qsizetype i = 0; i < std::min(kListed, m_unreadable.size()); ++i)
        text += QStringLiteral("\n• ") + m_unreadable[i];
    if (m_unreadable.size() > kListed) text += tr("\n… and %1 more").arg(m_unreadable.size() - kListed);
    m_damageNotice->setText(text);
    m_damageNotice->setToolTip(m_unreadable.join(QLatin1Char('\n')));
    m_damageNotice->show();
}

QString CurvesView::groupKeyOf(const RunInfo& run) const {
    const QString& by = m_display.groupBy;
    if (by.isEmpty()) return {};
    if (by.startsWith(QStringLiteral("re:"))) {
        const QRegularExpression pattern(by.mid(3));
        const QString name = QString::fromStdString(run.name);
        const auto match = pattern.isValid() ? pattern.match(name) : QRegularExpressionMatch();
        if (!match.hasMatch()) return name; // a run the pattern does not describe stays on its own
        return match.lastCapturedIndex() >= 1 ? match.captured(1) : match.captured(0);
    }
    const std::string key = by.toStdString();
    for (const auto& [name, value] : run.params)
        if (name == key) return QStringLiteral("%1=%2").arg(by, QString::fromStdString(value));
    return QStringLiteral("%1 not set").arg(by);
}

std::vector<CardRun> CurvesView::runsForTag(const QString& cardKey, Read read) {
    std::vector<CardRun> out;
    if (!m_workspace) return out;
    // A card of many lines draws overviews; its exports and zoomed views read every point, uncached, so
    // that only the card asking holds them and only while it needs them.
    const bool overviews = usesOverviews(cardKey);
    const OverviewParams params = overviews ? overviewParams(cardKey) : OverviewParams{};
    if (cardKey == kStepsPerSecond || cardKey == kSamplesPerSecond)
        return speedLines(cardKey == kSamplesPerSecond);
    const auto tagsIt = m_cardTags.find(cardKey);
    if (tagsIt == m_cardTags.end()) return out;
    const QStringList& tags = tagsIt->second;
    // Overlaid tags (after folding workers) are told apart by dash style, in the order they are listed.
    QStringList baseTags;
    for (const QString& tag : tags) {
        const QString base = cardKeyOf(tag, false);
        if (!baseTags.contains(base)) baseTags << base;
    }
    static const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    const QString xMetric =
        m_display.xAxis.startsWith(QStringLiteral("metric:")) ? m_display.xAxis.mid(7) : QString();
    for (const RunInfo* run : m_runs->visibleRuns()) {
        const QString runName = QString::fromStdString(run->name);
        const QString groupKey = groupKeyOf(*run);
        const auto xData = xMetric.isEmpty() ? nullptr : series(run->id, xMetric.toStdString());
        for (const QString& tag : tags) {
            const std::string key = tag.toStdString();
            const bool hasTag = std::any_of(run->series.begin(), run->series.end(),
                                            [&](const SeriesSummary& summary) { return summary.tag == key; });
            if (!hasTag) continue;
            std::shared_ptr<const SeriesData> data;
            std::shared_ptr<const CurveOverview> lineOverview;
            if (overviews && read == Read::Display) {
                lineOverview = overview(run->id, key, params);
                if (!lineOverview) continue;
            } else if (overviews) {
                data = std::make_shared<const SeriesData>(readUncached(run->id, key));
            } else {
                data = series(run->id, key);
                if (!data) continue;
            }
            const QString base = cardKeyOf(tag, false);
            const auto styleIndex = static_cast<std::size_t>(splitStyleIndex(base));
            const QString tagSuffix = baseTags.size() > 1 ? QStringLiteral(" · ") + base : QString();
            CardRun line;
            line.name = runName + tagSuffix;
            line.color = groupKey.isEmpty() ? m_runs->colorOf(run->id) : m_groupColors[groupKey];
            line.tag = tag;
            if (findSeries(*run, wandbBandTag(key, false)) && findSeries(*run, wandbBandTag(key, true))) {
                line.bandLower = series(run->id, wandbBandTag(key, false));
                line.bandUpper = series(run->id, wandbBandTag(key, true));
            }
            line.style = styles[styleIndex % 4];
            line.xData = xData;
            line.group = groupKey.isEmpty() ? QString() : groupKey + tagSuffix;
            for (const HealthBadge& badge : m_runs->healthOf(run->id)) {
                if (badge.tag != key) continue;
                if (badge.kind == HealthBadge::Kind::Diverging)
                    line.marks.emplace_back(badge.step, QStringLiteral("↗"));
                if (badge.kind == HealthBadge::Kind::Overfitting)
                    line.marks.emplace_back(badge.step, QStringLiteral("◆"));
            }
            const int worker = workerOfTag(tag);
            if (worker >= 0) {
                // A distributed run: its workers are one line with their spread unless the run is expanded
                // in the run table, where each ticked worker is a line in its own colour.
                line.name = QStringLiteral("%1 · worker %2").arg(runName).arg(worker) + tagSuffix;
                if (m_runs->isExpanded(run->id)) {
                    if (!m_runs->isWorkerVisible(run->id, worker)) continue;
                    if (groupKey.isEmpty()) line.color = m_runs->workerColor(run->id, worker);
                } else if (line.group.isEmpty()) {
                    line.group = runName + tagSuffix;
                }
            }
            if (lineOverview) {
                line.overview = std::move(lineOverview);
                out.push_back(std::move(line));
                continue;
            }
            if (!m_display.splitRestarts) {
                line.data = std::move(data);
                out.push_back(std::move(line));
                continue;
            }
            std::vector<SeriesData> pieces = splitAtRestarts(*data);
            for (std::size_t p = 0; p < pieces.size(); ++p) {
                CardRun piece = line;
                if (pieces.size() > 1 && p > 0) piece.name += tr(" (restart %1)").arg(p);
                piece.data = std::make_shared<const SeriesData>(std::move(pieces[p]));
                out.push_back(std::move(piece));
            }
        }
    }
    return out;
}

std::vector<CardRun> CurvesView::speedLines(bool samples) {
    std::vector<CardRun> out;
    for (const RunInfo* run : m_runs->visibleRuns()) {
        const std::optional<double> batch = batchSizeFromParams(run->params);
        if (samples && !batch) continue;
        // The series logged most often with wall times carries the best speed estimate.
        const SeriesSummary* best = nullptr;
        for (const SeriesSummary& summary : run->series)
            if (std::isfinite(summary.firstWallTime) && summary.lastWallTime > summary.firstWallTime &&
                (!best || summary.points > best->points))
                best = &summary;
        if (!best) continue;
        const auto data = series(run->id, best->tag);
        if (!data) continue;
        auto rate = std::make_shared<const SeriesData>(throughputSeries(*data, samples ? *batch : 1.0));
        if (rate->empty()) continue;
        CardRun line;
        line.name = QString::fromStdString(run->name);
        line.color = m_runs->colorOf(run->id);
        line.tag = samples ? kSamplesPerSecond : kStepsPerSecond;
        line.group = groupKeyOf(*run);
        if (!line.group.isEmpty()) line.color = m_groupColors[line.group];
        line.data = std::move(rate);
        out.push_back(std::move(line));
    }
    return out;
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

void CurvesView::updateGroupColors() {
    // By sorted group name, so a group keeps its colour in every card.
    m_groupColors.clear();
    std::set<QString> groups;
    for (const RunInfo* run : m_runs->visibleRuns())
        if (const QString key = groupKeyOf(*run); !key.isEmpty()) groups.insert(key);
    int colorIndex = 0;
    for (const QString& group : groups)
        m_groupColors[group] = runColor(colorIndex++);
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
