// The Compare tab's Predictions page: the paired analysis of A and B on a shared evaluation set (core's
// PairedEvaluation, computed off the GUI thread with the ensemble what-if) and the model of flipped examples.
#pragma once

#include "core/analysis/calibration.h"
#include "core/analysis/ensemble.h"
#include "core/analysis/paired_evaluation.h"
#include "core/model/prediction_table.h"

#include <memory>
#include <optional>
#include <QAbstractTableModel>
#include <QStringList>
#include <vector>

namespace runlens::ui {

// Everything the Predictions and Ensemble panels show, computed off the GUI thread.
struct PairedAnalysis {
    QString error; // set when the paired analysis could not run
    QString evalSet;
    QString nameA, nameB;
    std::shared_ptr<const PredictionTable> tableA, tableB;
    std::vector<std::string> classesA;
    std::vector<int> labelsA;
    std::vector<std::string> cellsA, cellsB; // per table row: predicted class or score, as the CLI prints
    std::vector<std::string> idsA;
    PairedEvaluation paired; // core's one paired engine, the same result `runlens diff` prints
    std::optional<CalibrationReport> calibrationA, calibrationB;
    // Ensemble over every compared run holding this evaluation set with binary scores.
    QStringList ensembleMembers;
    QString ensembleNote;
    EnsembleReport ensemble;         // binary members
    bool ensembleMulticlass = false; // the members are multiclass: ensembleOfClasses holds the result
    MulticlassEnsembleReport ensembleOfClasses;
};

class FlipsModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    explicit FlipsModel(QObject* parent = nullptr);
    void setAnalysis(std::shared_ptr<const PairedAnalysis> analysis);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  private:
    std::shared_ptr<const PairedAnalysis> m_analysis;
    std::vector<std::size_t> m_features; // column indices of the feature columns in table A
};

} // namespace runlens::ui
