// The Learning curve tab: a metric against a size param per family, power-law fits, extrapolation and a
// verdict.
#pragma once

#include "ui/learning_curve_chart.h"

#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QStackedWidget;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;
class MainWindow;

// Which family leads at the largest observed size and whether (and where) another overtakes it between there
// and 1000x that size, as one sentence. higherIsBetter decides what "leads" means.
QString compareLearningCurves(const std::vector<LearningCurveFamily>& families, bool higherIsBetter);

class LearningCurveView : public QWidget {
    Q_OBJECT
  public:
    explicit LearningCurveView(MainWindow* window, QWidget* parent = nullptr);

    QComboBox* metricCombo() const { return m_metric; }
    QComboBox* reductionCombo() const { return m_reduction; }
    QComboBox* sizeCombo() const { return m_size; }
    QComboBox* familyCombo() const { return m_family; }
    QDoubleSpinBox* extrapolateSpin() const { return m_extrapolate; }
    const std::vector<LearningCurveFamily>& families() const { return m_families; }
    QString summaryText() const; // predictions, verdict and fit failures as shown (plain text)
    bool showsEmptyState() const;
    QChart* chart() const;

    bool exportImage(const QString& path, QString* error);
    bool exportCsv(const QString& path, QString* error); // run,family,size,value

  private:
    void refillCombos();
    void recompute();
    void updateSummary();
    void buildExportMenu(QToolButton* button);
    void askAndExport(const QString& suffix);
    bool higherIsBetter() const;

    MainWindow* m_window;
    QComboBox* m_metric;
    QComboBox* m_reduction;
    QComboBox* m_size;
    QComboBox* m_family;
    QDoubleSpinBox* m_extrapolate;
    QStackedWidget* m_stack;
    QLabel* m_emptyHint;
    InteractiveChartView* m_view;
    QLabel* m_summary;
    std::vector<LearningCurveFamily> m_families;
    std::vector<QStringList> m_runNames; // per family, per point
    bool m_refilling = false;
};

} // namespace runlens::ui
