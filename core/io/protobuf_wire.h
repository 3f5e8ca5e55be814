// A bounds-checked cursor over protobuf wire-format bytes: enough to decode a few known messages by hand.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <string_view>

namespace runlens {

enum class WireType : std::uint8_t { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

// The field's key as it is on the wire: (number << 3) | type.
constexpr std::uint64_t wireKey(std::uint32_t number, WireType type) {
    return (std::uint64_t(number) << 3) | static_cast<std::uint64_t>(type);
}

// One decoded field. Numeric payloads are in `bits`; length-delimited payloads view the input in `bytes`.
struct WireField {
    // Hot loops compare key with wireKey(n, t): one 8-byte value. Comparing number and type together let the
    // compiler merge them into one 8-byte load of two smaller stores, a store-forwarding stall per field.
    std::uint64_t key = 0;
    std::uint32_t number = 0;
    WireType type = WireType::Varint;
    std::uint64_t bits = 0;
    std::string_view bytes;

    double asDouble() const { return std::bit_cast<double>(bits); } // Fixed64 as an IEEE double
    float asFloat() const { return std::bit_cast<float>(static_cast<std::uint32_t>(bits)); } // Fixed32
    std::int64_t asInt64() const { return static_cast<std::int64_t>(bits); }
};

// Reads fields one by one. Every length is checked against the bytes that remain before it is used,
// and nothing is allocated: sub-messages and strings are views into the original buffer.
class WireCursor {
  public:
    explicit WireCursor(std::string_view data) : m_data(data) {}

    bool atEnd() const { return m_pos >= m_data.size(); }
    bool failed() const { return m_failed; }
    std::size_t position() const { return m_pos; }

    // The next field, or nullopt at the end or on malformed input (then failed() is true).
    std::optional<WireField> next();
    // The same into field: false at the end or on malformed input. For hot loops.
    bool nextInto(WireField& field);
    bool varintInto(std::uint64_t& out);

    // Raw readers, also used for packed repeated fields. They set failed() on malformed input.
    // Inline for the one-byte case (tags, small lengths), which is most varints in event files.
    std::optional<std::uint64_t> readVarint() {
        if (m_pos < m_data.size()) {
            const auto byte = static_cast<std::uint8_t>(m_data[m_pos]);
            if (byte < 0x80u) {
                ++m_pos;
                return byte;
            }
        }
        return readVarintSlow();
    }
    std::optional<std::uint64_t> readFixed64();
    std::optional<std::uint32_t> readFixed32();

  private:
    std::optional<std::uint64_t> readVarintSlow();
    // n (4 or 8) little-endian bytes at the cursor, which the caller has checked are there.
    std::uint64_t loadLittleEndian(int n) {
        std::uint64_t value = 0;
        for (int i = n - 1; i >= 0; --i)
            value = (value << 8) | static_cast<std::uint8_t>(m_data[m_pos + i]);
        m_pos += static_cast<std::size_t>(n);
        return value;
    }

    std::string_view m_data;
    std::size_t m_pos = 0;
    bool m_failed = false;

    bool stop() {
        m_failed = true;
        return false;
    }
    std::nullopt_t fail() {
        m_failed = true;
        return std::nullopt;
    }
};

inline std::optional<std::uint64_t> WireCursor::readFixed64() {
    if (m_data.size() - m_pos < 8) return fail();
    return loadLittleEndian(8);
}

inline std::optional<std::uint32_t> WireCursor::readFixed32() {
    if (m_data.size() - m_pos < 4) return fail();
    return static_cast<std::uint32_t>(loadLittleEndian(4));
}

// Inline so the decoders' field loops compile to straight-line code without a call per field. Out
// parameters rather than std::optional: a returned optional was stored whole and its flag read back at once,
// a store-forwarding stall that cost about half of the tfevents import time.
inline bool WireCursor::varintInto(std::uint64_t& out) {
    if (m_pos < m_data.size()) {
        const auto byte = static_cast<std::uint8_t>(m_data[m_pos]);
        if (byte < 0x80u) {
            ++m_pos;
            out = byte;
            return true;
        }
    }
    // Longer varints (steps past 16k, lengths past 127) in line as well: the out-of-line optional-returning
    // path cost 3% of an import. Same rules as readVarintSlow: at most 10 bytes, the 10th only the top bit.
    std::uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (m_pos >= m_data.size()) return stop();
        const auto byte = static_cast<std::uint8_t>(m_data[m_pos++]);
        if (shift == 63 && (byte & 0x7eu) != 0) return stop();
        value |= std::uint64_t(byte & 0x7fu) << shift;
        if ((byte & 0x80u) == 0) {
            out = value;
            return true;
        }
    }
    return stop();
}

inline bool WireCursor::nextInto(WireField& field) {
    if (m_failed || atEnd()) return false;
    std::uint64_t key = 0;
    if (!varintInto(key)) return false;
    field.key = key;
    field.number = static_cast<std::uint32_t>(key >> 3);
    if (field.number == 0 || (key >> 3) > 0x1fffffffu) return stop();
    switch (key & 7u) {
    case 0:
        field.type = WireType::Varint;
        return varintInto(field.bits);
    case 1:
        field.type = WireType::Fixed64;
        if (m_data.size() - m_pos < 8) return stop();
        field.bits = loadLittleEndian(8);
        return true;
    case 2: {
        field.type = WireType::LengthDelimited;
        std::uint64_t len = 0;
        if (!varintInto(len)) return false;
        if (len > m_data.size() - m_pos) return stop();
        field.bytes = m_data.substr(m_pos, static_cast<std::size_t>(len));
        m_pos += static_cast<std::size_t>(len);
        return true;
    }
    case 5:
        field.type = WireType::Fixed32;
        if (m_data.size() - m_pos < 4) return stop();
        field.bits = loadLittleEndian(4);
        return true;
    default: // groups (3, 4) are deprecated and never appear in event files
        return stop();
    }
}

inline std::optional<WireField> WireCursor::next() {
    WireField field;
    if (!nextInto(field)) return std::nullopt;
    return field;
}

} // namespace runlens
