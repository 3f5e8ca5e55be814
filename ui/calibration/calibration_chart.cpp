// Reliability diagrams with Qt Charts: diagonal, per-bin points and intervals, histogram of scores
// underneath.
#include "ui/calibration/calibration_chart.h"

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

void attach(QChart* chart, QAbstractSeries* s, QAbstractAxis* x, QAbstractAxis* y, bool inLegend) {
    chart->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
    if (!inLegend)
        for (auto* m : chart->legend()->markers(s))
            m->setVisible(false);
}

void addHistogram(QChart* chart, const CalibrationReport& report, QAbstractAxis* x, QValueAxis* counts) {
    std::int64_t maxCount = 1;
    for (const auto& b : report.bins)
        maxCount = std::max(maxCount, b.count);
    // QAreaSeries never deletes its edge series: the chart owns them.
    auto* upper = new QLineSeries(chart);
    auto* lower = new QLineSeries(chart);
    for (const auto& b : report.bins) {
        upper->append(b.lower, 0);
        upper->append(b.lower, static_cast<double>(b.count));
        upper->append(b.upper, static_cast<double>(b.count));
        upper->append(b.upper, 0);
    }
    lower->append(0, 0);
    lower->append(1, 0);
    auto* area = new QAreaSeries(upper, lower);
    area->setName("examples per bin");
    area->setColor(QColor(120, 120, 120, 60));
    area->setBorderColor(QColor(120, 120, 120, 120));
    // The histogram takes the bottom quarter of the plot.
    counts->setRange(0, 4.0 * static_cast<double>(maxCount));
    counts->setLabelFormat("%d");
    counts->setTitleText("examples per bin");
    counts->setGridLineVisible(false);
    attach(chart, area, x, counts, false); // named by its axis title; the legend keeps room for the runs
}

} // namespace

QChart* buildReliabilityChart(const std::vector<ReliabilityCurve>& curves, const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(
        QStringLiteral("<b>%1</b><br><span style='font-size:small'>dashed diagonal = perfectly "
                       "calibrated · whiskers = 95% interval · grey bars = examples per bin</span>")
            .arg(title.toHtmlEscaped()));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* x = new QValueAxis;
    x->setRange(0, 1);
    x->setTickCount(6);
    x->setLabelFormat("%.1f");
    x->setTitleText("mean predicted probability");
    auto* y = new QValueAxis;
    y->setRange(0, 1);
    y->setTickCount(6);
    y->setLabelFormat("%.1f");
    y->setTitleText("fraction of positives");
    auto* counts = new QValueAxis;
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(counts, Qt::AlignRight);
    if (!curves.empty()) addHistogram(chart, curves.front().report, x, counts);

    auto* diagonal = new QLineSeries;
    diagonal->setName("perfectly calibrated");
    diagonal->setPen(QPen(QColor(90, 90, 90), 1.2, Qt::DashLine));
    diagonal->append(0, 0);
    diagonal->append(1, 1);
    attach(chart, diagonal, x, y, false); // explained in the title

    QStringList names;
    for (const auto& curve : curves)
        names << curve.name;
    names = shortRunNames(names);
    for (std::size_t c = 0; c < curves.size(); ++c) {
        const auto& report = curves[c].report;
        const QColor color = runColor(static_cast<int>(c));
        for (const auto& b : report.bins) {
            if (std::isfinite(b.consistencyLow) && std::isfinite(b.consistencyHigh)) {
                auto* band = new QLineSeries;
                band->setPen(QPen(QColor(160, 160, 160, 150), 6.0, Qt::SolidLine, Qt::FlatCap));
                band->append(b.meanPredicted, b.consistencyLow);
                band->append(b.meanPredicted, b.consistencyHigh);
                attach(chart, band, x, y, false);
            }
            auto* whisker = new QLineSeries;
            whisker->setPen(QPen(color, 1.5));
            whisker->append(b.meanPredicted, b.ciLow);
            whisker->append(b.meanPredicted, b.ciHigh);
            attach(chart, whisker, x, y, false);
        }
        auto* line = new QLineSeries;
        line->setPen(QPen(color, 2.0));
        auto* points = new QScatterSeries;
        points->setColor(color);
        points->setBorderColor(color.darker(130));
        points->setMarkerSize(9);
        for (const auto& b : report.bins) {
            line->append(b.meanPredicted, b.fractionPositive);
            points->append(b.meanPredicted, b.fractionPositive);
        }
        points->setName(
            QString("%1 (ECE %2)").arg(names[static_cast<qsizetype>(c)]).arg(report.ece, 0, 'f', 4));
        attach(chart, line, x, y, false);
        attach(chart, points, x, y, true);
    }
    return chart;
}

} // namespace runlens::ui
