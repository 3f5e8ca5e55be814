// The Slices tab: per-slice metrics of cohorts with the Simpson verdict, a slice finder and regressed slices
// A->B.
#pragma once

#include "core/analysis/slice_finder.h"
#include "core/analysis/slices.h"
#include "ui/slices/slice_jobs.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <QFutureWatcher>
#include <QString>
#include <QWidget>
#include <string>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;
class QShowEvent;
class QTableWidget;
class QTimer;
class QToolButton;

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class FairnessPanel;
class InteractiveChartView;
class ViewContext;

class SlicesView : public QWidget {
    Q_OBJECT
  public:
    explicit SlicesView(ViewContext* context, QWidget* parent = nullptr);
    ~SlicesView() override;

    // True while a computation runs or waits to run (tests wait for false).
    bool isBusy() const;

    // The slicing controls; the chosen values drive the slices table, banner and chart.
    QComboBox* evaluationSetCombo() const { return m_setCombo; }
    QComboBox* compareCombo() const { return m_compareCombo; } // "Visible runs" or a column of one run's set
    QComboBox* sourceRunCombo() const { return m_sourceRunCombo; }
    QComboBox* featureCombo(int index) const { return m_featureCombos[index]; }
    QComboBox* metricCombo() const { return m_metricCombo; }
    QSpinBox* bucketsSpin() const { return m_bucketsSpin; }
    QLineEdit* edgesEdit() const { return m_edgesEdit; }
    QSpinBox* minNSpin() const { return m_minNSpin; }
    QSpinBox* seedSpin() const { return m_seedSpin; }
    QTableWidget* sliceTable() const { return m_sliceTable; }
    QLabel* banner() const { return m_banner; }
    QLabel* statusLabel() const { return m_status; }
    const std::optional<SliceReport>& report() const { return m_report; }

    // Slice finder over the source run's set.
    QDoubleSpinBox* alphaSpin() const { return m_alphaSpin; }
    QSpinBox* minSupportSpin() const { return m_minSupportSpin; }
    QSpinBox* maxFeaturesSpin() const { return m_maxFeaturesSpin; }
    QTableWidget* finderTable() const { return m_finderTable; }
    const std::optional<SliceFinderResult>& foundSlices() const { return m_found; }
    // Shows the found slice of the given finder row: slices by its features and highlights its row.
    void showFoundSlice(int finderRow);

    // Regressed slices between two runs sharing the evaluation set.
    QComboBox* runACombo() const { return m_runACombo; }
    QComboBox* runBCombo() const { return m_runBCombo; }
    QTableWidget* changesTable() const { return m_changesTable; }
    const std::vector<SliceChange>& changes() const { return m_changes; }

    // Disparity across a sensitive column of the source run's set.
    FairnessPanel* fairnessPanel() const { return m_fairness; }

    // The Simpson chart at the export size (PNG, SVG or PDF by extension) and the slice table as CSV.
    bool exportChartImage(const QString& path, QString* error);
    bool exportCsv(const QString& path, QString* error);

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    struct Panel; // one background computation (slices, finder or changes) with its watcher

    void buildUi();
    QWidget* buildControls();
    QWidget* buildSlicesPage();
    QWidget* buildFinderPage();
    QWidget* buildChangesPage();
    void connectControls();

    void onWorkspaceChanged();
    void refreshSets();
    void refreshSetCombo();
    void refreshRunCombos();
    std::vector<SliceSetRef> setsNamed(const std::string& setName, bool visibleOnly) const;
    std::optional<SliceSetRef> setOfRun(const QString& runName) const;
    std::vector<SliceSetRef> cohortRefs() const;

    void scheduleSlices();
    void scheduleFinder();
    void scheduleChanges();
    void startSlices();
    void startFinder();
    void startChanges();
    void onSlicesDone(SliceJobResult result);
    void onFinderDone(SliceJobResult result);
    void onChangesDone(SliceJobResult result);
    void updateFeatureCombos(const std::vector<std::string>& features,
                             const std::vector<std::string>& sourceColumns);
    SliceOptions currentOptions(QString* error) const;

    void showReport();
    void showBanner();
    void showFinder();
    void showChanges();
    void highlightSlice();
    void exportChartInteractive(const QString& suffix);
    void exportCsvInteractive();

    ViewContext* m_context;
    SliceSetCache m_cache;
    std::vector<SliceSetRef> m_allSets; // every run's evaluation sets
    std::filesystem::path m_workspacePath;

    std::unique_ptr<Panel> m_slicesJob;
    std::unique_ptr<Panel> m_finderJob;
    std::unique_ptr<Panel> m_changesJob;
    QTimer* m_slicesTimer;
    QTimer* m_finderTimer;
    QTimer* m_changesTimer;
    bool m_updatingControls = false;
    bool m_dirty = false; // inputs changed while the view was hidden

    QStackedWidget* m_stack;
    QLabel* m_emptyHint;
    QComboBox* m_setCombo;
    QComboBox* m_compareCombo;
    QComboBox* m_sourceRunCombo;
    QComboBox* m_featureCombos[3];
    QComboBox* m_metricCombo;
    QSpinBox* m_bucketsSpin;
    QLineEdit* m_edgesEdit;
    QSpinBox* m_minNSpin;
    QSpinBox* m_seedSpin;
    QLabel* m_banner;
    QLabel* m_status;
    QLabel* m_overall;
    QTableWidget* m_sliceTable;
    InteractiveChartView* m_chartView;
    QToolButton* m_exportButton;

    QDoubleSpinBox* m_alphaSpin;
    QSpinBox* m_minSupportSpin;
    QSpinBox* m_maxFeaturesSpin;
    QTableWidget* m_finderTable;
    QLabel* m_finderStatus;

    QComboBox* m_runACombo;
    QComboBox* m_runBCombo;
    QTableWidget* m_changesTable;
    QLabel* m_changesStatus;
    FairnessPanel* m_fairness = nullptr;

    std::optional<SliceReport> m_report;
    std::optional<SliceFinderResult> m_found;
    std::vector<SliceChange> m_changes;
    std::vector<std::pair<std::string, std::string>> m_highlightKey;
};

} // namespace runlens::ui
