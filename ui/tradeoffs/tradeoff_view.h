// The Trade-offs tab: ROC and PR curves with a threshold marker, confusion matrix and expected cost, and the
// risk-coverage curve of selective prediction.
#pragma once

#include "core/analysis/binary_metrics.h"
#include "core/analysis/selective_prediction.h"
#include "core/analysis/threshold_analysis.h"
#include "ui/common/coalesced_computation.h"
#include "ui/common/evaluation_source.h"

#include <array>
#include <memory>
#include <optional>
#include <QColor>
#include <QString>
#include <QWidget>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QScatterSeries;
class QSlider;
class QStackedWidget;
class QTableWidget;
class QTabWidget;
class QTimer;
class QChart;
class QPointF;

namespace runlens {
class Workspace;
}

namespace runlens::ui {

class InteractiveChartView;
class ViewContext;

// Everything the tab draws for one run's evaluation set, computed off the GUI thread.
struct TradeoffRun {
    QString name;
    QColor color;
    bool binary = false;
    QString negativeClass, positiveClass;
    std::int64_t positives = 0, negatives = 0;
    std::shared_ptr<const ThresholdSweep> sweep; // binary only: any threshold is a binary search
    RocCurve roc;                                // binary only, full resolution (thresholds descending)
    PrCurve pr;
    double rocAuc = BinaryMetrics::kNaN;
    double averagePrecision = BinaryMetrics::kNaN;
    RiskCoverage riskCoverage; // every set with scores
};

// Counts and rates when `score >= threshold` predicts the positive class.
struct ThresholdPoint {
    double threshold = 0.5;
    ConfusionMatrix confusion;
    double precision = 0, recall = 0, fpr = 0, accuracy = 0;
};

class TradeoffView : public QWidget {
    Q_OBJECT
  public:
    static constexpr int kSliderSteps = 1000;
    struct Input; // what one computation needs, copied for the worker thread

    explicit TradeoffView(ViewContext* context, QWidget* parent = nullptr);
    ~TradeoffView() override;

    bool isBusy() const;
    bool showsEmptyState() const;
    const std::vector<TradeoffRun>& runs() const { return m_runs; }
    const TradeoffRun* focusRun() const; // the run the threshold readouts are about

    // Read from the ROC curve: exact counts for any threshold.
    static ThresholdPoint pointAt(const TradeoffRun& run, double threshold);
    ThresholdPoint currentPoint() const;
    std::optional<CostChoice> cheapest() const;
    QString
    sentence() const; // "At threshold 0.830: 2.1% of impostor examples accepted (false positives), ..."
    QString coverageSummary() const; // accuracy at the chosen coverage
    QString targetSummary() const;   // threshold reaching the target accuracy

    QComboBox* setCombo() const { return m_setCombo; }
    QComboBox* focusCombo() const { return m_focusCombo; }
    QComboBox* classCombo() const { return m_classCombo; }
    QSlider* thresholdSlider() const { return m_slider; }
    QDoubleSpinBox* thresholdSpin() const { return m_thresholdSpin; }
    QDoubleSpinBox* costFpSpin() const { return m_costFp; }
    QDoubleSpinBox* costFnSpin() const { return m_costFn; }
    QPushButton* useCheapestButton() const { return m_useCheapest; }
    QDoubleSpinBox* coverageSpin() const { return m_coverage; }
    QDoubleSpinBox* targetAccuracySpin() const { return m_targetAccuracy; }
    QTableWidget* confusionTable() const { return m_confusion; }
    QTabWidget* pages() const { return m_pages; }

    enum class ChartKind { Roc, Pr, Cost, RiskCoverage };
    bool exportChartImage(ChartKind kind, const QString& path, QString* error) const;
    QString chartCsv(ChartKind kind) const;

  private:
    void buildUi();
    QWidget* buildThresholdPage();
    QWidget* buildConfidencePage();
    void reloadEntries();
    void fillSetCombo();
    void scheduleRecompute();
    void startCompute();
    void showRuns();
    void rebuildCharts();
    void fillFocusCombo();
    void fillClassCombo(const std::vector<EvaluationEntry>& entries);
    void setThreshold(double threshold);
    void updateThresholdReadouts();
    void updateCostChart();
    int focusIndex() const;
    void updateConfidenceReadouts();
    void updateMarkers();
    QPointF markerPoint(ChartKind kind, int runIndex) const;
    // A new chart of what the tab shows; markers (when given) receives the series that track the threshold.
    QChart* makeChart(ChartKind kind, std::vector<QScatterSeries*>* markers = nullptr) const;
    ChartExportSpec exportSpec(ChartKind kind) const;

    ViewContext* m_context;
    EvaluationSource m_source;
    std::vector<EvaluationEntry> m_entries;
    std::vector<TradeoffRun> m_runs;
    // A stale result is shown while the newest one computes, as the Calibration tab does.
    CoalescedComputation<std::vector<TradeoffRun>> m_compute;
    QTimer* m_debounce;
    double m_threshold = 0.5;

    QStackedWidget* m_stack;
    QLabel* m_emptyHint;
    QLabel* m_errors;
    QTabWidget* m_pages;
    QComboBox* m_setCombo;
    QComboBox* m_focusCombo;
    QComboBox* m_classCombo;
    QLabel* m_classLabel;
    QSlider* m_slider;
    QDoubleSpinBox* m_thresholdSpin;
    QDoubleSpinBox* m_costFp;
    QDoubleSpinBox* m_costFn;
    QPushButton* m_useCheapest;
    QLabel* m_cheapestLabel;
    QLabel* m_sentence;
    QLabel* m_stats;
    QLabel* m_binaryNote;
    QTableWidget* m_confusion;
    InteractiveChartView* m_rocView;
    InteractiveChartView* m_prView;
    InteractiveChartView* m_costView;
    InteractiveChartView* m_rcView;
    std::array<std::vector<QScatterSeries*>, 4> m_markers; // per ChartKind; owned by the displayed charts
    QDoubleSpinBox* m_coverage;
    QDoubleSpinBox* m_targetAccuracy;
    QLabel* m_coverageLabel;
    QLabel* m_targetLabel;
};

} // namespace runlens::ui
