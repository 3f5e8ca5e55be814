// The report of `runlens diff A B` on two runs or two classification logs: the JSON, the Markdown and the
// flipped examples' CSV, written from what cmd_diff.cpp loaded and compared.
#pragma once

#include "app/prediction_input.h"
#include "core/analysis/paired_evaluation.h"
#include "core/analysis/run_comparability.h"
#include "core/model/run.h"

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace runlens::cli {

// A key of the diff as the CLI prints it: core's KeyDiff of two runs.
struct DiffEntry {
    std::string key;
    std::optional<std::string> a, b;
    bool differs = false;
    double delta = std::nan("");
};

// One side of the diff: a workspace run or a prediction log, with what is compared of it.
struct DiffSide {
    std::string name;
    std::map<std::string, std::string> params, tags, metrics;
    std::unique_ptr<LoadedPredictions> predictions; // may be null
    std::optional<RunInfo> run;                     // a workspace run, with its prediction tables
    std::vector<EvaluationSetSize> evalSets;
};

// --json: the warnings, the params, tags and metrics (those that differ with onlyDiffs) and the paired
// analysis when there is one.
void writeDiffJson(std::ostream& out, const DiffSide& a, const DiffSide& b,
                   const std::vector<DiffEntry>& params, const std::vector<DiffEntry>& tags,
                   const std::vector<DiffEntry>& metrics, const std::optional<PairedEvaluation>& paired,
                   bool onlyDiffs, const DiffSide* pinned, const std::optional<PinnedOnPairs>& pinnedPairs);

// The Markdown report; onlyDiffs leaves out the params and tags that are equal (without --all).
void writeDiffMarkdown(std::ostream& out, const DiffSide& a, const DiffSide& b,
                       const std::vector<DiffEntry>& params, const std::vector<DiffEntry>& tags,
                       const std::vector<DiffEntry>& metrics, const std::optional<PairedEvaluation>& paired,
                       bool onlyDiffs, const DiffSide* pinned,
                       const std::optional<PinnedOnPairs>& pinnedPairs);

// --flips-csv: every flipped example with its label, both models' outputs and its features.
void writeFlipsCsv(const std::string& path, const DiffSide& a, const DiffSide& b, const PairedEvaluation& p);

} // namespace runlens::cli
