// W&B's .wandb transaction log decoded by hand: LevelDB-log framing, CRC-32, and the few Record fields used.
#include "core/io/wandb_binary_reader.h"

#include "core/io/protobuf_wire.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>

namespace runlens {
namespace {

constexpr std::string_view kIdent = ":W&B";
constexpr std::uint16_t kMagic = 0xBEE1;
constexpr std::size_t kFileHeaderBytes = 7;
constexpr std::size_t kBlock = WandbBinaryReader::kBlockBytes;
constexpr std::size_t kChunkHeader = WandbBinaryReader::kChunkHeaderBytes;

enum ChunkType : std::uint8_t { Full = 1, First = 2, Middle = 3, Last = 4 };

// Record fields (wandb_internal.proto, the same numbers from client 0.10 to 0.25).
enum RecordField : std::uint32_t {
    RecHistory = 2,
    RecSummary = 3,
    RecConfig = 5,
    RecStats = 7,
    RecRun = 17,
    RecExit = 18,
};

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

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string offsetText(std::int64_t offset) {
    return "byte offset " + std::to_string(offset);
}

std::string hex16(unsigned value) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", value & 0xffffu);
    return buf;
}

// google.protobuf.Timestamp {seconds 1, nanos 2} as Unix seconds; NaN when absent.
double timestampSeconds(std::string_view bytes) {
    WireCursor c(bytes);
    std::int64_t seconds = 0;
    std::int64_t nanos = 0;
    bool any = false;
    while (auto f = c.next()) {
        if (f->type != WireType::Varint) continue;
        if (f->number == 1) seconds = f->asInt64(), any = true;
        if (f->number == 2) nanos = static_cast<std::int32_t>(f->bits), any = true;
    }
    if (c.failed() || !any) return kNaN;
    return static_cast<double>(seconds) + static_cast<double>(nanos) * 1e-9;
}

// An item of a history, summary, config or stats record: key (1) or nested_key (2, repeated), value_json
// (16).
struct Item {
    std::string key;
    std::string_view valueJson;
};

std::optional<Item> decodeItem(std::string_view bytes) {
    WireCursor c(bytes);
    std::string_view flatKey;
    std::vector<std::string_view> nested;
    Item item;
    while (auto f = c.next()) {
        if (f->type != WireType::LengthDelimited) continue;
        if (f->number == 1) flatKey = f->bytes;
        if (f->number == 2) nested.push_back(f->bytes);
        if (f->number == 16) item.valueJson = f->bytes;
    }
    if (c.failed()) return std::nullopt;
    item.key = nested.empty() ? std::string(flatKey) : joinWandbKey(nested);
    if (item.key.empty()) return std::nullopt;
    return item;
}

// Decodes Records and routes what they hold to the sink, the run state and the facts.
class RecordDecoder {
  public:
    RecordDecoder(const std::string& label, std::string_view run, ImportSink& sink, WandbRunState& state,
                  WandbLogFacts& facts, ReadReport& report)
        : m_label(label), m_run(run), m_sink(sink), m_state(state), m_facts(facts), m_report(report),
          m_series(run, sink, report) {}

    void decode(std::string_view record, std::int64_t offset);
    void finish();

  private:
    void history(std::string_view bytes, std::int64_t offset);
    void summary(std::string_view bytes);
    void config(std::string_view bytes);
    void stats(std::string_view bytes);
    void runRecord(std::string_view bytes);
    void exitRecord(std::string_view bytes);
    void setTag(std::string_view key, std::string_view value) {
        if (!value.empty()) m_sink.setTag(m_run, key, value);
    }
    void badRecord(std::int64_t offset, const std::string& what) {
        m_report.warn(IssueKind::BadRecord, m_label, 0,
                      "record at " + offsetText(offset) + " is not a valid W&B " + what + "; skipped");
    }

    const std::string& m_label;
    std::string m_run;
    ImportSink& m_sink;
    WandbRunState& m_state;
    WandbLogFacts& m_facts;
    ReadReport& m_report;
    WandbSeriesBatcher m_series;
    WandbValueParser m_values;
    std::vector<WandbLeaf> m_leaves;
    std::int64_t m_nextStep = 0;
    std::int64_t m_mediaSkipped = 0;
    std::int64_t m_textSkipped = 0;
    double m_startTime = kNaN;
    std::optional<int> m_exitRuntime;
};

void RecordDecoder::decode(std::string_view record, std::int64_t offset) {
    WireCursor c(record);
    std::vector<WireField> fields;
    while (auto f = c.next())
        fields.push_back(*f);
    if (c.failed()) {
        badRecord(offset, "Record");
        return;
    }
    ++m_facts.records;
    for (const WireField& f : fields) {
        if (f.type != WireType::LengthDelimited) continue;
        switch (f.number) {
        case RecHistory:
            history(f.bytes, offset);
            break;
        case RecSummary:
            ++m_facts.summaryRecords;
            summary(f.bytes);
            break;
        case RecConfig:
            ++m_facts.configRecords;
            config(f.bytes);
            break;
        case RecStats:
            stats(f.bytes);
            break;
        case RecRun:
            runRecord(f.bytes);
            break;
        case RecExit:
            exitRecord(f.bytes);
            break;
        default:
            break;
        }
    }
}

void RecordDecoder::history(std::string_view bytes, std::int64_t offset) {
    WireCursor c(bytes);
    m_leaves.clear();
    std::optional<std::int64_t> stepNum;
    while (auto f = c.next()) {
        if (f->type != WireType::LengthDelimited) continue;
        if (f->number == 1) {
            const auto item = decodeItem(f->bytes);
            if (!item) continue;
            if (!m_values.addLeaves(item->key, item->valueJson, m_leaves)) ++m_textSkipped;
        } else if (f->number == 2) { // HistoryStep {num = 1}; an empty message is step 0
            stepNum = 0;
            WireCursor step(f->bytes);
            while (auto s = step.next())
                if (s->number == 1 && s->type == WireType::Varint) stepNum = s->asInt64();
        }
    }
    if (c.failed()) {
        badRecord(offset, "history record");
        return;
    }
    ++m_facts.historyRows;
    m_mediaSkipped += static_cast<std::int64_t>(dropMediaLeaves(m_leaves));
    std::optional<std::int64_t> step;
    double wallTime = kNaN;
    double runtime = kNaN;
    for (const WandbLeaf& leaf : m_leaves) {
        if (!leaf.number) continue;
        if (leaf.key == "_step" && std::isfinite(*leaf.number)) step = std::llround(*leaf.number);
        if (leaf.key == "_timestamp") wallTime = *leaf.number;
        if (leaf.key == "_runtime") runtime = *leaf.number;
    }
    if (!step) step = stepNum ? *stepNum : m_nextStep;
    m_nextStep = *step + 1;
    m_state.offerStartTime(wallTime - runtime, false);
    for (const WandbLeaf& leaf : m_leaves) {
        if (leaf.key.starts_with('_'))
            continue; // _step, _runtime, _timestamp, _wandb: the client's bookkeeping
        if (!leaf.number) {
            ++m_textSkipped;
            continue;
        }
        m_series.add(leaf.key, *step, wallTime, *leaf.number);
    }
}

void RecordDecoder::summary(std::string_view bytes) {
    WireCursor c(bytes);
    while (auto f = c.next()) {
        if (f->type != WireType::LengthDelimited || (f->number != 1 && f->number != 2)) continue;
        const auto item = decodeItem(f->bytes);
        if (!item) continue;
        if (f->number == 2) {
            m_state.removeSummary(item->key);
            continue;
        }
        m_leaves.clear();
        m_values.addLeaves(item->key, item->valueJson, m_leaves);
        m_state.updateSummary(
            m_leaves); // media leaves (graph_*, images) are dropped there: core sends them one by one
    }
}

void RecordDecoder::config(std::string_view bytes) {
    WireCursor c(bytes);
    while (auto f = c.next()) {
        if (f->type != WireType::LengthDelimited || (f->number != 1 && f->number != 2)) continue;
        const auto item = decodeItem(f->bytes);
        if (!item) continue;
        if (f->number == 2) {
            m_state.removeConfig(item->key);
            continue;
        }
        m_leaves.clear();
        if (!m_values.addLeaves(item->key, item->valueJson, m_leaves))
            m_leaves.push_back({item->key, std::nullopt, std::string(item->valueJson)});
        m_state.updateConfig(m_leaves);
    }
}

void RecordDecoder::stats(std::string_view bytes) {
    WireCursor c(bytes);
    double when = kNaN;
    std::vector<Item> items;
    while (auto f = c.next()) {
        if (f->type != WireType::LengthDelimited) continue;
        if (f->number == 2) when = timestampSeconds(f->bytes);
        if (f->number == 3)
            if (auto item = decodeItem(f->bytes)) items.push_back(std::move(*item));
    }
    if (!std::isfinite(when)) return; // a sample without a time has no place on the time axis
    for (const Item& item : items)
        if (const auto value = wandbScalar(item.valueJson)) m_state.addSystemSample(item.key, when, *value);
}

void RecordDecoder::runRecord(std::string_view bytes) {
    WireCursor c(bytes);
    std::vector<std::string_view> tags;
    while (auto f = c.next()) {
        if (f->type != WireType::LengthDelimited) continue;
        switch (f->number) {
        case 1:
            setTag("wandb.run_id", f->bytes);
            break;
        case 2:
            setTag("wandb.entity", f->bytes);
            break;
        case 3:
            setTag("wandb.project", f->bytes);
            break;
        case 4:
            ++m_facts.configRecords;
            config(f->bytes);
            break;
        case 5:
            ++m_facts.summaryRecords;
            summary(f->bytes);
            break;
        case 6:
            setTag("wandb.group", f->bytes);
            break;
        case 7:
            setTag("wandb.job_type", f->bytes);
            break;
        case 8:
            setTag("wandb.name", f->bytes);
            break;
        case 10:
            tags.push_back(f->bytes);
            break;
        case 12:
            setTag("wandb.sweep_id", f->bytes);
            break;
        case 13:
            setTag("wandb.host", f->bytes);
            break;
        case 17:
            if (const double t = timestampSeconds(f->bytes); std::isfinite(t)) {
                m_startTime = t;
                m_facts.startTimeKnown = true;
                m_state.offerStartTime(t, true);
            }
            break;
        case 19: { // TelemetryRecord.cli_version (5)
            WireCursor telemetry(f->bytes);
            while (auto t = telemetry.next())
                if (t->number == 5 && t->type == WireType::LengthDelimited)
                    setTag("wandb.cli_version", t->bytes);
            break;
        }
        case 21: { // GitRepoRecord {remote_url 1, commit 2}
            WireCursor git(f->bytes);
            while (auto g = git.next()) {
                if (g->type != WireType::LengthDelimited || g->bytes.empty()) continue;
                if (g->number == 1) setTag("wandb.git_remote", g->bytes);
                if (g->number == 2) m_facts.codeVersion = std::string(g->bytes);
            }
            break;
        }
        default:
            break;
        }
    }
    if (!tags.empty()) {
        std::string joined;
        for (const std::string_view t : tags) {
            if (!joined.empty()) joined += ", ";
            joined.append(t);
        }
        setTag("wandb.tags", joined);
    }
}

void RecordDecoder::exitRecord(std::string_view bytes) {
    WireCursor c(bytes);
    int code = 0;
    while (auto f = c.next()) {
        if (f->type != WireType::Varint) continue;
        if (f->number == 1) code = static_cast<std::int32_t>(f->bits);
        if (f->number == 2) m_exitRuntime = static_cast<std::int32_t>(f->bits);
    }
    m_facts.exitCode = code;
}

void RecordDecoder::finish() {
    m_series.flushAll();
    if (m_mediaSkipped > 0 || m_textSkipped > 0)
        m_report.add(Severity::Info, IssueKind::Unsupported, m_label, 0,
                     std::to_string(m_mediaSkipped) + " media values (images, tables, graphs) and " +
                         std::to_string(m_textSkipped) +
                         " text or null values in the history are not series");
    m_sink.setProvenance(m_run, ProvenanceField::Format, "wandb");
    if (!m_facts.codeVersion.empty())
        m_sink.setProvenance(m_run, ProvenanceField::CodeVersion, m_facts.codeVersion);
    auto secondsText = [](double t) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6f", t);
        return std::string(buf);
    };
    if (std::isfinite(m_startTime))
        m_sink.setProvenance(m_run, ProvenanceField::StartTime, secondsText(m_startTime));
    if (m_facts.exitCode) {
        m_sink.setProvenance(m_run, ProvenanceField::Status, *m_facts.exitCode == 0 ? "FINISHED" : "FAILED");
        m_sink.setTag(m_run, "wandb.exit_code", std::to_string(*m_facts.exitCode));
        if (std::isfinite(m_startTime) && m_exitRuntime)
            m_sink.setProvenance(m_run, ProvenanceField::EndTime, secondsText(m_startTime + *m_exitRuntime));
    } else {
        m_sink.setProvenance(m_run, ProvenanceField::Status, "RUNNING");
    }
}

// Walks the chunks block by block and hands complete records to the decoder.
class ChunkScanner {
  public:
    ChunkScanner(std::FILE* file, const std::string& label, ReadReport& report, const ReadContext& ctx)
        : m_file(file), m_label(label), m_report(report), m_ctx(ctx) {}

    // False when the file does not start with W&B's header (an Error is reported).
    bool readHeader();
    template <typename OnRecord> void scan(OnRecord&& onRecord);
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

template <typename OnRecord> void ChunkScanner::scan(OnRecord&& onRecord) {
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
            m_report.warn(IssueKind::BadRecord, m_label, 0,
                          "the chunk at " + offsetText(offset) + " claims " + std::to_string(length) +
                              " bytes, past the end of its 32 KiB block; the rest of the block is skipped");
            dropFragment("a later chunk is corrupt");
            m_pos = m_blockLen;
            continue;
        }
        const std::string_view payload(m_block.data() + m_pos + kChunkHeader, length);
        const char typeByte = static_cast<char>(type);
        if (crc32Ieee(payload, crc32Ieee(std::string_view(&typeByte, 1))) != checksum) {
            m_report.warn(IssueKind::BadChecksum, m_label, 0,
                          "CRC mismatch in the chunk at " + offsetText(offset) +
                              "; the rest of its block is skipped");
            dropFragment("a later chunk has a bad checksum");
            m_pos = m_blockLen;
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
            m_report.warn(IssueKind::BadRecord, m_label, 0,
                          "the chunk at " + offsetText(offset) + " has unknown type " + std::to_string(type) +
                              "; the rest of its block is skipped");
            dropFragment("a later chunk is corrupt");
            m_pos = m_blockLen;
            break;
        }
    }
    if (m_inFragment)
        m_report.warn(IssueKind::Truncated, m_label, 0,
                      "the file ends inside the record starting at " + offsetText(m_fragmentOffset) +
                          " (the run was still writing); the records before it are kept");
}

} // namespace

std::uint32_t crc32Ieee(std::string_view data, std::uint32_t crc) {
    crc = ~crc;
    for (const char ch : data)
        crc = kCrcTable[(crc ^ static_cast<unsigned char>(ch)) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

ReadReport decodeWandbLog(std::FILE* file, const std::string& label, std::string_view run, ImportSink& sink,
                          WandbRunState& state, WandbLogFacts& facts, const ReadContext& ctx) {
    ReadReport report;
    report.format = "wandb";
    ChunkScanner scanner(file, label, report, ctx);
    if (!scanner.readHeader()) return report;
    facts.headerValid = true;
    RecordDecoder decoder(label, run, sink, state, facts, report);
    scanner.scan([&](std::string_view record, std::int64_t offset) { decoder.decode(record, offset); });
    decoder.finish();
    report.endOffset = scanner.endOffset();
    return report;
}

int WandbBinaryReader::confidence(const FileProbe& probe) const {
    if (probe.head.size() < kFileHeaderBytes || probe.head.compare(0, 4, kIdent) != 0) return 0;
    const auto* p = reinterpret_cast<const unsigned char*>(probe.head.data());
    return (unsigned(p[4]) | unsigned(p[5]) << 8) == kMagic ? 100 : 0;
}

ReadReport WandbBinaryReader::readLog(const std::filesystem::path& path, std::string_view run,
                                      ImportSink& sink, WandbRunState& state, WandbLogFacts& facts,
                                      const ReadContext& ctx) {
    const std::string label = path.string();
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        ReadReport report;
        report.format = "wandb";
        report.error(IssueKind::Unreadable, label, 0, "cannot open " + label + ": " + std::strerror(errno));
        return report;
    }
    ReadReport report = decodeWandbLog(file.get(), label, run, sink, state, facts, ctx);
    if (facts.headerValid) sink.setProvenance(run, ProvenanceField::SourcePath, label);
    return report;
}

ReadReport WandbBinaryReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                   ImportSink& sink) const {
    WandbRunState state;
    WandbLogFacts facts;
    ReadReport report = readLog(path, ctx.runName, sink, state, facts, ctx);
    if (facts.headerValid) state.deliver(ctx.runName, sink, report);
    return report;
}

} // namespace runlens
