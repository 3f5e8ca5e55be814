// A parallel-coordinates plot of runs: one vertical axis per param and metric, range brushing, axes reordered
// by drag.
#pragma once

#include <optional>
#include <QColor>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

class QPainter;

namespace runlens::ui {

// One axis. values holds, per run, the number (numeric axis) or the category index (categorical), NaN when
// the run has no value.
struct ParallelAxis {
    QString name;
    bool categorical = false;
    QStringList categories;
    std::vector<double> values;
    bool logScale = false; // numeric values all positive and spanning more than two decades
    double lo = 0, hi = 1; // numeric data range

    // A numeric axis over the finite values, log-scaled when they are positive and span > 2 decades.
    static ParallelAxis makeNumeric(const QString& name, std::vector<double> values);
    // Categories in first-seen order, evenly spaced; an empty text means "no value".
    static ParallelAxis makeCategorical(const QString& name, const QStringList& texts);

    // Position on the axis in [0, 1] (0 at the bottom); NaN when the run has no value.
    double position(std::size_t run) const;
    // The data value (or category name) at a position, for labels and tooltips.
    QString labelAt(double position) const;
};

struct ParallelRun {
    QString name;
    QColor color;
};

class ParallelCoordinates : public QWidget {
    Q_OBJECT
  public:
    explicit ParallelCoordinates(QWidget* parent = nullptr);

    // Replaces the data; brushes are kept for axes whose name survives (a refresh keeps the user's filter).
    void setData(std::vector<ParallelAxis> axes, std::vector<ParallelRun> runs);
    const std::vector<ParallelAxis>& axes() const { return m_axes; } // in data order
    const std::vector<int>& axisOrder() const { return m_order; }    // data index per drawn position
    std::size_t runCount() const { return m_runs.size(); }

    // Brush on an axis (data index) in position units [0, 1]; runs inside on every brushed axis are selected.
    void setBrush(int axis, double fromPosition, double toPosition);
    // Brush in data units (numbers, or category indices for a categorical axis), both ends included.
    void setValueBrush(int axis, double lo, double hi);
    void clearBrushes();
    bool hasBrush() const;
    std::vector<bool> selection() const; // per run
    int indexOfAxis(const QString& name) const;

    // Moves the axis drawn at position `from` to position `to`.
    void moveAxis(int from, int to);

    void paintTo(QPainter& painter, const QRectF& area) const;
    // PNG (at 2x), SVG or PDF by extension.
    bool exportImage(const QString& path, const QSize& size, QString* error) const;

    QSize sizeHint() const override { return {900, 320}; }
    QSize minimumSizeHint() const override { return {300, 180}; }

  signals:
    void selectionChanged();

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    struct Brush {
        double from = 0, to = 1;
    };
    struct Geometry {
        QRectF plot; // axes span plot's height; first and last axis at its left and right edges
        double xOf(int position, int count) const;
        double yOf(double t) const { return plot.bottom() - t * plot.height(); }
        double tOf(double y) const { return (plot.bottom() - y) / plot.height(); }
    };
    Geometry geometryFor(const QRectF& area) const;
    int positionNear(double x, const Geometry& geometry) const; // -1 when no axis is within reach
    void paintLines(QPainter& painter, const Geometry& geometry) const;
    void paintAxes(QPainter& painter, const Geometry& geometry) const;

    std::vector<ParallelAxis> m_axes;
    std::vector<ParallelRun> m_runs;
    std::vector<int> m_order;
    std::vector<std::optional<Brush>> m_brushes; // per data axis

    enum class Drag { None, Brush, Move };
    Drag m_drag = Drag::None;
    int m_dragAxis = -1; // data index (brush) or position (move)
    double m_dragStart = 0;
    double m_dragX = 0;
};

} // namespace runlens::ui
