// Reader for MLflow's file store (an `mlruns/` tree of experiments and runs).
#pragma once

#include "core/io/reader.h"

namespace runlens {

// Each run becomes "<experiment name>/<run name>" (duplicate names get "-<first 8 chars of the run id>"),
// with metrics/<key> as tags (nested keys keep their '/'), params/ as params, tags/ as run tags, and
// status, start/end time and git commit as provenance. Deleted runs and `.trash` are skipped. One source
// transaction per run directory, format "mlflow"; a run whose files did not change is not read again.
class MlflowFileStoreReader : public DirectoryReader {
  public:
    static constexpr std::size_t kBatch = 4096;
    static constexpr std::size_t kMaxLine = 4096;            // longer metric lines are reported and skipped
    static constexpr std::uintmax_t kMaxSmallFile = 1 << 20; // meta.yaml, params and tags files

    std::string_view name() const override { return "mlflow"; }
    std::string_view description() const override { return "MLflow file store (mlruns)"; }
    int confidence(const std::filesystem::path& dir) const override;
    ReadReport read(const std::filesystem::path& dir, const ReadContext& ctx,
                    ImportTarget& target) const override;
};

// MLflow's integer run status as its name (1 RUNNING ... 5 KILLED); other text is returned unchanged.
std::string mlflowStatusName(std::string_view status);

} // namespace runlens
