// The Calibration tab: reliability diagrams of an evaluation set across runs, metrics beside baselines, and a
// recalibration preview.
#pragma once

#include "core/analysis/calibration.h"
#include "ui/common/coalesced_computation.h"
#include "ui/common/evaluation_source.h"

#include <QColor>
#include <QString>
#include <QWidget>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;
class QTabWidget;
class QTimer;

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class InteractiveChartView;
class ViewContext;

// Threshold-free scores of one model (or baseline) on one set; NaN where they do not apply.
struct CalibrationMetrics {
    double logLoss = BinaryMetrics::kNaN;
    double rocAuc = BinaryMetrics::kNaN;
    double averagePrecision = BinaryMetrics::kNaN;
    double accuracy = BinaryMetrics::kNaN;
    double classwiseEce = BinaryMetrics::kNaN; // multiclass only
    double multiclassBrier =
        BinaryMetrics::kNaN; // multiclass only: sum over classes, `calibration --json` brier
};

// One column of the metrics table: a run, a baseline or the pinned baseline run.
struct CalibrationColumn {
    QString name;
    bool baseline = false;
    CalibrationReport report;
    CalibrationMetrics metrics;
};

struct CalibrationCurveResult {
    QString name;
    QColor color; // invalid: the chart's own palette
    CalibrationReport report;
};

struct RecalibrationOutcome {
    bool ok = false;
    QString message; // why there is no preview, or how the split was made
    QString method;
    CalibrationReport before, after;
    CalibrationMetrics beforeMetrics, afterMetrics;
    std::string mappingJson; // the fitted parameters (fit on the calibration part, or all rows for k-fold)
};

struct CalibrationResult {
    QString setName;
    bool multiclass = false;
    std::vector<CalibrationCurveResult> curves; // what the diagram draws
    std::vector<CalibrationColumn> columns;     // runs, then baselines
    RecalibrationOutcome recalibration;
};

class CalibrationView : public QWidget {
    Q_OBJECT
  public:
    enum class SplitMode { HoldOut, KFold };
    enum class Method { Platt, Isotonic, Temperature };
    struct Input; // what one computation needs, copied for the worker thread

    explicit CalibrationView(ViewContext* context, QWidget* parent = nullptr);
    ~CalibrationView() override;

    bool isBusy() const; // a computation runs or waits
    bool showsEmptyState() const;
    const CalibrationResult& result() const { return m_result; }
    // A metrics table value by column name (run name, "uniform random", "zero-rule", "prior", "baseline:
    // run") and row name ("ECE", "Brier", ...); NaN when absent.
    double metricValue(const QString& column, const QString& row) const;
    QStringList metricRows() const;

    QComboBox* setCombo() const { return m_setCombo; }
    QSpinBox* binsSpin() const { return m_bins; }
    QComboBox* strategyCombo() const { return m_strategy; }
    QComboBox* intervalCombo() const { return m_interval; }
    QCheckBox* consistencyCheck() const { return m_consistency; }
    QComboBox* baselineCombo() const { return m_baselineRun; }
    QComboBox* sliceCombo() const { return m_slice; }
    QComboBox* classModeCombo() const { return m_classMode; }
    QComboBox* methodCombo() const { return m_method; }
    QComboBox* splitCombo() const { return m_split; }
    QDoubleSpinBox* fractionSpin() const { return m_fraction; }
    QSpinBox* foldsSpin() const { return m_folds; }
    QSpinBox* seedSpin() const { return m_seed; }
    QTableWidget* metricsTable() const { return m_table; }
    QTabWidget* pages() const { return m_pages; }

    bool exportReliabilityImage(const QString& path, QString* error) const;
    QString reliabilityCsv() const; // the drawn bins of every curve
    QString metricsCsv() const;     // the metrics table
    bool exportMapping(const QString& path, QString* error) const;

  private:
    void buildUi();
    QWidget* buildReliabilityPage();
    QWidget* buildRecalibrationPage();
    void reloadEntries();
    void fillSetCombo();
    void fillDependentCombos();
    void scheduleRecompute();
    void startCompute();
    void showResult();
    void fillMetricsTable();
    void fillRecalibration();
    void askExportMapping();
    const EvaluationEntry* selectedEntry() const;
    Input makeInput() const;
    ChartExportSpec reliabilitySpec() const;
    ChartExportSpec recalibrationSpec(bool after) const;

    ViewContext* m_context;
    EvaluationSource m_source;
    std::vector<EvaluationEntry> m_entries;
    CalibrationResult m_result;
    // Bootstraps and cross-fitting take a while: a stale result is shown while the newest one computes.
    CoalescedComputation<CalibrationResult> m_compute;
    QTimer* m_debounce;

    QStackedWidget* m_stack;
    QLabel* m_emptyHint;
    QLabel* m_errors;
    QTabWidget* m_pages;
    QComboBox* m_setCombo;
    QSpinBox* m_bins;
    QComboBox* m_strategy;
    QComboBox* m_interval;
    QCheckBox* m_consistency;
    QComboBox* m_baselineRun;
    QComboBox* m_slice;
    QComboBox* m_classMode;
    InteractiveChartView* m_chart;
    QTableWidget* m_table;
    QComboBox* m_method;
    QComboBox* m_split;
    QDoubleSpinBox* m_fraction;
    QSpinBox* m_folds;
    QSpinBox* m_seed;
    QPushButton* m_exportMapping;
    QLabel* m_recalNote;
    InteractiveChartView* m_beforeChart;
    InteractiveChartView* m_afterChart;
    QTableWidget* m_recalTable;
};

} // namespace runlens::ui
