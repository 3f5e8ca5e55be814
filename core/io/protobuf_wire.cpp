// Protobuf wire-format decoding with every length checked against the remaining input.
#include "core/io/protobuf_wire.h"

#include <bit>

namespace runlens {

double WireField::asDouble() const {
    return std::bit_cast<double>(bits);
}

float WireField::asFloat() const {
    return std::bit_cast<float>(static_cast<std::uint32_t>(bits));
}

std::optional<std::uint64_t> WireCursor::readVarint() {
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

std::optional<std::uint64_t> WireCursor::readFixed64() {
    if (m_data.size() - m_pos < 8) return fail();
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | static_cast<std::uint8_t>(m_data[m_pos + i]);
    m_pos += 8;
    return value;
}

std::optional<std::uint32_t> WireCursor::readFixed32() {
    if (m_data.size() - m_pos < 4) return fail();
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i)
        value = (value << 8) | static_cast<std::uint8_t>(m_data[m_pos + i]);
    m_pos += 4;
    return value;
}

std::optional<WireField> WireCursor::next() {
    if (m_failed || atEnd()) return std::nullopt;
    const auto key = readVarint();
    if (!key) return std::nullopt;
    WireField field;
    field.number = static_cast<std::uint32_t>(*key >> 3);
    if (field.number == 0 || (*key >> 3) > 0x1fffffffu) return fail();
    switch (*key & 7u) {
    case 0: {
        field.type = WireType::Varint;
        const auto v = readVarint();
        if (!v) return std::nullopt;
        field.bits = *v;
        return field;
    }
    case 1: {
        field.type = WireType::Fixed64;
        const auto v = readFixed64();
        if (!v) return std::nullopt;
        field.bits = *v;
        return field;
    }
    case 2: {
        field.type = WireType::LengthDelimited;
        const auto len = readVarint();
        if (!len) return std::nullopt;
        if (*len > m_data.size() - m_pos) return fail();
        field.bytes = m_data.substr(m_pos, static_cast<std::size_t>(*len));
        m_pos += static_cast<std::size_t>(*len);
        return field;
    }
    case 5: {
        field.type = WireType::Fixed32;
        const auto v = readFixed32();
        if (!v) return std::nullopt;
        field.bits = *v;
        return field;
    }
    default: // groups (3, 4) are deprecated and never appear in event files
        return fail();
    }
}

} // namespace runlens
