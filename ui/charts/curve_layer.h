// Draws a card's curves and bands into its chart's plot area with plain QPainter calls in one item.
#pragma once

#include <QColor>
#include <QGraphicsObject>
#include <QPointF>
#include <QString>
#include <vector>

class QAbstractAxis;
class QChart;

namespace runlens::ui {

// Qt Charts' own line series rebuild a stroked hit-test path of every line on each change, which made a
// 100-run card take seconds to redraw; this layer only maps and draws, so a frame stays within tens of ms.
// Points are in chart value units (x in ms for a date-time axis); non-finite points break a line.
class CurveLayer : public QGraphicsObject {
    Q_OBJECT
  public:
    struct Line {
        QString name; // run, "<run> (raw)" or group; for tests and lookups
        QColor color;
        qreal width =
            1.0; // above 1 the line is stroked in short pieces (wide strokes of long paths are slow)
        Qt::PenStyle style = Qt::SolidLine;
        std::vector<QPointF> points;
    };
    struct Band {
        QColor fill;
        std::vector<QPointF> upper, lower; // same x values, ascending
    };
    struct Mark {
        QColor color;
        QPointF at;     // chart value units; a non-finite y puts the mark at the top edge
        QString symbol; // one or two characters drawn centred on the point (e.g. "✕" where NaN begins)
    };

    struct LegendEntry {
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        QString label;
    };

    // A child item of the chart drawn above its grid; follows the chart's axes as they zoom and pan.
    CurveLayer(QChart* chart, QAbstractAxis* xAxis, QAbstractAxis* yAxis);

    void setContent(std::vector<Band> bands, std::vector<Line> lines, std::vector<Mark> marks = {});
    // A small key in the plot's top-right corner (groups, overlaid tags); empty hides it.
    void setLegend(std::vector<LegendEntry> entries);
    const std::vector<LegendEntry>& legend() const { return m_legend; }
    void setColors(const QColor& text, const QColor& background); // the palette's, for the legend
    std::size_t pointCount() const; // points of every line, for tests and benchmarks
    const Line* findLine(const QString& name) const;
    const std::vector<Line>& lines() const { return m_lines; }
    const std::vector<Band>& bands() const { return m_bands; }
    const std::vector<Mark>& marks() const { return m_marks; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

  private:
    struct Mapping;
    Mapping mapping() const;
    void paintLegend(QPainter* painter, const QRectF& area) const;
    void paintLines(QPainter* painter, const Mapping& map) const;
    void paintLineRange(QPainter* painter, const Mapping& map, std::size_t begin, std::size_t end) const;
    void followAxis(QAbstractAxis* axis);

    QChart* m_chart;
    QAbstractAxis* m_xAxis;
    QAbstractAxis* m_yAxis;
    QRectF m_area;
    std::vector<Band> m_bands;
    std::vector<Line> m_lines;
    std::vector<Mark> m_marks;
    std::vector<LegendEntry> m_legend;
    QColor m_textColor = Qt::black;
    QColor m_background = Qt::white;
};

} // namespace runlens::ui
