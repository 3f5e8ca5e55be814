// The Cost tab: the visible runs' quality against a cost (latency, size, run time, ...) with the Pareto
// front, each run's quality interval, and "the cheapest run within X of the best" in one sentence.
#pragma once

#include "core/analysis/cost_quality.h"
#include "ui/common/coalesced_computation.h"
#include "ui/common/evaluation_source.h"

#include <QWidget>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QStackedWidget;
class QTableWidget;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;
class ViewContext;

class CostView : public QWidget {
    Q_OBJECT
  public:
    explicit CostView(ViewContext* context, QWidget* parent = nullptr);
    ~CostView() override;

    bool isBusy() const { return m_compute.busy(); }
    bool showsEmptyState() const;
    const CostQualityStudy& study() const { return m_study; }
    QStringList qualityNames() const;
    QStringList costNames() const;
    bool setQuality(const QString& name);
    bool setCost(const QString& name);
    // The tolerance from the best quality: relative (a fraction, 0.01 = 1%) or absolute.
    void setTolerance(double value, bool relative);
    bool exportImage(const QString& path, QString* error) const;
    QString pointsCsv() const;

  private:
    void buildUi();
    void reload();
    void startCompute();
    void showStudy();
    QChart* buildChart(bool withSentence) const; // exports carry the sentence as the subtitle
    ChartExportSpec exportSpec() const;

    ViewContext* m_context;
    EvaluationSource m_source;
    std::vector<RunInfo> m_runs;                // visible runs
    std::vector<EvaluationEntry> m_evaluations; // their evaluation sets, loaded
    CoalescedComputation<CostQualityStudy> m_compute;
    CostQualityStudy m_study;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_emptyHint = nullptr;
    QComboBox* m_quality = nullptr;
    QComboBox* m_cost = nullptr;
    QDoubleSpinBox* m_within = nullptr;
    QComboBox* m_withinKind = nullptr;
    QCheckBox* m_logCost = nullptr;
    QToolButton* m_exportButton = nullptr;
    QLabel* m_sentence = nullptr;
    InteractiveChartView* m_chart = nullptr;
    QTableWidget* m_table = nullptr;
};

} // namespace runlens::ui
