// Whether two or more runs can be compared at all: the sentences the Compare tab shows above its diff and
// `runlens diff` prints above its tables (evaluation sets, data versions, training budgets, seed-only twins).
#pragma once

#include "core/model/run.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace runlens {

// One prediction table a run logged, as much as the warnings need of it.
struct EvaluationSetSize {
    std::string name;
    std::int64_t rows = 0;
};

// Parameter names that set a training budget, compared without their prefix ("trainer.max_steps").
bool isBudgetKey(const std::string& key);

// Parameter names that only pick a seed ("seed", "data_seed", "random_state"; any case).
bool isSeedKey(const std::string& key);

// The main training loss every run logs: a conventional name first, else any non-validation "loss" tag
// (the first run's order); "" when the runs share none.
std::string mainLossTag(std::span<const RunInfo> runs);

// Sentences warning that the runs are not comparable: different evaluation sets (evalSets[i] are run i's
// tables; names and row counts must agree), different data versions, different training budgets (the last
// step of the main loss, any budget parameter), or that they differ only by seed (with the seed spread of
// the first three series all runs log). Runs are listed grouped by value, each value once with up to three
// run names ("v1: r0, r1; unknown: r2, r3, r4 and 4 more; v2: r9"). Empty for fewer than two runs.
std::vector<std::string> comparabilityWarnings(std::span<const RunInfo> runs,
                                               const std::vector<std::vector<EvaluationSetSize>>& evalSets);

} // namespace runlens
