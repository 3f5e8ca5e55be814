// The Curves tab: a toolbar of display choices over a lazily drawn, scrollable grid of chart cards.
#pragma once

#include "core/model/series.h"
#include "ui/settings.h"

#include <cstdint>
#include <map>
#include <memory>
#include <QColor>
#include <QList>
#include <QRegularExpression>
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

    // The workspace to read points from (GUI-thread connection, not owned); nullptr shows the empty state.
    void setWorkspace(Workspace* workspace);
    // The workspace's data changed (an import finished): drops cached points and redraws.
    void reload();

    CurveDisplay display() const { return m_display; }
    void setDisplay(const CurveDisplay& display);
    QList<ChartCard*> cards() const { return m_cards; }
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
    std::vector<CardRun> runsForTag(const QString& cardKey);
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
    QList<ChartCard*> m_cards;
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
