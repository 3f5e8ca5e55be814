// A behavioural test-result log read from prediction tables: which rows are perturbations of which original,
// their expectations and slices, and each model's outputs in the shape behaviour_tests.h measures.
#pragma once

#include "core/analysis/behaviour_tests.h"
#include "core/analysis/evaluation_set.h"
#include "core/model/prediction_table.h"

#include <optional>
#include <string>
#include <vector>

namespace runlens {

// Columns chosen by the user; an empty name means "detect it by name" (the slice is never detected).
struct BehaviourColumnChoice {
    std::string perturbation; // else perturbation / test / perturbation_name
    std::string originalId;   // else orig_id / original_id / example_id
    std::string expectation;  // else expect / expected / expectation
    std::string slice;
};

// One model's outputs as owned vectors; view() is what behaviourReport reads.
struct BehaviourModel {
    std::size_t classes = 0; // 0: binary scores; k: rows x k class scores
    std::vector<double> scores;
    std::vector<int> predicted;

    ModelOutputs view() const { return {classes, scores, predicted}; }
    std::size_t width() const { return classes == 0 ? 1 : classes; }
    std::size_t rows() const { return scores.size() / width(); }
};

BehaviourModel behaviourModelOf(const EvaluationSet& set);
// The given rows of a model, in that order.
BehaviourModel behaviourRows(const BehaviourModel& all, std::span<const std::size_t> rows);

struct BehaviourLog {
    std::vector<std::size_t> perturbedRows; // rows of the perturbed table that are tests
    // Per test (perturbed row): its perturbation, original's id, expectation and slice ("" without a slice).
    std::vector<std::string> perturbation, originalKey, slice;
    std::vector<ExpectedDirection> expected;
    std::vector<std::string> ids; // per row of the perturbed table (its id column); empty without one
    std::vector<std::string> originalKeys; // per row of the originals' table: its id ("" for tests)
    OriginalJoin join;                     // tests -> rows of the originals' table
    bool hasSlice = false;
    bool separateOriginals = false; // the originals are another table

    BehaviourTests tests() const;
    // "typo / o3 / t3": what identifies a test across two models' logs.
    std::string testKey(std::size_t test) const;
};

// True when the table names each row's original (orig_id / original_id / example_id) and each row's
// perturbation: a test-result log (a plain prediction log with an example_id is not one).
bool looksLikeBehaviourTable(const PredictionTable& table);
// True when some of its rows are the originals (perturbation empty, original, orig or none), so the log needs
// no second log of originals.
bool holdsOriginals(const PredictionTable& table);
// The columns that give a test log its structure (perturbation, original id, expectation), any case.
bool isBehaviourColumnName(std::string_view name);

// Reads the tests of `perturbed`: with originals null, its rows whose perturbation is empty, original, orig
// or none are the originals (their id is the id column, else the original-id column); otherwise every row is
// a test joined by id to `originals` (its id column, else its original-id column). A missing column, a bad
// expectation ("row 4: expectation 'sideways' is not same, up, down or none") or no tests gives nullopt with
// a one-line error that names the file.
std::optional<BehaviourLog> behaviourLogFrom(const PredictionTable& perturbed,
                                             const PredictionTable* originals,
                                             const BehaviourColumnChoice& choice, std::string& error);

// Model B's outputs lined up with log A's tests and originals, matched by test key and original id; rows B
// lacks get NaN scores, which behaviourReport and compareRobustness leave out. matched counts A's tests B
// has.
struct AlignedModel {
    BehaviourModel perturbed, original;
    std::size_t matched = 0;
};
AlignedModel alignToLog(const BehaviourLog& logA, const BehaviourLog& logB, const BehaviourModel& perturbedB,
                        const BehaviourModel& originalB);

std::string_view behaviourSeverityName(BehaviourSeverity severity);

// The behavioural tests of one log that holds its tests and their originals, columns detected by name (what
// `runlens check --tests` and the ship report read). nullopt with a one-line error when the log has no scores
// or is no test log.
std::optional<BehaviourReport> selfContainedBehaviourReport(const PredictionTable& table,
                                                            const EvaluationSet& set, double threshold,
                                                            std::string& error);

} // namespace runlens
