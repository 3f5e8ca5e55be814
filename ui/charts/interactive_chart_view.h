// Chart view with rubber-band and wheel zoom, right/middle-button pan, double-click reset and a crosshair
// tooltip; with the keyboard: +/- zoom, arrows pan, Home or 0 resets.
#pragma once

#include <functional>
#include <QChartView>
#include <QPointF>
#include <QString>

class QGraphicsLineItem;
class QLabel;

namespace runlens::ui {

class InteractiveChartView : public QChartView {
    Q_OBJECT
  public:
    // Given a point in chart (axis) coordinates, returns the tooltip's rich text, empty for none.
    using TooltipProvider = std::function<QString(const QPointF& value)>;

    explicit InteractiveChartView(QWidget* parent = nullptr);

    void setTooltipProvider(TooltipProvider provider) { m_tooltip = std::move(provider); }
    // Replaces the chart, deleting the previous one (QChartView only releases it), and colours it from the
    // view's palette.
    void replaceChart(QChart* chart);
    // Background, titles, axis labels, grid and legend text from a palette, so a chart follows a dark desktop
    // theme like the widgets around it; series keep their colours (they are the runs').
    static void followPalette(QChart* chart, const QPalette& palette);
    // Shows each chart's legend as wrapped text in label (colour swatch and full entry) instead of inside
    // the chart, where Qt elides long entries to fit a narrow plot; exported charts keep their own legend.
    void setLegendLabel(QLabel* label) { m_legendLabel = label; }

  signals:
    void viewChanged();    // the user zoomed or panned: the axis ranges changed
    void resetRequested(); // double-click: back to the full range
    void resized();        // the plot width changed, so decimation should be redone

  protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void updateCrosshair(const QPoint& pos, const QPoint& globalPos);
    void hideCrosshair();

    void moveLegendToLabel(QChart* chart);

    TooltipProvider m_tooltip;
    QLabel* m_legendLabel = nullptr;
    QGraphicsLineItem* m_crosshair = nullptr; // owned by the chart's scene item tree
    bool m_readoutShown = false;              // the crosshair readout is up
    bool m_panning = false;
    QPoint m_lastPan;
};

} // namespace runlens::ui
