// Reader for Optuna's JournalStorage file: one JSON operation per line, replayed as Optuna replays it.
#pragma once

#include "core/io/reader.h"

namespace runlens {

// Replays the operation log (create/delete study, study attributes, create trial, set param, set state and
// values, intermediate value, trial attributes) and delivers every live study as a sweep
// (core/io/optuna_study.h). Updates to a finished trial are ignored, as Optuna ignores them; a cut last line
// (the file is being written) is left for the next import.
class OptunaJournalReader : public Reader {
  public:
    std::string_view name() const override { return "optuna-journal"; }
    std::string_view description() const override { return "Optuna JournalStorage file"; }
    // 95 when the first line is a journal operation ({"op_code": ..., "worker_id": ...}).
    int confidence(const FileProbe& probe) const override;
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

} // namespace runlens
