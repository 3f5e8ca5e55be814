// The Behaviour tab: CheckList-style invariance and directional tests of a test-result log among the visible
// runs, per perturbation with Wilson intervals, the worst examples, per-slice rates, and a paired comparison
// with another model's log of the same tests.
#pragma once

#include "core/analysis/behaviour_log.h"
#include "ui/common/coalesced_computation.h"
#include "ui/common/evaluation_source.h"

#include <memory>
#include <QWidget>
#include <vector>

class QComboBox;
class QLabel;
class QStackedWidget;
class QTableWidget;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;
class ViewContext;

// What one computation produced.
struct BehaviourViewResult {
    QString name;        // "run / set" of the tests
    QString compareName; // model B's, empty without a comparison
    BehaviourLog log;
    BehaviourReport report;
    std::vector<RobustnessComparison> comparison; // per perturbation, empty without B
    std::size_t matched = 0;                      // A's tests B also has
    QString error;                                // why there is nothing to show
    QString compareError;                         // why B could not be compared

    bool ok() const { return error.isEmpty() && !report.perturbations.empty(); }
};

class BehaviourView : public QWidget {
    Q_OBJECT
  public:
    enum class Plot { FailureRate, FlipRate, ScoreChange };

    explicit BehaviourView(ViewContext* context, QWidget* parent = nullptr);
    ~BehaviourView() override;

    bool isBusy() const { return m_compute.busy(); }
    bool showsEmptyState() const;
    const BehaviourViewResult& result() const { return m_result; }
    QStringList logNames() const;              // the test-result logs offered in the chooser
    bool setCompareWith(const QString& label); // "" for none; false when no such log is offered
    bool setSliceColumn(const QString& column);
    void setPlot(Plot plot);
    void selectPerturbation(int row); // fills the worst-example and slice tables
    // Writes the current chart (.png/.svg/.pdf); false with error when there is none.
    bool exportImage(const QString& path, QString* error) const;
    QString perturbationsCsv() const;
    QString worstExamplesCsv() const; // of the selected perturbation

  private:
    void buildUi();
    void reloadEntries();
    void fillChoices(); // originals, slice and comparison choices for the chosen log
    void startCompute();
    void showResult();
    void showPerturbationDetails();
    QChart* buildChart() const;
    ChartExportSpec exportSpec() const;
    const EvaluationEntry* chosenEntry() const;

    ViewContext* m_context;
    EvaluationSource m_source;
    std::vector<EvaluationEntry> m_entries;   // every usable evaluation set of the visible runs
    std::vector<std::size_t> m_behaviourLogs; // those that name originals (indices into m_entries)
    CoalescedComputation<BehaviourViewResult> m_compute;
    BehaviourViewResult m_result;
    QStackedWidget* m_stack = nullptr;
    QToolButton* m_exportButton = nullptr;
    QLabel* m_emptyHint = nullptr;
    QComboBox* m_log = nullptr;
    QComboBox* m_originals = nullptr; // data: index into m_entries, -1 for the log's own rows
    QComboBox* m_slice = nullptr;     // data: column name, empty for none
    QComboBox* m_compare = nullptr;   // data: index into m_entries, -1 for none
    QComboBox* m_plot = nullptr;
    QLabel* m_summary = nullptr;
    InteractiveChartView* m_chart = nullptr;
    QTableWidget* m_perturbations = nullptr;
    QTableWidget* m_worst = nullptr;
    QTableWidget* m_slices = nullptr;
};

} // namespace runlens::ui
