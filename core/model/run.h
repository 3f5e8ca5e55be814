// A run as the workspace lists it: name, params, tags, provenance and per-series summaries.
#pragma once

#include "core/model/series.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace runlens {

// Where a run came from; empty strings and NaN times mean "the log did not say".
struct Provenance {
    std::string sourcePath;
    std::string format;
    std::string codeVersion;
    std::string dataVersion;
    std::string seed;
    std::string status;
    double startTime = kNaN;
    double endTime = kNaN;
};

enum class ProvenanceField { SourcePath, Format, CodeVersion, DataVersion, Seed, Status, StartTime, EndTime };

struct RunInfo {
    std::int64_t id = 0;
    std::string name;
    std::map<std::string, std::string> params;
    std::map<std::string, std::string> tags;
    Provenance provenance;
    std::vector<SeriesSummary> series; // sorted by tag
    // Final values delivered as summaries rather than as points of a series (see ImportSink).
    std::map<std::string, double> summaryMetrics;
};

// The run's series named tag, or null.
inline const SeriesSummary* findSeries(const RunInfo& run, std::string_view tag) {
    for (const auto& series : run.series)
        if (series.tag == tag) return &series;
    return nullptr;
}

} // namespace runlens
