// The Regression tab: a regressor's metrics with bootstrap intervals beside baselines and interval coverage,
// and its predicted-against-actual, residual and residual-histogram charts, for the visible runs'
// regression logs.
#pragma once

#include "core/analysis/paired_regression.h"
#include "core/analysis/regression_report.h"
#include "core/analysis/regression_slices.h"
#include "core/analysis/slice_finder.h"
#include "core/io/regression_log.h"
#include "ui/common/coalesced_computation.h"
#include "ui/common/evaluation_source.h"

#include <memory>
#include <optional>
#include <QWidget>
#include <vector>

class QComboBox;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableWidget;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;
class ViewContext;

// What one computation produced; the log is kept for the CSV export.
struct RegressionViewResult {
    QString name; // "run / set"
    std::shared_ptr<const RegressionLog> log;
    RegressionReport report;
    QString error; // why there is nothing to show
    // Against another regression log ("Compare with"): the examples lined up and the paired comparison.
    QString comparedWith;
    std::optional<RegressionAlignment> alignment;
    std::optional<PairedRegressionComparison> paired;
    QString comparisonError; // why the logs could not be compared
    // Slices: the columns offered, the per-slice metrics of the log (and of the compared log, first, as A) by
    // the chosen column, and where the log errs most (the absolute-error slice finder).
    std::vector<std::string> sliceColumns;
    std::optional<RegressionSliceReport> slices;
    QString slicesError;
    LossSliceFinderResult worstSlices;
};

class RegressionView : public QWidget {
    Q_OBJECT
  public:
    // Residuals by each numeric feature follow the three fixed plots in the chooser.
    enum class Plot { PredictedActual, ResidualsByPrediction, ResidualHistogram };

    explicit RegressionView(ViewContext* context, QWidget* parent = nullptr);
    ~RegressionView() override;

    bool isBusy() const { return m_compute.busy(); }
    bool showsEmptyState() const;
    const RegressionViewResult& result() const { return m_result; }
    QStringList logNames() const; // the regression logs offered in the chooser
    void setPlot(Plot plot);
    QComboBox* plotCombo() const { return m_plot; }
    // "Compare with": the other regression log the chosen one is compared with ("" for none).
    QComboBox* compareCombo() const { return m_compare; }
    QString comparisonText() const;
    QTableWidget* regressionsTable() const { return m_regressions; }
    QTabWidget* pages() const { return m_pages; }
    QComboBox* sliceByCombo() const { return m_sliceBy; }
    QTableWidget* slicesTable() const { return m_sliceTable; }
    QTableWidget* worstSlicesTable() const { return m_worstTable; }
    QString sliceVerdictText() const;
    // Writes the current chart (.png/.svg/.pdf); false with error when there is none.
    bool exportImage(const QString& path, QString* error) const;
    // The metrics table as CSV: metric, value, ci_low, ci_high.
    QString metricsCsv() const;

  private:
    void buildUi();
    void reloadEntries();
    void startCompute();
    void showResult();
    void fillPlotCombo();
    void showComparison();
    void showSlices();
    QWidget* buildSlicesPage();
    QChart* buildChart() const;
    ChartExportSpec exportSpec() const;

    ViewContext* m_context;
    EvaluationSource m_source;
    std::vector<EvaluationEntry> m_regressionEntries;
    CoalescedComputation<RegressionViewResult> m_compute;
    RegressionViewResult m_result;
    QStackedWidget* m_stack = nullptr;
    QToolButton* m_exportButton = nullptr; // enabled only while a result is shown
    QLabel* m_emptyHint = nullptr;
    QComboBox* m_log = nullptr;
    QComboBox* m_plot = nullptr;
    QLabel* m_summary = nullptr;
    InteractiveChartView* m_chart = nullptr;
    QTableWidget* m_table = nullptr;
    QComboBox* m_compare = nullptr;
    QWidget* m_comparisonPanel = nullptr;
    QLabel* m_comparison = nullptr;
    QTableWidget* m_regressions = nullptr; // the examples where the compared log is most worse
    QTabWidget* m_pages = nullptr;
    QComboBox* m_sliceBy = nullptr;
    QLabel* m_sliceVerdict = nullptr;
    QTableWidget* m_sliceTable = nullptr;
    QTableWidget* m_worstTable = nullptr;
};

} // namespace runlens::ui
