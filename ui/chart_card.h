// One card of the Curves tab: a tag's chart overlaying the visible runs, with its export menu.
#pragma once

#include "core/analysis/curve_prep.h"
#include "core/model/series.h"
#include "ui/chart_export.h"
#include "ui/settings.h"

#include <functional>
#include <memory>
#include <QColor>
#include <QFrame>
#include <QString>
#include <vector>

class QChart;
class QLabel;
class QLineSeries;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;

// A run's points of the card's tag, as the card draws them.
struct CardRun {
    QString name;
    QColor color;
    std::shared_ptr<const SeriesData> data;
};

class ChartCard : public QFrame {
    Q_OBJECT
  public:
    using RunProvider = std::function<std::vector<CardRun>(const QString& tag)>;
    static constexpr int kExportWidth = 1200;
    static constexpr int kExportHeight = 750;

    ChartCard(const QString& tag, RunProvider provider, const CurveDisplay& display,
              QWidget* parent = nullptr);

    const QString& tag() const { return m_tag; }
    bool isBuilt() const { return m_built; }
    QChart* chart() const; // nullptr until built
    InteractiveChartView* chartView() const { return m_view; }

    // Display changes: smoothing only re-prepares the points; other changes rebuild the chart. Both are
    // deferred until the card is drawn (refreshIfNeeded) when it is off screen.
    void setDisplay(const CurveDisplay& display);
    void invalidateData(); // the visible runs or their points changed
    // Builds or refreshes the chart when something changed since it was last drawn.
    void refreshIfNeeded();

    // Builds a fresh chart of the current view (decimated for the export width) and saves it.
    bool exportImage(const QString& path, QString* error);
    // TensorBoard's CSV schema (Wall time,Step,Value), one file per run: `<base>.csv` for a single run, else
    // `<base>-<run>.csv`. Returns the files written.
    QStringList exportTensorBoardCsv(const QString& path, QString* error);
    // Long form: run,tag,step,wall_time,value for every visible run.
    bool exportLongCsv(const QString& path, QString* error);
    CurveChartSpec exportSpec(int pixels) const;

    // A tag or run name made safe as a file name ("val/loss" -> "val_loss").
    static QString safeFileName(const QString& name);

  signals:
    void exportFailed(const QString& message);

  private:
    enum class Pending { None, Points, Rebuild };

    void rebuild();
    void refreshPoints();
    void applyFullRange();
    void onViewChanged();
    void onReset();
    void buildMenu(QToolButton* button);
    void askAndExportImage(const QString& suffix);
    void askAndExportCsv(bool longForm);
    CurveOptions curveOptions(int pixels, bool limitToView) const;
    int plotPixels() const;
    QString tooltipAt(const QPointF& value) const;
    double xScale() const; // chart x units per prepared x unit (ms for the wall-time axis)

    QString m_tag;
    RunProvider m_provider;
    CurveDisplay m_display;
    QLabel* m_title;
    QLabel* m_placeholder;
    InteractiveChartView* m_view;
    bool m_built = false;
    bool m_zoomed = false;
    Pending m_pending = Pending::Rebuild;
    int m_lastPixels = 0;

    std::vector<CardRun> m_runs;
    std::vector<PreparedCurve> m_prepared;
    std::vector<QLineSeries*> m_rawSeries;    // per run; nullptr when raw is not drawn
    std::vector<QLineSeries*> m_smoothSeries; // per run
};

} // namespace runlens::ui
