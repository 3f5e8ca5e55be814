// The Sweep tab: parallel coordinates, metric-vs-param scatter, best-so-far and a ranked table of a sweep's
// runs.
#pragma once

#include "ui/common/evaluation_source.h"

#include <cstdint>
#include <map>
#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <utility>
#include <vector>

class QChart;
class QComboBox;
class QLabel;
class QStackedWidget;
class QStandardItemModel;
class QTableView;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;
class ViewContext;
class ParallelCoordinates;

// One visible run with the chosen metric.
struct SweepRun {
    std::int64_t id = 0;
    QString name;
    QColor color;
    double value = 0;            // the metric reduced (last, min or max)
    double startTime = 0;        // Unix seconds, NaN when unknown
    std::vector<QString> params; // per SweepView::paramKeys(), empty when missing
};

class SweepView : public QWidget {
    Q_OBJECT
  public:
    enum class Order { RunIndex, StartTime };

    explicit SweepView(ViewContext* context, QWidget* parent = nullptr);

    QComboBox* metricCombo() const { return m_metric; }
    QComboBox* reductionCombo() const { return m_reduction; }
    QComboBox* paramCombo() const { return m_param; }
    QComboBox* goalCombo() const { return m_goal; } // 0: minimise, 1: maximise
    QComboBox* orderCombo() const { return m_order; }
    ParallelCoordinates* parallelCoordinates() const { return m_parallel; }
    QStandardItemModel* rankedModel() const { return m_ranked; }
    QTableView* rankedTable() const { return m_table; }
    QChart* scatterChart() const;
    QChart* bestChart() const;
    const std::vector<SweepRun>& runs() const { return m_runs; }
    const QStringList& paramKeys() const { return m_paramKeys; }
    bool maximise() const;
    // Runs in the best-so-far chart's order with their x (1-based index, or start time in Unix seconds).
    std::vector<std::pair<double, const SweepRun*>> bestOrder() const;
    bool showsEmptyState() const;

    // Run names of the ranked table from top to bottom.
    QStringList rankedNames() const;

    bool exportParallel(const QString& path, QString* error) const;
    bool exportScatter(const QString& path, QString* error);
    bool exportBest(const QString& path, QString* error);
    // The runs (rank, name, metric, params, whether brushed in) or, for bestSoFar, the best-so-far line.
    bool exportCsv(const QString& path, QString* error, bool bestSoFar = false) const;

  protected:
    void showEvent(QShowEvent* event) override;

  private:
    void refillCombos();
    void recompute();
    void recomputeWhenShown(); // now when shown, else when next shown
    void rebuildParallel();
    void rebuildScatter();
    void rebuildBest();
    void rebuildTable();
    QChart* makeScatterChart() const;
    QChart* makeBestChart() const;
    QToolButton* exportButton(const QString& what, QWidget* chartWidget);
    void askAndExport(const QString& what, const QString& suffix);

    // Each visible run's value of an "eval:<metric>" choice from its first evaluation set that has it.
    std::map<std::int64_t, double> evaluationValues(const std::string& metric);

    ViewContext* m_context;
    EvaluationSource m_source; // evaluation sets, for eval:<metric> choices
    // (table id, metric) -> value: a visibility change must not score every set again on the GUI thread.
    std::map<std::pair<std::int64_t, std::string>, double> m_evaluationValues;
    QComboBox* m_metric;
    QComboBox* m_reduction;
    QComboBox* m_param;
    QComboBox* m_goal;
    QComboBox* m_order;
    QStackedWidget* m_stack;
    QLabel* m_emptyHint;
    QLabel* m_status;
    ParallelCoordinates* m_parallel;
    InteractiveChartView* m_scatter;
    InteractiveChartView* m_best;
    QStandardItemModel* m_ranked;
    QTableView* m_table;
    std::vector<SweepRun> m_runs;
    QStringList m_paramKeys;
    std::vector<bool> m_selected;
    bool m_refilling = false;
    bool m_recomputeOnShow = false; // a reload came while the tab was hidden
};

} // namespace runlens::ui
