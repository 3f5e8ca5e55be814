// Learning curves with Qt Charts: observed points, power-law fits with bands, extrapolation drawn dashed; and
// train/validation score curves with their fold bands.
#include "ui/learning_curve/learning_curve_chart.h"

#include "ui/charts/chart_export.h"

#include <algorithm>
#include <cmath>
#include <QAreaSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
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

// Mean line and +/-1 std band of one score curve; widens [lo, hi] to what it draws.
void addScoreCurve(QChart* chart, const std::vector<LearningCurveScore>& scores, const QString& name,
                   const QColor& color, Qt::PenStyle style, QAbstractAxis* x, QAbstractAxis* y, double& lo,
                   double& hi) {
    if (scores.empty()) return;
    // QAreaSeries never deletes its edge series: the chart owns them.
    auto* upper = new QLineSeries(chart);
    auto* lower = new QLineSeries(chart);
    auto* line = new QLineSeries;
    for (const LearningCurveScore& s : scores) {
        const double size = static_cast<double>(s.size);
        line->append(size, s.mean);
        lo = std::min(lo, s.mean);
        hi = std::max(hi, s.mean);
        if (!std::isfinite(s.std)) continue;
        upper->append(size, s.mean + s.std);
        lower->append(size, s.mean - s.std);
        lo = std::min(lo, s.mean - s.std);
        hi = std::max(hi, s.mean + s.std);
    }
    if (upper->count() > 0) {
        auto* band = new QAreaSeries(upper, lower);
        QColor fill = color;
        fill.setAlpha(style == Qt::SolidLine ? 40 : 28);
        band->setColor(fill);
        band->setBorderColor(Qt::transparent);
        band->setName(name + " +/-1 std");
        attach(chart, band, x, y, false);
    }
    line->setPen(QPen(color, 2.0, style));
    line->setPointsVisible(true);
    line->setName(name);
    attach(chart, line, x, y, true);
}

} // namespace

QChart* buildScoreCurveChart(const std::vector<ScoreCurveRun>& runs, bool logX) {
    auto* chart = new QChart;
    chart->setTitle(QStringLiteral("Train and validation scores (mean over folds, band: +/-1 std)"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    double minSize = INFINITY, maxSize = -INFINITY;
    for (const auto& run : runs)
        for (const auto* curve : {&run.train, &run.validation})
            for (const LearningCurveScore& s : *curve) {
                minSize = std::min(minSize, static_cast<double>(s.size));
                maxSize = std::max(maxSize, static_cast<double>(s.size));
            }
    if (!std::isfinite(minSize)) minSize = 1, maxSize = 10;
    QAbstractAxis* x = nullptr;
    if (logX && minSize > 0) {
        auto* axis = new QLogValueAxis;
        axis->setBase(10);
        axis->setLabelFormat("%g");
        axis->setTitleText(QStringLiteral("training-set size (log scale)"));
        axis->setRange(minSize / 1.2, maxSize * 1.2);
        axis->setMinorTickCount(8);
        x = axis;
    } else {
        auto* axis = new QValueAxis;
        axis->setLabelFormat("%g");
        axis->setTitleText(QStringLiteral("training-set size"));
        const double pad = std::max((maxSize - minSize) * 0.04, 1.0);
        axis->setRange(std::max(0.0, minSize - pad), maxSize + pad);
        axis->applyNiceNumbers();
        x = axis;
    }
    auto* y = new QValueAxis;
    y->setTitleText(QStringLiteral("score"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);

    QStringList names;
    for (const auto& run : runs)
        names << run.name;
    names = shortRunNames(names);
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t k = 0; k < runs.size(); ++k) {
        const auto& run = runs[k];
        const QString name = runs.size() == 1 ? QString() : names.value(static_cast<qsizetype>(k)) + ": ";
        addScoreCurve(chart, run.train, name + QStringLiteral("train"), run.color, Qt::SolidLine, x, y, lo,
                      hi);
        addScoreCurve(chart, run.validation, name + QStringLiteral("validation"), run.color, Qt::DashLine, x,
                      y, lo, hi);
    }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    const double pad = std::max((hi - lo) * 0.08, 1e-6);
    y->setRange(lo - pad, hi + pad);
    y->applyNiceNumbers();
    return chart;
}

QChart* buildLearningCurveChart(const std::vector<LearningCurveFamily>& families, const QString& metric,
                                const QString& sizeLabel, double extrapolateTo) {
    auto* chart = new QChart;
    chart->setTitle(QString("%1 against %2").arg(metric, sizeLabel));
    chart->legend()->setAlignment(Qt::AlignBottom);
    double minSize = INFINITY, maxSize = 0, lo = INFINITY, hi = -INFINITY;
    for (const auto& f : families)
        for (std::size_t i = 0; i < f.sizes.size(); ++i) {
            if (!(f.sizes[i] > 0) || !std::isfinite(f.values[i])) continue;
            minSize = std::min(minSize, f.sizes[i]);
            maxSize = std::max(maxSize, f.sizes[i]);
            lo = std::min(lo, f.values[i]);
            hi = std::max(hi, f.values[i]);
        }
    if (!std::isfinite(minSize)) minSize = 1, maxSize = 10, lo = 0, hi = 1;
    const double right = std::max(maxSize, extrapolateTo);
    auto* x = new QLogValueAxis;
    x->setBase(10);
    x->setLabelFormat("%g");
    x->setTitleText(sizeLabel + " (log scale)");
    x->setRange(minSize / 1.5, right * 1.5);
    x->setMinorTickCount(8);
    auto* y = new QValueAxis;
    y->setTitleText(metric);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);

    for (std::size_t k = 0; k < families.size(); ++k) {
        const auto& f = families[k];
        const QColor color = runColor(static_cast<int>(k));
        if (f.fit.ok) {
            auto* fitted = new QLineSeries;
            auto* extrapolated = new QLineSeries;
            // QAreaSeries never deletes its edge series: the chart owns them.
            auto* upper = new QLineSeries(chart);
            auto* lower = new QLineSeries(chart);
            const int steps = 80;
            const double l0 = std::log10(minSize), l1 = std::log10(right);
            for (int i = 0; i <= steps; ++i) {
                const double m = std::pow(10.0, l0 + (l1 - l0) * i / steps);
                const auto p = predictPowerLaw(f.fit, m);
                if (!std::isfinite(p.value)) continue;
                (m <= maxSize * 1.0001 ? fitted : extrapolated)->append(m, p.value);
                if (m >= maxSize && fitted->count() > 0 && extrapolated->count() == 1)
                    fitted->append(m, p.value);
                if (std::isfinite(p.lower) && std::isfinite(p.upper)) {
                    upper->append(m, p.upper);
                    lower->append(m, p.lower);
                    lo = std::min(lo, p.lower);
                    hi = std::max(hi, p.upper);
                }
                lo = std::min(lo, p.value);
                hi = std::max(hi, p.value);
            }
            auto* band = new QAreaSeries(upper, lower);
            QColor fill = color;
            fill.setAlpha(45);
            band->setColor(fill);
            band->setBorderColor(Qt::transparent);
            attach(chart, band, x, y, false);
            fitted->setPen(QPen(color, 2.0));
            fitted->setName(QString("%1 fit: %2·m^%3 + %4")
                                .arg(f.name)
                                .arg(f.fit.a, 0, 'g', 3)
                                .arg(f.fit.b, 0, 'f', 3)
                                .arg(f.fit.c, 0, 'g', 4));
            attach(chart, fitted, x, y, true);
            extrapolated->setPen(QPen(color, 2.0, Qt::DashLine));
            attach(chart, extrapolated, x, y, false);
        }
        auto* points = new QScatterSeries;
        points->setColor(color);
        points->setBorderColor(color.darker(130));
        points->setMarkerSize(9);
        for (std::size_t i = 0; i < f.sizes.size(); ++i)
            if (f.sizes[i] > 0 && std::isfinite(f.values[i])) points->append(f.sizes[i], f.values[i]);
        points->setName(f.name + " runs");
        attach(chart, points, x, y, true);
    }
    const double pad = std::max((hi - lo) * 0.08, 1e-6);
    y->setRange(lo - pad, hi + pad);
    y->applyNiceNumbers();
    return chart;
}

} // namespace runlens::ui
