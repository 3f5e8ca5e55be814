// Draws a confusion matrix with Qt Charts: area series for the cells, a one-point series per cell for its
// label.
#include "ui/confusion/confusion_chart.h"

#include <algorithm>
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>

namespace runlens::ui {

namespace {

QCategoryAxis* classAxis(const QStringList& classes, bool reversed) {
    auto* axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    const int k = int(classes.size());
    for (int i = 0; i < k; ++i) {
        const int slot = reversed ? k - 1 - i : i; // the first class at the top of the vertical axis
        axis->append(classes[i], slot + 1.0);
    }
    axis->setRange(0, std::max(k, 1));
    axis->setGridLineVisible(false);
    return axis;
}

} // namespace

QChart* buildConfusionChart(const ConfusionChartInput& input, const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(QStringLiteral("<b>%1</b><br><span style='font-size:small'>rows = true class, columns = "
                                   "predicted class; darker = larger</span>")
                        .arg(title.toHtmlEscaped()));
    chart->legend()->hide();
    const int k = int(input.classes.size());
    auto* x = classAxis(input.classes, false);
    x->setTitleText(QStringLiteral("predicted class"));
    auto* y = classAxis(input.classes, true);
    y->setTitleText(QStringLiteral("true class"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double top = 0;
    for (double v : input.shown)
        top = std::max(top, v);
    for (int t = 0; t < k; ++t)
        for (int p = 0; p < k; ++p) {
            const double v = input.shown[std::size_t(t) * std::size_t(k) + std::size_t(p)];
            const double share = top > 0 ? v / top : 0;
            const double row = k - 1 - t;
            // QAreaSeries never deletes its edge series: the chart owns them.
            auto* upper = new QLineSeries(chart);
            auto* lower = new QLineSeries(chart);
            upper->append(p, row + 1);
            upper->append(p + 1, row + 1);
            lower->append(p, row);
            lower->append(p + 1, row);
            auto* cell = new QAreaSeries(upper, lower);
            cell->setColor(QColor(31, 119, 180, int(15 + 220 * share)));
            cell->setBorderColor(QColor(255, 255, 255));
            chart->addSeries(cell);
            cell->attachAxis(x);
            cell->attachAxis(y);
            auto* label = new QScatterSeries(chart);
            label->append(p + 0.5, row + 0.5);
            label->setMarkerSize(1);
            label->setColor(Qt::transparent);
            label->setBorderColor(Qt::transparent);
            const QString text = input.fractions ? QString::number(v, 'f', 2) : QString::number(qint64(v));
            label->setPointLabelsFormat(text);
            label->setPointLabelsVisible(true);
            label->setPointLabelsColor(share > 0.6 ? Qt::white : Qt::black);
            label->setPointLabelsClipping(false);
            chart->addSeries(label);
            label->attachAxis(x);
            label->attachAxis(y);
        }
    return chart;
}

} // namespace runlens::ui
