// Draws one tag's curves: prepareCurve per run (smoothing at full resolution, decimation for the pixel
// width), one replace() per series, re-prepared after every zoom, pan or resize.
#include "ui/chart_card.h"

#include "ui/interactive_chart_view.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

namespace runlens::ui {
namespace {

constexpr int kCardHeight = 300;
constexpr int kMaxTooltipRuns = 12;

QString shortestNumber(double value) {
    if (std::isnan(value)) return QStringLiteral("nan");
    if (std::isinf(value)) return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, static_cast<qsizetype>(result.ptr - buffer));
}

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QList<QPointF> toPoints(const XYPoints& points, double xScale, bool logY) {
    QList<QPointF> out;
    out.reserve(static_cast<qsizetype>(points.size()));
    for (std::size_t i = 0; i < points.size(); ++i) {
        const double x = points.x[i];
        const double y = points.y[i];
        // Qt Charts cannot draw NaN/Inf, and a log axis cannot show y <= 0: such points are left out.
        if (!std::isfinite(x) || !std::isfinite(y) || (logY && y <= 0)) continue;
        out.append(QPointF(x * xScale, y));
    }
    return out;
}

QValueAxis* makeValueAxis() {
    auto* axis = new QValueAxis;
    axis->setLabelFormat(QStringLiteral("%.4g"));
    axis->setTickCount(5);
    return axis;
}

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

double percentile(std::vector<double>& sorted, double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    return sorted[lower] + (position - static_cast<double>(lower)) * (sorted[upper] - sorted[lower]);
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
    button->setMenu(menu);
}

void ChartCard::setDisplay(const CurveDisplay& display) {
    const bool onlySmoothing = display.smoother == m_display.smoother && display.xAxis == m_display.xAxis &&
                               display.logY == m_display.logY && display.robustY == m_display.robustY &&
                               display.showRaw == m_display.showRaw &&
                               (display.smoothing > 0) == (m_display.smoothing > 0);
    m_display = display;
    if (m_pending != Pending::Rebuild)
        m_pending = onlySmoothing && m_built ? Pending::Points : Pending::Rebuild;
}

void ChartCard::invalidateData() {
    m_pending = Pending::Rebuild;
}

void ChartCard::refreshIfNeeded() {
    if (m_pending == Pending::Rebuild)
        rebuild();
    else if (m_pending == Pending::Points)
        refreshPoints();
    m_pending = Pending::None;
}

double ChartCard::xScale() const {
    return m_display.xAxis == QLatin1String("wall") ? 1000.0 : 1.0;
}

CurveOptions ChartCard::curveOptions(int pixels, bool limitToView) const {
    CurveOptions options;
    parseXAxis(m_display.xAxis.toStdString(), options.xAxis);
    parseSmoother(m_display.smoother.toStdString(), options.smoother);
    options.smoothing = std::clamp(m_display.smoothing, 0.0, 0.999);
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

void ChartCard::rebuild() {
    m_runs = m_provider(m_tag);
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
    } else {
        xAxis = makeValueAxis();
    }
    XAxis parsedAxis = XAxis::Step;
    parseXAxis(m_display.xAxis.toStdString(), parsedAxis);
    xAxis->setTitleText(QString::fromUtf8(xAxisName(parsedAxis).data(),
                                          static_cast<qsizetype>(xAxisName(parsedAxis).size())));
    QAbstractAxis* yAxis = nullptr;
    if (m_display.logY) {
        auto* log = new QLogValueAxis;
        log->setBase(10);
        log->setLabelFormat(QStringLiteral("%.3g"));
        log->setMinorTickCount(-1);
        yAxis = log;
    } else {
        yAxis = makeValueAxis();
    }
    styleAxis(xAxis, pal, font);
    styleAxis(yAxis, pal, font);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    m_rawSeries.assign(m_runs.size(), nullptr);
    m_smoothSeries.assign(m_runs.size(), nullptr);
    const bool drawRaw = m_display.showRaw && m_display.smoothing > 0;
    auto addSeries = [&](const QString& name, QColor color, qreal width) {
        auto* series = new QLineSeries;
        series->setName(name);
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
        QPen pen(color, width); // set after addSeries: adding applies the theme's pen
        pen.setCosmetic(true);
        series->setPen(pen);
        return series;
    };
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (drawRaw) {
            QColor faint = m_runs[i].color;
            faint.setAlpha(70);
            m_rawSeries[i] = addSeries(m_runs[i].name + tr(" (raw)"), faint, 1.0);
        }
    }
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        m_smoothSeries[i] = addSeries(m_runs[i].name, m_runs[i].color, 1.8);

    m_view->replaceChart(chart);
    m_built = true;
    m_zoomed = false;
    m_placeholder->hide();
    m_view->show();
    refreshPoints();
}

void ChartCard::refreshPoints() {
    const int pixels = plotPixels();
    m_lastPixels = pixels;
    const CurveOptions options = curveOptions(pixels, true);
    const double scale = xScale();
    m_prepared.clear();
    m_prepared.reserve(m_runs.size());
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        m_prepared.push_back(m_runs[i].data ? prepareCurve(*m_runs[i].data, options) : PreparedCurve{});
        if (m_rawSeries[i]) m_rawSeries[i]->replace(toPoints(m_prepared.back().raw, scale, m_display.logY));
        m_smoothSeries[i]->replace(toPoints(m_prepared.back().smoothed, scale, m_display.logY));
    }
    if (!m_zoomed) applyFullRange();
}

void ChartCard::applyFullRange() {
    QChart* current = m_view->chart();
    if (current->axes(Qt::Horizontal).isEmpty() || current->axes(Qt::Vertical).isEmpty()) return;
    double xLo = INFINITY, xHi = -INFINITY;
    std::vector<double> ys;
    for (std::size_t i = 0; i < m_prepared.size(); ++i) {
        const PreparedCurve& curve = m_prepared[i];
        if (curve.sourcePoints == 0) continue;
        if (std::isfinite(curve.xMin) && std::isfinite(curve.xMax)) {
            xLo = std::min(xLo, curve.xMin);
            xHi = std::max(xHi, curve.xMax);
        }
        auto collect = [&](const XYPoints& points) {
            for (double y : points.y) {
                if (std::isfinite(y) && (!m_display.logY || y > 0)) ys.push_back(y);
            }
        };
        collect(curve.smoothed);
        if (m_rawSeries[i]) collect(curve.raw);
    }
    if (!std::isfinite(xLo) || ys.empty()) {
        setAxisRange(current->axes(Qt::Horizontal).first(), 0, 1);
        setAxisRange(current->axes(Qt::Vertical).first(), m_display.logY ? 0.1 : 0, 1);
        return;
    }
    if (xHi <= xLo) {
        xLo -= 0.5;
        xHi += 0.5;
    }
    std::sort(ys.begin(), ys.end());
    double yLo = ys.front(), yHi = ys.back();
    if (m_display.robustY && ys.size() >= 10) {
        yLo = percentile(ys, 0.05);
        yHi = percentile(ys, 0.95);
    }
    if (m_display.logY) {
        yLo /= 1.25;
        yHi *= 1.25;
    } else {
        const double span = yHi > yLo ? yHi - yLo : std::max(std::abs(yHi) * 0.1, 1e-9);
        yLo -= 0.05 * span;
        yHi += 0.05 * span;
    }
    if (!m_display.logY && ys.front() >= 0)
        yLo = std::max(yLo, 0.0); // padding must not invent negative losses or accuracies
    setAxisRange(current->axes(Qt::Horizontal).first(), xLo * xScale(), xHi * xScale());
    setAxisRange(current->axes(Qt::Vertical).first(), yLo, yHi);
    // Round tick values (0, 0.5, 1) instead of the raw data range's (0.03538, 0.2808, ...).
    for (QAbstractAxis* axis : current->axes()) {
        if (auto* value = qobject_cast<QValueAxis*>(axis)) value->applyNiceNumbers();
    }
}

void ChartCard::onViewChanged() {
    if (!m_built) return;
    m_zoomed = true;
    refreshPoints();
}

void ChartCard::onReset() {
    if (!m_built) return;
    m_zoomed = false;
    refreshPoints();
}

QString ChartCard::tooltipAt(const QPointF& value) const {
    const double x = value.x() / xScale();
    struct Entry {
        double distance;
        QString line;
    };
    std::vector<Entry> entries;
    for (std::size_t i = 0; i < m_prepared.size() && i < m_runs.size(); ++i) {
        const XYPoints& points = m_prepared[i].smoothed;
        if (points.size() == 0) continue;
        const auto it = std::lower_bound(points.x.begin(), points.x.end(), x);
        std::size_t index = static_cast<std::size_t>(it - points.x.begin());
        if (index == points.size() || (index > 0 && x - points.x[index - 1] < points.x[index] - x))
            index = index == 0 ? 0 : index - 1;
        const double y = points.y[index];
        if (!std::isfinite(y)) continue;
        const QString line =
            QStringLiteral("<span style='color:%1'>&#9632;</span> %2: <b>%3</b>")
                .arg(m_runs[i].color.name(), m_runs[i].name.toHtmlEscaped(), QString::number(y, 'g', 5));
        entries.push_back({std::abs(y - value.y()), line});
    }
    if (entries.empty()) return {};
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.distance < b.distance; });
    QString head;
    if (m_display.xAxis == QLatin1String("wall"))
        head = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(value.x()))
                   .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
    else if (m_display.xAxis == QLatin1String("relative"))
        head = tr("%1 s").arg(QString::number(x, 'f', 1));
    else
        head = tr("step %1").arg(QString::number(std::llround(x)));
    QString text = QStringLiteral("<b>%1</b> — %2").arg(m_tag.toHtmlEscaped(), head);
    for (std::size_t i = 0; i < entries.size() && i < kMaxTooltipRuns; ++i)
        text += QStringLiteral("<br>") + entries[i].line;
    if (entries.size() > kMaxTooltipRuns) text += tr("<br>… %1 more").arg(entries.size() - kMaxTooltipRuns);
    return text;
}

CurveChartSpec ChartCard::exportSpec(int pixels) const {
    CurveChartSpec spec;
    XAxis axis = XAxis::Step;
    parseXAxis(m_display.xAxis.toStdString(), axis);
    spec.title = m_tag;
    spec.xLabel = QString::fromUtf8(xAxisName(axis).data(), static_cast<qsizetype>(xAxisName(axis).size()));
    spec.yLabel = m_tag;
    spec.logY = m_display.logY;
    spec.robustYRange = m_display.robustY;
    spec.xIsWallTime = axis == XAxis::WallTime;
    const CurveOptions options = curveOptions(pixels, true);
    const bool drawRaw = m_display.showRaw && m_display.smoothing > 0;
    for (const CardRun& run : m_provider(m_tag)) {
        if (!run.data) continue;
        const PreparedCurve curve = prepareCurve(*run.data, options);
        CurveLine line;
        line.runName = run.name;
        line.color = run.color;
        if (drawRaw) {
            line.rawX = curve.raw.x;
            line.rawY = curve.raw.y;
        }
        line.smoothX = curve.smoothed.x;
        line.smoothY = curve.smoothed.y;
        spec.lines.push_back(std::move(line));
    }
    return spec;
}

bool ChartCard::exportImage(const QString& path, QString* error) {
    const std::unique_ptr<QChart> exported(buildCurveChart(exportSpec(kExportWidth)));
    if (!exported) {
        if (error) *error = tr("could not build the chart of %1").arg(m_tag);
        return false;
    }
    return exportChart(exported.get(), QSize(kExportWidth, kExportHeight), path, error);
}

namespace {

bool writeText(const QString& path, const QString& text, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text) || file.write(text.toUtf8()) < 0 ||
        !file.commit()) {
        if (error) *error = QObject::tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

QStringList ChartCard::exportTensorBoardCsv(const QString& path, QString* error) {
    const std::vector<CardRun> runs = m_provider(m_tag);
    QStringList written;
    const QFileInfo info(path);
    const QString base = info.path() + QLatin1Char('/') + info.completeBaseName();
    for (const CardRun& run : runs) {
        if (!run.data) continue;
        QString text = QStringLiteral("Wall time,Step,Value\n");
        const SeriesData& data = *run.data;
        for (std::size_t i = 0; i < data.size(); ++i)
            text += shortestNumber(data.wallTimes[i]) + QLatin1Char(',') + QString::number(data.steps[i]) +
                    QLatin1Char(',') + shortestNumber(data.values[i]) + QLatin1Char('\n');
        const QString file = runs.size() == 1
                                 ? path
                                 : base + QLatin1Char('-') + safeFileName(run.name) + QStringLiteral(".csv");
        if (!writeText(file, text, error)) return written;
        written << file;
    }
    return written;
}

bool ChartCard::exportLongCsv(const QString& path, QString* error) {
    QString text = QStringLiteral("run,tag,step,wall_time,value\n");
    const QString tag = csvField(m_tag);
    for (const CardRun& run : m_provider(m_tag)) {
        if (!run.data) continue;
        const QString name = csvField(run.name);
        const SeriesData& data = *run.data;
        for (std::size_t i = 0; i < data.size(); ++i)
            text += name + QLatin1Char(',') + tag + QLatin1Char(',') + QString::number(data.steps[i]) +
                    QLatin1Char(',') + shortestNumber(data.wallTimes[i]) + QLatin1Char(',') +
                    shortestNumber(data.values[i]) + QLatin1Char('\n');
    }
    return writeText(path, text, error);
}

void ChartCard::askAndExportImage(const QString& suffix) {
    const QString filter = tr("%1 image (*.%2)").arg(suffix.toUpper(), suffix);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export chart"), safeFileName(m_tag) + QLatin1Char('.') + suffix, filter);
    if (path.isEmpty()) return;
    QString error;
    if (!exportImage(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

void ChartCard::askAndExportCsv(bool longForm) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export data"), safeFileName(m_tag) + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = longForm ? exportLongCsv(path, &error)
                             : !exportTensorBoardCsv(path, &error).isEmpty() || error.isEmpty();
    if (!ok) QMessageBox::warning(this, tr("Export failed"), error);
}

} // namespace runlens::ui
