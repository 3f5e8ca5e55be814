// Reader for Optuna's RDB storage kept in SQLite (`optuna.db`), opened strictly read-only.
#pragma once

#include "core/io/reader.h"

namespace runlens {

// Every study of the file as a sweep (core/io/optuna_study.h): each trial a run with its params, state,
// values (summary metrics) and intermediate values (series "intermediate_value" by step).
// Reads schemas of Optuna 2.x and 3.x (study_directions or studies.direction; trial_values with or without
// value_type).
class OptunaSqlReader : public Reader {
  public:
    std::string_view name() const override { return "optuna-sql"; }
    std::string_view description() const override { return "Optuna study storage in SQLite (optuna.db)"; }
    // 90 for an SQLite file with Optuna's tables; opens the file only when the header matches.
    int confidence(const FileProbe& probe) const override;
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

} // namespace runlens
