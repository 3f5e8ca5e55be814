// Reads a W&B run folder (wandb/run-*/, wandb/offline-run-*/) as one run, from its .wandb log or JSON files.
#pragma once

#include "core/io/reader.h"

#include <filesystem>
#include <string>

namespace runlens {

// A run folder holds, depending on the client's age:
//   run-<id>.wandb                 the binary transaction log (clients 0.10 and later; see
//   wandb_binary_reader.h) files/wandb-history.jsonl      one JSON object per logged step (clients before
//   0.10; in the folder itself
//                                  before 0.9): _step, _runtime, _timestamp and the metrics
//   files/wandb-summary.json       the final summary
//   files/config.yaml              the config, one {desc, value} entry per key
//   files/wandb-events.jsonl       system metrics, one object per sample with _runtime and _timestamp
//   files/wandb-metadata.json      host, program, git {remote, commit}, startedAt
// One source: when the .wandb log is there it is read and the JSON history and events files are NOT (they
// hold the same points, and the log is the complete record); wandb-summary.json and config.yaml then only
// fill in what the log lacks (a run still writing has no summary in its log yet). Without a .wandb log the
// JSON files are the run. Either way:
//   - history: series by _step (line number when _step is absent), wall time _timestamp; "_"-keys, media,
//     tables and graph objects (anything with a "_type") are not series; nested objects are "a.b" tags
//   - summary: summary metrics (numbers only), never an extra history point
//   - config: params; system metrics: series "system/<key>" (the "system." prefix of old event files dropped)
//     whose step is whole seconds since the run started (_runtime) and whose wall time is the sample's time
//   - an empty history file (a run that crashed before logging) is a warning, not an error
//   - a sweep agent's wandb/sweep-<id>/config-<run id>.yaml beside the folder gives the tag wandb.sweep_id
// The run is named by the importer's convention (the folder's path relative to the imported root); a symbolic
// link such as wandb/latest-run is named after the folder it points to, so it never makes a second run.
// The folder is one source transaction (its files' total size and newest mtime): an unchanged folder is
// skipped, a changed one is read again from the start.
class WandbRunFolderReader : public DirectoryReader {
  public:
    static constexpr std::size_t kMaxLineBytes = 16u << 20; // longer history lines are skipped with a warning

    std::string_view name() const override { return "wandb_run"; }
    std::string_view description() const override {
        return "W&B run folder (run-<id>.wandb, files/wandb-history.jsonl, wandb-summary.json, config.yaml)";
    }
    // 95 for a folder named run-* / offline-run-* holding a .wandb log or W&B's JSON files; 80 for another
    // folder holding a run-<id>.wandb; else 0.
    int confidence(const std::filesystem::path& dir) const override;
    ReadReport read(const std::filesystem::path& dir, const ReadContext& ctx,
                    ImportTarget& target) const override;

    static std::string runNameFor(const std::filesystem::path& dir, const ReadContext& ctx);
};

} // namespace runlens
