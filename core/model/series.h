// Scalar series as plain columnar value types shared by readers, the store and the analysis code.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace runlens {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Points of one series in columns; wallTimes holds seconds since the Unix epoch, NaN when unknown.
struct SeriesData {
    std::vector<std::int64_t> steps;
    std::vector<double> wallTimes;
    std::vector<double> values;

    std::size_t size() const { return values.size(); }
    bool empty() const { return values.empty(); }
    void reserve(std::size_t n) {
        steps.reserve(n);
        wallTimes.reserve(n);
        values.reserve(n);
    }
    void push(std::int64_t step, double wallTime, double value) {
        steps.push_back(step);
        wallTimes.push_back(wallTime);
        values.push_back(value);
    }
    void clear() {
        steps.clear();
        wallTimes.clear();
        values.clear();
    }
};

// What the run table needs of a series without reading its points. min/max ignore NaN and Inf.
struct SeriesSummary {
    std::string tag;
    std::int64_t points = 0;
    std::int64_t firstStep = 0;
    std::int64_t lastStep = 0;
    double min = kNaN;
    double max = kNaN;
    double last = kNaN;
    double firstWallTime = kNaN;
    double lastWallTime = kNaN;
    std::int64_t nonFinite = 0; // NaN or Inf values in the series
};

// Which value of a series stands for its run (a sweep's result, a learning curve's point).
enum class SeriesReduction { Last, Min, Max };
inline double reducedValue(const SeriesSummary& series, SeriesReduction how) {
    if (how == SeriesReduction::Min) return series.min;
    if (how == SeriesReduction::Max) return series.max;
    return series.last;
}

// Per-chunk index entry, so views can skip chunks that fall outside the visible range.
struct ChunkInfo {
    std::int64_t seq = 0;
    std::int64_t count = 0;
    std::int64_t firstStep = 0;
    std::int64_t lastStep = 0;
    double min = kNaN;
    double max = kNaN;
};

} // namespace runlens
