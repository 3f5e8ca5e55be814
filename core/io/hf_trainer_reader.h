// Readers for the Hugging Face Trainer's trainer_state.json and its all/eval/train_results.json summaries.
#pragma once

#include "core/io/reader.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace runlens {

// trainer_state.json. Every log_history entry is one of three shapes - train {loss, learning_rate, grad_norm,
// epoch, step}, eval {eval_*, epoch, step} (several eval sets give eval_<set>_*), or the final summary
// {train_runtime, train_samples_per_second, ..., total_flos, train_loss, step} - and is read the same way:
// each numeric key becomes a point of the tag of that name at x = the entry's step. The summary therefore
// gives one-point series at the last step (its "final metrics"). "epoch" is taken once per step, since
// train and eval entries of one step repeat it. A string where a number belongs skips that entry with a
// warning; null and other non-numbers are ignored. Top-level scalars (best_metric, best_model_checkpoint,
// global_step, num_train_epochs, ...) and trial_params.* become params; integers keep their exact text
// (num_train_epochs may be 9223372036854775807). Points have no wall time (NaN).
class HfTrainerStateReader : public Reader {
  public:
    std::string_view name() const override { return "hf_trainer_state"; }
    std::string_view description() const override {
        return "Hugging Face Trainer state (trainer_state.json)";
    }
    // 95 for trainer_state.json; 80 for another .json whose head has "log_history"; else 0.
    int confidence(const FileProbe& probe) const override;
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

// all_results.json, eval_results.json, train_results.json, test_results.json, predict_results.json: flat
// final metrics. Each numeric key becomes a summary metric of the run (ImportSink::setSummaryMetric), never a
// point: the curves come from trainer_state.json or the event files beside them.
class HfResultsJsonReader : public Reader {
  public:
    std::string_view name() const override { return "hf_results"; }
    std::string_view description() const override {
        return "Hugging Face final metrics (all_results.json, eval_results.json, ...)";
    }
    int confidence(const FileProbe& probe) const override; // 90 for the file names above, else 0
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

} // namespace runlens
