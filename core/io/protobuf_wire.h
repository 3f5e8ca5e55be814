// A bounds-checked cursor over protobuf wire-format bytes: enough to decode a few known messages by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace runlens {

enum class WireType : std::uint8_t { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

// One decoded field. Numeric payloads are in `bits`; length-delimited payloads view the input in `bytes`.
struct WireField {
    std::uint32_t number = 0;
    WireType type = WireType::Varint;
    std::uint64_t bits = 0;
    std::string_view bytes;

    double asDouble() const; // Fixed64 reinterpreted as IEEE double
    float asFloat() const;   // Fixed32 reinterpreted as IEEE float
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

    // Raw readers, also used for packed repeated fields. They set failed() on malformed input.
    std::optional<std::uint64_t> readVarint();
    std::optional<std::uint64_t> readFixed64();
    std::optional<std::uint32_t> readFixed32();

  private:
    std::string_view m_data;
    std::size_t m_pos = 0;
    bool m_failed = false;

    std::nullopt_t fail() {
        m_failed = true;
        return std::nullopt;
    }
};

} // namespace runlens
