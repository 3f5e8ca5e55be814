// Folding the per-worker runs of a distributed job (rank_0/, worker-1, node_2 ...) into one run.
//
// The rule, kept deliberately simple:
//  - A run name whose LAST path component is `rank`, `worker` or `node` followed by an optional `_`, `-`
//    or nothing and a decimal number (case-insensitive; e.g. "exp/rank_1", "exp/worker-3", "exp/node2"),
//    or ends in such a suffix after `_` or `-` ("exp/train_rank_1"), belongs to the worker with that number.
//  - Its base run is the name without that part ("exp", "exp/train"); a bare "rank_0" keeps its name.
//  - Every worker's points go to the base run under tag "<tag>/worker_<N>", so workers can be compared
//    as separate curves of one run.
//  - Each worker's source also sets run param "worker_<N>" = the original run name, so the set of
//    worker_* params lists the workers seen (this works when workers are imported file by file).
#pragma once

#include "core/model/import_sink.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace runlens {

struct WorkerRun {
    std::string baseRun;
    int worker = 0;
};

// The base run and worker number when runName names a distributed worker, else nullopt.
std::optional<WorkerRun> parseWorkerRun(std::string_view runName);

// "<tag>/worker_<N>".
std::string workerTag(std::string_view tag, int worker);

// Forwards to another sink, renaming the worker's run to its base run and tags to worker tags.
class WorkerSink : public ImportSink {
  public:
    WorkerSink(ImportSink& inner, std::string originalRun, WorkerRun worker);

    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override;
    void setParam(std::string_view run, std::string_view key, std::string_view value) override;
    void setSummaryMetric(std::string_view run, std::string_view key, double value) override;
    void setTag(std::string_view run, std::string_view key, std::string_view value) override;
    void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) override;
    void addPredictions(std::string_view run, PredictionTable table) override;
    bool cancelled() const override { return m_inner.cancelled(); }

  private:
    std::string_view mapRun(std::string_view run) const;
    void announce(std::string_view run);

    ImportSink& m_inner;
    std::string m_originalRun;
    WorkerRun m_worker;
    bool m_announced = false;
};

} // namespace runlens
