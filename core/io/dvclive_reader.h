// Reads a DVCLive output directory (dvclive/): metric histories, the latest metrics and the params.
#pragma once

#include "core/io/reader.h"

#include <filesystem>
#include <string>

namespace runlens {

// DVCLive writes, under its directory (by default "dvclive/"):
//   plots/metrics/**/<name>.tsv   one history per metric: optional "timestamp" (ms), "step", and a value
//   column
//                                 named like the metric; nested names are folders ("train/loss.tsv")
//   scalars/**/<name>.tsv         the same in DVCLive before 1.0 (the oldest versions: <name>.tsv directly)
//   ../dvclive.json               the summary before 1.0, beside the directory (read when metrics.json is
//   absent) metrics.json                  the latest values, nested ({"train": {"acc": ...}, "step": 9})
//   params.yaml                   logged params
// Tags are the TSV path relative to plots/metrics (or scalars) without ".tsv": "train/loss". metrics.json
// keys are flattened with '/' and become one-point series at its "step" (else the last TSV step, else 0)
// unless a TSV already holds that tag's history. params.yaml keys are flattened with '.'.
//
// Which directory it claims, and the run name: the reader claims the DVCLive directory itself (named
// "dvclive" and holding plots/metrics, scalars or metrics.json; confidence 95), or a differently named one
// that holds plots/metrics/*.tsv together with metrics.json or params.yaml (confidence 70). It does NOT
// claim the project directory that contains dvclive/, because the importer would then not descend into that
// project's other folders. The run is named after the directory that CONTAINS the DVCLive directory, by the
// importer's own convention: its path relative to ctx.root, or the root's name when it is the root itself,
// or its own name when the user imported the DVCLive directory directly. ctx.runName is used only when
// ctx.root is empty. Each file is its own source transaction; unchanged files (same size and mtime) are
// skipped, changed ones are read again from the start (replace).
class DvcLiveReader : public DirectoryReader {
  public:
    std::string_view name() const override { return "dvclive"; }
    std::string_view description() const override {
        return "DVCLive directory (plots/metrics, metrics.json)";
    }
    int confidence(const std::filesystem::path& dir) const override;
    ReadReport read(const std::filesystem::path& dir, const ReadContext& ctx,
                    ImportTarget& target) const override;

    // The run name for a DVCLive directory as described above.
    static std::string runNameFor(const std::filesystem::path& dir, const ReadContext& ctx);
};

} // namespace runlens
