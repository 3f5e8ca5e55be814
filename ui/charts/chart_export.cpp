// Builds curve charts with Qt Charts (axes, legend, faint raw lines), their round and decade axis ticks, CSV
// fields and run colours; rendering to PNG, SVG or PDF is in chart_export_render.cpp.
#include "ui/charts/chart_export.h"

#include "core/analysis/axis_ticks.h"
#include "core/analysis/statistics.h"
#include "core/model/number_text.h"
#include "ui/charts/curve_layer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <QAbstractSeries>
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSet>
#include <QValueAxis>
#include <utility>
#include <vector>

namespace runlens::ui {

namespace {

// ~25% opacity: raw values stay visible without competing with the smoothed line.
constexpr int kRawAlpha = 64;
constexpr int kMaxLegendEntriesAtBottom = 8;
constexpr qsizetype kMaxLegendCharsAtBottom = 110; // about one row of a 1,000 px wide chart
constexpr int kBandAlpha = 56;                     // translucent enough for overlapping groups to show
constexpr std::size_t kMaxWideLines = 8;           // the cards' threshold for one-pixel lines

struct Range {
    double lo = 0;
    double hi = 0;
};

bool drawable(double x, double y, bool logY) {
    return std::isfinite(x) && std::isfinite(y) && (!logY || y > 0);
}

// Widens an empty or zero-width range so an axis can show it.
Range widened(Range range) {
    if (range.hi > range.lo) return range;
    const double pad = std::max(std::abs(range.lo) * 0.1, 0.5);
    return {range.lo - pad, range.hi + pad};
}

std::optional<Range> xRangeOf(const CurveChartSpec& spec) {
    double lo = INFINITY, hi = -INFINITY;
    const auto scan = [&](const std::vector<double>& xs) {
        for (const double x : xs) {
            if (!std::isfinite(x)) continue;
            lo = std::min(lo, x);
            hi = std::max(hi, x);
        }
    };
    for (const auto& line : spec.lines) {
        scan(line.rawX);
        scan(line.smoothX);
    }
    for (const auto& band : spec.bands)
        scan(band.x);
    if (lo > hi) return std::nullopt;
    return Range{lo, hi};
}

// y values the range is computed from: smoothed only for the robust range (spikes of the raw line are what
// it ignores), all drawn values otherwise. Log axes work on log10 of the positive values.
std::vector<double> yValuesForRange(const CurveChartSpec& spec) {
    std::vector<double> values;
    const auto collect = [&](const std::vector<double>& xs, const std::vector<double>& ys) {
        const std::size_t n = std::min(xs.size(), ys.size());
        for (std::size_t i = 0; i < n; ++i)
            if (drawable(xs[i], ys[i], spec.logY)) values.push_back(spec.logY ? std::log10(ys[i]) : ys[i]);
    };
    for (const auto& line : spec.lines) {
        collect(line.smoothX, line.smoothY);
        if (!spec.robustYRange) collect(line.rawX, line.rawY);
    }
    for (const auto& band : spec.bands) {
        collect(band.x, band.lower);
        collect(band.x, band.upper);
    }
    return values;
}

// The y range in axis units (log10 for a log axis): full range with 5% margin, or the 5th-95th percentile
// band with 10% margin when robust.
std::optional<Range> yRangeOf(const CurveChartSpec& spec) {
    std::vector<double> values = yValuesForRange(spec);
    if (values.empty()) return std::nullopt;
    const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
    Range range{*lowest, *highest};
    double margin = 0.05;
    if (spec.robustYRange) { // only the percentiles need the values in order
        std::sort(values.begin(), values.end());
        range = {stats::quantileSorted(values, 0.05), stats::quantileSorted(values, 0.95)};
        margin = 0.10;
    }
    const double span = range.hi - range.lo;
    if (span > 0) range = {range.lo - margin * span, range.hi + margin * span};
    return spec.logY ? range : widened(range);
}

QAbstractAxis* makeLinearAxis(const Range& range, int targetTicks, bool stepCounts) {
    QValueAxis* axis = stepCounts ? makeStepCountAxis() : new QValueAxis;
    axis->setRange(range.lo, range.hi);
    applyRoundTicks(axis, targetTicks);
    return axis;
}

QAbstractAxis* makeLogAxis(Range log10Range) {
    auto* axis = new QLogValueAxis;
    axis->setRange(std::pow(10.0, log10Range.lo), std::pow(10.0, log10Range.hi));
    applyDecadeTicks(axis, true);
    return axis;
}

QAbstractAxis* makeWallTimeAxis(const Range& seconds) {
    auto* axis = new QDateTimeAxis;
    const Range range = widened(seconds);
    axis->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(range.lo * 1000.0)),
                   QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(range.hi * 1000.0)));
    const double span = range.hi - range.lo;
    if (span < 2 * 86400.0)
        axis->setFormat(QStringLiteral("HH:mm"));
    else if (span < 300 * 86400.0)
        axis->setFormat(QStringLiteral("MMM d HH:mm"));
    else
        axis->setFormat(QStringLiteral("yyyy-MM-dd"));
    axis->setTickCount(6);
    return axis;
}

QLineSeries* addLine(QChart* chart, QAbstractAxis* xAxis, QAbstractAxis* yAxis, const QString& name,
                     QList<QPointF> points, const QPen& pen, bool inLegend) {
    auto* series = new QLineSeries;
    series->setName(name);
    series->setPen(pen);
    series->replace(points); // one call: the chart lays the series out once
    chart->addSeries(series);
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    if (!inLegend)
        for (QLegendMarker* marker : chart->legend()->markers(series))
            marker->setVisible(false);
    return series;
}

// Runs of consecutive band points where both bounds can be drawn; a gap (too few runs for a spread) splits
// the band so the area does not bridge it.
std::vector<std::pair<QList<QPointF>, QList<QPointF>>> bandSegments(const CurveBand& band, bool logY,
                                                                    double xScale) {
    std::vector<std::pair<QList<QPointF>, QList<QPointF>>> segments;
    const std::size_t n = std::min({band.x.size(), band.lower.size(), band.upper.size()});
    bool open = false;
    for (std::size_t i = 0; i < n; ++i) {
        const bool ok = drawable(band.x[i], band.lower[i], logY) && drawable(band.x[i], band.upper[i], logY);
        if (!ok) {
            open = false;
            continue;
        }
        if (!open) segments.emplace_back();
        open = true;
        segments.back().first.append(QPointF(band.x[i] * xScale, band.upper[i]));
        segments.back().second.append(QPointF(band.x[i] * xScale, band.lower[i]));
    }
    return segments;
}

void addBand(QChart* chart, QAbstractAxis* xAxis, QAbstractAxis* yAxis, const CurveBand& band, bool logY,
             double xScale) {
    for (auto& [upperPoints, lowerPoints] : bandSegments(band, logY, xScale)) {
        // QAreaSeries never deletes its edge series: the chart owns them.
        auto* upper = new QLineSeries(chart);
        auto* lower = new QLineSeries(chart);
        upper->replace(upperPoints);
        lower->replace(lowerPoints);
        auto* area = new QAreaSeries(upper, lower);
        area->setName(band.name);
        QColor fill = band.color;
        fill.setAlpha(kBandAlpha);
        area->setBrush(fill);
        area->setPen(Qt::NoPen);
        chart->addSeries(area);
        area->attachAxis(xAxis);
        area->attachAxis(yAxis);
        for (QLegendMarker* marker : chart->legend()->markers(area))
            marker->setVisible(false);
    }
}

void styleChart(QChart* chart, const CurveChartSpec& spec) {
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setBackgroundBrush(Qt::white);
    chart->setMargins(QMargins(10, 6, 24, 6)); // room on the right for the last x label
    chart->setTitle(spec.title);
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(std::max(11.0, titleFont.pointSizeF() * 1.25));
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);

    QLegend* legend = chart->legend();
    legend->setVisible(true);
    legend->setShowToolTips(true);
    // A bottom legend is one row that elides names; many runs or long names read better stacked on the right.
    int visibleEntries = 0;
    qsizetype labelChars = 0;
    for (const auto& line : spec.lines) {
        if (line.smoothX.empty()) continue;
        ++visibleEntries;
        labelChars += line.runName.size() + 4; // + marker and spacing
    }
    const bool crowded = visibleEntries > kMaxLegendEntriesAtBottom || labelChars > kMaxLegendCharsAtBottom;
    legend->setAlignment(crowded ? Qt::AlignRight : Qt::AlignBottom);
}

} // namespace

QChart* buildCurveChart(const CurveChartSpec& spec) {
    auto* chart = new QChart;
    styleChart(chart, spec);

    const Range xRange = xRangeOf(spec).value_or(Range{0, 1});
    const double xScale = spec.xIsWallTime ? 1000.0 : 1.0;
    QAbstractAxis* xAxis =
        spec.xIsWallTime ? makeWallTimeAxis(xRange) : makeLinearAxis(widened(xRange), 8, spec.xIsStepCount);
    const Range yRange = yRangeOf(spec).value_or(Range{0, 1});
    QAbstractAxis* yAxis = spec.logY ? makeLogAxis(yRange) : makeLinearAxis(yRange, 6, false);
    xAxis->setTitleText(spec.xLabel);
    yAxis->setTitleText(spec.yLabel);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    // Bands first, then raw lines, so every smoothed line is drawn on top of all of them.
    for (const auto& band : spec.bands)
        addBand(chart, xAxis, yAxis, band, spec.logY, xScale);
    // The lines are drawn by the GUI cards' CurveLayer (one painter pass, cosmetic pens for many lines,
    // two cores): Qt Charts' line series stroke every segment through its generic path code, which made a
    // 100-run chart take seconds. An empty series per line keeps its entry in Qt Charts' legend.
    std::vector<CurveLayer::Line> layerLines;
    const auto layerPoints = [&](const std::vector<double>& xs, const std::vector<double>& ys) {
        std::vector<QPointF> points;
        const std::size_t n = std::min(xs.size(), ys.size());
        points.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
            if (drawable(xs[i], ys[i], spec.logY)) points.emplace_back(xs[i] * xScale, ys[i]);
        return points;
    };
    for (const auto& line : spec.lines) {
        if (line.rawX.empty()) continue;
        QColor faint = line.color;
        faint.setAlpha(kRawAlpha);
        layerLines.push_back({line.runName + QStringLiteral(" (raw)"), faint, 1.0, line.style,
                              layerPoints(line.rawX, line.rawY)});
    }
    // As on a card: many lines are drawn one pixel wide (clearer where dozens overlap, and far cheaper).
    const bool manyLines = spec.lines.size() > kMaxWideLines;
    for (const auto& line : spec.lines) {
        if (line.smoothX.empty()) continue;
        QPen pen(line.color);
        pen.setWidthF(2.0);
        pen.setStyle(line.style);
        addLine(chart, xAxis, yAxis, line.runName, {}, pen, true);
        layerLines.push_back({line.runName, line.color, manyLines ? 1.0 : 2.0, line.style,
                              layerPoints(line.smoothX, line.smoothY)});
    }
    auto* layer = new CurveLayer(chart, xAxis, yAxis);
    layer->setContent({}, std::move(layerLines));
    return chart;
}

QString csvField(const QString& text, CsvQuoting quoting) {
    return QString::fromStdString(runlens::csvField(text.toStdString(), quoting));
}

QString csvNumber(double value) {
    return QString::fromStdString(numberText(value, kCsvNonFinite));
}

QValueAxis* makeStepCountAxis() {
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    return axis;
}

void applyRoundTicks(QValueAxis* axis, int targetTicks) {
    const double lo = axis->min(), hi = axis->max();
    const double step = niceTickStep(hi - lo, targetTicks);
    auto* category = qobject_cast<QCategoryAxis*>(axis);
    if (!category) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0.0);
        axis->setTickInterval(step);
        axis->setLabelFormat(QStringLiteral("%.%1f").arg(tickDecimals(step)));
        axis->setMinorTickCount(0);
        return;
    }
    const std::vector<double> ticks = niceTicks(lo, hi, targetTicks);
    QStringList labels;
    for (const double tick : ticks)
        labels << QString::fromStdString(step >= 1 ? compactCount(tick) : plainTickLabel(tick, step));
    // Zoomed in far enough, compact labels repeat ("10k" for 10,000 and 10,002): plain numbers then.
    if (QSet<QString>(labels.begin(), labels.end()).size() != labels.size()) {
        labels.clear();
        for (const double tick : ticks)
            labels << QString::fromStdString(plainTickLabel(tick, step));
    }
    if (category->categoriesLabels() == labels && category->startValue() == lo) return;
    for (const QString& old : category->categoriesLabels())
        category->remove(old);
    category->setStartValue(lo);
    for (qsizetype i = 0; i < labels.size(); ++i)
        category->append(labels[i], ticks[static_cast<std::size_t>(i)]);
}

void applyDecadeTicks(QLogValueAxis* axis, bool snapToDecades) {
    axis->setBase(10.0);
    // "%.15g" writes every power of ten from 0.0001 to 1e14 as a plain number (0.01, not 1e-02).
    axis->setLabelFormat(QStringLiteral("%.15g"));
    axis->setMinorTickCount(8); // gridlines at 2..9 times each power of ten
    if (!snapToDecades) return;
    const auto [lo, hi] = decadeRange(axis->min(), axis->max());
    // A hair beyond the decades: log10(pow(10, -1)) rounds to just above -1, which would drop that label.
    axis->setRange(lo * (1 - 1e-9), hi * (1 + 1e-9));
}

void attachSeries(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y, bool inLegend) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    if (!inLegend)
        for (auto* marker : chart->legend()->markers(series))
            marker->setVisible(false);
}

QStringList shortRunNames(const QStringList& names) {
    if (names.size() < 2) return names;
    std::vector<QStringList> parts;
    qsizetype shortest = std::numeric_limits<qsizetype>::max();
    for (const auto& name : names) {
        parts.push_back(name.split(QLatin1Char('/')));
        shortest = std::min(shortest, parts.back().size());
    }
    qsizetype common = 0;
    while (common + 1 < shortest && std::all_of(parts.begin(), parts.end(), [&](const QStringList& p) {
               return p[common] == parts[0][common];
           }))
        ++common;
    if (common == 0) return names;
    QStringList out;
    for (const auto& p : parts)
        out << p.mid(common).join(QLatin1Char('/'));
    return out;
}

int runColorSlot(const QString& key) {
    // FNV-1a over UTF-8: unlike std::hash, the same on every platform and in every release.
    std::uint32_t hash = 2166136261u;
    for (const char byte : key.toUtf8()) {
        hash ^= static_cast<std::uint8_t>(byte);
        hash *= 16777619u;
    }
    return static_cast<int>(hash % static_cast<std::uint32_t>(kRunColorCount));
}

QColor runColor(int index) {
    // Tableau 10 first (distinct for the common forms of colour blindness), then the darker Tableau 20
    // partners, so twenty runs get twenty colours before any repeats.
    static constexpr std::array<QRgb, kRunColorCount> kPalette = {
        0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC,
        0x2B5C8A, 0xB6651C, 0xA8323A, 0x3E8C87, 0x2F7A34, 0xB59A1F, 0x7E4F75, 0xD4697A, 0x6B4E3B, 0x7F7770};
    const auto n = static_cast<int>(kPalette.size());
    const int slot = ((index % n) + n) % n;
    return QColor::fromRgb(kPalette[static_cast<std::size_t>(slot)]);
}

} // namespace runlens::ui