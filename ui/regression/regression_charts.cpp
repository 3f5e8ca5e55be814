// Qt Charts drawings of regression residual views; the numbers come from core/analysis/residual_views.
#include "ui/regression/regression_charts.h"

#include "ui/charts/chart_export.h"

#include <algorithm>
#include <cmath>
#include <QAreaSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

namespace runlens::ui {

namespace {

QValueAxis* valueAxis(QChart* chart, Qt::Alignment side, const QString& title, double low, double high) {
    auto* axis = new QValueAxis;
    if (!(high > low)) {
        low -= 0.5;
        high += 0.5;
    }
    axis->setRange(low, high);
    axis->setTitleText(title);
    axis->setTickCount(6);
    chart->addAxis(axis, side);
    return axis;
}

QChart* newChart(const QString& title, const QString& subtitle) {
    auto* chart = new QChart;
    chart->setTitle(QStringLiteral("<b>%1</b><br><span style='font-size:small'>%2</span>")
                        .arg(title.toHtmlEscaped(), subtitle.toHtmlEscaped()));
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

QLineSeries* dashedLine(QChart* chart, QPointF from, QPointF to, const QString& name) {
    auto* line = new QLineSeries(chart);
    line->setName(name);
    line->append(from);
    line->append(to);
    QPen pen(QColor(90, 90, 90));
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1.2);
    line->setPen(pen);
    return line;
}

} // namespace

QChart* buildPredictedActualChart(const Density2D& density, const QString& title) {
    auto* chart =
        newChart(title, QStringLiteral("each square = one cell of the grid, darker = more examples; "
                                       "dashed = predicted equals actual"));
    const auto& r = density.range;
    const double low = std::min(r.xMin, r.yMin), high = std::max(r.xMax, r.yMax);
    auto* x = valueAxis(chart, Qt::AlignBottom, QStringLiteral("actual"), low, high);
    auto* y = valueAxis(chart, Qt::AlignLeft, QStringLiteral("predicted"), low, high);
    constexpr int kShades = 5;
    const double maxLog = std::log1p(double(std::max<std::int64_t>(density.maxCount, 1)));
    std::vector<QScatterSeries*> shades;
    for (int s = 0; s < kShades; ++s) {
        auto* series = new QScatterSeries(chart);
        series->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        series->setMarkerSize(std::clamp(560.0 / std::max(density.nx, 1), 3.0, 14.0));
        const int alpha = 50 + 205 * s / (kShades - 1);
        series->setColor(QColor(31, 119, 180, alpha));
        series->setBorderColor(Qt::transparent);
        const auto upTo = std::llround(std::expm1(maxLog * (s + 1) / kShades));
        series->setName(s == kShades - 1 ? QStringLiteral("up to %1 per cell").arg(density.maxCount)
                                         : QStringLiteral("up to %1").arg(std::max<long long>(upTo, 1)));
        shades.push_back(series);
    }
    const double dx = (r.xMax - r.xMin) / std::max(density.nx, 1);
    const double dy = (r.yMax - r.yMin) / std::max(density.ny, 1);
    for (int ix = 0; ix < density.nx; ++ix)
        for (int iy = 0; iy < density.ny; ++iy) {
            const auto count = density.counts[std::size_t(ix) * std::size_t(density.ny) + std::size_t(iy)];
            if (count <= 0) continue;
            const int shade = std::min(kShades - 1, int(std::log1p(double(count)) / maxLog * kShades - 1e-9));
            shades[std::size_t(std::max(shade, 0))]->append(r.xMin + (ix + 0.5) * dx,
                                                            r.yMin + (iy + 0.5) * dy);
        }
    for (auto* series : shades)
        if (series->count() > 0)
            attachSeries(chart, series, x, y, true);
        else
            delete series;
    attachSeries(chart, dashedLine(chart, {low, low}, {high, high}, QStringLiteral("identity")), x, y, true);
    return chart;
}

QChart* buildResidualBinsChart(const std::vector<ResidualBin>& bins, const QString& xTitle,
                               const QString& title) {
    auto* chart =
        newChart(title, QStringLiteral("residual = actual - predicted; whiskers = 95% interval of the "
                                       "bin's mean; dashed = no bias"));
    double xLow = 0, xHigh = 1, yLow = 0, yHigh = 0;
    if (!bins.empty()) {
        xLow = bins.front().xLow;
        xHigh = bins.back().xHigh;
    }
    for (const auto& b : bins) {
        yLow = std::min(yLow, b.ciLow);
        yHigh = std::max(yHigh, b.ciHigh);
    }
    const double pad = 0.08 * std::max(yHigh - yLow, 1e-9);
    auto* x = valueAxis(chart, Qt::AlignBottom, xTitle, xLow, xHigh);
    auto* y = valueAxis(chart, Qt::AlignLeft, QStringLiteral("mean residual"), yLow - pad, yHigh + pad);
    auto* means = new QLineSeries(chart);
    means->setName(QStringLiteral("mean residual per bin"));
    means->setPointsVisible(true);
    for (const auto& b : bins) {
        means->append(b.xMean, b.mean);
        auto* whisker = new QLineSeries(chart);
        whisker->append(b.xMean, b.ciLow);
        whisker->append(b.xMean, b.ciHigh);
        whisker->setColor(QColor(31, 119, 180, 150));
        attachSeries(chart, whisker, x, y, false);
    }
    attachSeries(chart, means, x, y, true);
    attachSeries(chart, dashedLine(chart, {xLow, 0}, {xHigh, 0}, QStringLiteral("zero")), x, y, false);
    return chart;
}

QChart* buildResidualHistogramChart(const ResidualHistogram& histogram, const QString& title) {
    auto* chart =
        newChart(title, QStringLiteral("bars = residuals per bin; line = a normal distribution with "
                                       "the same mean and sd"));
    const auto& e = histogram.edges;
    double top = 1;
    for (std::size_t i = 0; i < histogram.counts.size(); ++i)
        top = std::max({top, double(histogram.counts[i]), histogram.expectedCounts[i]});
    auto* x = valueAxis(chart, Qt::AlignBottom, QStringLiteral("residual (actual - predicted)"),
                        e.empty() ? 0 : e.front(), e.empty() ? 1 : e.back());
    auto* y = valueAxis(chart, Qt::AlignLeft, QStringLiteral("examples"), 0, top * 1.08);
    // QAreaSeries never deletes its edge series: the chart owns them.
    auto* upper = new QLineSeries(chart);
    auto* lower = new QLineSeries(chart);
    for (std::size_t i = 0; i < histogram.counts.size(); ++i) {
        upper->append(e[i], 0);
        upper->append(e[i], double(histogram.counts[i]));
        upper->append(e[i + 1], double(histogram.counts[i]));
        upper->append(e[i + 1], 0);
    }
    if (!e.empty()) {
        lower->append(e.front(), 0);
        lower->append(e.back(), 0);
    }
    auto* bars = new QAreaSeries(upper, lower);
    bars->setName(QStringLiteral("residuals (n = %1)").arg(histogram.n));
    bars->setColor(QColor(31, 119, 180, 110));
    bars->setBorderColor(QColor(31, 119, 180));
    attachSeries(chart, bars, x, y, true);
    auto* normal = new QLineSeries(chart);
    normal->setName(QStringLiteral("normal reference"));
    for (std::size_t i = 0; i < histogram.centres.size(); ++i)
        normal->append(histogram.centres[i], histogram.expectedCounts[i]);
    QPen pen(QColor(214, 39, 40));
    pen.setWidthF(2);
    normal->setPen(pen);
    attachSeries(chart, normal, x, y, true);
    return chart;
}

} // namespace runlens::ui
