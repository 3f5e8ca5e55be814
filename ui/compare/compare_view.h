// The Compare tab: a diff of two or more runs, their curves overlaid or subtracted, paired tests on a shared
// evaluation set, both calibration diagrams, and what an ensemble of the runs would score.
#pragma once

#include "core/analysis/decimation.h"
#include "core/model/run.h"
#include "core/store/workspace.h"
#include "ui/compare/compare_predictions.h"
#include "ui/compare/compare_run_diff.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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

class CompareView : public QWidget {
    Q_OBJECT
  public:
    explicit CompareView(ViewContext* context, QWidget* parent = nullptr);
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
    void showPairedTests(const PairedAnalysis& p);
    void showEnsemble(const PairedAnalysis& p);
    void clearEnsemble(const QString& note);
    XYPoints curveOf(std::int64_t runId, const QString& tag, const QString& xTag) const;
    QChart* makeCurveChart(int pixels) const;
    QChart* makeCalibrationChart() const;
    void setEnsembleCaptions(bool multiclass);

    ViewContext* m_context;
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
