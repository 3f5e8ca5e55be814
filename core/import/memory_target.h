// An in-memory ImportTarget for reader tests and for commands that analyse files without a workspace.
#pragma once

#include "core/model/import_sink.h"
#include "core/model/prediction_table.h"
#include "core/model/run.h"
#include "core/model/series.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace runlens {

// Everything one run received: series by tag, params, tags, provenance and prediction tables by name.
struct MemoryRun {
    std::map<std::string, SeriesData, std::less<>> series;
    std::map<std::string, std::string, std::less<>> params;
    std::map<std::string, std::string, std::less<>> tags;
    std::map<std::string, double, std::less<>> summaryMetrics;
    Provenance provenance;
    std::map<std::string, PredictionTable, std::less<>> predictions;
};

using MemoryRuns = std::map<std::string, MemoryRun, std::less<>>;

// Keeps each source's contribution apart so replace=true can drop exactly what that source delivered;
// runs() merges them (sources in path order). Uncommitted transactions leave no trace.
class MemoryTarget : public ImportTarget {
  public:
    std::optional<SourceState> sourceState(const std::string& path) override;
    std::unique_ptr<SourceTransaction> beginSource(const std::string& path, std::string_view format,
                                                   bool replace) override;

    const MemoryRuns& runs() const;
    const MemoryRun* run(std::string_view name) const;
    const SeriesData* series(std::string_view run, std::string_view tag) const;
    std::int64_t totalPoints() const;
    const std::map<std::string, SourceState>& sources() const { return m_states; }
    std::int64_t commits() const { return m_commits; }

  private:
    friend class MemoryTransaction;
    void commitSource(const std::string& path, bool replace, MemoryRuns&& data, const SourceState& state);

    std::map<std::string, MemoryRuns> m_bySource;
    std::map<std::string, SourceState> m_states;
    std::int64_t m_commits = 0;
    mutable MemoryRuns m_merged; // cache of runs(), rebuilt after a commit
    mutable bool m_dirty = false;
};

// Appends every part of `from` to `into` (series appended, params/tags/provenance/predictions overwritten).
void mergeMemoryRuns(MemoryRuns& into, const MemoryRuns& from);

} // namespace runlens
