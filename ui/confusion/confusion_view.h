// The Confusion tab: a classifier's confusion matrix (counts, row- or column-normalised) with per-class
// precision, recall, F1 and support; clicking a cell lists its examples with their features.
#pragma once

#include "core/analysis/multiclass_report.h"
#include "ui/common/coalesced_computation.h"
#include "ui/common/evaluation_source.h"

#include <QWidget>
#include <vector>

class QComboBox;
class QLabel;
class QStackedWidget;
class QTableWidget;
class QToolButton;

namespace runlens::ui {

class ViewContext;

struct ConfusionViewResult {
    EvaluationEntry entry;
    std::vector<int> predictions; // per row: the logged prediction, else the argmax / thresholded score
    MulticlassReport report;
};

class ConfusionView : public QWidget {
    Q_OBJECT
  public:
    explicit ConfusionView(ViewContext* context, QWidget* parent = nullptr);
    ~ConfusionView() override;

    bool isBusy() const { return m_compute.busy(); }
    bool showsEmptyState() const;
    const ConfusionViewResult& result() const { return m_result; }
    void setNormalization(ConfusionNormalization normalization);
    // Lists the examples of one cell in the examples table (what a click on the cell does).
    void selectCell(int trueClass, int predictedClass);
    int listedExamples() const;
    bool exportImage(const QString& path, QString* error) const;
    QString matrixCsv() const;

  private:
    void buildUi();
    void reloadEntries();
    void startCompute();
    void showResult();
    ConfusionNormalization normalization() const;
    ChartExportSpec exportSpec() const;

    ViewContext* m_context;
    EvaluationSource m_source;
    std::vector<EvaluationEntry> m_entries;
    CoalescedComputation<ConfusionViewResult> m_compute;
    ConfusionViewResult m_result;
    QStackedWidget* m_stack = nullptr;
    QToolButton* m_exportButton = nullptr; // enabled only while a result is shown
    QComboBox* m_set = nullptr;
    QComboBox* m_normalize = nullptr;
    QLabel* m_summary = nullptr;
    QTableWidget* m_matrix = nullptr;
    QTableWidget* m_perClass = nullptr;
    QTableWidget* m_examples = nullptr;
};

} // namespace runlens::ui
