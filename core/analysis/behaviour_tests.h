// CheckList-style behavioural tests: invariance and directional expectations per perturbation, per slice, and
// which of two models is more robust on the same tests.
#pragma once

#include "core/analysis/paired_comparison.h"
#include "core/analysis/statistics.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

enum class ExpectedDirection { None, Same, Up, Down };

// "same"/"inv"/"invariance"/"equal" -> Same, "up"/"increase"/"higher"/"+" -> Up,
// "down"/"decrease"/"lower"/"-" -> Down, "" / "none" / "any" -> None (any case). False for anything else.
bool parseExpectedDirection(std::string_view text, ExpectedDirection& out);
std::string_view expectedDirectionName(ExpectedDirection direction);

struct OriginalJoin {
    std::vector<std::ptrdiff_t> originalRow; // per perturbed row: its original's row, -1 when not found
    std::int64_t missing = 0;
    std::int64_t duplicateOriginalIds = 0; // ids seen more than once among the originals (the first is used)
};

// Joins each perturbed row to its original example by id (orig_id / example_id against the originals' ids). A
// pair of logs aligned by id is the same join with the perturbed log's own ids.
OriginalJoin joinOriginals(std::span<const std::string> perturbedOriginalIds,
                           std::span<const std::string> originalIds);

// One model's outputs for a set of rows. classes = 0: a binary model, scores holds P(positive) per row;
// classes = k >= 2: scores holds rows x k class scores (a binary model logged as two columns is k = 2).
// predicted (optional) is the predicted class per row; without it the class is score >= threshold (binary) or
// the argmax (class scores).
struct ModelOutputs {
    std::size_t classes = 0;
    std::span<const double> scores;
    std::span<const int> predicted;
};

// The tests: per perturbed row its perturbation name, expectation (empty = None) and an optional slice value,
// and its original's row (joinOriginals).
struct BehaviourTests {
    std::span<const std::string> perturbation;
    std::span<const ExpectedDirection> expected;
    std::span<const std::string> slice;
    std::span<const std::ptrdiff_t> originalRow;
};

struct BehaviourOptions {
    double threshold = 0.5; // binary decisions without a predicted column
    // The score whose change is measured: binary, P(positive); multiclass, this class's score when >= 0, else
    // the score of the class the original row predicted (its confidence).
    int targetClass = -1;
    double tolerance = 0.0; // Up fails when the score falls by more than this, Down when it rises by more
    std::size_t worstK = 10;
    double alpha = 0.05;
    double majorFailureRate = 0.05; // major when the failure rate's Wilson lower bound exceeds this
};

struct BehaviourExample {
    std::size_t row = 0; // perturbed row
    std::size_t originalRow = 0;
    double originalScore = 0, perturbedScore = 0, change = 0; // change = perturbed - original
    int originalClass = 0, perturbedClass = 0;
    bool flipped = false, violated = false;
};

struct BehaviourSlice {
    std::string slice;
    std::int64_t n = 0, flips = 0, directional = 0, violations = 0;
    double flipRate = 0, violationRate = 0;
    stats::Interval flipCi, violationCi;
};

enum class BehaviourSeverity { None, Minor, Major };

struct PerturbationResult {
    std::string name;
    ExpectedDirection expected = ExpectedDirection::None; // the most common expectation of its rows
    bool mixedExpectations = false;
    std::int64_t n = 0;               // rows joined to an original
    std::int64_t missingOriginal = 0; // rows without one (left out)
    std::int64_t flips = 0;
    double flipRate = 0;
    stats::Interval flipCi;
    double meanChange = 0, meanAbsChange = 0;
    double q05 = 0, q25 = 0, median = 0, q75 = 0, q95 = 0; // numpy linear percentiles of the change
    std::int64_t directional = 0, violations = 0; // rows expecting Up / Down, and those that moved wrong
    double violationRate = 0;
    stats::Interval violationCi;
    // The test's own failure: flips for Same rows plus violations for Up / Down rows, over those rows.
    std::int64_t tested = 0, failures = 0;
    double failureRate = 0;
    stats::Interval failureCi;
    std::vector<BehaviourExample> worst; // failures first, then the largest |change|
    std::vector<BehaviourSlice> slices;  // by slice value, sorted
    BehaviourSeverity severity = BehaviourSeverity::None;
    std::string sentence;
};

struct BehaviourReport {
    std::vector<PerturbationResult> perturbations; // sorted by name
    std::int64_t rows = 0, missingOriginal = 0;
    std::string sentence;
};

BehaviourReport behaviourReport(const BehaviourTests& tests, const ModelOutputs& perturbed,
                                const ModelOutputs& original, const BehaviourOptions& options = {});

struct RobustnessComparison {
    std::string perturbation;
    std::int64_t n = 0;
    std::int64_t flipsA = 0, flipsB = 0;
    double flipRateA = 0, flipRateB = 0;
    double difference = 0;        // flipRateB - flipRateA
    stats::Interval differenceCi; // Newcombe's (1998) method 10 for paired proportions
    McNemarResult mcnemar;        // on "did not flip" as the success of each model
    std::int64_t violationsA = 0, violationsB = 0;
    McNemarResult violationMcnemar; // on "no direction violation", over the Up / Down rows
    std::string sentence;
};

// Models A and B on the same tests (the same perturbed and original rows): per perturbation, paired.
std::vector<RobustnessComparison>
compareRobustness(const BehaviourTests& tests, const ModelOutputs& perturbedA, const ModelOutputs& originalA,
                  const ModelOutputs& perturbedB, const ModelOutputs& originalB,
                  const BehaviourOptions& options = {});

// Newcombe (1998) method 10: interval for p2 - p1 from paired 0/1 outcomes, combining the two Wilson
// intervals with the correlation of the pairs. both = pairs where both are 1, onlyFirst / onlySecond
// discordant, neither.
stats::Interval pairedDifferenceInterval(std::int64_t both, std::int64_t onlyFirst, std::int64_t onlySecond,
                                         std::int64_t neither, double alpha = 0.05);

} // namespace runlens
