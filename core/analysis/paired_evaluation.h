// The one paired comparison of two evaluation sets (used by `runlens diff` and the Compare tab): checked
// alignment, McNemar, paired bootstrap, DeLong and the slices that changed.
#pragma once

#include "core/analysis/evaluation_set.h"
#include "core/analysis/multiclass_report.h"
#include "core/analysis/paired_comparison.h"
#include "core/analysis/slice_finder.h"
#include "core/analysis/slices.h"
#include "core/model/prediction_table.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace runlens {

// Every row's id as text ("" where missing), or an empty vector when the table has no id column. Numbers
// are written exactly (integers without a decimal point, others with 17 significant digits), so two
// different ids never share a text.
std::vector<std::string> exampleIds(const PredictionTable& table);

// What the pairing found (JSON `alignment`). By id: `matched` ids appear once in each file; `only_a` /
// `only_b` ids appear in one file only; `duplicates` counts rows whose id already appeared earlier in the
// same file (A and B added; such ids are ambiguous and left out); `label_conflicts` counts matched ids
// whose labels differ (left out: they are not the same example). By row: matched is the row count.
struct AlignmentSummary {
    bool byId = false;
    std::int64_t matched = 0;
    std::int64_t onlyA = 0;
    std::int64_t onlyB = 0;
    std::int64_t labelConflicts = 0;
    std::int64_t duplicates = 0;
    std::int64_t used = 0; // pairs the tests use: matched - label_conflicts

    bool clean() const { return onlyA == 0 && onlyB == 0 && labelConflicts == 0 && duplicates == 0; }
    // "aligned by id: 3 ids only in A, 1 label conflict (left out)"; empty when clean.
    std::string warning() const;
};

// Pairs the rows of two evaluation sets: by id when both tables have ids, else by row, but only when both
// have the same number of rows and the labels agree on every row (otherwise nullopt and a reason in error).
// rowsA[i] and rowsB[i] are the table rows of pair i; pairs with conflicting labels are left out.
struct CheckedAlignment {
    Alignment pairs;
    AlignmentSummary summary;
};
std::optional<CheckedAlignment> alignEvaluations(const PredictionTable& tableA, const EvaluationSet& a,
                                                 const PredictionTable& tableB, const EvaluationSet& b,
                                                 std::string* error);

struct PairedOptions {
    SliceMetric metric = SliceMetric::Accuracy;
    double threshold = 0.5; // score >= threshold predicts the positive class when there is no prediction
    int resamples = 1000;
    std::uint64_t seed = 20261126;
    int sliceLevels = 2; // slice changes over single features and pairs
};

struct PairedEvaluation {
    CheckedAlignment alignment;
    McNemarResult mcnemar;
    BootstrapDelta bootstrap;
    // DeLong runs when both sets are binary with scores and the paired labels hold at least two examples of
    // each class; otherwise it is absent and delongSkipped says why.
    std::optional<DeLongResult> delong;
    std::string delongSkipped;
    std::vector<std::size_t> flips; // pair indices whose correctness differs
    std::vector<SliceChange> sliceChanges;
    // The bootstrap metric of each model on the used pairs, and of the zero-rule baseline (always the
    // majority label of the pairs) on them, so each model's lift over it is metricA - zeroRule.
    double metricA = 0;
    double metricB = 0;
    double zeroRule = 0;
    // Multiclass sets with one class list: per true class, the examples B fixes and breaks, with McNemar's
    // test on that class's examples; empty otherwise.
    std::vector<ClassFlips> classFlips;
};

// The paired comparison of model A and model B. nullopt with a one-line reason when the sets cannot be
// paired or share no example.
std::optional<PairedEvaluation> comparePaired(const PredictionTable& tableA, const EvaluationSet& a,
                                              const PredictionTable& tableB, const EvaluationSet& b,
                                              const PairedOptions& options, std::string* error);

// A pinned baseline scored on the pairs of p that its log shares with A (and so with B), by `metric`: its
// metrics over its whole log compare like with like only when the three logs hold the same examples; this
// always does. n = 0 and `skipped` says why when the baseline cannot be paired with A or shares no pair.
struct PinnedOnPairs {
    std::int64_t n = 0;
    // The baseline's, A's and B's metric on those pairs.
    double value = std::numeric_limits<double>::quiet_NaN(), a = value, b = value;
    std::string skipped;
};
PinnedOnPairs pinnedOnPairs(const PredictionTable& tableA, const EvaluationSet& a,
                            const PredictionTable& tableB, const EvaluationSet& b,
                            const PredictionTable& pinnedTable, const EvaluationSet& pinned,
                            const PairedEvaluation& p, SliceMetric metric);

} // namespace runlens
