// CRC32C (Castagnoli) checksums and the TFRecord masking, as TensorBoard event files use them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace runlens {

// CRC32C of data, continuing from a previous crc (0 for a fresh checksum).
std::uint32_t crc32c(std::span<const unsigned char> data, std::uint32_t crc = 0);

// The table-driven path crc32c falls back to without SSE4.2; public so tests check both paths agree.
std::uint32_t crc32cPortable(std::span<const unsigned char> data, std::uint32_t crc = 0);

// True when crc32c uses the CPU's crc32 instruction (benchmarks report which path they measured).
bool crc32cUsesHardware();

// TFRecord's masked form of a CRC: rotate right by 15, then add a constant (uint32 arithmetic).
constexpr std::uint32_t maskCrc32c(std::uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

} // namespace runlens
