// Searches feature slices (up to three-way crosses) where a model errs more than overall, SliceLine-style.
#pragma once

#include "core/model/prediction_table.h"

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace runlens {

struct SliceFinderOptions {
    std::vector<std::string> features; // empty = every Feature column of the table
    int maxLevel = 3;                  // crosses of up to this many features
    std::int64_t minSupport = 32;
    double alpha = 0.5; // SliceLine's weight between error and size
    int topK = 20;
    int quantileBuckets = 4;
    int maxValuesPerFeature = 50; // categorical features with more values are skipped (reported)
};

struct FoundSlice {
    std::vector<std::pair<std::string, std::string>> key;
    std::int64_t n = 0;
    std::int64_t errors = 0;
    double errorRate = 0;
    double restErrorRate = 0; // error rate of the examples outside the slice
    double score = 0;         // alpha((e_s/n_s)/e_bar - 1) - (1 - alpha)(N/n_s - 1)
    double effectSize = 0;    // Cohen's h between the slice's and the rest's error rates
    double pValue = 1;        // one-sided two-proportion z-test: slice errs more than the rest
    double qValue = 1;        // Benjamini-Hochberg over every slice evaluated
};

struct SliceFinderResult {
    std::vector<FoundSlice> slices; // best score first
    std::int64_t slicesEvaluated = 0;
    double overallErrorRate = 0;
    std::vector<std::string> skippedFeatures; // with the reason, e.g. "user_id (12,000 values)"
};

// errors[r] = 1 when the model is wrong on table row r (only rows listed in `rows` are used; empty = all).
SliceFinderResult findSlices(const PredictionTable& table, std::span<const std::uint8_t> errors,
                             const std::vector<std::size_t>& rows, const SliceFinderOptions& options);

struct FoundLossSlice {
    std::vector<std::pair<std::string, std::string>> key;
    std::int64_t n = 0;
    double meanLoss = 0;     // mean per-row loss of the slice (e.g. mean |label - prediction|)
    double restMeanLoss = 0; // of the rows outside the slice
    double score = 0;        // SliceLine's, mean loss in place of the error rate:
                             // alpha(meanLoss_s / meanLoss - 1) - (1 - alpha)(N/n_s - 1)
    double effectSize = 0;   // Cohen's d: mean difference over the pooled sd (ddof 1) of slice and rest
    double t = 0, df = 0;    // Welch's t statistic and Welch-Satterthwaite degrees of freedom
    double pValue = 1;       // one-sided Welch t-test: the slice's mean loss exceeds the rest's
    double qValue = 1;       // Benjamini-Hochberg over every slice evaluated
};

struct LossSliceFinderResult {
    std::vector<FoundLossSlice> slices; // best score first
    std::int64_t slicesEvaluated = 0;
    std::int64_t skippedRows = 0; // rows whose loss is not finite
    double overallMeanLoss = 0;
    std::vector<std::string> skippedFeatures;
};

// The slice finder over a continuous per-row loss (loss[r] for table row r, e.g. the absolute error of a
// regressor): the same slices as findSlices (single features and crosses up to options.maxLevel, support >=
// minSupport), those with a mean loss above the whole set's, ranked by score.
LossSliceFinderResult findLossSlices(const PredictionTable& table, std::span<const double> loss,
                                     const std::vector<std::size_t>& rows, const SliceFinderOptions& options);

struct SliceChange {
    std::vector<std::pair<std::string, std::string>> key;
    std::int64_t n = 0;
    double accuracyA = 0;
    double accuracyB = 0;
    double delta = 0;  // B - A
    double pValue = 1; // exact McNemar on the slice's discordant pairs
    double qValue = 1; // Benjamini-Hochberg over the slices tested
};

// Slices (single features and pairs, support >= minSupport) whose accuracy changed significantly from A to B
// on aligned examples: correctA/correctB are per aligned example, tableRows the row of each in `table`.
std::vector<SliceChange> sliceChanges(const PredictionTable& table, std::span<const std::size_t> tableRows,
                                      std::span<const std::uint8_t> correctA,
                                      std::span<const std::uint8_t> correctB,
                                      const SliceFinderOptions& options, double fdr = 0.05);

} // namespace runlens
