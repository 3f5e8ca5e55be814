// Reader for MLflow's SQL tracking store kept in SQLite (mlflow.db), opened strictly read-only.
#pragma once

#include "core/io/reader.h"

namespace runlens {

// Same mapping as MlflowFileStoreReader: runs "<experiment>/<run name>" (duplicates get "-<id prefix>"),
// metrics as tags (is_nan rows become NaN), params, run tags and provenance. Deleted runs are skipped.
class MlflowSqlReader : public Reader {
  public:
    static constexpr std::size_t kBatch = 4096;

    std::string_view name() const override { return "mlflow-sql"; }
    std::string_view description() const override { return "MLflow SQLite tracking store (mlflow.db)"; }
    // 90 for an SQLite file whose schema has MLflow's tables; opens the file only when the header matches.
    int confidence(const FileProbe& probe) const override;
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

} // namespace runlens
