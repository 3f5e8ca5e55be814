// The Slices tab's disparity panel: a binary classifier's per-group selection rate, TPR, FPR and precision
// with intervals across a chosen sensitive column, and Fairlearn's demographic-parity and equalized-odds
// differences and ratios with a severity.
#pragma once

#include "core/analysis/fairness.h"
#include "ui/common/coalesced_computation.h"
#include "ui/common/evaluation_source.h"

#include <memory>
#include <optional>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QStackedWidget;
class QTableWidget;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;
struct LoadedSliceSet;

struct FairnessPanelResult {
    QString column;
    std::optional<FairnessReport> report;
    QString error;
};

class FairnessPanel : public QWidget {
    Q_OBJECT
  public:
    explicit FairnessPanel(QWidget* parent = nullptr);
    ~FairnessPanel() override;

    // The evaluation set to judge (the Slices tab's source run); null shows the hint.
    void setSource(std::shared_ptr<const LoadedSliceSet> set, const QString& label);
    bool isBusy() const { return m_compute.busy(); }
    bool showsHint() const;
    QComboBox* columnCombo() const { return m_column; }
    const FairnessPanelResult& result() const { return m_result; }
    QString groupsCsv() const;
    bool exportImage(const QString& path, QString* error) const;

  private:
    void startCompute();
    void showResult();
    QChart* buildChart() const;
    ChartExportSpec exportSpec() const;

    std::shared_ptr<const LoadedSliceSet> m_set;
    QString m_label;
    CoalescedComputation<FairnessPanelResult> m_compute;
    FairnessPanelResult m_result;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_hint = nullptr;
    QComboBox* m_column = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QToolButton* m_exportButton = nullptr;
    QLabel* m_summary = nullptr;
    InteractiveChartView* m_chart = nullptr;
    QTableWidget* m_table = nullptr;
};

} // namespace runlens::ui
