// Maps curve points through the chart's axes and draws them as polylines, filled bands and marks.
#include "ui/charts/curve_layer.h"

#include <algorithm>
#include <cmath>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLogValueAxis>
#include <QPaintEngine>
#include <QPainter>
#include <QPolygonF>
#include <QtConcurrent/QtConcurrentRun>
#include <QValueAxis>

namespace runlens::ui {

namespace {

// Wide pens are stroked as one polygon per call; pieces this long keep that cost linear.
constexpr int kWidePiece = 32;
constexpr qreal kZValue = 50; // above Qt Charts' grid and axis lines, below the crosshair

struct AxisMap {
    bool log = false;
    double lo = 0, hi = 1; // in axis units (log10 for a log axis)
    bool valid() const { return std::isfinite(lo) && std::isfinite(hi) && hi > lo; }
    double fraction(double v) const {
        if (log) {
            if (!(v > 0)) return NAN;
            v = std::log10(v);
        }
        return (v - lo) / (hi - lo);
    }
};

AxisMap axisMap(const QAbstractAxis* axis) {
    AxisMap map;
    if (const auto* value = qobject_cast<const QValueAxis*>(axis)) {
        map.lo = value->min();
        map.hi = value->max();
    } else if (const auto* logAxis = qobject_cast<const QLogValueAxis*>(axis)) {
        map.log = true;
        map.lo = logAxis->min() > 0 ? std::log10(logAxis->min()) : NAN;
        map.hi = logAxis->max() > 0 ? std::log10(logAxis->max()) : NAN;
    } else if (const auto* time = qobject_cast<const QDateTimeAxis*>(axis)) {
        map.lo = static_cast<double>(time->min().toMSecsSinceEpoch());
        map.hi = static_cast<double>(time->max().toMSecsSinceEpoch());
    }
    return map;
}

} // namespace

struct CurveLayer::Mapping {
    AxisMap x, y;
    QRectF area;
    bool valid() const { return x.valid() && y.valid() && area.width() > 0 && area.height() > 0; }
    // Far-off points are clamped so a zoomed-in view never hands the rasteriser huge coordinates.
    QPointF operator()(const QPointF& p) const {
        const double fx = x.fraction(p.x());
        const double fy = y.fraction(p.y());
        if (!std::isfinite(fx) || !std::isfinite(fy)) return {NAN, NAN};
        return {area.left() + std::clamp(fx, -4.0, 5.0) * area.width(),
                area.bottom() - std::clamp(fy, -4.0, 5.0) * area.height()};
    }
};

CurveLayer::CurveLayer(QChart* chart, QAbstractAxis* xAxis, QAbstractAxis* yAxis)
    : QGraphicsObject(chart), m_chart(chart), m_xAxis(xAxis), m_yAxis(yAxis), m_area(chart->plotArea()) {
    setZValue(kZValue);
    setAcceptedMouseButtons(Qt::NoButton); // zoom, pan and the crosshair belong to the view
    connect(chart, &QChart::plotAreaChanged, this, [this](const QRectF& area) {
        prepareGeometryChange();
        m_area = area;
    });
    followAxis(xAxis);
    followAxis(yAxis);
}

void CurveLayer::followAxis(QAbstractAxis* axis) {
    const auto repaint = [this] { update(); };
    if (auto* value = qobject_cast<QValueAxis*>(axis))
        connect(value, &QValueAxis::rangeChanged, this, repaint);
    else if (auto* logAxis = qobject_cast<QLogValueAxis*>(axis))
        connect(logAxis, &QLogValueAxis::rangeChanged, this, repaint);
    else if (auto* time = qobject_cast<QDateTimeAxis*>(axis))
        connect(time, &QDateTimeAxis::rangeChanged, this, repaint);
}

void CurveLayer::setContent(std::vector<Band> bands, std::vector<Line> lines, std::vector<Mark> marks) {
    m_bands = std::move(bands);
    m_lines = std::move(lines);
    m_marks = std::move(marks);
    update();
}

void CurveLayer::setColors(const QColor& text, const QColor& background) {
    m_textColor = text;
    m_background = background;
    update();
}

void CurveLayer::setLegend(std::vector<LegendEntry> entries) {
    m_legend = std::move(entries);
    update();
}

void CurveLayer::paintLegend(QPainter* painter, const QRectF& area) const {
    constexpr std::size_t kMaxEntries = 8;
    constexpr qreal kSwatch = 18, kPad = 4;
    if (m_legend.empty()) return;
    QFont font = painter->font();
    font.setPointSizeF(std::max(7.0, font.pointSizeF() * 0.85));
    painter->setFont(font);
    const QFontMetricsF metrics(font);
    const std::size_t shown = std::min(m_legend.size(), kMaxEntries);
    const qreal maxText = area.width() * 0.45 - kSwatch - 3 * kPad;
    qreal textWidth = 0;
    std::vector<QString> labels;
    for (std::size_t i = 0; i < shown; ++i) {
        labels.push_back(metrics.elidedText(m_legend[i].label, Qt::ElideMiddle, maxText));
        textWidth = std::max(textWidth, metrics.horizontalAdvance(labels.back()));
    }
    if (m_legend.size() > shown) {
        labels.push_back(QObject::tr("… %1 more").arg(m_legend.size() - shown));
        textWidth = std::max(textWidth, metrics.horizontalAdvance(labels.back()));
    }
    const qreal lineHeight = metrics.height();
    const QRectF box(area.right() - textWidth - kSwatch - 3 * kPad - 4, area.top() + 4,
                     textWidth + kSwatch + 3 * kPad,
                     lineHeight * static_cast<qreal>(labels.size()) + 2 * kPad);
    QColor background = m_background;
    background.setAlpha(215);
    painter->setPen(Qt::NoPen);
    painter->setBrush(background);
    painter->drawRect(box);
    painter->setBrush(Qt::NoBrush);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const qreal y = box.top() + kPad + lineHeight * static_cast<qreal>(i);
        if (i < shown) {
            QPen pen(m_legend[i].color, 2.0, m_legend[i].style);
            painter->setPen(pen);
            painter->drawLine(QPointF(box.left() + kPad, y + lineHeight / 2),
                              QPointF(box.left() + kPad + kSwatch, y + lineHeight / 2));
        }
        painter->setPen(m_textColor);
        painter->drawText(QRectF(box.left() + 2 * kPad + kSwatch, y, textWidth + kPad, lineHeight),
                          Qt::AlignLeft | Qt::AlignVCenter, labels[i]);
    }
}

std::size_t CurveLayer::pointCount() const {
    std::size_t n = 0;
    for (const Line& line : m_lines)
        n += line.points.size();
    return n;
}

const CurveLayer::Line* CurveLayer::findLine(const QString& name) const {
    for (const Line& line : m_lines)
        if (line.name == name) return &line;
    return nullptr;
}

QRectF CurveLayer::boundingRect() const {
    return m_area;
}

CurveLayer::Mapping CurveLayer::mapping() const {
    return {axisMap(m_xAxis), axisMap(m_yAxis), m_chart->plotArea()};
}

namespace {

// Calls draw(piece) for every run of consecutive drawable points.
template <typename Draw>
void forEachPiece(const std::vector<QPointF>& points, const auto& map, QPolygonF& buffer, Draw draw) {
    buffer.clear();
    for (const QPointF& p : points) {
        const QPointF q = map(p);
        if (std::isfinite(q.x()) && std::isfinite(q.y())) {
            buffer.append(q);
            continue;
        }
        if (!buffer.isEmpty()) draw(buffer);
        buffer.clear();
    }
    if (!buffer.isEmpty()) draw(buffer);
}

void drawPolyline(QPainter* painter, const QPolygonF& piece, bool wide) {
    if (piece.size() == 1) {
        painter->drawPoint(piece.front());
        return;
    }
    if (!wide) {
        painter->drawPolyline(piece);
        return;
    }
    for (qsizetype start = 0; start + 1 < piece.size(); start += kWidePiece) {
        const qsizetype count = std::min<qsizetype>(kWidePiece + 1, piece.size() - start);
        painter->drawPolyline(piece.constData() + start, static_cast<int>(count));
    }
}

} // namespace

void CurveLayer::paintLineRange(QPainter* painter, const Mapping& map, std::size_t begin,
                                std::size_t end) const {
    QPolygonF buffer;
    for (std::size_t i = begin; i < end; ++i) {
        const Line& line = m_lines[i];
        const bool wide = line.width > 1.0;
        QPen pen(line.color, wide ? line.width : 1.0, line.style, Qt::RoundCap, Qt::RoundJoin);
        pen.setCosmetic(true);
        painter->setPen(pen);
        forEachPiece(line.points, map, buffer,
                     [&](const QPolygonF& piece) { drawPolyline(painter, piece, wide); });
    }
}

void CurveLayer::paintLines(QPainter* painter, const Mapping& map) const {
    // Many lines on a raster target: the second half is rasterised on another core into its own transparent
    // image while this thread draws the first half into another; composited in order, the result is the same
    // as drawing them one after the other (source-over is associative), in about half the time.
    constexpr std::size_t kParallelLines = 16;
    const int type = painter->device() ? painter->device()->devType() : 0;
    const bool raster = type == QInternal::Image || type == QInternal::Widget || type == QInternal::Pixmap;
    if (m_lines.size() < kParallelLines || !raster ||
        painter->paintEngine()->type() != QPaintEngine::Raster) {
        paintLineRange(painter, map, 0, m_lines.size());
        return;
    }
    const qreal dpr = painter->device()->devicePixelRatioF();
    const QRect target = map.area.toAlignedRect();
    const auto layer = [&](std::size_t begin, std::size_t end) {
        QImage image(target.size() * dpr, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(dpr);
        image.fill(Qt::transparent);
        QPainter p(&image);
        p.setRenderHints(painter->renderHints());
        p.translate(-target.topLeft());
        p.setClipRect(map.area);
        paintLineRange(&p, map, begin, end);
        return image;
    };
    const std::size_t half = m_lines.size() / 2;
    QFuture<QImage> second = QtConcurrent::run([&] { return layer(half, m_lines.size()); });
    const QImage first = layer(0, half);
    painter->drawImage(target.topLeft(), first);
    painter->drawImage(target.topLeft(), second.result());
}

void CurveLayer::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const Mapping map = mapping();
    if (!map.valid()) return;
    painter->save();
    painter->setClipRect(map.area);

    painter->setPen(Qt::NoPen);
    for (const Band& band : m_bands) {
        painter->setBrush(band.fill);
        const std::size_t n = std::min(band.upper.size(), band.lower.size());
        QPolygonF outline;
        const auto flush = [&] {
            if (outline.size() >= 4) painter->drawPolygon(outline);
            outline.clear();
        };
        // Upper edge forwards, lower edge backwards; a gap in either bound ends the piece.
        std::size_t start = 0;
        for (std::size_t i = 0; i <= n; ++i) {
            const bool ok =
                i < n && std::isfinite(map(band.upper[i]).y()) && std::isfinite(map(band.lower[i]).y());
            if (ok) continue;
            for (std::size_t k = start; k < i; ++k)
                outline.append(map(band.upper[k]));
            for (std::size_t k = i; k > start; --k)
                outline.append(map(band.lower[k - 1]));
            flush();
            start = i + 1;
        }
    }
    painter->setBrush(Qt::NoBrush);

    paintLines(painter, map);

    if (!m_marks.empty()) {
        QFont font = painter->font();
        font.setBold(true);
        painter->setFont(font);
        const QFontMetricsF metrics(font);
        for (const Mark& mark : m_marks) {
            // A mark without a finite y (where a run's values became NaN) sits at the top edge.
            const bool onTop = !std::isfinite(mark.at.y());
            QPointF at = map(onTop ? QPointF(mark.at.x(), 1.0) : mark.at);
            if (onTop) at.setY(map.area.top() + metrics.height() / 2 + 1);
            if (!std::isfinite(at.x()) || !std::isfinite(at.y())) continue;
            // A dot on the line with a halo so it stands out among many lines, the symbol beside it.
            if (!onTop) {
                painter->setPen(QPen(m_background, 1.5));
                painter->setBrush(mark.color);
                painter->drawEllipse(at, 4.5, 4.5);
                painter->setBrush(Qt::NoBrush);
                at += QPointF(metrics.height() * 0.6, -metrics.height() * 0.6);
            }
            const QRectF box(at.x() - metrics.height(), at.y() - metrics.height() / 2, 2 * metrics.height(),
                             metrics.height());
            painter->setPen(m_background);
            for (const QPointF offset : {QPointF(-1, 0), QPointF(1, 0), QPointF(0, -1), QPointF(0, 1)})
                painter->drawText(box.translated(offset), Qt::AlignCenter, mark.symbol);
            painter->setPen(mark.color);
            painter->drawText(box, Qt::AlignCenter, mark.symbol);
        }
    }
    paintLegend(painter, map.area);
    painter->restore();
}

} // namespace runlens::ui
