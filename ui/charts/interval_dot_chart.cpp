// Draws dot charts with intervals: a category axis of rows, whiskers and points per series.
#include "ui/charts/interval_dot_chart.h"

#include "ui/charts/chart_export.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <QCategoryAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

namespace runlens::ui {

namespace {

double at(const std::vector<double>& v, std::size_t i) {
    return i < v.size() ? v[i] : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

QChart* buildIntervalDotChart(const DotChartInput& input) {
    auto* chart = new QChart;
    chart->setTitle(input.subtitle.isEmpty()
                        ? QStringLiteral("<b>%1</b>").arg(input.title.toHtmlEscaped())
                        : QStringLiteral("<b>%1</b><br><span style='font-size:small'>%2</span>")
                              .arg(input.title.toHtmlEscaped(), input.subtitle.toHtmlEscaped()));
    chart->legend()->setAlignment(Qt::AlignBottom);
    const int rows = int(input.rows.size());
    // The first row on top: row r sits at y = rows - 1 - r.
    auto* yAxis = new QCategoryAxis;
    yAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (int r = rows - 1; r >= 0; --r)
        yAxis->append(input.rows[r], rows - 1 - r);
    yAxis->setRange(-0.6, std::max(rows, 1) - 0.4);
    auto* xAxis = new QValueAxis;
    xAxis->setTitleText(input.valueTitle);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    double lo = INFINITY, hi = -INFINITY;
    auto widen = [&](double v) {
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    };
    const int seriesCount = int(input.series.size());
    for (int m = 0; m < seriesCount; ++m) {
        const auto& s = input.series[std::size_t(m)];
        const double offset = seriesCount > 1 ? (m - (seriesCount - 1) / 2.0) * (0.5 / seriesCount) : 0.0;
        auto* points = new QScatterSeries;
        points->setName(s.name);
        points->setColor(s.color);
        points->setBorderColor(s.color.darker(130));
        points->setMarkerSize(10);
        for (int r = 0; r < rows; ++r) {
            const std::size_t i = std::size_t(r);
            const double y = rows - 1 - r - offset;
            const double value = at(s.value, i);
            if (!std::isfinite(value)) continue;
            widen(value);
            const double low = at(s.low, i), high = at(s.high, i);
            if (std::isfinite(low) && std::isfinite(high)) {
                widen(low);
                widen(high);
                auto* whisker = new QLineSeries;
                whisker->setPen(QPen(s.color, 1.5));
                whisker->append(low, y);
                whisker->append(high, y);
                attachSeries(chart, whisker, xAxis, yAxis, false);
            }
            const double boxLow = at(s.boxLow, i), boxHigh = at(s.boxHigh, i);
            if (std::isfinite(boxLow) && std::isfinite(boxHigh)) {
                auto* box = new QLineSeries;
                box->setPen(QPen(s.color, 6.0, Qt::SolidLine, Qt::FlatCap));
                box->append(boxLow, y);
                box->append(boxHigh, y);
                attachSeries(chart, box, xAxis, yAxis, false);
            }
            points->append(value, y);
        }
        attachSeries(chart, points, xAxis, yAxis, true);
    }
    if (std::isfinite(input.reference)) {
        widen(input.reference);
        auto* line = new QLineSeries;
        line->setName(input.referenceName);
        line->setPen(QPen(QColor(120, 120, 120), 1.5, Qt::DashLine));
        line->append(input.reference, -0.6);
        line->append(input.reference, std::max(rows, 1) - 0.4);
        attachSeries(chart, line, xAxis, yAxis, !input.referenceName.isEmpty());
    }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (input.percent) {
        // Rates start at 0 and end at the next tick above the highest bound; ticks every 20 points above 50%,
        // so a narrow chart keeps its labels readable.
        const double step = hi > 50 ? 20.0 : 10.0;
        const double top = std::min(100.0, std::max(step, std::ceil((hi + 1e-9) / step) * step));
        xAxis->setRange(0, top);
        xAxis->setTickCount(int(std::lround(top / step)) + 1);
        xAxis->setLabelFormat("%.0f");
        return chart;
    }
    const double pad = std::max((hi - lo) * 0.06, 1e-3);
    xAxis->setRange(lo - pad, hi + pad);
    xAxis->applyNiceNumbers();
    return chart;
}

} // namespace runlens::ui
