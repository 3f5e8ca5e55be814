// Reads scikit-learn learning_curve() scores saved as CSV/TSV into a run's train and validation score series.
#pragma once

#include "core/io/reader.h"

#include <string_view>

namespace runlens {

// The two series a learning-curve log becomes: step = training-set size, one point per CV fold (the same
// step repeated), wall time NaN. sklearn's "test" scores are cross-validation scores, hence "validation".
inline constexpr std::string_view kLearningCurveTrainTag = "learning_curve/train_score";
inline constexpr std::string_view kLearningCurveValidationTag = "learning_curve/validation_score";
inline constexpr std::string_view kLearningCurveTagPrefix = "learning_curve/";

// Header layouts (names are matched in any case, cells trimmed):
//  - a training-size column: train_size, train_sizes, training_size, n_train, n_samples or train_examples;
//  - long:  one row per (size, fold): train_score and/or test_score | val_score | validation_score | cv_score
//           (also the plural forms sklearn's return values are named with), an optional fold column;
//  - wide:  one row per size: train_score_<k> / train_scores_<k> / split<k>_train_score and
//           test_score_<k> / test_scores_<k> / val_score_<k> / validation_score_<k> / cv_score_<k> /
//           split<k>_test_score, as many k as there were folds.
// Both layouts read the same way: every score cell of a row is one point at that row's size. Other columns
// (fit_time, ...) are ignored. Empty and NaN cells are absent. A row whose size is not a positive integer or
// whose score cell holds text is reported (file and line) and skipped whole.
// Confidence 85 when the header has a size column and a score column and no step/epoch column (a training
// log is never a learning curve), else 0, so ordinary metrics.csv files stay with the CSV reader.
class LearningCurveReader : public Reader {
  public:
    std::string_view name() const override { return "learning-curve"; }
    std::string_view description() const override {
        return "scikit-learn learning_curve scores (train/validation per training size and fold)";
    }
    int confidence(const FileProbe& probe) const override;
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

} // namespace runlens
