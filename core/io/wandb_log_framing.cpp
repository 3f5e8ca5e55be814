// The LevelDB-log framing of a .wandb file: header check, chunk checksums (plain CRC-32) and the joining of
// FIRST/MIDDLE/LAST chunks into records, with a warning for each chunk or record it has to drop.
#include "core/io/wandb_log_framing.h"

#include <algorithm>

namespace runlens {
namespace {

enum ChunkType : std::uint8_t { Full = 1, First = 2, Middle = 3, Last = 4 };

constexpr std::array<std::uint32_t, 256> makeCrcTable() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = makeCrcTable();

std::uint32_t loadLe32(const unsigned char* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

std::string hex16(unsigned value) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", value & 0xffffu);
    return buf;
}

} // namespace

std::uint32_t crc32Ieee(std::string_view data, std::uint32_t crc) {
    crc = ~crc;
    for (const char ch : data)
        crc = kCrcTable[(crc ^ static_cast<unsigned char>(ch)) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

namespace wandb_log {

std::string offsetText(std::int64_t offset) {
    return "byte offset " + std::to_string(offset);
}

bool ChunkScanner::readHeader() {
    m_blockLen = std::fread(m_block.data(), 1, kBlock, m_file);
    const auto* p = reinterpret_cast<const unsigned char*>(m_block.data());
    if (m_blockLen < kFileHeaderBytes || std::string_view(m_block.data(), 4) != kIdent) {
        m_report.error(IssueKind::BadRecord, m_label, 0,
                       m_blockLen == 0 ? "empty file: no W&B header"
                                       : "not a W&B transaction log: the file does not start with \":W&B\"");
        return false;
    }
    const unsigned magic = unsigned(p[4]) | unsigned(p[5]) << 8;
    if (magic != kMagic || p[6] != 0) {
        m_report.error(IssueKind::Unsupported, m_label, 0,
                       "W&B log header with magic 0x" + hex16(magic) + " and version " +
                           std::to_string(p[6]) + "; only magic 0xBEE1 version 0 is known");
        return false;
    }
    m_pos = kFileHeaderBytes;
    m_endOffset = kFileHeaderBytes;
    return true;
}

void ChunkScanner::scan(const std::function<void(std::string_view, std::int64_t)>& onRecord) {
    std::int64_t chunks = 0;
    while (true) {
        if ((++chunks & 1023) == 0) {
            if (m_ctx.cancelled()) {
                m_report.warn(IssueKind::Cancelled, m_label, 0, "import cancelled");
                return;
            }
            m_ctx.advanced(m_blockStart + static_cast<std::int64_t>(m_pos));
        }
        if (m_blockLen - m_pos < kChunkHeader) {
            const bool lastBlock = m_blockLen < kBlock;
            if (lastBlock) {
                const bool trailingBytes = std::any_of(
                    m_block.begin() + static_cast<std::ptrdiff_t>(m_pos),
                    m_block.begin() + static_cast<std::ptrdiff_t>(m_blockLen), [](char b) { return b != 0; });
                if (trailingBytes)
                    m_report.warn(IssueKind::Truncated, m_label, 0,
                                  "the file ends inside a chunk header at " +
                                      offsetText(m_blockStart + static_cast<std::int64_t>(m_pos)));
                break;
            }
            if (!nextBlock()) break;
            continue;
        }
        const std::int64_t offset = m_blockStart + static_cast<std::int64_t>(m_pos);
        const auto* h = reinterpret_cast<const unsigned char*>(m_block.data() + m_pos);
        const std::uint32_t checksum = loadLe32(h);
        const std::size_t length = std::size_t(h[4]) | std::size_t(h[5]) << 8;
        const std::uint8_t type = h[6];
        if (checksum == 0 && length == 0 && type == 0) { // zero padding (or a preallocated tail): next block
            m_pos = m_blockLen;
            continue;
        }
        if (m_pos + kChunkHeader + length > m_blockLen) {
            if (m_blockLen < kBlock) {
                m_report.warn(IssueKind::Truncated, m_label, 0,
                              "the file ends inside the chunk at " + offsetText(offset) + " (" +
                                  std::to_string(length) + " payload bytes, " +
                                  std::to_string(m_blockLen - m_pos - kChunkHeader) +
                                  " present): the run was still writing; the records before it are kept");
                m_inFragment = false;
                break;
            }
            skipBlock(IssueKind::BadRecord,
                      "the chunk at " + offsetText(offset) + " claims " + std::to_string(length) +
                          " bytes, past the end of its 32 KiB block; the rest of the block is skipped",
                      "a later chunk is corrupt");
            continue;
        }
        const std::string_view payload(m_block.data() + m_pos + kChunkHeader, length);
        const char typeByte = static_cast<char>(type);
        if (crc32Ieee(payload, crc32Ieee(std::string_view(&typeByte, 1))) != checksum) {
            skipBlock(IssueKind::BadChecksum,
                      "CRC mismatch in the chunk at " + offsetText(offset) +
                          "; the rest of its block is skipped",
                      "a later chunk has a bad checksum");
            continue;
        }
        m_pos += kChunkHeader + length;
        const std::int64_t chunkEnd = m_blockStart + static_cast<std::int64_t>(m_pos);
        switch (type) {
        case Full:
            dropFragment("a complete record follows its first part");
            onRecord(payload, offset);
            m_endOffset = chunkEnd;
            break;
        case First:
            dropFragment("another record starts before its last part");
            m_inFragment = true;
            m_fragmentTooLarge = false;
            m_fragmentOffset = offset;
            m_fragment.assign(payload);
            break;
        case Middle:
        case Last:
            if (!m_inFragment) {
                m_report.warn(IssueKind::BadRecord, m_label, 0,
                              "the chunk at " + offsetText(offset) +
                                  " continues a record whose start is missing; skipped");
                break;
            }
            appendFragment(payload);
            if (type == Last) {
                if (!m_fragmentTooLarge) onRecord(std::string_view(m_fragment), m_fragmentOffset);
                m_inFragment = false;
                m_fragment.clear();
                m_endOffset = chunkEnd;
            }
            break;
        default:
            skipBlock(IssueKind::BadRecord,
                      "the chunk at " + offsetText(offset) + " has unknown type " + std::to_string(type) +
                          "; the rest of its block is skipped",
                      "a later chunk is corrupt");
            break;
        }
    }
    if (m_inFragment)
        m_report.warn(IssueKind::Truncated, m_label, 0,
                      "the file ends inside the record starting at " + offsetText(m_fragmentOffset) +
                          " (the run was still writing); the records before it are kept");
}

} // namespace wandb_log
} // namespace runlens
