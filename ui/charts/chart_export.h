// Builds the curve chart shared by the GUI cards and `runlens chart`, and saves charts as PNG, SVG or PDF.
#pragma once

#include "core/model/csv_text.h"

#include <QByteArray>
#include <QChart>
#include <QColor>
#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>
#include <vector>

class QLogValueAxis;
class QValueAxis;

namespace runlens::ui {

struct CurveLine {
    QString runName;
    QColor color;
    std::vector<double> rawX, rawY;       // drawn faint (may be empty)
    std::vector<double> smoothX, smoothY; // drawn solid (or in this style)
    Qt::PenStyle style = Qt::SolidLine;   // dashed for a second overlaid tag
};

// A translucent band (a group's spread around its centre line), drawn behind every line.
struct CurveBand {
    QString name;
    QColor color;
    std::vector<double> x, lower, upper; // points with a non-finite bound are left out
};

struct CurveChartSpec {
    QString title;
    QString xLabel;
    QString yLabel;
    bool logY = false;
    bool robustYRange = false; // 5th-95th percentile (with margin) instead of full range
    bool xIsWallTime = false;  // x holds Unix seconds: the x axis shows dates and clock times
    bool xIsStepCount = false; // x holds training steps: labels read 10k, 250k, 1.5M
    std::vector<CurveLine> lines;
    std::vector<CurveBand> bands; // optional; included in the axis ranges
};

// A new chart (caller owns it) with axes, titles and a legend; raw lines faint behind smoothed ones.
QChart* buildCurveChart(const CurveChartSpec& spec);

// A linear axis whose labels are step counts (9999, 10k, 1.5M): QValueAxis' printf format cannot write
// "10k", so it is a QCategoryAxis whose categories applyRoundTicks places at round values.
QValueAxis* makeStepCountAxis();
// Round ticks (1, 2, 2.5 or 5 x 10^k apart, about targetTicks of them) for the axis' current range; call it
// again after every range change. A step-count axis gets compact labels, any other value axis plain ones.
void applyRoundTicks(QValueAxis* axis, int targetTicks);
// A base-10 log axis labelled at every decade as a plain number (0.001, 10, 1000) with minor ticks at 2..9
// times each decade; snapToDecades widens the current range outward to whole decades first.
void applyDecadeTicks(QLogValueAxis* axis, bool snapToDecades);

// Adds series to chart on the two axes; inLegend false hides its legend entries (whiskers, helper lines).
void attachSeries(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y,
                  bool inLegend = true);

// Renders the chart at the given logical size; the format follows the extension (.png, .svg, .pdf).
// Returns false and fills error on failure.
bool exportChart(QChart* chart, const QSize& size, const QString& path, QString* error);

// The chart as an SVG document, or as an image at twice the size (for documents that embed charts); empty
// on failure.
QByteArray chartSvg(QChart* chart, const QSize& size);
QImage chartImage(QChart* chart, const QSize& size);

// core's csvField (RFC 4180) for QString: by default quoted (quotes doubled) only when it holds a comma, a
// quote or a line break (\n or \r).
QString csvField(const QString& text, CsvQuoting quoting = CsvQuoting::WhenNeeded);
// core's numberText for CSV: the shortest text that reads back as the value; empty for NaN, "inf"/"-inf".
QString csvNumber(double value);

// Writes bytes to path whole or not at all (a temporary file renamed over it), every export's one writer:
// encoders and plain writes do not report a full disk, this does, with the system's reason.
bool writeWholeFile(const QString& path, const QByteArray& bytes, QString* error);

// Drops the leading path parts all names share ("evaluation/churn_v1", "evaluation/churn_v2" -> "churn_v1",
// "churn_v2"), so a legend shows what tells the runs apart instead of eliding it.
QStringList shortRunNames(const QStringList& names);

// A distinct, colour-blind-friendly colour for the i-th run.
QColor runColor(int index);
// The palette slot a run prefers, derived from its key (the run name) alone, so a run's colour does not
// depend on which other runs are loaded, filtered or were imported first.
int runColorSlot(const QString& key);
// Number of distinct colours runColor cycles through.
inline constexpr int kRunColorCount = 20;

} // namespace runlens::ui
