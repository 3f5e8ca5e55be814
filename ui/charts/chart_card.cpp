// Draws one tag's curves: prepareCurve per run (smoothing at full resolution, decimation for the pixel
// width), re-prepared after every zoom, pan or resize. Each line's inputs and the group bands are in
// chart_card_data.cpp, what goes on the curve layer in chart_card_layer.cpp, the crosshair readout in
// chart_card_readout.cpp, the exports in chart_card_export.cpp.
#include "ui/charts/chart_card.h"

#include "core/analysis/axis_ticks.h"
#include "core/analysis/statistics.h"
#include "core/io/learning_curve_reader.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/curve_layer.h"
#include "ui/charts/interactive_chart_view.h"

#include <algorithm>
#include <cmath>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QtConcurrent/QtConcurrentMap>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

namespace runlens::ui {
namespace {

constexpr int kCardHeight = 300;

// Pixels a tick label needs along each axis: a step label ("250k") is short, a row of text is tall.
constexpr double kMinTickSpacingX = 80;
constexpr double kMinTickSpacingY = 36;

void styleAxis(QAbstractAxis* axis, const QPalette& palette, const QFont& font) {
    axis->setLabelsFont(font);
    axis->setLabelsBrush(palette.color(QPalette::Text));
    axis->setTitleBrush(palette.color(QPalette::Text));
    QFont titleFont = font;
    titleFont.setBold(false);
    axis->setTitleFont(titleFont);
    QColor grid = palette.color(QPalette::Text);
    grid.setAlpha(40);
    axis->setGridLineColor(grid);
    axis->setLinePenColor(palette.color(QPalette::Mid));
}

std::pair<double, double> axisRange(QAbstractAxis* axis) {
    if (auto* value = qobject_cast<QValueAxis*>(axis)) return {value->min(), value->max()};
    if (auto* log = qobject_cast<QLogValueAxis*>(axis)) return {log->min(), log->max()};
    if (auto* time = qobject_cast<QDateTimeAxis*>(axis))
        return {static_cast<double>(time->min().toMSecsSinceEpoch()),
                static_cast<double>(time->max().toMSecsSinceEpoch())};
    return {0.0, 1.0};
}

void setAxisRange(QAbstractAxis* axis, double lo, double hi) {
    if (auto* time = qobject_cast<QDateTimeAxis*>(axis)) {
        time->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::floor(lo))),
                       QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::ceil(hi))));
        return;
    }
    axis->setRange(lo, hi);
}

} // namespace

ChartCard::ChartCard(const QString& tag, RunProvider provider, const CurveDisplay& display, QWidget* parent)
    : QFrame(parent), m_tag(tag), m_provider(std::move(provider)), m_display(display),
      m_title(new QLabel(tag, this)), m_placeholder(new QLabel(tr("Loading…"), this)),
      m_view(new InteractiveChartView(this)) {
    setObjectName(QStringLiteral("chartCard"));
    setFrameShape(QFrame::StyledPanel);
    setFixedHeight(kCardHeight);
    setMinimumWidth(320);

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setToolTip(tag);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false);

    auto* menuButton = new QToolButton(this);
    menuButton->setText(QStringLiteral("⋮"));
    menuButton->setToolTip(tr("Export this chart or its data"));
    menuButton->setAutoRaise(true);
    menuButton->setPopupMode(QToolButton::InstantPopup);
    menuButton->setStyleSheet(QStringLiteral("QToolButton::menu-indicator { image: none; width: 0px; }"));
    buildMenu(menuButton);

    auto* header = new QHBoxLayout;
    header->setContentsMargins(8, 4, 4, 0);
    header->addWidget(m_title, 1);
    header->addWidget(menuButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_placeholder, 1);
    layout->addWidget(m_view, 1);
    m_view->hide();

    m_view->setTooltipProvider([this](const QPointF& value) { return tooltipAt(value); });
    connect(m_view, &InteractiveChartView::viewChanged, this, &ChartCard::onViewChanged);
    connect(m_view, &InteractiveChartView::resetRequested, this, &ChartCard::onReset);
    connect(m_view, &InteractiveChartView::resized, this, [this] {
        if (m_built && m_pending == Pending::None && std::abs(plotPixels() - m_lastPixels) > 32)
            refreshPoints();
        else if (m_built)
            applyTicks(); // as many ticks as the new size has room for
    });
}

QChart* ChartCard::chart() const {
    return m_built ? m_view->chart() : nullptr;
}

QString ChartCard::safeFileName(const QString& name) {
    QString out;
    for (QChar c : name)
        out.append(c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('-') ? c : QChar('_'));
    return out.isEmpty() ? QStringLiteral("chart") : out;
}

void ChartCard::buildMenu(QToolButton* button) {
    auto* menu = new QMenu(button);
    menu->addAction(tr("Export PNG…"), this, [this] { askAndExportImage(QStringLiteral("png")); });
    menu->addAction(tr("Export SVG…"), this, [this] { askAndExportImage(QStringLiteral("svg")); });
    menu->addAction(tr("Export PDF…"), this, [this] { askAndExportImage(QStringLiteral("pdf")); });
    menu->addSeparator();
    menu->addAction(tr("Export data as CSV (TensorBoard: Wall time,Step,Value)…"), this,
                    [this] { askAndExportCsv(false); });
    menu->addAction(tr("Export data as CSV (long form: run,tag,step,wall_time,value)…"), this,
                    [this] { askAndExportCsv(true); });
    menu->addSeparator();
    menu->addAction(tr("Reset zoom"), this, &ChartCard::onReset);
    m_pinAction = menu->addAction(m_pinned ? tr("Unpin") : tr("Pin to top"), this, &ChartCard::pinToggled);
    button->setMenu(menu);
}

void ChartCard::setPinned(bool pinned) {
    m_pinned = pinned;
    if (m_pinAction) m_pinAction->setText(pinned ? tr("Unpin") : tr("Pin to top"));
}

void ChartCard::setDisplay(const CurveDisplay& display) {
    CurveDisplay sameSmoothing = display;
    sameSmoothing.smoothing = m_display.smoothing;
    const bool onlySmoothing =
        sameSmoothing == m_display && (display.smoothing > 0) == (m_display.smoothing > 0);
    m_display = display;
    if (!onlySmoothing) m_keepView = false;
    if (m_pending != Pending::Rebuild)
        m_pending = onlySmoothing && m_built ? Pending::Points : Pending::Rebuild;
}

void ChartCard::invalidateData() {
    // Only new data: the axes stay of the same kind, so a zoomed view can be kept. A display change that
    // rebuilds (log axes, another x) drops it.
    if (m_pending != Pending::Rebuild) m_keepView = true;
    m_pending = Pending::Rebuild;
}

void ChartCard::refreshIfNeeded() {
    if (m_pending == Pending::Rebuild)
        rebuild();
    else if (m_pending == Pending::Points)
        refreshPoints(true);
    m_pending = Pending::None;
}

// A learning curve's points are scores per training-set size and fold, not a trajectory over steps:
// smoothing them would blend different sizes, so the card draws them as they are.
bool ChartCard::drawsUnsmoothed() const {
    return m_tag.startsWith(QLatin1String(kLearningCurveTagPrefix.data(), kLearningCurveTagPrefix.size()));
}

double ChartCard::smoothing() const {
    return drawsUnsmoothed() ? 0.0 : std::clamp(m_display.smoothing, 0.0, 0.999);
}

double ChartCard::xScale() const {
    return m_display.xAxis == QLatin1String("wall") ? 1000.0 : 1.0;
}

CurveOptions ChartCard::curveOptions(int pixels, bool limitToView) const {
    CurveOptions options;
    parseXAxis(m_display.xAxis.toStdString(), options.xAxis);
    parseSmoother(m_display.smoother.toStdString(), options.smoother);
    options.smoothing = smoothing();
    options.pixels = pixels;
    if (limitToView && m_built && m_zoomed && !m_view->chart()->axes(Qt::Horizontal).isEmpty()) {
        const auto [lo, hi] = axisRange(m_view->chart()->axes(Qt::Horizontal).first());
        options.x0 = lo / xScale();
        options.x1 = hi / xScale();
    }
    return options;
}

int ChartCard::plotPixels() const {
    double columns = width();
    if (m_built && m_view->chart()->plotArea().width() > 10) columns = m_view->chart()->plotArea().width();
    return std::clamp(static_cast<int>(columns * devicePixelRatioF()), 100, 8000);
}

bool ChartCard::drawsRaw() const {
    return m_display.showRaw && smoothing() > 0 && !grouped() &&
           static_cast<int>(m_runs.size()) <= kMaxRawLines;
}

void ChartCard::rebuild() {
    m_runs = m_provider(m_tag);
    m_fullResolution = false;
    // A zoomed view survives new data (a watched run growing): the new chart gets the same axis ranges.
    std::optional<std::pair<std::pair<double, double>, std::pair<double, double>>> keptView;
    if (m_keepView && m_built && m_zoomed && !m_view->chart()->axes(Qt::Horizontal).isEmpty() &&
        !m_view->chart()->axes(Qt::Vertical).isEmpty())
        keptView = std::make_pair(axisRange(m_view->chart()->axes(Qt::Horizontal).first()),
                                  axisRange(m_view->chart()->axes(Qt::Vertical).first()));
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    auto* chart = new QChart;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(pal.color(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(2, 2, 6, 2));
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->hide(); // the run table is the legend: colours match, and the tooltip names runs

    QFont font = this->font();
    font.setPointSizeF(std::max(7.0, font.pointSizeF() * 0.85));
    const bool wall = m_display.xAxis == QLatin1String("wall");
    QAbstractAxis* xAxis = nullptr;
    if (wall) {
        auto* time = new QDateTimeAxis;
        time->setFormat(QStringLiteral("MM-dd hh:mm"));
        time->setTickCount(4);
        xAxis = time;
    } else if (m_display.logX) {
        auto* log = new QLogValueAxis;
        applyDecadeTicks(log, false);
        xAxis = log;
    }
    XAxis parsedAxis = XAxis::Step;
    parseXAxis(m_display.xAxis.toStdString(), parsedAxis);
    if (!xAxis)
        xAxis = parsedAxis == XAxis::Step && xMetric().isEmpty() ? makeStepCountAxis() : new QValueAxis;
    xAxis->setTitleText(!xMetric().isEmpty()
                            ? xMetric()
                            : QString::fromUtf8(xAxisName(parsedAxis).data(),
                                                static_cast<qsizetype>(xAxisName(parsedAxis).size())));
    QAbstractAxis* yAxis = nullptr;
    if (m_display.logY) {
        auto* log = new QLogValueAxis;
        applyDecadeTicks(log, false);
        yAxis = log;
    } else {
        yAxis = new QValueAxis;
    }
    styleAxis(xAxis, pal, font);
    styleAxis(yAxis, pal, font);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    // Qt Charts zooms and scrolls through the domains of attached series: one empty series carries them,
    // while the curve layer draws the lines.
    auto* anchor = new QLineSeries;
    anchor->setName(QStringLiteral("axes"));
    chart->addSeries(anchor);
    anchor->attachAxis(xAxis);
    anchor->attachAxis(yAxis);
    m_layer = new CurveLayer(chart, xAxis, yAxis);
    m_layer->setColors(pal.color(QPalette::Text), pal.color(QPalette::Base));

    m_groups = groupsOf(m_runs);

    prepareInputs();

    m_view->replaceChart(chart);
    m_built = true;
    m_zoomed = false;
    m_rawPixels = 0;
    if (keptView) {
        setAxisRange(xAxis, keptView->first.first, keptView->first.second);
        setAxisRange(yAxis, keptView->second.first, keptView->second.second);
        m_zoomed = true;
    }
    m_keepView = false;
    m_placeholder->hide();
    m_view->show();
    refreshPoints();
    if (m_followX && !keptView) followXRange(m_followX->first, m_followX->second);
    // A time x axis needs wall times; runs logged without them would leave a blank plot, so the card says
    // why.
    const bool timeAxis = xMetric().isEmpty() && parsedAxis != XAxis::Step;
    const bool noTimes = timeAxis &&
                         std::any_of(m_prepared.begin(), m_prepared.end(),
                                     [](const Prepared& p) { return p.input.sourcePoints > 0; }) &&
                         std::all_of(m_prepared.begin(), m_prepared.end(),
                                     [](const Prepared& p) { return p.input.x.empty(); });
    if (noTimes) {
        m_placeholder->setText(
            parsedAxis == XAxis::WallTime
                ? tr("These runs logged no wall times, so there is nothing to draw against "
                     "wall time. Choose Step as the x axis.")
                : tr("These runs logged no wall times, so there is nothing to draw against "
                     "relative time. Choose Step as the x axis."));
        m_view->hide();
        m_placeholder->show();
    }
}

void ChartCard::refreshPoints(bool smoothingOnly) {
    if (m_fullResolution != m_zoomed) {
        const bool before = m_fullResolution;
        useResolutionForView();
        if (before != m_fullResolution) smoothingOnly = false; // other points: decimate the raw ones again
    }
    const int pixels = plotPixels();
    m_lastPixels = pixels;
    CurveOptions options = curveOptions(pixels, true);
    // Many overlapping one-pixel lines: each column's extremes are enough and halve the points to draw.
    options.extremaOnly = static_cast<int>(m_runs.size()) > kMaxRawLines;
    // The raw points depend on the view only: a smoothing change keeps them.
    const bool keepRaw =
        smoothingOnly && m_rawPixels == pixels && m_rawX0 == options.x0 && m_rawX1 == options.x1;
    const bool raw = drawsRaw();
    // Each line is prepared independently, so the lines are spread over the cores.
    QtConcurrent::blockingMap(m_prepared, [&](Prepared& prepared) {
        prepared.hoverSmoothed.clear(); // the smoothing may have changed
        prepared.hoverRelative.clear();
        if (drawnOnlyInGroup(static_cast<std::size_t>(&prepared - m_prepared.data()))) {
            prepared.raw = {};
            prepared.smoothed = {};
            return;
        }
        if (!keepRaw) prepared.raw = raw ? rawPoints(prepared.input, options) : XYPoints{};
        const CardRun& run = m_runs[static_cast<std::size_t>(&prepared - m_prepared.data())];
        if (run.overview && !run.data && options.smoothing > 0 &&
            run.overview->smoothing == options.smoothing && run.overview->smoother == options.smoother) {
            // Smoothed at full resolution when the overview was made: only the decimation is left.
            prepared.smoothed = rawPoints(run.overview->smoothed, options);
            return;
        }
        prepared.smoothed =
            options.smoothing > 0 || !raw ? smoothedPoints(prepared.input, options) : prepared.raw;
    });
    m_rawPixels = pixels;
    m_rawX0 = options.x0;
    m_rawX1 = options.x1;
    prepareGroups(options);
    // A smoothing change keeps the axes: lines morph in place while the slider moves instead of the scale
    // jumping under them (and the range pass over every drawn point is saved).
    if (!m_zoomed && !keepRaw) applyFullRange();
    applyTicks();
    pushToLayer();
    for (Prepared& prepared : m_prepared)
        prepared.drawn = prepared.smoothed.size() > 0;
    // Many lines: the layer holds the drawn points, a second copy here would double the card's memory.
    if (static_cast<int>(m_runs.size()) > kMaxRawLines)
        for (Prepared& prepared : m_prepared)
            prepared.smoothed = {};
}

void ChartCard::applyTicks() {
    QChart* current = m_view->chart();
    const QRectF area = current->plotArea();
    const double widthPx = area.width() > 10 ? area.width() : width() - 80.0;
    const double heightPx = area.height() > 10 ? area.height() : kCardHeight - 80.0;
    for (QAbstractAxis* axis : current->axes(Qt::Horizontal))
        if (auto* value = qobject_cast<QValueAxis*>(axis))
            applyRoundTicks(value, tickTargetFor(widthPx, kMinTickSpacingX));
    for (QAbstractAxis* axis : current->axes(Qt::Vertical))
        if (auto* value = qobject_cast<QValueAxis*>(axis))
            applyRoundTicks(value, tickTargetFor(heightPx, kMinTickSpacingY));
}

void ChartCard::applyFullRange() {
    QChart* current = m_view->chart();
    if (current->axes(Qt::Horizontal).isEmpty() || current->axes(Qt::Vertical).isEmpty()) return;
    double xLo = INFINITY, xHi = -INFINITY;
    std::vector<double> ys;
    auto collect = [&](const std::vector<double>& xs, const std::vector<double>& values) {
        for (std::size_t k = 0; k < values.size() && k < xs.size(); ++k) {
            if (!std::isfinite(values[k]) || (m_display.logY && values[k] <= 0)) continue;
            if (m_display.logX && !(xs[k] > 0)) continue;
            ys.push_back(values[k]);
        }
    };
    auto widenX = [&](const std::vector<double>& xs) {
        for (const double x : xs) {
            if (!std::isfinite(x) || (m_display.logX && !(x > 0))) continue;
            xLo = std::min(xLo, x);
            xHi = std::max(xHi, x);
        }
    };
    for (const Prepared& prepared : m_prepared) {
        if (prepared.input.x.empty()) continue;
        widenX({prepared.input.x.front(), prepared.input.x.back()});
        if (m_display.logX) widenX(prepared.smoothed.x); // the first x may be 0
        collect(prepared.smoothed.x, prepared.smoothed.y);
        collect(prepared.raw.x, prepared.raw.y);
        collect(prepared.ownBand.x, prepared.ownBand.lower);
        collect(prepared.ownBand.x, prepared.ownBand.upper);
    }
    for (const GroupCurve& group : m_groups) {
        widenX(group.band.x);
        collect(group.band.x, group.band.center);
        collect(group.band.x, group.band.lower);
        collect(group.band.x, group.band.upper);
    }
    if (!std::isfinite(xLo) || ys.empty()) {
        setAxisRange(current->axes(Qt::Horizontal).first(), m_display.logX ? 1 : 0, m_display.logX ? 10 : 1);
        setAxisRange(current->axes(Qt::Vertical).first(), m_display.logY ? 0.1 : 0, 1);
        return;
    }
    if (xHi <= xLo) {
        xLo = m_display.logX ? xLo / 2 : xLo - 0.5;
        xHi = m_display.logX ? xHi * 2 : xHi + 0.5;
    }
    const auto [minIt, maxIt] = std::minmax_element(ys.begin(), ys.end());
    const bool nonNegative = *minIt >= 0;
    double yLo = *minIt, yHi = *maxIt;
    if (m_display.robustY && ys.size() >= 10) {
        // core's quantile by selection: the y-range runs on every redraw over every drawn point.
        yLo = stats::quantileBySelection(ys, 0.05);
        yHi = stats::quantileBySelection(ys, 0.95);
    }
    if (m_display.logY) {
        yLo /= 1.25;
        yHi *= 1.25;
    } else {
        const double span = yHi > yLo ? yHi - yLo : std::max(std::abs(yHi) * 0.1, 1e-9);
        yLo -= 0.05 * span;
        yHi += 0.05 * span;
    }
    if (!m_display.logY && nonNegative)
        yLo = std::max(yLo, 0.0); // padding must not invent negative losses or accuracies
    // x ends at the data (no blank stretch past the last step); applyTicks puts round ticks inside it.
    setAxisRange(current->axes(Qt::Horizontal).first(), xLo * xScale(), xHi * xScale());
    setAxisRange(current->axes(Qt::Vertical).first(), yLo, yHi);
    if (m_display.logY) // widened to whole decades, so every label is one
        if (auto* log = qobject_cast<QLogValueAxis*>(current->axes(Qt::Vertical).first()))
            applyDecadeTicks(log, true);
}

void ChartCard::onViewChanged() {
    if (!m_built) return;
    m_zoomed = true;
    refreshPoints();
    if (m_view->chart()->axes(Qt::Horizontal).isEmpty()) return;
    const auto [lo, hi] = axisRange(m_view->chart()->axes(Qt::Horizontal).first());
    emit xRangeChosen(lo / xScale(), hi / xScale());
}

void ChartCard::onReset() {
    if (!m_built) return;
    m_zoomed = false;
    m_followX.reset();
    refreshPoints();
    emit zoomReset();
}

void ChartCard::followXRange(double lo, double hi) {
    m_followX = std::make_pair(lo, hi);
    if (!m_built || m_view->chart()->axes(Qt::Horizontal).isEmpty()) return; // applied by rebuild
    // The y axis keeps the data's full range: only x follows the other card.
    setAxisRange(m_view->chart()->axes(Qt::Horizontal).first(), lo * xScale(), hi * xScale());
    m_zoomed = true;
    refreshPoints();
}

void ChartCard::followReset() {
    m_followX.reset();
    if (!m_built || !m_zoomed) return;
    m_zoomed = false;
    refreshPoints();
}

} // namespace runlens::ui
