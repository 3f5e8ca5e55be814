// Test-time writer of W&B .wandb transaction logs, written from the format's description (W&B's datastore.py
// and wandb_internal.proto), independent of the reader: its own bitwise CRC-32 and its own protobuf encoding.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace wandbtest {

// Bit-at-a-time CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF): the
// textbook definition, deliberately not the reader's table-driven version.
inline std::uint32_t crc32(std::string_view data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char ch : data) {
        crc ^= static_cast<unsigned char>(ch);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline std::string varint(std::uint64_t v) {
    std::string out;
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
    return out;
}

// A length-delimited field (wire type 2).
inline std::string bytesField(std::uint32_t number, std::string_view bytes) {
    return varint(std::uint64_t(number) << 3 | 2) + varint(bytes.size()) + std::string(bytes);
}

inline std::string varintField(std::uint32_t number, std::uint64_t value) {
    return varint(std::uint64_t(number) << 3) + varint(value);
}

// HistoryItem / SummaryItem / ConfigItem / StatsItem: key 1, value_json 16.
inline std::string item(std::string_view key, std::string_view valueJson) {
    return bytesField(1, key) + bytesField(16, valueJson);
}

// The same with wandb-core's nested_key (2, repeated) instead of key.
inline std::string nestedItem(const std::vector<std::string>& parts, std::string_view valueJson) {
    std::string out;
    for (const std::string& p : parts)
        out += bytesField(2, p);
    return out + bytesField(16, valueJson);
}

inline std::string timestamp(std::int64_t seconds, std::int32_t nanos) {
    return varintField(1, static_cast<std::uint64_t>(seconds)) +
           varintField(2, static_cast<std::uint32_t>(nanos));
}

// HistoryRecord {repeated item 1; HistoryStep step 2 {num 1}}.
inline std::string history(const std::vector<std::string>& items, std::int64_t step) {
    std::string out;
    for (const std::string& i : items)
        out += bytesField(1, i);
    return out + bytesField(2, varintField(1, static_cast<std::uint64_t>(step)));
}

// SummaryRecord / ConfigRecord {repeated update 1; repeated remove 2}.
inline std::string updates(const std::vector<std::string>& update,
                           const std::vector<std::string>& remove = {}) {
    std::string out;
    for (const std::string& i : update)
        out += bytesField(1, i);
    for (const std::string& i : remove)
        out += bytesField(2, i);
    return out;
}

// StatsRecord {stats_type 1; timestamp 2; repeated item 3}.
inline std::string stats(std::int64_t seconds, std::int32_t nanos, const std::vector<std::string>& items) {
    std::string out = bytesField(2, timestamp(seconds, nanos));
    for (const std::string& i : items)
        out += bytesField(3, i);
    return out;
}

// Record {num 1; oneof record_type: history 2, summary 3, config 5, stats 7, run 17, exit 18, ...}.
inline std::string record(std::uint32_t type, std::string_view body, std::uint64_t num) {
    return varintField(1, num) + bytesField(type, body);
}

// Lays records out as W&B's writer does: the 7-byte file header, then chunks in 32 KiB blocks (FULL when a
// record fits in what is left of the block, else FIRST, MIDDLE..., LAST), zero padding when fewer than 7
// bytes are left in a block.
class LogWriter {
  public:
    static constexpr std::size_t kBlock = 32768;
    LogWriter() : m_bytes(std::string(":W&B\xE1\xBE\x00", 7)) {}

    // Appends one record; returns the file offset of its first chunk.
    std::size_t add(std::string_view record) {
        std::size_t first = std::string::npos;
        bool begin = true;
        do {
            const std::size_t left = kBlock - m_bytes.size() % kBlock;
            if (left < 7) {
                m_bytes.append(left, '\0');
                continue;
            }
            const std::size_t take = std::min(left - 7, record.size());
            const bool end = take == record.size();
            const char type = begin && end ? 1 : begin ? 2 : end ? 4 : 3;
            if (first == std::string::npos) first = m_bytes.size();
            chunkOffsets.push_back(m_bytes.size());
            const std::string payload(record.substr(0, take));
            const std::uint32_t crc = crc32(std::string(1, type) + payload);
            for (int i = 0; i < 4; ++i)
                m_bytes.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
            m_bytes.push_back(static_cast<char>(take & 0xff));
            m_bytes.push_back(static_cast<char>(take >> 8));
            m_bytes.push_back(type);
            m_bytes += payload;
            record.remove_prefix(take);
            begin = false;
            if (end) break;
        } while (true);
        return first;
    }

    const std::string& bytes() const { return m_bytes; }
    std::string& mutableBytes() { return m_bytes; }
    std::vector<std::size_t> chunkOffsets; // every chunk's header offset, in order

    void save(const std::string& path) const {
        std::ofstream out(path, std::ios::binary);
        out.write(m_bytes.data(), static_cast<std::streamsize>(m_bytes.size()));
    }

  private:
    std::string m_bytes;
};

} // namespace wandbtest
