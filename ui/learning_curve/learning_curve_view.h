// The Learning curve tab: a metric against a size param per family, power-law fits, extrapolation and a
// verdict; below it, the train/validation score curves of learning-curve logs with a diagnosis.
#pragma once

#include "ui/learning_curve/learning_curve_chart.h"

#include <QString>
#include <QStringList>
#include <QWidget>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QStackedWidget;
class QToolButton;

namespace runlens::ui {

class InteractiveChartView;
class ViewContext;

// Which family leads at the largest observed size and whether (and where) another overtakes it between there
// and 1000x that size, as one sentence. higherIsBetter decides what "leads" means.
QString compareLearningCurves(const std::vector<LearningCurveFamily>& families, bool higherIsBetter);

class LearningCurveView : public QWidget {
    Q_OBJECT
  public:
    explicit LearningCurveView(ViewContext* context, QWidget* parent = nullptr);

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

    // The "Train and validation scores" chart of the visible runs' learning-curve logs
    // (core/io/learning_curve_reader.h); a hint instead when no visible run has one.
    const std::vector<ScoreCurveRun>& scoreRuns() const { return m_scoreRuns; }
    bool scoresShowEmptyState() const;
    QChart* scoresChart() const;
    QString scoresDiagnosisText() const; // one sentence per run
    QCheckBox* scoresLogXCheck() const { return m_scoresLogX; }
    bool exportScoresImage(const QString& path, QString* error);
    bool exportScoresCsv(const QString& path, QString* error); // run,set,size,mean,std,folds

  private:
    QWidget* buildScoresPanel();
    void recomputeScores();
    void askAndExportScores(const QString& suffix);
    void refillCombos();
    void recompute();
    void updateSummary();
    void buildExportMenu(QToolButton* button);
    void askAndExport(const QString& suffix);
    bool higherIsBetter() const;

    ViewContext* m_context;
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

    QWidget* m_scoresPanel = nullptr; // all built by buildScoresPanel()
    QLabel* m_scoresHint = nullptr;
    QWidget* m_scoresPage = nullptr;
    InteractiveChartView* m_scoresView = nullptr;
    QLabel* m_scoresDiagnosis = nullptr;
    QCheckBox* m_scoresLogX = nullptr;
    QToolButton* m_scoresExport = nullptr;
    std::vector<ScoreCurveRun> m_scoreRuns;
};

} // namespace runlens::ui
