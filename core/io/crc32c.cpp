// Slicing-by-8 CRC32C: eight lookup tables built at compile time, so event files verify at memory speed.
#include "core/io/crc32c.h"

#include <array>
#include <cstring>

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

} // namespace

std::uint32_t crc32c(std::span<const unsigned char> data, std::uint32_t crc) {
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
