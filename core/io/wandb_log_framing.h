// The LevelDB-log framing of a .wandb file: its 7-byte header, then 32 KiB blocks of checksummed chunks
// that join into records (split from wandb_binary_reader.cpp, which decodes the records).
#pragma once

#include "core/io/wandb_binary_reader.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

namespace runlens::wandb_log {

inline constexpr std::string_view kIdent = ":W&B";
inline constexpr std::uint16_t kMagic = 0xBEE1;
inline constexpr std::size_t kFileHeaderBytes = 7;
inline constexpr std::size_t kBlock = WandbBinaryReader::kBlockBytes;
inline constexpr std::size_t kChunkHeader = WandbBinaryReader::kChunkHeaderBytes;

std::string offsetText(std::int64_t offset); // "byte offset N", as every issue of the format names a place

// Walks the chunks block by block and hands each complete record on.
class ChunkScanner {
  public:
    ChunkScanner(std::FILE* file, const std::string& label, ReadReport& report, const ReadContext& ctx)
        : m_file(file), m_label(label), m_report(report), m_ctx(ctx) {}

    // False when the file does not start with W&B's header (an Error is reported).
    bool readHeader();
    // Calls onRecord(record, offset of its first chunk) for each complete record, in file order.
    void scan(const std::function<void(std::string_view, std::int64_t)>& onRecord);
    std::int64_t endOffset() const { return m_endOffset; }

  private:
    bool nextBlock() {
        m_blockStart += static_cast<std::int64_t>(m_blockLen);
        m_blockLen = std::fread(m_block.data(), 1, kBlock, m_file);
        m_pos = 0;
        return m_blockLen > 0;
    }
    void dropFragment(std::string_view why) {
        if (!m_inFragment) return;
        m_report.warn(IssueKind::BadRecord, m_label, 0,
                      "the record starting at " + offsetText(m_fragmentOffset) + " is incomplete (" +
                          std::string(why) + "); dropped");
        m_inFragment = false;
        m_fragment.clear();
    }
    // A chunk that cannot be trusted: warn, drop the record it would have continued, go on at the next block.
    void skipBlock(IssueKind kind, const std::string& message, std::string_view why) {
        m_report.warn(kind, m_label, 0, message);
        dropFragment(why);
        m_pos = m_blockLen;
    }
    void appendFragment(std::string_view payload) {
        if (m_fragmentTooLarge) return;
        if (m_fragment.size() + payload.size() > WandbBinaryReader::kMaxRecordBytes) {
            m_report.warn(IssueKind::Unsupported, m_label, 0,
                          "the record starting at " + offsetText(m_fragmentOffset) + " is larger than " +
                              std::to_string(WandbBinaryReader::kMaxRecordBytes >> 20) + " MiB; skipped");
            m_fragmentTooLarge = true;
            m_fragment.clear();
            return;
        }
        m_fragment.append(payload);
    }

    std::FILE* m_file;
    const std::string& m_label;
    ReadReport& m_report;
    const ReadContext& m_ctx;
    std::array<char, kBlock> m_block{};
    std::size_t m_blockLen = 0;
    std::int64_t m_blockStart = 0;
    std::size_t m_pos = 0;
    std::string m_fragment;
    std::int64_t m_fragmentOffset = 0;
    bool m_inFragment = false;
    bool m_fragmentTooLarge = false;
    std::int64_t m_endOffset = 0;
};

} // namespace runlens::wandb_log
