// Chunk blob encoder/decoder: zigzag-varint step deltas and compact float columns, fully bounds-checked.
#include "core/store/chunk_codec.h"

#include "core/store/workspace.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <string>

namespace runlens::store {

// The blob is defined as little-endian; raw memcpy of numbers is only correct on such hosts.
static_assert(std::endian::native == std::endian::little, "chunk codec assumes a little-endian host");

namespace {

constexpr std::uint8_t kMagic[4] = {'R', 'L', 'C', '1'};
constexpr std::size_t kHeaderSize = 24;

enum Coding : std::uint8_t { kRaw = 0, kConstant = 1, kFloat32 = 2, kDeltaVarint = 3 };

[[noreturn]] void corrupt(const std::string& why) {
    throw WorkspaceError("corrupt chunk: " + why);
}

void putU32(std::uint8_t* p, std::uint32_t v) {
    std::memcpy(p, &v, 4);
}

std::uint32_t getU32(const std::uint8_t* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

std::uint64_t bitsOf(double d) {
    return std::bit_cast<std::uint64_t>(d);
}

std::uint64_t zigzag(std::uint64_t delta) {
    return (delta << 1) ^ static_cast<std::uint64_t>(static_cast<std::int64_t>(delta) >> 63);
}

std::uint64_t unzigzag(std::uint64_t v) {
    return (v >> 1) ^ (~(v & 1) + 1);
}

std::uint8_t* putVarint(std::uint8_t* p, std::uint64_t z) {
    while (z >= 0x80) {
        *p++ = static_cast<std::uint8_t>(z | 0x80);
        z >>= 7;
    }
    *p++ = static_cast<std::uint8_t>(z);
    return p;
}

// Reads one varint from [p, end); throws rather than read past end or overflow 64 bits.
std::uint64_t getVarint(const std::uint8_t*& p, const std::uint8_t* end) {
    if (p >= end) corrupt("varint section ends early");
    std::uint64_t byte = *p++;
    if (byte < 0x80) return byte;
    std::uint64_t v = byte & 0x7f;
    for (int shift = 7;; shift += 7) {
        if (p >= end) corrupt("varint runs past its section");
        byte = *p++;
        if (shift == 63 && byte > 1) corrupt("varint longer than 64 bits");
        v |= (byte & 0x7f) << shift;
        if (byte < 0x80) return v;
    }
}

bool allSameBits(std::span<const double> column) {
    const std::uint64_t first = bitsOf(column[0]);
    return std::all_of(column.begin(), column.end(), [first](double d) { return bitsOf(d) == first; });
}

bool isFloat32Exact(double d) {
    // Finite values beyond float's range would make the conversion undefined; they are not float32 anyway.
    if (std::isfinite(d) && std::fabs(d) > FLT_MAX) return false;
    return bitsOf(static_cast<double>(static_cast<float>(d))) == bitsOf(d);
}

// Second differences of the bit patterns, as varints; returns nullptr once the output passes `limit`.
std::uint8_t* putDeltaVarints(std::span<const double> column, std::uint8_t* p, const std::uint8_t* limit) {
    std::uint64_t previous = 0;
    std::uint64_t previousDelta = 0;
    for (double d : column) {
        const std::uint64_t bits = bitsOf(d);
        const std::uint64_t delta = bits - previous;
        p = putVarint(p, zigzag(delta - previousDelta));
        if (p > limit) return nullptr;
        previous = bits;
        previousDelta = delta;
    }
    return p;
}

// Writes the column in its smallest coding at p; returns the coding and advances p.
std::uint8_t putColumn(std::span<const double> column, std::uint8_t*& p) {
    const std::size_t n = column.size();
    if (n == 0 || allSameBits(column)) {
        if (n) std::memcpy(p, column.data(), 8);
        p += n ? 8 : 0;
        return kConstant;
    }
    if (std::all_of(column.begin(), column.end(), isFloat32Exact)) {
        for (double d : column) {
            const float f = static_cast<float>(d);
            std::memcpy(p, &f, 4);
            p += 4;
        }
        return kFloat32;
    }
    // Varints only pay when they save a good share over raw; a short probe avoids encoding noise twice.
    const std::size_t probe = std::min<std::size_t>(n, 64);
    if (putDeltaVarints(column.first(probe), p, p + probe * 5)) {
        if (std::uint8_t* end = putDeltaVarints(column, p, p + n * 6)) {
            p = end;
            return kDeltaVarint;
        }
    }
    std::memcpy(p, column.data(), n * 8);
    p += n * 8;
    return kRaw;
}

// Checks a float section's size against its coding before anything is read.
void checkColumnSize(std::uint8_t coding, std::uint32_t bytes, std::uint32_t count, const char* name) {
    const std::uint64_t n = count;
    bool ok = false;
    switch (coding) {
    case kRaw:
        ok = bytes == n * 8;
        break;
    case kConstant:
        ok = bytes == (n ? 8 : 0);
        break;
    case kFloat32:
        ok = bytes == n * 4;
        break;
    case kDeltaVarint:
        ok = bytes >= n && bytes <= n * 10;
        break;
    default:
        corrupt(std::string("unknown coding of ") + name);
    }
    if (!ok) corrupt(std::string(name) + " section size does not fit the point count");
}

void readColumn(const std::uint8_t* p, std::uint32_t bytes, std::uint8_t coding, double* out, std::size_t n) {
    switch (coding) {
    case kRaw:
        std::memcpy(out, p, n * 8);
        return;
    case kConstant:
        if (n) {
            double v;
            std::memcpy(&v, p, 8);
            std::fill(out, out + n, v);
        }
        return;
    case kFloat32:
        for (std::size_t i = 0; i < n; ++i) {
            float f;
            std::memcpy(&f, p + i * 4, 4);
            out[i] = f;
        }
        return;
    default:
        break;
    }
    const std::uint8_t* end = p + bytes;
    std::uint64_t bits = 0;
    std::uint64_t delta = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t v = p < end && *p < 0x80 ? *p++ : getVarint(p, end);
        delta += unzigzag(v);
        bits += delta;
        out[i] = std::bit_cast<double>(bits);
    }
    if (p != end) corrupt("float section has trailing bytes");
}

void readSteps(const std::uint8_t* p, std::uint32_t bytes, std::int64_t* out, std::size_t n) {
    const std::uint8_t* end = p + bytes;
    std::uint64_t previous = 0;
    for (std::size_t i = 0; i < n; ++i) {
        // Most steps advance by a small amount: one byte, no loop.
        std::uint64_t v;
        if (p < end && *p < 0x80)
            v = *p++;
        else
            v = getVarint(p, end);
        previous += unzigzag(v);
        out[i] = static_cast<std::int64_t>(previous);
    }
    if (p != end) corrupt("step section has trailing bytes");
}

} // namespace

ChunkStats computeChunkStats(std::span<const std::int64_t> steps, std::span<const double> wallTimes,
                             std::span<const double> values) {
    ChunkStats s;
    s.count = static_cast<std::int64_t>(values.size());
    if (values.empty()) return s;
    const auto [lo, hi] = std::minmax_element(steps.begin(), steps.end());
    s.minStep = *lo;
    s.maxStep = *hi;
    double minValue = INFINITY;
    double maxValue = -INFINITY;
    std::int64_t nonFinite = 0;
    for (double v : values) {
        if (!std::isfinite(v)) {
            ++nonFinite;
            continue;
        }
        minValue = std::min(minValue, v);
        maxValue = std::max(maxValue, v);
    }
    if (nonFinite < s.count) {
        s.min = minValue;
        s.max = maxValue;
    }
    s.nonFinite = nonFinite;
    // Steps that go back (a resumed run) put the highest step before the end: `last` belongs to it.
    std::size_t atMax = 0;
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i] == s.maxStep) atMax = i;
    s.last = values[atMax];
    const auto known = [](double w) { return !std::isnan(w); };
    if (auto it = std::find_if(wallTimes.begin(), wallTimes.end(), known); it != wallTimes.end())
        s.firstWall = *it;
    if (auto it = std::find_if(wallTimes.rbegin(), wallTimes.rend(), known); it != wallTimes.rend())
        s.lastWall = *it;
    return s;
}

void encodeChunk(std::span<const std::int64_t> steps, std::span<const double> wallTimes,
                 std::span<const double> values, std::vector<std::uint8_t>& out) {
    const std::size_t count = values.size();
    if (steps.size() != count || wallTimes.size() != count)
        throw WorkspaceError("encodeChunk: columns of different lengths");
    if (count > kMaxChunkCount) throw WorkspaceError("encodeChunk: too many points for one chunk");

    // Worst case: 10-byte step varints, 8 bytes per wall time, 8 bytes per value (+ slack for the probe).
    out.resize(kHeaderSize + count * 26 + 64);
    std::uint8_t* base = out.data();
    std::memcpy(base, kMagic, 4);
    putU32(base + 4, static_cast<std::uint32_t>(count));
    base[8] = 0;
    base[11] = 0;

    std::uint8_t* p = base + kHeaderSize;
    std::uint64_t previous = 0;
    for (std::int64_t step : steps) {
        // Differences wrap modulo 2^64, so INT64_MIN next to INT64_MAX still round-trips.
        const auto current = static_cast<std::uint64_t>(step);
        p = putVarint(p, zigzag(current - previous));
        previous = current;
    }
    putU32(base + 12, static_cast<std::uint32_t>(p - (base + kHeaderSize)));
    std::uint8_t* wallStart = p;
    base[9] = putColumn(wallTimes, p);
    putU32(base + 16, static_cast<std::uint32_t>(p - wallStart));
    std::uint8_t* valueStart = p;
    base[10] = putColumn(values, p);
    putU32(base + 20, static_cast<std::uint32_t>(p - valueStart));
    out.resize(static_cast<std::size_t>(p - base));
}

void decodeChunk(std::span<const std::uint8_t> blob, SeriesData& out) {
    if (blob.size() < kHeaderSize) corrupt("blob shorter than its header");
    const std::uint8_t* base = blob.data();
    if (std::memcmp(base, kMagic, 4) != 0) corrupt("unknown chunk format");
    const std::uint32_t count = getU32(base + 4);
    const std::uint32_t stepBytes = getU32(base + 12);
    const std::uint32_t wallBytes = getU32(base + 16);
    const std::uint32_t valueBytes = getU32(base + 20);
    if (count > kMaxChunkCount) corrupt("point count " + std::to_string(count) + " too large");
    if (base[8] != 0 || base[11] != 0) corrupt("unknown step coding");
    // Every step takes 1..10 bytes; with the float checks this bounds every allocation by the blob size.
    if (stepBytes < count || stepBytes > std::uint64_t{count} * 10)
        corrupt("step section size does not fit the point count");
    checkColumnSize(base[9], wallBytes, count, "wall time");
    checkColumnSize(base[10], valueBytes, count, "value");
    if (std::uint64_t{kHeaderSize} + stepBytes + wallBytes + valueBytes != blob.size())
        corrupt("blob size does not match its header");

    const std::size_t start = out.size();
    try {
        out.steps.resize(start + count);
        out.wallTimes.resize(start + count);
        out.values.resize(start + count);
        const std::uint8_t* p = base + kHeaderSize;
        readSteps(p, stepBytes, out.steps.data() + start, count);
        p += stepBytes;
        readColumn(p, wallBytes, base[9], out.wallTimes.data() + start, count);
        p += wallBytes;
        readColumn(p, valueBytes, base[10], out.values.data() + start, count);
    } catch (...) {
        out.steps.resize(start);
        out.wallTimes.resize(start);
        out.values.resize(start);
        throw;
    }
}

} // namespace runlens::store
