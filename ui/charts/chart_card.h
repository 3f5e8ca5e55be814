// One card of the Curves tab: a tag's chart overlaying the visible runs, with its export menu.
#pragma once

#include "core/analysis/curve_prep.h"
#include "core/analysis/group_bands.h"
#include "core/model/series.h"
#include "ui/charts/chart_export.h"
#include "ui/charts/curve_layer.h"
#include "ui/context/settings.h"

#include <functional>
#include <memory>
#include <optional>
#include <QColor>
#include <QFrame>
#include <QPointF>
#include <QString>
#include <vector>

class QAction;
class QChart;
class QLabel;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;

// One line of a card: a run's (or a worker's) points of one tag.
struct CardRun {
    QString name;
    QColor color;
    std::shared_ptr<const SeriesData> data;
    QString group; // lines with the same non-empty group are drawn as one centre line with a band
    QString tag;   // the series' tag; a card may overlay several (train and val loss)
    Qt::PenStyle style = Qt::SolidLine;      // tells the overlaid tags apart
    std::shared_ptr<const SeriesData> xData; // the x metric's points when x is another metric
    // Diagnostics to mark on the line at a step ("↗" where it began to diverge), shown on a step axis.
    std::vector<std::pair<std::int64_t, QString>> marks;
    // The line's own min/max band when the log holds one (a W&B chart export's __MIN / __MAX columns).
    std::shared_ptr<const SeriesData> bandLower, bandUpper;
    // On a card of many lines, instead of data: the points the card draws at its width (issue 19); the card
    // asks its full provider for data when it is zoomed in or exports.
    std::shared_ptr<const CurveOverview> overview;
};

class ChartCard : public QFrame {
    Q_OBJECT
  public:
    using RunProvider = std::function<std::vector<CardRun>(const QString& tag)>;
    static constexpr int kExportWidth = 1200;
    static constexpr int kExportHeight = 750;

    ChartCard(const QString& tag, RunProvider provider, const CurveDisplay& display,
              QWidget* parent = nullptr);

    // Where exports and a zoomed-in view read every point when the provider gives overviews (issue 19).
    void setFullProvider(RunProvider provider) { m_fullProvider = std::move(provider); }

    const QString& tag() const { return m_tag; }
    bool needsRefresh() const { return m_pending != Pending::None; }
    double effectiveSmoothing() const { return smoothing(); } // 0 where the card draws unsmoothed
    int plotWidthPixels() const { return plotPixels(); }
    // Whether the lines drawn come from every logged point (always, unless the provider gives overviews
    // and the card is not zoomed in).
    bool drawsFullResolution() const;
    bool isBuilt() const { return m_built; }
    QChart* chart() const; // nullptr until built
    InteractiveChartView* chartView() const { return m_view; }
    const CurveLayer* layer() const { return m_layer; } // what is drawn; nullptr until built
    // The drawn points of a line by name (a run, "<run> (raw)", or a group), in chart units.
    std::vector<QPointF> drawnLine(const QString& name) const;
    // Lines (raw lines included) and points currently drawn, for benchmarks and tests.
    std::size_t drawnPointCount() const;
    // Above this many lines the faint raw lines are left out: they would only add noise and paint time.
    static constexpr int kMaxRawLines = 20;
    static constexpr std::size_t kMaxPointMarkers = 200; // per run; more points than this read as a line

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

    // The x range (in the card's x units: steps, seconds) another card was zoomed or panned to, for the
    // Curves tab's "Sync x"; a card not yet built takes it when it is. followReset goes back to the data.
    void followXRange(double lo, double hi);
    void followReset();
    // Pinned cards stand in their own section on top of the grid; the card's menu offers to pin or unpin.
    void setPinned(bool pinned);
    bool isPinned() const { return m_pinned; }

  signals:
    void exportFailed(const QString& message);
    void pinToggled();                       // the menu's Pin / Unpin was chosen
    void xRangeChosen(double lo, double hi); // the user zoomed or panned (x units as followXRange takes)
    void zoomReset();                        // the user went back to the full range

  private:
    enum class Pending { None, Points, Rebuild };
    // A line prepared for the current view.
    struct Prepared {
        CurveInput input; // kept while the x axis and the data stay the same
        XYPoints raw, smoothed;
        bool drawn = false; // smoothed was drawn (a card of many lines lets it go once the layer has it)
        std::optional<double> nonFiniteFrom; // x where values turn NaN/Inf after finite ones
        BandLines ownBand;                   // CardRun::bandLower/Upper on the card's x axis (no centre)
        // input.y smoothed at full resolution, made on the first hover after a change: the readout names
        // the smoothed value of the very point whose raw value and step it shows.
        mutable std::vector<double> hoverSmoothed;
        mutable std::vector<double> hoverRelative; // seconds into the run per input point (readout), lazily
    };
    // A group's centre line and band for the current view.
    struct GroupCurve {
        QString name;
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        std::vector<std::size_t> members; // indices into m_runs
        BandLines band;
    };

    void rebuild();
    std::vector<CardRun> fullRuns() const;
    void prepareInputs();        // m_prepared's inputs for m_runs
    void useResolutionForView(); // full data while zoomed in, the overviews otherwise
    void refreshPoints(bool smoothingOnly = false);
    CurveInput inputFor(const CardRun& run) const;
    QString xMetric() const; // the metric used as x ("epoch"), empty for step and time axes
    static std::vector<GroupCurve> groupsOf(const std::vector<CardRun>& runs);
    BandLines groupBand(const std::vector<const CurveInput*>& members, const CurveOptions& options) const;
    BandLines ownBandOf(const CardRun& run) const;
    void prepareGroups(const CurveOptions& options);
    void pushToLayer();
    std::vector<CurveLayer::LegendEntry> legendEntries() const;
    bool grouped() const { return !m_groups.empty(); }
    // A group member whose own line is hidden behind its group's centre line; a line outside every group
    // (a plain run beside a distributed run's workers) is always drawn.
    bool drawnOnlyInGroup(std::size_t line) const {
        return !m_runs[line].group.isEmpty() && !m_display.showRunLines;
    }
    bool drawsRaw() const;
    void applyFullRange();
    void applyTicks(); // round ticks for the current ranges and card size
    void onViewChanged();
    void onReset();
    void buildMenu(QToolButton* button);
    void askAndExportImage(const QString& suffix);
    void askAndExportCsv(bool longForm);
    CurveOptions curveOptions(int pixels, bool limitToView) const;
    int plotPixels() const;
    QString tooltipAt(const QPointF& value) const;
    double xScale() const;
    bool drawsUnsmoothed() const; // learning-curve fold scores are drawn as logged
    double smoothing() const; // the display's smoothing, 0 where the card draws unsmoothed // chart x units
                              // per prepared x unit (ms for the wall-time axis)

    QString m_tag;
    bool m_pinned = false;
    std::optional<std::pair<double, double>> m_followX; // a synced x range to apply once built
    QAction* m_pinAction = nullptr;
    RunProvider m_provider;
    RunProvider m_fullProvider; // empty: m_provider gives every point
    CurveDisplay m_display;
    QLabel* m_title;
    QLabel* m_placeholder;
    InteractiveChartView* m_view;
    bool m_built = false;
    bool m_zoomed = false;
    bool m_fullResolution = false; // m_runs came from the full provider for a zoomed view
    bool m_keepView = false;       // the next rebuild keeps a zoomed view (only the data changed)
    Pending m_pending = Pending::Rebuild;
    int m_lastPixels = 0;

    std::vector<CardRun> m_runs;
    std::vector<Prepared> m_prepared; // per run
    std::vector<GroupCurve> m_groups; // empty when no run has a group
    CurveLayer* m_layer = nullptr;    // child of the current chart
    int m_rawPixels = 0;              // the view the raw points were decimated for
    std::optional<double> m_rawX0, m_rawX1;
};

} // namespace runlens::ui
