// Draws cost against quality: dominated runs faint, the front as a joined line with labels, interval
// whiskers, and rings around the best and the chosen run.
#include "ui/cost/cost_chart.h"

#include "ui/charts/chart_export.h"

#include <algorithm>
#include <cmath>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

namespace runlens::ui {

namespace {

QScatterSeries* scatter(const QString& name, const QColor& fill, double size) {
    auto* s = new QScatterSeries;
    s->setName(name);
    s->setColor(fill);
    s->setBorderColor(fill.darker(140));
    s->setMarkerSize(size);
    return s;
}

// A hollow ring marker drawn over a point.
QScatterSeries* ring(const QString& name, const QColor& color, double size) {
    auto* s = new QScatterSeries;
    s->setName(name);
    s->setMarkerSize(size);
    s->setBrush(Qt::NoBrush);
    s->setPen(QPen(color, 2.5));
    return s;
}

} // namespace

CostChartInput costChartInput(const CostQualityStudy& s, bool withSentence, bool logCost) {
    CostChartInput in;
    if (s.points.empty() || s.axes.costNames.empty()) return in;
    const QString cost = QString::fromStdString(s.axes.costNames.front());
    const QString quality = QString::fromStdString(s.axes.qualityName);
    in.title = QObject::tr("%1 against %2").arg(quality, cost);
    if (withSentence) in.subtitle = QString::fromStdString(s.cheapest.sentence);
    in.costTitle = cost;
    in.qualityTitle = quality + (s.axes.qualityHigherIsBetter ? QObject::tr(" (higher is better)")
                                                              : QObject::tr(" (lower is better)"));
    in.logCost = logCost;
    for (std::size_t i = 0; i < s.points.size(); ++i) {
        const auto& p = s.points[i];
        in.points.push_back({QString::fromStdString(p.name), p.costs.front(), p.quality, p.qualityLow,
                             p.qualityHigh, bool(s.front.onFront[i]),
                             s.cheapest.found && s.cheapest.best == i,
                             s.cheapest.found && s.cheapest.chosen == i});
    }
    return in;
}

QChart* buildCostQualityChart(const CostChartInput& input) {
    auto* chart = new QChart;
    chart->setTitle(input.subtitle.isEmpty()
                        ? QStringLiteral("<b>%1</b>").arg(input.title.toHtmlEscaped())
                        : QStringLiteral("<b>%1</b><br><span style='font-size:small'>%2</span>")
                              .arg(input.title.toHtmlEscaped(), input.subtitle.toHtmlEscaped()));
    chart->legend()->setAlignment(Qt::AlignBottom);
    const auto& pts = input.points;
    const bool logCost =
        input.logCost && !pts.empty() &&
        std::all_of(pts.begin(), pts.end(), [](const CostChartPoint& p) { return p.cost > 0; });
    QAbstractAxis* xAxis = nullptr;
    if (logCost) {
        auto* axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setLabelFormat("%g");
        axis->setMinorTickCount(8);
        xAxis = axis;
    } else {
        xAxis = new QValueAxis;
    }
    xAxis->setTitleText(input.costTitle + (logCost ? QObject::tr(" (log scale)") : QString()));
    auto* yAxis = new QValueAxis;
    yAxis->setTitleText(input.qualityTitle);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);

    double xLo = INFINITY, xHi = -INFINITY, yLo = INFINITY, yHi = -INFINITY;
    auto widenY = [&](double v) {
        if (std::isfinite(v)) yLo = std::min(yLo, v), yHi = std::max(yHi, v);
    };
    const QColor dominatedColor(120, 144, 176), frontColor(230, 120, 20);
    auto* dominated = scatter(QObject::tr("dominated run"), dominatedColor, 8);
    auto* front = scatter(QObject::tr("Pareto front"), frontColor, 11);
    auto* best = ring(QObject::tr("best quality"), QColor(40, 40, 40), 20);
    auto* chosen = ring(QObject::tr("cheapest within tolerance"), QColor(30, 150, 60), 26);
    std::vector<const CostChartPoint*> frontPoints;
    for (const auto& p : pts) {
        xLo = std::min(xLo, p.cost), xHi = std::max(xHi, p.cost);
        widenY(p.quality);
        if (std::isfinite(p.low) && std::isfinite(p.high)) {
            widenY(p.low);
            widenY(p.high);
            auto* whisker = new QLineSeries;
            whisker->setPen(QPen(p.onFront ? frontColor : dominatedColor, 1.2));
            whisker->append(p.cost, p.low);
            whisker->append(p.cost, p.high);
            attachSeries(chart, whisker, xAxis, yAxis, false);
        }
        (p.onFront ? front : dominated)->append(p.cost, p.quality);
        if (p.onFront) frontPoints.push_back(&p);
        if (p.best) best->append(p.cost, p.quality);
        if (p.chosen) chosen->append(p.cost, p.quality);
    }
    // The front as a staircase in cost order: each step is what the next cheaper run gives up.
    std::sort(frontPoints.begin(), frontPoints.end(),
              [](const CostChartPoint* a, const CostChartPoint* b) { return a->cost < b->cost; });
    if (frontPoints.size() > 1) {
        auto* line = new QLineSeries;
        line->setPen(QPen(frontColor, 1.5, Qt::DashLine));
        for (std::size_t i = 0; i < frontPoints.size(); ++i) {
            if (i > 0) line->append(frontPoints[i]->cost, frontPoints[i - 1]->quality);
            line->append(frontPoints[i]->cost, frontPoints[i]->quality);
        }
        attachSeries(chart, line, xAxis, yAxis, false);
    }
    attachSeries(chart, dominated, xAxis, yAxis, dominated->count() > 0);
    attachSeries(chart, front, xAxis, yAxis, true);
    // Names on every point of a small study, else only on the front, where the choice is.
    std::vector<const CostChartPoint*> labelled;
    for (const auto& p : pts)
        if (pts.size() <= 15 || (p.onFront && frontPoints.size() <= 25)) labelled.push_back(&p);
    {
        // A QXYSeries labels every point with one format: a series per label gives each run its name. The
        // invisible marker is larger than the drawn one so the label clears it.
        for (const auto* p : labelled) {
            auto* one = new QScatterSeries;
            one->setMarkerSize(26);
            one->setBrush(Qt::NoBrush);
            one->setPen(Qt::NoPen);
            one->append(p->cost, p->quality);
            one->setPointLabelsFormat(p->name);
            one->setPointLabelsVisible(true);
            one->setPointLabelsClipping(false);
            attachSeries(chart, one, xAxis, yAxis, false);
        }
    }
    attachSeries(chart, best, xAxis, yAxis, best->count() > 0);
    attachSeries(chart, chosen, xAxis, yAxis, chosen->count() > 0);

    if (!std::isfinite(xLo)) xLo = 0, xHi = 1;
    if (!std::isfinite(yLo)) yLo = 0, yHi = 1;
    if (logCost) {
        xAxis->setRange(xLo / 1.5, xHi * 1.5);
    } else {
        const double pad = std::max((xHi - xLo) * 0.08, 1e-9);
        xAxis->setRange(xLo - pad, xHi + pad);
        static_cast<QValueAxis*>(xAxis)->applyNiceNumbers();
    }
    const double pad = std::max((yHi - yLo) * 0.1, 1e-6);
    yAxis->setRange(yLo - pad, yHi + pad);
    yAxis->applyNiceNumbers();
    return chart;
}

} // namespace runlens::ui
