// Draws slice comparisons: strata on the x axis, cohorts side by side, marker size = stratum share, overall
// lines.
#include "ui/slices/slice_chart.h"

#include "ui/charts/chart_export.h"

#include <algorithm>
#include <cmath>
#include <QCategoryAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

namespace runlens::ui {

namespace {

QString strataLabel(const SliceRow& row) {
    QStringList parts;
    for (const auto& [feature, value] : row.key)
        parts << QString::fromStdString(value);
    return parts.join(", ");
}

void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

void hideFromLegend(QChart* chart, QAbstractSeries* series) {
    for (auto* marker : chart->legend()->markers(series))
        marker->setVisible(false);
}

} // namespace

QChart* buildSliceChart(const SliceReport& report) {
    auto* chart = new QChart;
    const auto& info = sliceMetricInfo(report.metric);
    const bool percent = info.rate;
    const double scale = percent ? 100.0 : 1.0;
    QString by;
    for (const auto& f : report.by)
        by += (by.isEmpty() ? "" : " × ") + QString::fromStdString(f);
    QString title =
        QString::fromUtf8(info.name.data(), static_cast<qsizetype>(info.name.size())) + " by " + by;
    if (report.cohorts.size() > 1)
        title += QString(" — Simpson's reversal: %1")
                     .arg(QString::fromUtf8(reversalName(report.simpson.reversal).data()));
    // Two lines: what is compared, and how to read the marks.
    chart->setTitle(
        QStringLiteral("<b>%1</b><br><span style='font-size:small'>marker area = the stratum's share of "
                       "the cohort · whiskers = 95% interval · dashed = overall</span>")
            .arg(title.toHtmlEscaped()));
    chart->legend()->setAlignment(Qt::AlignBottom);

    const int strata = static_cast<int>(report.slices.size());
    auto* xAxis = new QCategoryAxis;
    xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (int s = 0; s < strata; ++s)
        xAxis->append(strataLabel(report.slices[s]), s);
    xAxis->setRange(-0.6, strata - 0.4);
    xAxis->setTitleText(by);
    auto* yAxis = new QValueAxis;
    yAxis->setTitleText(QString::fromUtf8(info.name.data(), static_cast<qsizetype>(info.name.size())) +
                        (percent ? " (%)" : ""));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    double lo = INFINITY, hi = -INFINITY;
    auto widen = [&](double v) {
        if (std::isfinite(v)) lo = std::min(lo, v * scale), hi = std::max(hi, v * scale);
    };
    const int cohorts = static_cast<int>(report.cohorts.size());
    QStringList names;
    for (const auto& cohort : report.cohorts)
        names << QString::fromStdString(cohort);
    names = shortRunNames(names);
    for (int c = 0; c < cohorts; ++c) {
        const QColor color = runColor(c);
        const QString name = names[c];
        const double offset = cohorts > 1 ? (c - (cohorts - 1) / 2.0) * (0.5 / cohorts) : 0.0;
        for (int s = 0; s < strata; ++s) {
            const auto& cell = report.slices[s].cohorts[c];
            if (cell.n == 0 || !std::isfinite(cell.value)) continue;
            widen(cell.value);
            widen(cell.ciLow);
            widen(cell.ciHigh);
            // Interval whisker.
            auto* whisker = new QLineSeries;
            whisker->setPen(QPen(color, 1.5));
            whisker->append(s + offset, cell.ciLow * scale);
            whisker->append(s + offset, cell.ciHigh * scale);
            attach(chart, whisker, xAxis, yAxis);
            hideFromLegend(chart, whisker);
            // Point with area proportional to the share (diameter ~ sqrt(share)).
            auto* point = new QScatterSeries;
            point->setColor(color);
            point->setBorderColor(color.darker(130));
            point->setMarkerSize(8.0 + 40.0 * std::sqrt(std::clamp(cell.share, 0.0, 1.0)));
            point->append(s + offset, cell.value * scale);
            point->setName(name);
            attach(chart, point, xAxis, yAxis);
            // One legend entry per cohort (its dashed overall line, in the same colour): two each elided
            // every name once three runs were compared.
            hideFromLegend(chart, point);
        }
        const auto& overall = report.overall[c];
        widen(overall.value);
        auto* line = new QLineSeries;
        QPen pen(color, 2.0, Qt::DashLine);
        line->setPen(pen);
        line->append(-0.6, overall.value * scale);
        line->append(strata - 0.4, overall.value * scale);
        line->setName(name); // its overall value is where the line is drawn, and in the text beside the chart
        attach(chart, line, xAxis, yAxis);
    }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    const double pad = std::max((hi - lo) * 0.08, percent ? 1.0 : 1e-3);
    yAxis->setRange(lo - pad, hi + pad);
    yAxis->applyNiceNumbers();
    return chart;
}

} // namespace runlens::ui
