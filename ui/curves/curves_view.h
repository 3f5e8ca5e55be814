// The Curves tab: a toolbar of display choices over a lazily drawn, scrollable grid of chart cards.
#pragma once

#include "core/analysis/curve_prep.h"
#include "core/model/series.h"
#include "ui/context/settings.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <QColor>
#include <QFutureWatcher>
#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QWidget>
#include <string>
#include <utility>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QScrollArea;
class QSlider;
class QStackedWidget;

namespace runlens {
class Workspace;
struct RunInfo;
} // namespace runlens

namespace runlens::ui {

class ChartCard;
struct CardRun;
class RunTableModel;

class CurvesView : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kSliderSteps = 999; // slider value / 1000 = smoothing weight

    // The card a tag belongs to: "<tag>/worker_<N>" folds into "<tag>"; with combineTags a split prefix
    // or suffix is dropped too ("train/loss", "val_loss", "Loss/test" -> "loss", "loss", "Loss").
    static QString cardKeyOf(const QString& tag, bool combineTags);
    // The worker number of a "<tag>/worker_<N>" tag, -1 for other tags.
    static int workerOfTag(const QString& tag);
    // GPU/CPU/memory/power... tags, drawn after the model's metrics.
    static bool isSystemMetric(const QString& tag);
    // Cards derived from wall times: throughput per run from its most frequently logged series.
    inline static const QString kStepsPerSecond = QStringLiteral("speed: steps/s");
    inline static const QString kSamplesPerSecond = QStringLiteral("speed: samples/s");

    CurvesView(RunTableModel* runs, QWidget* parent = nullptr);
    ~CurvesView() override; // cancels the background reads and waits for them

    // Above this many lines a card draws overviews (CurveOverview) read off the GUI thread, not every point.
    static constexpr int kOverviewLines = 20;
    // Whether a card's lines come from overviews under the current display (many lines, no groups, x is
    // step or time, restarts not split).
    bool usesOverviews(const QString& cardKey) const;
    // Whether background reads for visible cards are still running or queued.
    bool isReadingOverviews() const { return !m_reads.empty() || !m_readQueue.isEmpty(); }
    // Points held by the overview cache (tests and benchmarks check it stays bounded).
    std::size_t cachedOverviewPoints() const { return m_overviewPoints; }

    // The workspace to read points from (GUI-thread connection, not owned); nullptr shows the empty state.
    void setWorkspace(Workspace* workspace);
    // The workspace's data changed (an import finished): drops cached points and redraws.
    void reload();

    CurveDisplay display() const { return m_display; }
    void setDisplay(const CurveDisplay& display);
    QList<ChartCard*> cards() const { return m_cards; }
    // Cards come in sections by their tag's first part (train/, val/, eval/, system ...), each collapsible,
    // with pinned cards in a section of their own on top. Both are kept per workspace.
    QString sectionOf(const QString& cardKey) const;
    bool isSectionCollapsed(const QString& section) const { return m_collapsed.contains(section); }
    void setSectionCollapsed(const QString& section, bool collapsed);
    bool isPinned(const QString& cardKey) const { return m_pinned.contains(cardKey); }
    void setPinned(const QString& cardKey, bool pinned);
    static const QString kPinnedSection;
    QSlider* smoothingSlider() const { return m_slider; }
    QLineEdit* tagFilter() const { return m_tagFilter; }
    bool showsEmptyState() const;
    // Series that could not be read (a damaged workspace), as "run: tag: reason"; shown above the cards.
    QStringList unreadableSeries() const { return m_unreadable; }

    // Writes every card (PNG and SVG) and its long-form data CSV into dir; returns files written.
    QStringList exportAll(const QString& dir, QStringList* errors);

  signals:
    void displayChanged(const CurveDisplay& display);

  protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

  private:
    QWidget* buildToolbar();
    void rebuildCards();
    void relayoutCards();
    void scheduleVisibleRefresh();
    void refreshVisibleCards();
    void onDisplayEdited();
    void onVisibilityChanged();
    void updateEmptyState();
    void updateDamageNotice();
    // Lists a series that could not be read (the damage notice names it) and updates the notice later.
    void noteUnreadable(std::int64_t runId, const std::string& tag, const char* error);
    enum class Read { Display, Full };
    std::vector<CardRun> runsForTag(const QString& cardKey, Read read = Read::Display);
    // What an overview of a card is made with; a cached one serves while the card's width stays within 2x.
    struct OverviewParams {
        XAxis axis = XAxis::Step;
        Smoother smoother = Smoother::Ema;
        double smoothing = 0.0;
        int buckets = 0;
        bool serves(const OverviewParams& wanted) const {
            return axis == wanted.axis && smoother == wanted.smoother && smoothing == wanted.smoothing &&
                   buckets >= wanted.buckets && buckets <= 2 * wanted.buckets;
        }
    };
    struct OverviewEntry {
        OverviewParams params;
        std::shared_ptr<const CurveOverview> overview; // nullptr: the series could not be read
        std::uint64_t lastUse = 0;
    };
    using SeriesKey = std::pair<std::int64_t, std::string>;
    struct OverviewBatch {
        std::vector<std::pair<SeriesKey, std::shared_ptr<const CurveOverview>>> overviews;
        QStringList errors;  // "run: tag: reason", for the damage notice
        bool opened = false; // the workspace file could be opened on the read's own connection
    };
    struct OverviewRead {
        QString cardKey;
        std::uint64_t generation = 0;
        OverviewParams params;
        std::shared_ptr<std::atomic<bool>> cancel;
        QFutureWatcher<OverviewBatch>* watcher = nullptr;
    };
    OverviewParams overviewParams(const QString& cardKey) const;
    std::vector<SeriesKey> seriesOfCard(const QString& cardKey) const;
    std::shared_ptr<const CurveOverview> overview(std::int64_t runId, const std::string& tag,
                                                  const OverviewParams& params);
    void storeOverview(const SeriesKey& key, const OverviewParams& params,
                       std::shared_ptr<const CurveOverview> overview);
    bool overviewsReady(const QString& cardKey); // queues a background read when not
    void startOverviewReads();
    void onOverviewsRead(OverviewRead read);
    void cancelOverviewReads(); // the workspace or the overviews' parameters changed
    static OverviewBatch readOverviews(const QString& path, const std::vector<SeriesKey>& series,
                                       const OverviewParams& params, const std::atomic<bool>& cancel);
    SeriesData readUncached(std::int64_t runId, const std::string& tag);
    ChartCard* cardOf(const QString& cardKey) const;
    bool isOnScreen(const ChartCard* card) const;
    std::vector<CardRun> speedLines(bool samples);
    std::shared_ptr<const SeriesData> series(std::int64_t runId, const std::string& tag);
    QString groupKeyOf(const RunInfo& run) const;
    void updateGroupColors();
    void refreshChoiceLists(); // group-by params and x metrics follow the workspace
    int columnsForWidth() const;

    RunTableModel* m_runs;
    Workspace* m_workspace = nullptr;
    CurveDisplay m_display;
    std::map<std::pair<std::int64_t, std::string>, std::shared_ptr<const SeriesData>> m_cache;
    // Overviews of the series of many-line cards, least recently used dropped past kOverviewBudgetPoints.
    static constexpr std::size_t kOverviewBudgetPoints = 6'000'000;
    std::map<SeriesKey, OverviewEntry> m_overviews;
    std::size_t m_overviewPoints = 0;
    std::uint64_t m_useClock = 0;
    std::uint64_t m_generation = 0; // bumped when the workspace changes: older reads are discarded
    std::vector<OverviewRead> m_reads;
    QStringList m_readQueue; // visible cards waiting for their overviews, in screen order
    QList<ChartCard*> m_cards;
    QStringList m_pinned;             // card keys, in the order they were pinned
    QSet<QString> m_collapsed;        // section names
    QList<QWidget*> m_sectionHeaders; // rebuilt with the layout
    void loadCardLayout();            // pinned cards and collapsed sections of this workspace
    // "Sync x": a card's zoom or pan (lo; nullopt for a reset) shown on every other card.
    void onCardXRange(ChartCard* source, std::optional<double> lo, double hi);
    std::optional<std::pair<double, double>> m_syncedX; // the range cards built later take
    void saveCardLayout() const;
    int m_columns = 0;
    bool m_refreshScheduled = false;
    bool m_updatingControls = false;

    QSlider* m_slider;
    QDoubleSpinBox* m_spin;
    QComboBox* m_smoother;
    QComboBox* m_xAxis;
    QCheckBox* m_logY;
    QCheckBox* m_robustY;
    QCheckBox* m_showRaw;
    QCheckBox* m_logX;
    QComboBox* m_groupBy;
    QLineEdit* m_groupPattern;
    QComboBox* m_center;
    QComboBox* m_band;
    QCheckBox* m_showRunLines;
    QCheckBox* m_combineTags;
    QCheckBox* m_splitRestarts;
    QCheckBox* m_syncX;
    std::map<QString, QStringList> m_cardTags; // card key -> the tags it overlays
    std::map<QString, QColor> m_groupColors;   // by group key, fixed per rebuild
    QLineEdit* m_tagFilter;
    QStackedWidget* m_stack;
    QLabel* m_emptyLabel;
    QLabel* m_damageNotice; // says which series could not be read, instead of silently empty cards
    QStringList m_unreadable;
    QScrollArea* m_scroll;
    QWidget* m_grid;
    QGridLayout* m_gridLayout;
};

} // namespace runlens::ui
