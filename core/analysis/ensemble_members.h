// Which runs of an evaluation set can be averaged, and the ensemble what-if over the examples they all hold
// (the Compare tab's Ensemble page).
#pragma once

#include "core/analysis/ensemble.h"
#include "core/analysis/evaluation_set.h"
#include "core/model/prediction_table.h"

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// One run's prediction table on the set; `set` is null when the table could not be read as an evaluation
// set (the run is then left out).
struct EnsembleCandidate {
    std::string name;
    const PredictionTable* table = nullptr;
    const EvaluationSet* set = nullptr;
};

struct EnsembleOfRuns {
    // Members are the binary sets with scores, or the multiclass sets with the first one's classes, whichever
    // are more (ties: binary).
    bool multiclass = false;
    std::vector<std::string> members;   // in the candidates' order
    std::vector<std::string> leftOut;   // no scores of the chosen kind, other classes, or unreadable
    std::size_t shared = 0;             // examples every member holds (by id when all have ids, else by row)
    std::size_t labelDisagreements = 0; // member rows whose label differs from the first member's (used)
    EnsembleReport binary;              // when !multiclass
    MulticlassEnsembleReport ofClasses; // when multiclass
    std::string error;                  // "fewer than two usable members", or the report's own error
};

// For each table, its row of every example of table 0 that all tables hold, in table 0's order: by id when
// every table has ids (exampleIds), else by row position.
std::vector<std::vector<std::size_t>> alignMembers(std::span<const PredictionTable* const> tables);

EnsembleOfRuns ensembleOfRuns(std::span<const EnsembleCandidate> candidates);

} // namespace runlens
