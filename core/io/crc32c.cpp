// CRC32C: the SSE4.2 crc32 instruction where the CPU has it, else slicing-by-8 tables built at compile time.
#include "core/io/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define RUNLENS_CRC32C_X86 1
#endif

namespace runlens {
namespace {

constexpr std::uint32_t kPolyReversed = 0x82f63b78u; // Castagnoli polynomial, bit-reversed

using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Tables makeTables() {
    Tables t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1u) ? (c >> 1) ^ kPolyReversed : c >> 1;
        t[0][i] = c;
    }
    // Table k advances a byte that sits k positions further back in the word.
    for (std::size_t k = 1; k < 8; ++k)
        for (std::size_t i = 0; i < 256; ++i)
            t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xffu];
    return t;
}

constexpr Tables kTables = makeTables();

std::uint32_t loadLe32(const unsigned char* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

#if RUNLENS_CRC32C_X86
// One 8-byte crc32 per cycle: about 20x the table path. Compiled for SSE4.2 only in this function and
// called only after the CPU said it has it, so the binary still runs on any x86-64.
__attribute__((target("sse4.2"))) std::uint32_t crc32cSse42(const unsigned char* p, std::size_t n,
                                                            std::uint32_t crc) {
    std::uint64_t c = ~crc;
    while (n >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8;
        n -= 8;
    }
    auto c32 = static_cast<std::uint32_t>(c);
    while (n-- > 0)
        c32 = _mm_crc32_u8(c32, *p++);
    return ~c32;
}

bool cpuHasSse42() {
    static const bool has = __builtin_cpu_supports("sse4.2");
    return has;
}
#endif

} // namespace

std::uint32_t crc32c(std::span<const unsigned char> data, std::uint32_t crc) {
#if RUNLENS_CRC32C_X86
    if (cpuHasSse42()) return crc32cSse42(data.data(), data.size(), crc);
#endif
    return crc32cPortable(data, crc);
}

bool crc32cUsesHardware() {
#if RUNLENS_CRC32C_X86
    return cpuHasSse42();
#else
    return false;
#endif
}

std::uint32_t crc32cPortable(std::span<const unsigned char> data, std::uint32_t crc) {
    const unsigned char* p = data.data();
    std::size_t n = data.size();
    crc = ~crc;
    while (n >= 8) {
        const std::uint32_t lo = loadLe32(p) ^ crc;
        const std::uint32_t hi = loadLe32(p + 4);
        crc = kTables[7][lo & 0xffu] ^ kTables[6][(lo >> 8) & 0xffu] ^ kTables[5][(lo >> 16) & 0xffu] ^
              kTables[4][lo >> 24] ^ kTables[3][hi & 0xffu] ^ kTables[2][(hi >> 8) & 0xffu] ^
              kTables[1][(hi >> 16) & 0xffu] ^ kTables[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n-- > 0)
        crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xffu];
    return ~crc;
}

} // namespace runlens
