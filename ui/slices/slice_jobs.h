// The Slices tab's computations: evaluation sets read on a worker thread's own read-only connection, then
// slices with the Simpson verdict, the slice finder, or the slices that changed from A to B. Plain functions
// over copies (no widgets), so nothing they touch belongs to the GUI thread.
#pragma once

#include "core/analysis/evaluation_set.h"
#include "core/analysis/slice_finder.h"
#include "core/analysis/slices.h"
#include "core/model/prediction_table.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace runlens::ui {

// One run's evaluation set as stored in the workspace.
struct SliceSetRef {
    std::int64_t tableId = 0;
    std::int64_t runId = 0;
    std::string runName;
    std::string setName;
};

// A prediction table read from the workspace with its validated evaluation set (shared with worker threads).
struct LoadedSliceSet {
    SliceSetRef ref;
    PredictionTable table;
    EvaluationSet eval;
    std::string error; // why the set cannot be evaluated; empty when usable

    // The binary view of the set: multiclass sets become "correct or not" (label 1, prediction 1 when right).
    CohortInput cohort() const;
    // Per row, 1 when the model is wrong (threshold 0.5 on scores when there is no prediction column).
    std::vector<std::uint8_t> errors(double threshold = 0.5) const;
    std::vector<std::string> featureColumns() const;
};

using SliceSetCache = std::map<std::int64_t, std::shared_ptr<const LoadedSliceSet>>;

// What a background computation hands back to the GUI thread.
struct SliceJobResult {
    int generation = 0;
    SliceSetCache loaded;                   // every set the job used (the view caches them)
    std::vector<std::string> features;      // feature columns every cohort's set has, in table order
    std::vector<std::string> sourceColumns; // feature columns of the source run's set (compare-by choices)
    std::optional<SliceReport> report;
    std::optional<SliceFinderResult> found;
    std::vector<SliceChange> changes;
    std::int64_t alignedExamples = 0;
    bool alignedById = false;
    std::string error;
};

// What every job starts from: the workspace file, the sets it needs and those the view already read.
struct JobInput {
    std::filesystem::path workspacePath;
    std::vector<SliceSetRef> refs;
    SliceSetCache cached;
    int generation = 0;
};

struct SliceJob {
    JobInput input;
    std::optional<SliceSetRef> source;
    std::string compareColumn; // empty: the cohorts are the runs of input.refs
    SliceOptions options;
};

struct FinderJob {
    JobInput input;
    SliceFinderOptions options;
};

// Slices of the cohorts (the runs of input.refs, or the values of compareColumn in the source run's set).
SliceJobResult runSliceJob(const SliceJob& job);
// The slice finder over the first set's errors.
SliceJobResult runFinderJob(const FinderJob& job);
// Slices whose accuracy changed from the first set to the second, on the paired engine's aligned examples,
// kept where the change survives a false discovery rate of 5%.
SliceJobResult runChangesJob(const FinderJob& job);

} // namespace runlens::ui
