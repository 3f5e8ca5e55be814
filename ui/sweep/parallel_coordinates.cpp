// Paints runs as polylines across parallel axes and turns mouse drags into range brushes and axis moves.
#include "ui/sweep/parallel_coordinates.h"

#include <algorithm>
#include <cmath>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSvgGenerator>

namespace runlens::ui {

namespace {

constexpr double kLogDecades = 2.0; // a wider span than this many decades is drawn on a log scale
constexpr double kMarginLeft = 64;  // room for the first axis' tick labels
constexpr double kMarginRight = 64;
constexpr double kMarginTop = 46; // axis titles
constexpr double kMarginBottom = 22;
constexpr double kGrabDistance = 14;  // px around an axis a press picks it
constexpr double kMinBrushPixels = 3; // a shorter drag is a click: it clears the axis' brush
constexpr int kTicks = 5;
constexpr int kMaxCategoryLabels = 16;
constexpr qreal kExportPixelRatio = 2.0;

double positionOfValue(const ParallelAxis& axis, double value) {
    if (!std::isfinite(value)) return NAN;
    if (axis.categorical) {
        const auto n = axis.categories.size();
        return n <= 1 ? 0.5 : value / static_cast<double>(n - 1);
    }
    if (!(axis.hi > axis.lo)) return 0.5;
    if (axis.logScale) {
        if (!(value > 0)) return NAN;
        return (std::log10(value) - std::log10(axis.lo)) / (std::log10(axis.hi) - std::log10(axis.lo));
    }
    return (value - axis.lo) / (axis.hi - axis.lo);
}

QString shortNumber(double value) {
    return QString::number(value, 'g', 3);
}

// A drag that ends within a few pixels of an axis end reaches it, so the extreme runs can be brushed in.
double snapped(double t, double plotHeight) {
    constexpr double kSnapPixels = 4;
    t = std::clamp(t, 0.0, 1.0);
    if (t * plotHeight < kSnapPixels) return 0;
    if ((1 - t) * plotHeight < kSnapPixels) return 1;
    return t;
}

bool fail(QString* error, const QString& message) {
    if (error) *error = message;
    return false;
}

} // namespace

ParallelAxis ParallelAxis::makeNumeric(const QString& name, std::vector<double> values) {
    ParallelAxis axis;
    axis.name = name;
    axis.values = std::move(values);
    double lo = INFINITY, hi = -INFINITY;
    for (const double v : axis.values) {
        if (!std::isfinite(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (lo > hi) lo = 0, hi = 1;
    axis.lo = lo;
    axis.hi = hi;
    axis.logScale = lo > 0 && std::log10(hi / lo) > kLogDecades;
    return axis;
}

ParallelAxis ParallelAxis::makeCategorical(const QString& name, const QStringList& texts) {
    ParallelAxis axis;
    axis.name = name;
    axis.categorical = true;
    for (const QString& text : texts) {
        if (text.isEmpty()) {
            axis.values.push_back(NAN);
            continue;
        }
        qsizetype index = axis.categories.indexOf(text);
        if (index < 0) {
            index = axis.categories.size();
            axis.categories << text;
        }
        axis.values.push_back(static_cast<double>(index));
    }
    axis.lo = 0;
    axis.hi = std::max<double>(0, static_cast<double>(axis.categories.size() - 1));
    return axis;
}

double ParallelAxis::position(std::size_t run) const {
    return run < values.size() ? positionOfValue(*this, values[run]) : NAN;
}

QString ParallelAxis::labelAt(double t) const {
    if (categorical) {
        if (categories.isEmpty()) return {};
        const auto n = categories.size();
        const auto index =
            n <= 1 ? 0 : std::clamp<qsizetype>(std::llround(t * static_cast<double>(n - 1)), 0, n - 1);
        return categories[index];
    }
    if (!(hi > lo)) return shortNumber(lo);
    if (logScale) return shortNumber(std::pow(10.0, std::log10(lo) + t * (std::log10(hi) - std::log10(lo))));
    return shortNumber(lo + t * (hi - lo));
}

ParallelCoordinates::ParallelCoordinates(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus); // Escape clears the brushes
    setMouseTracking(false);
    setToolTip(tr("Drag along an axis to brush a range (axes combine with AND); click an axis to clear its "
                  "brush, Escape clears all. Drag an axis title to move the axis."));
}

void ParallelCoordinates::setData(std::vector<ParallelAxis> axes, std::vector<ParallelRun> runs) {
    // Keep the drawn order and the brushes of axes that are still there.
    std::vector<QString> oldOrder;
    for (const int index : m_order)
        oldOrder.push_back(m_axes[static_cast<std::size_t>(index)].name);
    std::vector<std::pair<QString, Brush>> oldBrushes;
    for (std::size_t i = 0; i < m_axes.size(); ++i)
        if (m_brushes[i]) oldBrushes.emplace_back(m_axes[i].name, *m_brushes[i]);

    m_axes = std::move(axes);
    m_runs = std::move(runs);
    m_brushes.assign(m_axes.size(), std::nullopt);
    m_order.clear();
    for (const QString& name : oldOrder)
        if (const int index = indexOfAxis(name); index >= 0) m_order.push_back(index);
    for (int i = 0; i < static_cast<int>(m_axes.size()); ++i)
        if (std::find(m_order.begin(), m_order.end(), i) == m_order.end()) m_order.push_back(i);
    for (const auto& [name, brush] : oldBrushes)
        if (const int index = indexOfAxis(name); index >= 0)
            m_brushes[static_cast<std::size_t>(index)] = brush;
    update();
    emit selectionChanged();
}

int ParallelCoordinates::indexOfAxis(const QString& name) const {
    for (std::size_t i = 0; i < m_axes.size(); ++i)
        if (m_axes[i].name == name) return static_cast<int>(i);
    return -1;
}

void ParallelCoordinates::setBrush(int axis, double fromPosition, double toPosition) {
    if (axis < 0 || axis >= static_cast<int>(m_axes.size())) return;
    const double lo = std::clamp(std::min(fromPosition, toPosition), 0.0, 1.0);
    const double hi = std::clamp(std::max(fromPosition, toPosition), 0.0, 1.0);
    m_brushes[static_cast<std::size_t>(axis)] = Brush{lo, hi};
    update();
    emit selectionChanged();
}

void ParallelCoordinates::setValueBrush(int axis, double lo, double hi) {
    if (axis < 0 || axis >= static_cast<int>(m_axes.size())) return;
    const ParallelAxis& a = m_axes[static_cast<std::size_t>(axis)];
    // Clamp to the data range first so an open-ended range still maps onto the axis.
    const auto clampValue = [&](double v) { return a.categorical ? v : std::clamp(v, a.lo, a.hi); };
    setBrush(axis, positionOfValue(a, clampValue(lo)), positionOfValue(a, clampValue(hi)));
}

void ParallelCoordinates::clearBrushes() {
    m_brushes.assign(m_axes.size(), std::nullopt);
    update();
    emit selectionChanged();
}

bool ParallelCoordinates::hasBrush() const {
    return std::any_of(m_brushes.begin(), m_brushes.end(), [](const auto& b) { return b.has_value(); });
}

std::vector<bool> ParallelCoordinates::selection() const {
    constexpr double kSlack = 1e-9; // values exactly on a brush edge are inside
    std::vector<bool> selected(m_runs.size(), true);
    for (std::size_t a = 0; a < m_axes.size(); ++a) {
        if (!m_brushes[a]) continue;
        for (std::size_t r = 0; r < m_runs.size(); ++r) {
            const double t = m_axes[a].position(r);
            if (!(t >= m_brushes[a]->from - kSlack && t <= m_brushes[a]->to + kSlack)) selected[r] = false;
        }
    }
    return selected;
}

void ParallelCoordinates::moveAxis(int from, int to) {
    const int count = static_cast<int>(m_order.size());
    if (from < 0 || from >= count || to < 0 || to >= count || from == to) return;
    const int axis = m_order[static_cast<std::size_t>(from)];
    m_order.erase(m_order.begin() + from);
    m_order.insert(m_order.begin() + to, axis);
    update();
}

double ParallelCoordinates::Geometry::xOf(int position, int count) const {
    if (count <= 1) return plot.center().x();
    return plot.left() + plot.width() * position / (count - 1);
}

ParallelCoordinates::Geometry ParallelCoordinates::geometryFor(const QRectF& area) const {
    Geometry geometry;
    geometry.plot = area.adjusted(kMarginLeft, kMarginTop, -kMarginRight, -kMarginBottom);
    if (geometry.plot.height() < 10) geometry.plot.setHeight(10);
    return geometry;
}

int ParallelCoordinates::positionNear(double x, const Geometry& geometry) const {
    const int count = static_cast<int>(m_order.size());
    int best = -1;
    double bestDistance = kGrabDistance;
    for (int p = 0; p < count; ++p) {
        const double distance = std::abs(geometry.xOf(p, count) - x);
        if (distance <= bestDistance) best = p, bestDistance = distance;
    }
    return best;
}

void ParallelCoordinates::paintLines(QPainter& painter, const Geometry& geometry) const {
    const std::vector<bool> selected = selection();
    const bool brushed = hasBrush();
    const int count = static_cast<int>(m_order.size());
    const auto drawRun = [&](std::size_t r, const QPen& pen) {
        QPainterPath path;
        bool open = false;
        for (int p = 0; p < count; ++p) {
            const double t =
                m_axes[static_cast<std::size_t>(m_order[static_cast<std::size_t>(p)])].position(r);
            if (!std::isfinite(t)) {
                open = false; // a missing value breaks the line
                continue;
            }
            const QPointF point(geometry.xOf(p, count), geometry.yOf(t));
            if (open)
                path.lineTo(point);
            else
                path.moveTo(point);
            open = true;
        }
        painter.setPen(pen);
        painter.drawPath(path);
    };
    painter.setBrush(Qt::NoBrush);
    // Brushed-out runs first and faint, so the selected ones read on top of them.
    for (std::size_t r = 0; r < m_runs.size(); ++r)
        if (brushed && !selected[r]) drawRun(r, QPen(QColor(150, 150, 150, 50), 1.0));
    for (std::size_t r = 0; r < m_runs.size(); ++r) {
        if (brushed && !selected[r]) continue;
        QColor color = m_runs[r].color;
        color.setAlpha(215);
        drawRun(r, QPen(color, brushed ? 2.2 : 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    }
}

void ParallelCoordinates::paintAxes(QPainter& painter, const Geometry& geometry) const {
    const int count = static_cast<int>(m_order.size());
    QFont font = painter.font();
    const QFontMetricsF metrics(font);
    QFont bold = font;
    bold.setBold(true);
    const double slot = count > 1 ? geometry.plot.width() / (count - 1) : geometry.plot.width();
    for (int p = 0; p < count; ++p) {
        const auto index = static_cast<std::size_t>(m_order[static_cast<std::size_t>(p)]);
        const ParallelAxis& axis = m_axes[index];
        double x = geometry.xOf(p, count);
        const bool moving = m_drag == Drag::Move && m_dragAxis == p;
        if (moving) x = m_dragX;
        painter.setPen(QPen(moving ? QColor(0x4E79A7) : QColor(60, 60, 60), moving ? 2.0 : 1.2));
        painter.drawLine(QPointF(x, geometry.plot.top()), QPointF(x, geometry.plot.bottom()));

        if (m_brushes[index]) {
            const QRectF band(QPointF(x - 7, geometry.yOf(m_brushes[index]->to)),
                              QPointF(x + 7, geometry.yOf(m_brushes[index]->from)));
            painter.fillRect(band, QColor(0x4E, 0x79, 0xA7, 70));
            painter.setPen(QPen(QColor(0x4E79A7), 1.0));
            painter.drawRect(band);
        }

        // Title, elided to the room between neighbours, and a "log" note for log-scaled axes.
        painter.setFont(bold);
        const QString title = axis.logScale ? axis.name + QStringLiteral(" (log)") : axis.name;
        const double titleWidth = std::max(40.0, std::min(slot - 6, 2 * kMarginLeft));
        const QString elided = QFontMetricsF(bold).elidedText(title, Qt::ElideMiddle, titleWidth);
        painter.setPen(QColor(30, 30, 30));
        painter.drawText(QRectF(x - titleWidth / 2, geometry.plot.top() - kMarginTop + 4, titleWidth, 20),
                         Qt::AlignHCenter | Qt::AlignTop, elided);
        painter.setFont(font);

        // Tick labels on the left of the axis.
        painter.setPen(QColor(90, 90, 90));
        const auto tick = [&](double t, const QString& label) {
            const double y = geometry.yOf(t);
            painter.drawLine(QPointF(x - 4, y), QPointF(x, y));
            const QString text = metrics.elidedText(label, Qt::ElideRight, kMarginLeft - 8);
            painter.drawText(QRectF(x - kMarginLeft + 2, y - 8, kMarginLeft - 8, 16),
                             Qt::AlignRight | Qt::AlignVCenter, text);
        };
        if (axis.categorical) {
            const auto n = axis.categories.size();
            const qsizetype every = std::max<qsizetype>(1, (n + kMaxCategoryLabels - 1) / kMaxCategoryLabels);
            for (qsizetype c = 0; c < n; c += every)
                tick(positionOfValue(axis, static_cast<double>(c)), axis.categories[c]);
        } else if (axis.logScale && axis.lo > 0) {
            // Powers of ten read best on a log axis; the ends are labelled too.
            tick(0, axis.labelAt(0));
            tick(1, axis.labelAt(1));
            const double lo = std::log10(axis.lo), hi = std::log10(axis.hi);
            for (double decade = std::ceil(lo); decade <= std::floor(hi); decade += 1) {
                const double t = (decade - lo) / (hi - lo);
                if (t * geometry.plot.height() > 14 && (1 - t) * geometry.plot.height() > 14)
                    tick(t, shortNumber(std::pow(10.0, decade)));
            }
        } else {
            for (int i = 0; i < kTicks; ++i) {
                const double t = static_cast<double>(i) / (kTicks - 1);
                tick(t, axis.labelAt(t));
            }
        }
    }
}

void ParallelCoordinates::paintTo(QPainter& painter, const QRectF& area) const {
    painter.fillRect(area, Qt::white);
    if (m_axes.empty()) {
        painter.setPen(QColor(110, 110, 110));
        painter.drawText(area, Qt::AlignCenter, tr("No runs with the chosen metric"));
        return;
    }
    const Geometry geometry = geometryFor(area);
    paintLines(painter, geometry);
    paintAxes(painter, geometry);
}

void ParallelCoordinates::paintEvent(QPaintEvent* /*event*/) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    paintTo(painter, QRectF(rect()));
}

void ParallelCoordinates::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    const Geometry geometry = geometryFor(QRectF(rect()));
    const QPointF pos = event->position();
    const int position = positionNear(pos.x(), geometry);
    if (position < 0) return;
    if (pos.y() < geometry.plot.top() - 4) {
        m_drag = Drag::Move;
        m_dragAxis = position;
        m_dragX = pos.x();
        setCursor(Qt::ClosedHandCursor);
    } else {
        m_drag = Drag::Brush;
        m_dragAxis = m_order[static_cast<std::size_t>(position)];
        m_dragStart = snapped(geometry.tOf(pos.y()), geometry.plot.height());
    }
    update();
}

void ParallelCoordinates::mouseMoveEvent(QMouseEvent* event) {
    const Geometry geometry = geometryFor(QRectF(rect()));
    const QPointF pos = event->position();
    if (m_drag == Drag::Move) {
        m_dragX = std::clamp(pos.x(), geometry.plot.left(), geometry.plot.right());
        update();
    } else if (m_drag == Drag::Brush) {
        const double t = snapped(geometry.tOf(pos.y()), geometry.plot.height());
        if (std::abs(t - m_dragStart) * geometry.plot.height() >= kMinBrushPixels)
            setBrush(m_dragAxis, m_dragStart, t);
    }
}

void ParallelCoordinates::mouseReleaseEvent(QMouseEvent* event) {
    const Geometry geometry = geometryFor(QRectF(rect()));
    const QPointF pos = event->position();
    if (m_drag == Drag::Move) {
        const int count = static_cast<int>(m_order.size());
        int target = m_dragAxis;
        double bestDistance = INFINITY;
        for (int p = 0; p < count; ++p)
            if (const double d = std::abs(geometry.xOf(p, count) - pos.x()); d < bestDistance)
                target = p, bestDistance = d;
        m_drag = Drag::None;
        unsetCursor();
        moveAxis(m_dragAxis, target);
        update();
        return;
    }
    if (m_drag == Drag::Brush) {
        m_drag = Drag::None;
        const double t = snapped(geometry.tOf(pos.y()), geometry.plot.height());
        if (std::abs(t - m_dragStart) * geometry.plot.height() < kMinBrushPixels) {
            m_brushes[static_cast<std::size_t>(m_dragAxis)].reset(); // a click clears this axis' brush
            update();
            emit selectionChanged();
        } else {
            setBrush(m_dragAxis, m_dragStart, t);
        }
    }
}

void ParallelCoordinates::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape && hasBrush()) {
        clearBrushes();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool ParallelCoordinates::exportImage(const QString& path, const QSize& size, QString* error) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    QFile file(path);
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return fail(error, tr("cannot write %1: unknown image format (use .png, .svg or .pdf)").arg(path));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(error, tr("cannot write %1: %2").arg(path, file.errorString()));
    const QRectF area(QPointF(0, 0), QSizeF(size));
    if (suffix == QLatin1String("png")) {
        QImage image(size * kExportPixelRatio, QImage::Format_ARGB32_Premultiplied);
        if (image.isNull()) return fail(error, tr("cannot allocate the image"));
        image.setDevicePixelRatio(kExportPixelRatio);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            paintTo(painter, area);
        }
        return image.save(&file, "PNG") ? true
                                        : fail(error, tr("cannot write %1: PNG encoding failed").arg(path));
    }
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setOutputDevice(&file);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(tr("Parallel coordinates"));
        QPainter painter;
        if (!painter.begin(&generator))
            return fail(error, tr("cannot write %1: SVG output failed").arg(path));
        painter.setRenderHint(QPainter::Antialiasing);
        paintTo(painter, area);
        return true;
    }
    QPdfWriter writer(&file);
    writer.setResolution(96);
    writer.setPageSize(QPageSize(QSizeF(size) * (72.0 / 96.0), QPageSize::Point));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setTitle(tr("Parallel coordinates"));
    QPainter painter;
    if (!painter.begin(&writer)) return fail(error, tr("cannot write %1: PDF output failed").arg(path));
    painter.setRenderHint(QPainter::Antialiasing);
    paintTo(painter, QRectF(0, 0, writer.width(), writer.height()));
    return true;
}

} // namespace runlens::ui
