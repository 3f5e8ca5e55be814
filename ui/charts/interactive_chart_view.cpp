// Mouse interaction for curve charts; every zoom or pan ends in viewChanged so the card re-decimates.
#include "ui/charts/interactive_chart_view.h"

#include <cmath>
#include <limits>
#include <QAbstractAxis>
#include <QChart>
#include <QGraphicsLineItem>
#include <QKeyEvent>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QMouseEvent>
#include <QPen>
#include <QToolTip>
#include <QWheelEvent>

namespace runlens::ui {

InteractiveChartView::InteractiveChartView(QWidget* parent) : QChartView(parent) {
    setRubberBand(QChartView::RectangleRubberBand);
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus); // Tab reaches every chart, so the keyboard can zoom and pan it
}

void InteractiveChartView::replaceChart(QChart* chart) {
    QChart* old = this->chart();
    m_crosshair = nullptr; // belonged to the old chart
    followPalette(chart, palette());
    setChart(chart);
    // After setChart: only then do the markers a chart hid from its legend read as hidden.
    if (m_legendLabel) moveLegendToLabel(chart);
    delete old;
}

void InteractiveChartView::moveLegendToLabel(QChart* chart) {
    QStringList entries;
    for (QLegendMarker* marker : chart->legend()->markers()) {
        if (!marker->isVisible() || marker->label().isEmpty()) continue;
        const QColor color =
            marker->brush().style() == Qt::NoBrush ? marker->pen().color() : marker->brush().color();
        // A swatch and the entry, kept together on one line; entries wrap between each other.
        entries
            << QStringLiteral(
                   "<span style=\"white-space:nowrap\"><span style=\"color:%1\">\u25A0</span>&nbsp;%2</span>")
                   .arg(color.name(), marker->label().toHtmlEscaped());
    }
    chart->legend()->hide();
    m_legendLabel->setText(entries.join(QStringLiteral(" &nbsp; ")));
    m_legendLabel->setVisible(!entries.isEmpty());
}

namespace {

// a, moved the given share of the way to b.
QColor blend(const QColor& a, const QColor& b, double share) {
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * share),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * share),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * share));
}

} // namespace

void InteractiveChartView::followPalette(QChart* chart, const QPalette& palette) {
    if (!chart) return;
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    // Labels a little softer than body text and grid lines faint, as Qt's own light theme draws them.
    const QColor label = blend(text, base, 0.2);
    const QColor grid = blend(text, base, 0.85);
    const QColor line = blend(text, base, 0.6);
    chart->setBackgroundBrush(base);
    chart->setTitleBrush(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsBrush(label);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(blend(text, base, 0.92));
        axis->setLinePenColor(line);
    }
    chart->legend()->setLabelColor(text);
}

void InteractiveChartView::changeEvent(QEvent* event) {
    QChartView::changeEvent(event);
    // The desktop switched between light and dark while the chart is up.
    if (event->type() == QEvent::PaletteChange) followPalette(chart(), palette());
}

void InteractiveChartView::wheelEvent(QWheelEvent* event) {
    const QRectF area = chart()->plotArea();
    const QPointF pos = event->position();
    if (!area.contains(pos) || event->angleDelta().y() == 0) {
        QChartView::wheelEvent(event);
        return;
    }
    // Zoom about the cursor: the point under it stays put.
    const double factor = std::pow(0.85, event->angleDelta().y() / 120.0);
    const QPointF anchor = pos;
    QRectF zoomed(anchor.x() - (anchor.x() - area.left()) * factor,
                  anchor.y() - (anchor.y() - area.top()) * factor, area.width() * factor,
                  area.height() * factor);
    if (event->modifiers() & Qt::ControlModifier) // Ctrl+wheel zooms x only
        zoomed = QRectF(zoomed.left(), area.top(), zoomed.width(), area.height());
    chart()->zoomIn(zoomed);
    event->accept();
    emit viewChanged();
}

void InteractiveChartView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || event->button() == Qt::RightButton) {
        m_panning = true;
        m_lastPan = event->pos();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    hideCrosshair();
    QChartView::mousePressEvent(event);
}

void InteractiveChartView::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        const QPoint delta = event->pos() - m_lastPan;
        m_lastPan = event->pos();
        chart()->scroll(-delta.x(), delta.y());
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
    if (event->buttons() == Qt::NoButton) updateCrosshair(event->pos(), event->globalPosition().toPoint());
}

void InteractiveChartView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning && (event->button() == Qt::MiddleButton || event->button() == Qt::RightButton)) {
        m_panning = false;
        unsetCursor();
        event->accept();
        emit viewChanged();
        return;
    }
    const bool rubberBandZoom = event->button() == Qt::LeftButton;
    QChartView::mouseReleaseEvent(event);
    if (rubberBandZoom) emit viewChanged();
}

void InteractiveChartView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        event->accept();
        emit resetRequested();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void InteractiveChartView::keyPressEvent(QKeyEvent* event) {
    const QRectF area = chart()->plotArea();
    const qreal panX = area.width() * 0.1, panY = area.height() * 0.1;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        chart()->zoomIn(area.adjusted(area.width() * 0.1, area.height() * 0.1, -area.width() * 0.1,
                                      -area.height() * 0.1));
        break;
    case Qt::Key_Minus:
        chart()->zoomIn(area.adjusted(-area.width() * 0.125, -area.height() * 0.125, area.width() * 0.125,
                                      area.height() * 0.125));
        break;
    case Qt::Key_Left:
        chart()->scroll(-panX, 0);
        break;
    case Qt::Key_Right:
        chart()->scroll(panX, 0);
        break;
    case Qt::Key_Up:
        chart()->scroll(0, panY);
        break;
    case Qt::Key_Down:
        chart()->scroll(0, -panY);
        break;
    case Qt::Key_Home:
    case Qt::Key_0:
        event->accept();
        emit resetRequested();
        return;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
    emit viewChanged();
}

void InteractiveChartView::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    hideCrosshair();
    emit resized();
}

void InteractiveChartView::leaveEvent(QEvent* event) {
    hideCrosshair();
    QChartView::leaveEvent(event);
}

void InteractiveChartView::updateCrosshair(const QPoint& pos, const QPoint& globalPos) {
    QChart* current = chart();
    const QRectF area = current->plotArea();
    const QPointF at = current->mapFromScene(mapToScene(pos));
    if (!area.contains(at) || current->series().isEmpty()) {
        hideCrosshair();
        return;
    }
    if (!m_crosshair) {
        m_crosshair = new QGraphicsLineItem(current);
        QPen pen(palette().color(QPalette::Text));
        pen.setStyle(Qt::DashLine);
        pen.setCosmetic(true);
        m_crosshair->setPen(pen);
        m_crosshair->setZValue(1000);
    }
    m_crosshair->setLine(at.x(), area.top(), at.x(), area.bottom());
    m_crosshair->show();
    if (!m_tooltip) return;
    const QString text = m_tooltip(current->mapToValue(at));
    m_readoutShown = !text.isEmpty();
    if (text.isEmpty())
        QToolTip::hideText();
    else // no expiry: the readout stays while the mouse rests, as in TensorBoard; leaving hides it
        QToolTip::showText(globalPos + QPoint(16, 12), text, this, QRect(), std::numeric_limits<int>::max());
}

void InteractiveChartView::hideCrosshair() {
    if (m_crosshair) m_crosshair->hide();
    m_readoutShown = false;
    QToolTip::hideText();
}

bool InteractiveChartView::viewportEvent(QEvent* event) {
    // When the mouse rests, Qt sends a tooltip event that the scene answers with its items' (empty)
    // tooltip, which hid the readout after the wake-up delay: keep ours instead.
    if (event->type() == QEvent::ToolTip && m_readoutShown) {
        event->accept();
        return true;
    }
    return QChartView::viewportEvent(event);
}

} // namespace runlens::ui
