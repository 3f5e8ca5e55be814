// The Compare tab's Ensemble page: what averaging the compared runs would score (core's ensembleOfRuns), with
// the note the page shows above its tables.
#pragma once

#include "core/analysis/evaluation_set.h"
#include "core/model/prediction_table.h"

#include <memory>
#include <QString>
#include <vector>

namespace runlens::ui {

struct PairedAnalysis;

// Fills the ensemble fields of out from the runs holding the evaluation set (names[i]'s table and set; a
// null set when it could not be read).
void computeEnsemble(const std::vector<QString>& names,
                     const std::vector<std::shared_ptr<const PredictionTable>>& tables,
                     const std::vector<const EvaluationSet*>& sets, PairedAnalysis& out);

} // namespace runlens::ui
