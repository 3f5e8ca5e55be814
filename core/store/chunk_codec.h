// Compact columnar encoding of one chunk of series points, and the per-chunk statistics stored beside it.
#pragma once

#include "core/model/series.h"

#include <cstdint>
#include <span>
#include <vector>

namespace runlens::store {

// Blob layout (little-endian):
//   "RLC1" | u32 count | u8 stepCoding | u8 wallCoding | u8 valueCoding | u8 0
//   | u32 stepBytes | u32 wallBytes | u32 valueBytes | steps | wall times | values
// Steps: zigzag varints of the difference to the previous step (the first to 0), modulo 2^64.
// Float columns, whichever is smallest: 0 raw float64, 1 one float64 for all points (e.g. all NaN),
// 2 float32 when every value converts exactly (TensorBoard logs), 3 zigzag varints of the second
// difference of the bit patterns (regularly spaced wall times shrink to one or two bytes a point).
// Section sizes are checked against the count and the total before anything is allocated or read.
inline constexpr std::uint32_t kMaxChunkCount = 1u << 20; // refuse absurd counts before allocating

// What the chunks table keeps beside the blob. Step bounds are the smallest and largest step (steps need
// not be monotonic); min/max ignore NaN and Inf; first/last wall are the first/last non-NaN wall times.
struct ChunkStats {
    std::int64_t count = 0;
    std::int64_t minStep = 0;
    std::int64_t maxStep = 0;
    double min = kNaN;
    double max = kNaN;
    double last = kNaN; // the value at maxStep (its last occurrence there), not the last point read
    double firstWall = kNaN;
    double lastWall = kNaN;
    std::int64_t nonFinite = 0;
};

ChunkStats computeChunkStats(std::span<const std::int64_t> steps, std::span<const double> wallTimes,
                             std::span<const double> values);

// Replaces `out` with the encoding of the points (the spans have equal length <= kMaxChunkCount).
void encodeChunk(std::span<const std::int64_t> steps, std::span<const double> wallTimes,
                 std::span<const double> values, std::vector<std::uint8_t>& out);

// Appends the blob's points to `out`; throws WorkspaceError on a malformed blob (out is then unchanged).
void decodeChunk(std::span<const std::uint8_t> blob, SeriesData& out);

} // namespace runlens::store
