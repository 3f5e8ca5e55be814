// The exported curve chart (`runlens chart`, a card's Export) draws its lines through the cards' CurveLayer:
// the points handed to it, the pen widths the cards use, the legend entries, and clipping in a PNG (SVG
// clipping is checked by test_chart_exports).
#include "ui/charts/chart_export.h"
#include "ui/charts/curve_layer.h"

#include <cmath>
#include <memory>
#include <QChart>
#include <QGraphicsObject>
#include <QImage>
#include <QLegend>
#include <QLineSeries>
#include <QtTest>

using namespace runlens::ui;

namespace {

const CurveLayer* layerOf(QChart* chart) {
    for (QGraphicsItem* item : chart->childItems())
        if (QGraphicsObject* object = item->toGraphicsObject())
            if (auto* layer = qobject_cast<CurveLayer*>(object)) return layer;
    return nullptr;
}

// n lines; line k goes through (0, k), (10, k + 1), (20, k) so each is told apart by its points.
CurveChartSpec spec(int n) {
    CurveChartSpec s;
    s.title = QStringLiteral("layer");
    for (int k = 0; k < n; ++k) {
        CurveLine line;
        line.runName = QStringLiteral("run %1").arg(k);
        line.color = runColor(k);
        line.smoothX = {0, 10, 20};
        line.smoothY = {double(k), k + 1.0, double(k)};
        s.lines.push_back(line);
    }
    return s;
}

// Legend entries: one marker per series (markers report isVisible() only once the chart is shown).
int markers(QChart* chart) {
    return static_cast<int>(chart->legend()->markers().size());
}

bool near(QRgb a, QRgb b, int tolerance) {
    return std::abs(qRed(a) - qRed(b)) <= tolerance && std::abs(qGreen(a) - qGreen(b)) <= tolerance &&
           std::abs(qBlue(a) - qBlue(b)) <= tolerance;
}

} // namespace

class TestChartLayerExport : public QObject {
    Q_OBJECT
  private slots:
    void linesGoToTheLayer();
    void rawLinesFaintAndFirst();
    void pngClippedToThePlot();
};

void TestChartLayerExport::linesGoToTheLayer() {
    for (const int n : {2, 30}) {
        const std::unique_ptr<QChart> chart(buildCurveChart(spec(n)));
        const CurveLayer* layer = layerOf(chart.get());
        QVERIFY(layer);
        QCOMPARE(layer->lines().size(), std::size_t(n));
        const CurveLayer::Line& last = layer->lines().back();
        QCOMPARE(last.name, QStringLiteral("run %1").arg(n - 1));
        QCOMPARE(last.color, runColor(n - 1));
        QCOMPARE(last.points, std::vector<QPointF>({{0, n - 1.0}, {10, double(n)}, {20, n - 1.0}}));
        // A card draws more than 8 lines one pixel wide, fewer 2 px wide.
        QCOMPARE(last.width, n > 8 ? 1.0 : 2.0);
        // A 2x image widens the wide cosmetic pens for its render only; the layer keeps its widths.
        QVERIFY(!chartImage(chart.get(), QSize(400, 300)).isNull());
        QCOMPARE(layer->lines().back().width, n > 8 ? 1.0 : 2.0);
        // Qt Charts' legend keeps one entry per line, and its series hold no points of their own.
        QCOMPARE(markers(chart.get()), n);
        for (QAbstractSeries* series : chart->series())
            if (auto* line = qobject_cast<QLineSeries*>(series)) QCOMPARE(line->count(), 0);
    }
}

void TestChartLayerExport::rawLinesFaintAndFirst() {
    CurveChartSpec s = spec(2);
    s.lines[0].rawX = {0, 5, 10};
    s.lines[0].rawY = {0, 3, 1};
    // A wall-clock x axis is in milliseconds on the chart: 1.7e9 s becomes 1.7e12 ms.
    s.xIsWallTime = true;
    for (auto& line : s.lines)
        for (double& x : line.smoothX)
            x += 1.7e9;
    for (double& x : s.lines[0].rawX)
        x += 1.7e9;
    const std::unique_ptr<QChart> chart(buildCurveChart(s));
    const CurveLayer* layer = layerOf(chart.get());
    QVERIFY(layer);
    QCOMPARE(layer->lines().size(), std::size_t(3));
    const CurveLayer::Line& raw = layer->lines().front();
    QCOMPARE(raw.name, QStringLiteral("run 0 (raw)"));
    QCOMPARE(raw.color.alpha(), 64);
    QCOMPARE(raw.points[1], QPointF(1.7e12 + 5000.0, 3));
    QCOMPARE(markers(chart.get()), 2); // the raw line has no entry
}

void TestChartLayerExport::pngClippedToThePlot() {
    // One line jumps far above a robust y range: it must stop at the plot area's top edge.
    CurveChartSpec s;
    s.robustYRange = true;
    CurveLine line;
    line.runName = QStringLiteral("spike");
    line.color = QColor(0xE1, 0x57, 0x59);
    for (int i = 0; i < 200; ++i) {
        line.smoothX.push_back(i);
        line.smoothY.push_back(i == 100 ? 1e4 : 1.0 + 0.001 * i);
    }
    s.lines.push_back(line);
    for (int k = 1; k < 25; ++k) { // enough lines for the two-core painting path
        CurveLine other;
        other.runName = QStringLiteral("flat %1").arg(k);
        other.color = QColor(0x4E, 0x79, 0xA7);
        other.smoothX = {0, 199};
        other.smoothY = {1.05, 1.05};
        s.lines.push_back(other);
    }
    const std::unique_ptr<QChart> chart(buildCurveChart(s));
    const QImage image = chartImage(chart.get(), QSize(900, 600)).convertToFormat(QImage::Format_RGB32);
    QCOMPARE(image.size(), QSize(1800, 1200));
    const QRectF plot = chart->plotArea();
    int inside = 0, above = 0, flat = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QPointF at(x / 2.0, y / 2.0);
            const QRgb p = image.pixel(x, y);
            // Above the plot's top edge (the title's margin), where the spike would run without clipping.
            const bool overPlot = at.x() > plot.left() && at.x() < plot.right() && at.y() < plot.top() - 1;
            if (near(p, line.color.rgb(), 40)) (overPlot ? above : inside)++;
            if (near(p, qRgb(0x4E, 0x79, 0xA7), 40)) ++flat;
        }
    QVERIFY2(inside > 200, qPrintable(QString::number(inside)));
    QCOMPARE(above, 0);
    QVERIFY2(flat > 500, qPrintable(QString::number(flat))); // the flat lines across the plot's width
}

QTEST_MAIN(TestChartLayerExport)
#include "test_chart_layer_export.moc"
