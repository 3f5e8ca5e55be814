// The Compare tab: a diff of two or more runs, their curves overlaid or subtracted, paired tests on a shared
// evaluation set, both calibration diagrams, and what an ensemble of the runs would score.
#pragma once

#include "core/analysis/calibration.h"
#include "core/analysis/decimation.h"
#include "core/analysis/ensemble.h"
#include "core/analysis/paired_comparison.h"
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/slice_finder.h"
#include "core/model/prediction_table.h"
#include "core/model/run.h"
#include "core/store/workspace.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <QAbstractTableModel>
#include <QFutureWatcher>
#include <QStringList>
#include <QWidget>
#include <vector>

class QChart;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSpinBox;
class QStackedWidget;
class QTableView;
class QTableWidget;
class QTabWidget;
class QTimer;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;
class ViewContext;

// One key of the run diff with each run's value (missing: nullopt) and its number when it parses.
struct DiffRow {
    QString section; // "Provenance", "Param", "Tag" or "Metric"
    QString key;
    std::vector<std::optional<QString>> values;
    std::vector<double> numbers; // NaN when missing or not a number
    bool differs = false;
};

// Params, tags, provenance and per-series last/min/max of the runs, keyed and aligned.
std::vector<DiffRow> buildRunDiff(const std::vector<RunInfo>& runs);

// core's comparabilityWarnings (the same sentences `runlens diff` prints) for the tab's banner; evalSets[i]
// are run i's prediction tables.
QStringList comparabilityWarnings(const std::vector<RunInfo>& runs,
                                  const std::vector<std::vector<PredictionTableInfo>>& evalSets);

class RunDiffModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    static constexpr int kSectionColumn = 0;
    static constexpr int kKeyColumn = 1;
    static constexpr int kFirstRunColumn = 2;

    explicit RunDiffModel(QObject* parent = nullptr);
    void setDiff(std::vector<DiffRow> rows, QStringList runNames);
    void setOnlyDifferences(bool only);
    bool onlyDifferences() const { return m_onlyDiffs; }
    bool hasDeltaColumns() const { return m_runNames.size() == 2; }
    const DiffRow& rowAt(int row) const { return m_rows[m_shown[static_cast<std::size_t>(row)]]; }
    int rowOf(const QString& section, const QString& key) const; // -1 when not shown
    bool writeCsv(const QString& path, QString* error) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    void refilter();
    QString cellText(const DiffRow& row, int column) const;

    std::vector<DiffRow> m_rows;
    std::vector<std::size_t> m_shown;
    QStringList m_runNames;
    bool m_onlyDiffs = true;
};

// Everything the Predictions and Ensemble panels show, computed off the GUI thread.
struct PairedAnalysis {
    QString error; // set when the paired analysis could not run
    QString evalSet;
    QString nameA, nameB;
    std::shared_ptr<const PredictionTable> tableA, tableB;
    std::vector<std::string> classesA;
    std::vector<int> labelsA;
    std::vector<std::string> cellsA, cellsB; // per table row: predicted class or score, as the CLI prints
    std::vector<std::string> idsA;
    PairedEvaluation paired; // core's one paired engine, the same result `runlens diff` prints
    std::optional<CalibrationReport> calibrationA, calibrationB;
    // Ensemble over every compared run holding this evaluation set with binary scores.
    QStringList ensembleMembers;
    QString ensembleNote;
    EnsembleReport ensemble;         // binary members
    bool ensembleMulticlass = false; // the members are multiclass: ensembleOfClasses holds the result
    MulticlassEnsembleReport ensembleOfClasses;
};

class FlipsModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    explicit FlipsModel(QObject* parent = nullptr);
    void setAnalysis(std::shared_ptr<const PairedAnalysis> analysis);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    std::shared_ptr<const PairedAnalysis> m_analysis;
    std::vector<std::size_t> m_features; // column indices of the feature columns in table A
};

class CompareView : public QWidget {
    Q_OBJECT
  public:
    explicit CompareView(ViewContext* window, QWidget* parent = nullptr);
    ~CompareView() override;

    // The compared runs, A first: the selected rows of the run table when two or more are selected, else the
    // visible runs.
    const std::vector<RunInfo>& comparedRuns() const { return m_runs; }
    void swapAB();
    QComboBox* pickA() const { return m_pickA; }
    QComboBox* pickB() const { return m_pickB; }
    void refreshNow(); // recomputes at once (tests; the view otherwise refreshes lazily when shown)
    bool showsEmptyState() const;

    QCheckBox* onlyDifferencesBox() const { return m_onlyDiffs; }
    RunDiffModel* diffModel() const { return m_diffModel; }
    QString bannerText() const;
    QComboBox* curveTagBox() const { return m_tagBox; }
    QComboBox* curveXBox() const { return m_xBox; }
    QCheckBox* differenceBox() const { return m_difference; }
    QChart* curveChart() const;
    const std::vector<std::pair<QString, XYPoints>>& curveLines() const { return m_curveLines; }

    QComboBox* evalSetBox() const { return m_evalSetBox; }
    QSpinBox* seedBox() const { return m_seed; }
    QSpinBox* resamplesBox() const { return m_resamples; }
    std::shared_ptr<const PairedAnalysis> pairedAnalysis() const { return m_paired; }
    QTableWidget* classFlipsTable() const { return m_classFlipsTable; }
    QTabWidget* pages() const { return m_pages; }
    bool isAnalysing() const;
    QString pairedSummaryText() const;
    QLineEdit* flipsFilter() const { return m_flipsFilter; }
    QSortFilterProxyModel* flipsProxy() const { return m_flipsProxy; }
    QChart* calibrationChart() const;

    bool exportDiffCsv(const QString& path, QString* error) const;
    bool exportCurveChart(const QString& path, QString* error) const;
    bool exportCurveCsv(const QString& path, QString* error) const;
    bool exportCalibrationChart(const QString& path, QString* error) const;
    bool exportCalibrationCsv(const QString& path, QString* error) const;
    bool exportFlipsCsv(const QString& path, QString* error) const; // the rows the filter shows
    bool exportEnsembleCsv(const QString& path, QString* error) const;

  signals:
    void analysisFinished(); // the paired and ensemble panels show a new result

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    QWidget* buildRunsPage();
    QWidget* buildCurvesPage();
    QWidget* buildPredictionsPage();
    QWidget* buildEnsemblePage();
    QToolButton* exportButton(const QString& what, std::function<bool(const QString&, QString*)> image,
                              std::function<bool(const QString&, QString*)> csv);
    void scheduleRefresh();
    void refresh();
    std::vector<RunInfo> chooseRuns() const;
    void updateRunsHeader();
    void pick(bool a, int index);
    void refreshDiff();
    void refreshCurveChoices();
    void refreshCurves();
    void refreshEvalSets();
    void startAnalysis();
    void onAnalysisDone();
    void showAnalysis();
    XYPoints curveOf(std::int64_t runId, const QString& tag, const QString& xTag) const;
    QChart* makeCurveChart(int pixels) const;
    QChart* makeCalibrationChart() const;
    void setEnsembleCaptions(bool multiclass);

    ViewContext* m_window;
    std::vector<RunInfo> m_runs;
    std::vector<std::vector<PredictionTableInfo>> m_evalSets;
    // The runs the user picked as A and B (run ids; -1: the first and second compared run).
    std::int64_t m_chosenA = -1, m_chosenB = -1;
    QComboBox* m_pickA;
    QComboBox* m_pickB;
    bool m_dirty = true;
    QTimer* m_refreshTimer;

    QStackedWidget* m_stack;
    QLabel* m_emptyHint;
    QLabel* m_runsHeader;
    QToolButton* m_swap;
    QLabel* m_banner;
    QTabWidget* m_pages;

    QCheckBox* m_onlyDiffs;
    RunDiffModel* m_diffModel;
    QTableView* m_diffTable;

    QComboBox* m_tagBox;
    QComboBox* m_xBox;
    QCheckBox* m_difference;
    InteractiveChartView* m_curveView;
    QLabel* m_curveNote;
    std::vector<std::pair<QString, XYPoints>> m_curveLines; // full resolution, as drawn (before decimation)
    QString m_curveXLabel;

    QComboBox* m_evalSetBox;
    QComboBox* m_metricBox;
    QSpinBox* m_seed;
    QSpinBox* m_resamples;
    QStackedWidget* m_predStack;
    QLabel* m_predHint;
    QLabel* m_pairedSummary;
    QTableWidget* m_contingency;
    QLineEdit* m_flipsFilter;
    FlipsModel* m_flipsModel;
    QSortFilterProxyModel* m_flipsProxy;
    QTableView* m_flipsTable;
    QLabel* m_flipsCount;
    QTableWidget* m_sliceTable;
    QLabel* m_classFlipsLabel;
    QTableWidget* m_classFlipsTable;
    QLabel* m_errorCorrLabel;
    QLabel* m_residualCorrLabel;
    QLabel* m_ensembleMetricsLabel;
    InteractiveChartView* m_calibrationView;

    QLabel* m_ensembleNote;
    QTableWidget* m_errorCorr;
    QTableWidget* m_residualCorr;
    QTableWidget* m_ensembleMetrics;

    std::shared_ptr<const PairedAnalysis> m_paired;
    QFutureWatcher<std::shared_ptr<const PairedAnalysis>>* m_watcher;
    bool m_analysisPending = false; // started and its result not yet shown
    bool m_restartAnalysis = false;
};

} // namespace runlens::ui
