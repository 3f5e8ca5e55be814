// Where readers deliver what they parse: a streaming sink, and the per-source transactions of a target.
#pragma once

#include "core/model/prediction_table.h"
#include "core/model/run.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace runlens {

// Receives runs' data as a reader parses it. Runs and tags are created on first use.
class ImportSink {
  public:
    virtual ~ImportSink() = default;

    // Appends points to run/tag; the three spans have equal length. Readers batch (e.g. 4,096 rows).
    virtual void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                              std::span<const double> wallTimes, std::span<const double> values) = 0;
    virtual void setParam(std::string_view run, std::string_view key, std::string_view value) = 0;
    virtual void setTag(std::string_view run, std::string_view key, std::string_view value) = 0;
    virtual void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) = 0;
    // A final value that is not a history point (W&B summary, *_results.json, an Optuna trial's value).
    // Sinks that store or forward must override; the default serves test sinks that ignore summaries.
    virtual void setSummaryMetric(std::string_view run, std::string_view key, double value) {
        (void)run, (void)key, (void)value;
    }
    // Attaches an evaluation set to a run; a table with the same name replaces the earlier one.
    virtual void addPredictions(std::string_view run, PredictionTable table) = 0;
    virtual bool cancelled() const { return false; }

    void appendPoint(std::string_view run, std::string_view tag, std::int64_t step, double wallTime,
                     double value) {
        appendPoints(run, tag, {&step, 1}, {&wallTime, 1}, {&value, 1});
    }
};

// What the workspace remembers of an imported file so a grown file can be read on from where it stopped.
struct SourceState {
    std::string format;
    std::int64_t size = 0;
    std::int64_t mtimeNs = 0;
    std::int64_t offset = 0; // first byte not yet consumed
};

// One source file's import: everything lands on commit(); destroying it uncommitted rolls back.
class SourceTransaction : public ImportSink {
  public:
    virtual void commit(const SourceState& state) = 0;
};

// A store that takes imports one source at a time (the workspace; an in-memory target in tests).
class ImportTarget {
  public:
    virtual ~ImportTarget() = default;
    virtual std::optional<SourceState> sourceState(const std::string& path) = 0;
    // replace = true first drops the points, params and predictions this source delivered earlier.
    virtual std::unique_ptr<SourceTransaction> beginSource(const std::string& path, std::string_view format,
                                                           bool replace) = 0;
};

} // namespace runlens
