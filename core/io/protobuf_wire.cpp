// The multi-byte varint path of the protobuf wire cursor; the rest is inline in the header.
#include "core/io/protobuf_wire.h"

namespace runlens {

std::optional<std::uint64_t> WireCursor::readVarintSlow() {
    std::uint64_t value = 0;
    // A varint has at most 10 bytes; the 10th may only carry the top bit of a 64-bit value.
    for (int shift = 0; shift < 70; shift += 7) {
        if (m_pos >= m_data.size()) return fail();
        const auto byte = static_cast<std::uint8_t>(m_data[m_pos++]);
        if (shift == 63 && (byte & 0x7eu) != 0) return fail();
        value |= std::uint64_t(byte & 0x7fu) << shift;
        if ((byte & 0x80u) == 0) return value;
    }
    return fail();
}

} // namespace runlens
