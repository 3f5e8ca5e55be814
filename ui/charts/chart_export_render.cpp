// Renders a chart to PNG, SVG or PDF and writes export files whole (split from chart_export.cpp, which builds
// the curve charts): the chart is put into a scene at the export size, and SVG draws its series clipped.
#include "ui/charts/chart_export.h"
#include "ui/charts/curve_layer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <QAbstractSeries>
#include <QAreaSeries>
#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QLineSeries>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTextDocument>
#include <utility>
#include <vector>

namespace runlens::ui {

namespace {

constexpr qreal kExportPixelRatio = 2.0;
constexpr int kPngQuality = 80; // Qt maps it to zlib level (100 - 80) * 9 / 91 = 1

// Puts a chart into a scene at the requested size for rendering and restores it afterwards: a chart the
// GUI shows keeps its own scene and geometry, a free chart gets a temporary scene it is taken back from.
class RenderSetup {
  public:
    RenderSetup(QChart* chart, const QSize& size) : m_chart(chart), m_oldGeometry(chart->geometry()) {
        if (!chart->scene()) {
            m_ownScene = std::make_unique<QGraphicsScene>();
            m_ownScene->addItem(chart);
            chart->setPos(0, 0);
        }
        chart->resize(QSizeF(size));
        // The chart lays out axes and legend from posted layout requests; run them before painting.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
    ~RenderSetup() {
        if (m_ownScene) {
            m_ownScene->removeItem(m_chart); // the caller keeps ownership of the chart
            return;
        }
        m_chart->setGeometry(m_oldGeometry);
    }
    RenderSetup(const RenderSetup&) = delete;
    RenderSetup& operator=(const RenderSetup&) = delete;

    QChart* chart() const { return m_chart; }
    void render(QPainter& painter, const QRectF& target) const {
        m_chart->scene()->render(&painter, target, m_chart->sceneBoundingRect(), Qt::IgnoreAspectRatio);
    }

  private:
    QChart* m_chart;
    QRectF m_oldGeometry;
    std::unique_ptr<QGraphicsScene> m_ownScene;
};

// Qt Charts draws a solid line series one segment at a time, which SVG and PDF record as one element per
// segment (a decimated curve would still take ~100 bytes per point); any other pen style is drawn as one
// path. A custom dash far longer than any chart looks solid and keeps vector files compact.
class PathDrawnLines {
  public:
    explicit PathDrawnLines(QChart* chart) {
        for (QAbstractSeries* series : chart->series()) {
            auto* line = qobject_cast<QLineSeries*>(series);
            if (!line || line->pen().style() != Qt::SolidLine) continue;
            m_saved.emplace_back(line, line->pen());
            QPen pen = line->pen();
            pen.setDashPattern({1e6, 1.0});
            line->setPen(pen);
        }
    }
    ~PathDrawnLines() {
        for (auto& [line, pen] : m_saved)
            line->setPen(pen);
    }
    PathDrawnLines(const PathDrawnLines&) = delete;
    PathDrawnLines& operator=(const PathDrawnLines&) = delete;

  private:
    std::vector<std::pair<QLineSeries*, QPen>> m_saved;
};

void setupPainter(QPainter& painter) {
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
}

bool fail(QString* error, const QString& message) {
    if (error) *error = message;
    return false;
}

// A chart title may be rich text ("<b>model</b><br>…"); file metadata wants its plain words.
QString plainTitle(const QString& title) {
    if (!Qt::mightBeRichText(title)) return title;
    QTextDocument document;
    document.setHtml(title);
    return document.toPlainText().replace(QLatin1Char('\n'), QStringLiteral(" · ")).simplified();
}

CurveLayer* curveLayerOf(QChart* chart) {
    for (QGraphicsItem* item : chart->childItems())
        if (QGraphicsObject* object = item->toGraphicsObject())
            if (auto* layer = qobject_cast<CurveLayer*>(object)) return layer;
    return nullptr;
}

// A curve layer's pens are cosmetic, as on a card: widths in device pixels. While an image renders at
// `ratio` device pixels per logical one, the wide lines (a few runs' 2 px lines) are widened by it so they
// keep their logical width. One-pixel lines stay one device pixel: a wider cosmetic stroke costs ~30x more,
// and where dozens of lines overlap thin ones read better.
class WideLinesAtRatio {
  public:
    WideLinesAtRatio(QChart* chart, qreal ratio) : m_layer(curveLayerOf(chart)) {
        if (!m_layer) return;
        const auto& lines = m_layer->lines();
        if (std::none_of(lines.begin(), lines.end(), [](const CurveLayer::Line& l) { return l.width > 1.0; }))
            return;
        m_saved = lines;
        std::vector<CurveLayer::Line> scaled = lines;
        for (CurveLayer::Line& line : scaled)
            if (line.width > 1.0) line.width *= ratio;
        m_layer->setContent(m_layer->bands(), std::move(scaled), m_layer->marks());
        m_scaled = true;
    }
    ~WideLinesAtRatio() {
        if (m_scaled) m_layer->setContent(m_layer->bands(), std::move(m_saved), m_layer->marks());
    }
    WideLinesAtRatio(const WideLinesAtRatio&) = delete;
    WideLinesAtRatio& operator=(const WideLinesAtRatio&) = delete;

  private:
    CurveLayer* m_layer;
    std::vector<CurveLayer::Line> m_saved;
    bool m_scaled = false;
};

QImage renderImage(const RenderSetup& setup, const QSize& size) {
    const WideLinesAtRatio wideLines(setup.chart(), kExportPixelRatio);
    QImage image(size * kExportPixelRatio, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) return image;
    image.setDevicePixelRatio(kExportPixelRatio);
    image.setDotsPerMeterX(qRound(96.0 / 0.0254 * kExportPixelRatio));
    image.setDotsPerMeterY(qRound(96.0 / 0.0254 * kExportPixelRatio));
    image.fill(Qt::white);
    QPainter painter(&image);
    setupPainter(painter);
    setup.render(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    return image;
}

bool writePng(const RenderSetup& setup, const QSize& size, const QString& path, QString* error) {
    const QImage image = renderImage(setup, size);
    if (image.isNull())
        return fail(error,
                    QStringLiteral("cannot allocate a %1x%2 image").arg(size.width()).arg(size.height()));
    // Encoded in memory first: libpng prints its own message to stderr when a write to the file fails.
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    // The chart is opaque: RGB without alpha is a quarter less to compress, and a fast zlib level (Qt's
    // quality 80) costs a few percent of file size on flat chart colours but a fraction of the time.
    if (!image.convertToFormat(QImage::Format_RGB32).save(&buffer, "PNG", kPngQuality))
        return fail(error, QStringLiteral("cannot write %1: PNG encoding failed").arg(path));
    return writeWholeFile(path, bytes, error);
}

// Liang-Barsky: clips the segment a-b to rect in place; false when nothing of it is inside.
bool clipSegment(const QRectF& rect, QPointF& a, QPointF& b) {
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    double t0 = 0, t1 = 1;
    const auto edge = [&](double p, double q) {
        if (p == 0) return q >= 0;
        const double t = q / p;
        if (p < 0) {
            if (t > t1) return false;
            t0 = std::max(t0, t);
        } else {
            if (t < t0) return false;
            t1 = std::min(t1, t);
        }
        return true;
    };
    if (!edge(-dx, a.x() - rect.left()) || !edge(dx, rect.right() - a.x()) ||
        !edge(-dy, a.y() - rect.top()) || !edge(dy, rect.bottom() - a.y()))
        return false;
    const QPointF start = a;
    a = QPointF(start.x() + t0 * dx, start.y() + t0 * dy);
    b = QPointF(start.x() + t1 * dx, start.y() + t1 * dy);
    return true;
}

// The parts of a polyline inside rect, each a polyline of its own.
std::vector<QPolygonF> clipPolyline(const QPolygonF& line, const QRectF& rect) {
    std::vector<QPolygonF> parts;
    for (qsizetype i = 1; i < line.size(); ++i) {
        QPointF a = line[i - 1], b = line[i];
        if (!clipSegment(rect, a, b)) continue;
        if (parts.empty() || parts.back().last() != a) parts.emplace_back(QPolygonF{a});
        parts.back().append(b);
    }
    return parts;
}

// QSvgPaintEngine (Qt 6.4) ignores the painter's clip, so Qt Charts' own drawing of a line or area series
// runs over the title, ticks and legend wherever the data leave the axis range (a zoomed card, a robust y
// range, a spike). While the chart renders to SVG these series are made fully transparent (hiding them would
// also drop their legend entries and change the layout); they are drawn afterwards, clipped to the plot area
// in pixel space, so the file holds no series geometry outside it.
class SvgClippedSeries {
  public:
    explicit SvgClippedSeries(QChart* chart) : m_chart(chart) {
        for (QAbstractSeries* series : chart->series()) {
            if (!series->isVisible() || series->opacity() <= 0) continue;
            const bool line = series->type() == QAbstractSeries::SeriesTypeLine;
            const bool area = series->type() == QAbstractSeries::SeriesTypeArea;
            // Markers and point labels need Qt's own drawing: such series are left to it.
            if (line) {
                const auto* xy = static_cast<QLineSeries*>(series);
                if (xy->pointsVisible() || xy->pointLabelsVisible()) continue;
            } else if (area) {
                const auto* areaSeries = static_cast<QAreaSeries*>(series);
                if (areaSeries->pointsVisible() || areaSeries->pointLabelsVisible() ||
                    !areaSeries->upperSeries())
                    continue;
            } else {
                continue;
            }
            m_taken.emplace_back(series, series->opacity());
            series->setOpacity(0.0);
        }
        // A curve layer's lines are drawn clipped too, mapped through a series on the same axes.
        CurveLayer* layer = curveLayerOf(chart);
        if (!layer || !layer->isVisible()) return;
        for (QAbstractSeries* series : chart->series())
            if (series->attachedAxes().size() >= 2) m_layerSeries = series;
        if (!m_layerSeries) return;
        m_layer = layer;
        layer->setVisible(false);
    }
    ~SvgClippedSeries() {
        for (auto& [series, opacity] : m_taken)
            series->setOpacity(opacity);
        if (m_layer) m_layer->setVisible(true);
    }
    SvgClippedSeries(const SvgClippedSeries&) = delete;
    SvgClippedSeries& operator=(const SvgClippedSeries&) = delete;

    // Draws the taken series onto painter, whose target rectangle shows the chart's scene rectangle.
    void draw(QPainter& painter, const QRectF& target) const {
        const QRectF source = m_chart->sceneBoundingRect();
        if (source.isEmpty()) return;
        QTransform toTarget = m_chart->sceneTransform();
        toTarget *= QTransform::fromTranslate(-source.left(), -source.top());
        toTarget *= QTransform::fromScale(target.width() / source.width(), target.height() / source.height());
        toTarget *= QTransform::fromTranslate(target.left(), target.top());
        const QRectF plot = m_chart->plotArea();
        painter.save();
        painter.setTransform(toTarget, true);
        for (const auto& [series, opacity] : m_taken) {
            painter.setOpacity(opacity);
            if (series->type() == QAbstractSeries::SeriesTypeLine)
                drawLine(painter, static_cast<QLineSeries*>(series), plot);
            else
                drawArea(painter, static_cast<QAreaSeries*>(series), plot);
        }
        if (m_layer) drawLayer(painter, plot);
        painter.restore();
    }

  private:
    // The layer's bands and lines in its order, each line with the pen the layer gives it (at the SVG's
    // 1:1 scale a cosmetic pen and a plain one are the same width).
    void drawLayer(QPainter& painter, const QRectF& plot) const {
        painter.setOpacity(1.0);
        QPainterPath box;
        box.addRect(plot);
        for (const CurveLayer::Band& band : m_layer->bands()) {
            QPolygonF outline = pixels(band.upper, m_layerSeries);
            const QPolygonF bottom = pixels(band.lower, m_layerSeries);
            for (qsizetype i = bottom.size() - 1; i >= 0; --i)
                outline.append(bottom[i]);
            if (outline.size() < 3) continue;
            QPainterPath shape;
            shape.addPolygon(outline);
            shape.closeSubpath();
            painter.setPen(Qt::NoPen);
            painter.setBrush(band.fill);
            painter.drawPath(shape.intersected(box));
        }
        painter.setBrush(Qt::NoBrush);
        for (const CurveLayer::Line& line : m_layer->lines()) {
            painter.setPen(QPen(line.color, line.width, line.style, Qt::RoundCap, Qt::RoundJoin));
            for (const QPolygonF& part : clipPolyline(pixels(line.points, m_layerSeries), plot))
                painter.drawPolyline(part);
        }
    }

    template <typename Points> QPolygonF pixels(const Points& values, QAbstractSeries* series) const {
        QPolygonF out;
        out.reserve(static_cast<qsizetype>(values.size()));
        for (const QPointF& value : values)
            if (std::isfinite(value.x()) && std::isfinite(value.y()))
                out.append(m_chart->mapToPosition(value, series));
        return out;
    }

    void drawLine(QPainter& painter, QLineSeries* series, const QRectF& plot) const {
        painter.setPen(series->pen());
        painter.setBrush(Qt::NoBrush);
        for (const QPolygonF& part : clipPolyline(pixels(series->points(), series), plot))
            painter.drawPolyline(part); // one element per visible piece of the line
    }

    void drawArea(QPainter& painter, QAreaSeries* series, const QRectF& plot) const {
        QPolygonF outline = pixels(series->upperSeries()->points(), series);
        if (outline.size() < 2) return;
        if (const QLineSeries* lower = series->lowerSeries()) {
            const QPolygonF bottom = pixels(lower->points(), series);
            for (qsizetype i = bottom.size() - 1; i >= 0; --i)
                outline.append(bottom[i]);
        } else { // as Qt Charts does: down to the bottom of the plot area
            const QPointF first = outline.first(), last = outline.last();
            outline.append(QPointF(last.x(), plot.bottom()));
            outline.append(QPointF(first.x(), plot.bottom()));
        }
        QPainterPath shape;
        shape.addPolygon(outline);
        shape.closeSubpath();
        QPainterPath box;
        box.addRect(plot);
        painter.setPen(series->pen());
        painter.setBrush(series->brush());
        painter.drawPath(shape.intersected(box));
    }

    QChart* m_chart;
    std::vector<std::pair<QAbstractSeries*, qreal>> m_taken;
    CurveLayer* m_layer = nullptr;
    QAbstractSeries* m_layerSeries = nullptr; // maps the layer's chart units to scene pixels
};

bool renderSvg(QChart* chart, const RenderSetup& setup, const QSize& size, const QString& title,
               const QString& path, QByteArray& bytes, QString* error) {
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setResolution(96);
    generator.setTitle(plainTitle(title).toHtmlEscaped()); // written into <title> as it is
    generator.setDescription(QStringLiteral("Chart exported by Runlens"));
    const SvgClippedSeries clipped(chart);
    QPainter painter;
    if (!painter.begin(&generator))
        return fail(error, QStringLiteral("cannot write %1: SVG output failed").arg(path));
    setupPainter(painter);
    const QRectF target(QPointF(0, 0), QSizeF(size));
    setup.render(painter, target);
    clipped.draw(painter, target);
    painter.end();
    return true;
}

bool writeSvg(QChart* chart, const RenderSetup& setup, const QSize& size, const QString& title,
              const QString& path, QString* error) {
    QByteArray bytes;
    return renderSvg(chart, setup, size, title, path, bytes, error) && writeWholeFile(path, bytes, error);
}

bool writePdf(const RenderSetup& setup, const QSize& size, const QString& title, const QString& path,
              QString* error) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    // One page exactly the chart's size, at 96 dpi so a logical pixel is a screen pixel and fonts keep size.
    constexpr double kDpi = 96.0;
    writer.setResolution(static_cast<int>(kDpi));
    writer.setPageSize(QPageSize(QSizeF(size) * (72.0 / kDpi), QPageSize::Point));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setTitle(plainTitle(title));
    writer.setCreator(QStringLiteral("Runlens"));
    QPainter painter;
    if (!painter.begin(&writer))
        return fail(error, QStringLiteral("cannot write %1: PDF output failed").arg(path));
    setupPainter(painter);
    setup.render(painter, QRectF(0, 0, writer.width(), writer.height()));
    painter.end();
    return writeWholeFile(path, bytes, error);
}

} // namespace

bool writeWholeFile(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(error, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    errno = 0;
    const bool written = file.write(bytes) == bytes.size() && file.flush();
    const int writeErrno = errno;
    if (written && file.commit()) return true;
    file.cancelWriting();
    // Qt names a failed write "Unknown error"; the system's reason (e.g. "No space left") says more.
    const QString reason =
        !written && writeErrno != 0 ? QString::fromLocal8Bit(std::strerror(writeErrno)) : file.errorString();
    return fail(error, QStringLiteral("cannot write %1: %2").arg(path, reason));
}

bool exportChart(QChart* chart, const QSize& size, const QString& path, QString* error) {
    if (!chart) return fail(error, QStringLiteral("no chart to export"));
    if (size.width() < 1 || size.height() < 1)
        return fail(error, QStringLiteral("chart size must be positive"));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return fail(
            error,
            QStringLiteral("cannot write %1: unknown image format (use .png, .svg or .pdf)").arg(path));

    const RenderSetup setup(chart, size);
    if (suffix == QLatin1String("png")) return writePng(setup, size, path, error);
    // SVG draws its line and area series itself (clipped), each visible piece of a line as one element.
    if (suffix == QLatin1String("svg")) return writeSvg(chart, setup, size, chart->title(), path, error);
    const PathDrawnLines compactLines(chart);
    return writePdf(setup, size, chart->title(), path, error);
}

QByteArray chartSvg(QChart* chart, const QSize& size) {
    QByteArray bytes;
    if (!chart || size.width() < 1 || size.height() < 1) return bytes;
    const RenderSetup setup(chart, size);
    if (!renderSvg(chart, setup, size, chart->title(), QStringLiteral("(memory)"), bytes, nullptr))
        bytes.clear();
    return bytes;
}

QImage chartImage(QChart* chart, const QSize& size) {
    if (!chart || size.width() < 1 || size.height() < 1) return {};
    const RenderSetup setup(chart, size);
    return renderImage(setup, size);
}

} // namespace runlens::ui
