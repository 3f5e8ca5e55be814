// TensorBoard event files decoded by hand from the wire format: framing, checksums, scalars and hparams.
#include "core/io/tfevents_reader.h"

#include "core/io/crc32c.h"
#include "core/io/protobuf_wire.h"
#include "core/io/worker_runs.h"
#include "core/model/number_text.h"
#include "core/model/series.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace runlens {
namespace {

constexpr std::string_view kLfsPrefix = "version https://git-lfs.github.com/spec/v1";
constexpr std::size_t kHeaderBytes = 12; // u64 length + u32 masked CRC of the length
constexpr std::size_t kFooterBytes = 4;  // u32 masked CRC of the data

// Tensor dtypes from tensorflow/core/framework/types.proto that a scalar can carry.
enum DataType : std::uint64_t {
    DtFloat = 1,
    DtDouble = 2,
    DtInt32 = 3,
    DtUint8 = 4,
    DtInt16 = 5,
    DtInt8 = 6,
    DtInt64 = 9,
    DtBool = 10,
};

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

std::uint64_t loadLe(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

// A sliding window over the file so memory stays bounded by the largest accepted record.
class Window {
  public:
    // sizeHint: bytes expected to follow, so small files get a small buffer.
    Window(std::FILE* file, std::int64_t offset, std::int64_t sizeHint)
        : m_file(file), m_offset(offset),
          m_buf(static_cast<std::size_t>(std::clamp<std::int64_t>(sizeHint, 64, std::int64_t(1) << 20))) {}

    // True when at least n bytes are available from the current position.
    bool ensure(std::size_t n) {
        while (available() < n && !m_eof) {
            if (m_begin > 0) {
                std::memmove(m_buf.data(), m_buf.data() + m_begin, available());
                m_end -= m_begin;
                m_begin = 0;
            }
            if (m_buf.size() < n) m_buf.resize(n);
            const std::size_t got = std::fread(m_buf.data() + m_end, 1, m_buf.size() - m_end, m_file);
            if (got == 0) m_eof = true;
            m_end += got;
        }
        return available() >= n;
    }
    std::size_t available() const { return m_end - m_begin; }
    const unsigned char* data() const { return m_buf.data() + m_begin; }
    std::int64_t offset() const { return m_offset; }

    void consume(std::size_t n) {
        m_begin += n;
        m_offset += static_cast<std::int64_t>(n);
    }
    // Skips n bytes that need not be looked at; false if the file ends first.
    bool skip(std::uint64_t n) {
        while (n > 0) {
            if (available() == 0 && !ensure(1)) return false;
            const std::size_t step = static_cast<std::size_t>(std::min<std::uint64_t>(n, available()));
            consume(step);
            n -= step;
        }
        return true;
    }

  private:
    std::FILE* m_file;
    std::int64_t m_offset;
    std::vector<unsigned char> m_buf;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    bool m_eof = false;
};

struct TagState {
    bool skip = false;     // a non-scalar plugin claimed this tag
    std::size_t order = 0; // position among the tags in first-seen order
    SeriesData batch;
};

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Decodes Events and delivers their scalars, batching per tag.
class EventDecoder {
  public:
    EventDecoder(std::string_view run, ImportSink& sink, ReadReport& report)
        : m_run(run), m_sink(sink), m_report(report) {}

    // False when the bytes are not a valid Event.
    bool decode(std::string_view event);
    void flushAll();
    std::int64_t nonScalars() const { return m_nonScalars; }

  private:
    bool decodeSummary(std::string_view summary, std::int64_t step, double wallTime);
    bool decodeValue(std::string_view value, std::int64_t step, double wallTime);
    void decodeHparams(std::string_view content);
    void addPoint(std::string_view tag, std::int64_t step, double wallTime, double value);
    void flush(std::string_view tag, TagState& state);
    TagState& tagState(std::string_view tag);

    using TagMap = std::unordered_map<std::string, TagState, StringHash, std::equal_to<>>;
    std::string_view m_run;
    ImportSink& m_sink;
    ReadReport& m_report;
    TagMap m_tags;
    // Writers log the same tags in the same order every step, so the tag after the last one is checked
    // first with one string compare; the hash map is only consulted when that guess misses.
    std::vector<TagMap::value_type*> m_order;
    std::size_t m_guess = 0;
    std::int64_t m_nonScalars = 0;
};

// Reads the scalar a rank-0 TensorProto holds; nullopt for other shapes and types.
std::optional<double> tensorScalar(std::string_view tensor) {
    WireCursor c(tensor);
    std::uint64_t dtype = 0;
    std::optional<double> value;
    std::string_view content;
    for (WireField f; c.nextInto(f);) {
        switch (f.number) {
        case 1:
            if (f.type == WireType::Varint) dtype = f.bits;
            break;
        case 2: { // tensor_shape: any dim (field 2) makes it non-scalar
            WireCursor shape(f.bytes);
            for (WireField d; shape.nextInto(d);)
                if (d.number == 2) return std::nullopt;
            if (shape.failed()) return std::nullopt;
            break;
        }
        case 4:
            if (f.type == WireType::LengthDelimited) content = f.bytes;
            break;
        case 5: // float_val, packed or not
            if (value) break;
            if (f.type == WireType::Fixed32) value = f.asFloat();
            if (f.type == WireType::LengthDelimited && f.bytes.size() >= 4)
                value = std::bit_cast<float>(static_cast<std::uint32_t>(
                    loadLe(reinterpret_cast<const unsigned char*>(f.bytes.data()), 4)));
            break;
        case 6: // double_val
            if (value) break;
            if (f.type == WireType::Fixed64) value = f.asDouble();
            if (f.type == WireType::LengthDelimited && f.bytes.size() >= 8)
                value =
                    std::bit_cast<double>(loadLe(reinterpret_cast<const unsigned char*>(f.bytes.data()), 8));
            break;
        case 7:  // int_val
        case 10: // int64_val
        case 11: // bool_val
            if (value) break;
            if (f.type == WireType::Varint) value = static_cast<double>(f.asInt64());
            if (f.type == WireType::LengthDelimited) {
                WireCursor packed(f.bytes);
                if (auto v = packed.readVarint()) value = static_cast<double>(static_cast<std::int64_t>(*v));
            }
            break;
        default:
            break;
        }
    }
    if (c.failed()) return std::nullopt;
    if (value) {
        if (dtype == DtFloat || dtype == DtDouble || dtype == DtInt32 || dtype == DtInt64 ||
            dtype == DtBool || dtype == DtInt16 || dtype == DtInt8 || dtype == DtUint8)
            return value;
        return std::nullopt;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(content.data());
    switch (dtype) {
    case DtFloat:
        if (content.size() == 4) return std::bit_cast<float>(static_cast<std::uint32_t>(loadLe(p, 4)));
        break;
    case DtDouble:
        if (content.size() == 8) return std::bit_cast<double>(loadLe(p, 8));
        break;
    case DtInt32:
        if (content.size() == 4) return static_cast<double>(static_cast<std::int32_t>(loadLe(p, 4)));
        break;
    case DtInt64:
        if (content.size() == 8) return static_cast<double>(static_cast<std::int64_t>(loadLe(p, 8)));
        break;
    case DtInt16:
        if (content.size() == 2) return static_cast<double>(static_cast<std::int16_t>(loadLe(p, 2)));
        break;
    case DtInt8:
        if (content.size() == 1) return static_cast<double>(static_cast<std::int8_t>(p[0]));
        break;
    case DtUint8:
    case DtBool:
        if (content.size() == 1) return static_cast<double>(p[0]);
        break;
    default:
        break;
    }
    return std::nullopt;
}

// plugin_data.plugin_name and plugin_data.content of a SummaryMetadata.
std::pair<std::string_view, std::string_view> pluginOf(std::string_view metadata) {
    WireCursor c(metadata);
    for (WireField f; c.nextInto(f);) {
        if (f.number != 1 || f.type != WireType::LengthDelimited) continue;
        std::string_view name, content;
        WireCursor pd(f.bytes);
        for (WireField g; pd.nextInto(g);) {
            if (g.type != WireType::LengthDelimited) continue;
            if (g.number == 1) name = g.bytes;
            if (g.number == 2) content = g.bytes;
        }
        return {name, content};
    }
    return {};
}

// google.protobuf.Value as text: number, string or bool; nullopt for null, struct and list.
std::optional<std::string> valueText(std::string_view value) {
    WireCursor c(value);
    std::optional<std::string> out;
    for (WireField f; c.nextInto(f);) {
        if (f.number == 2 && f.type == WireType::Fixed64) out = numberText(f.asDouble());
        if (f.number == 3 && f.type == WireType::LengthDelimited) out = std::string(f.bytes);
        if (f.number == 4 && f.type == WireType::Varint) out = f.bits ? "true" : "false";
    }
    return c.failed() ? std::nullopt : out;
}

bool EventDecoder::decode(std::string_view event) {
    WireCursor c(event);
    double wallTime = kNaN;
    std::int64_t step = 0;
    std::string_view summary;
    bool hasSummary = false;
    for (WireField f; c.nextInto(f);) {
        if (f.key == wireKey(1, WireType::Fixed64))
            wallTime = f.asDouble();
        else if (f.key == wireKey(2, WireType::Varint))
            step = f.asInt64();
        else if (f.key == wireKey(5, WireType::LengthDelimited)) {
            summary = f.bytes;
            hasSummary = true;
        }
    }
    if (c.failed()) return false;
    return !hasSummary || decodeSummary(summary, step, wallTime);
}

bool EventDecoder::decodeSummary(std::string_view summary, std::int64_t step, double wallTime) {
    WireCursor c(summary);
    bool ok = true;
    for (WireField f; c.nextInto(f);)
        if (f.key == wireKey(1, WireType::LengthDelimited)) ok = decodeValue(f.bytes, step, wallTime) && ok;
    return ok && !c.failed();
}

bool EventDecoder::decodeValue(std::string_view value, std::int64_t step, double wallTime) {
    WireCursor c(value);
    std::string_view tag, tensor, metadata;
    std::optional<float> simple;
    bool other = false; // image, histo, audio or an unknown payload
    for (WireField f; c.nextInto(f);) {
        switch (f.key) {
        case wireKey(1, WireType::LengthDelimited):
            tag = f.bytes;
            break;
        case wireKey(2, WireType::Fixed32):
            simple = f.asFloat();
            break;
        case wireKey(8, WireType::LengthDelimited):
            tensor = f.bytes;
            break;
        case wireKey(9, WireType::LengthDelimited):
            metadata = f.bytes;
            break;
        default: // 7 is node_name; a known field of an unexpected type is ignored as before
            if (f.number != 1 && f.number != 2 && f.number != 7 && f.number != 8 && f.number != 9)
                other = true;
            break;
        }
    }
    if (c.failed()) return false;

    if (!metadata.empty()) {
        const auto [plugin, content] = pluginOf(metadata);
        if (plugin == "hparams") {
            decodeHparams(content);
            return true;
        }
        if (!plugin.empty() && plugin != "scalars") tagState(tag).skip = true;
    }
    if (simple) {
        addPoint(tag, step, wallTime, *simple);
        return true;
    }
    if (!tensor.empty() && !tagState(tag).skip) {
        if (const auto v = tensorScalar(tensor)) {
            addPoint(tag, step, wallTime, *v);
            return true;
        }
    }
    if (!tensor.empty() || other) ++m_nonScalars;
    return true;
}

void EventDecoder::decodeHparams(std::string_view content) {
    WireCursor c(content);
    for (WireField f; c.nextInto(f);) {
        if (f.number != 3 || f.type != WireType::LengthDelimited) continue; // session_start_info
        WireCursor start(f.bytes);
        for (WireField entry; start.nextInto(entry);) {
            if (entry.number != 1 || entry.type != WireType::LengthDelimited) continue; // hparams map
            WireCursor kv(entry.bytes);
            std::string_view key;
            std::optional<std::string> text;
            for (WireField g; kv.nextInto(g);) {
                if (g.type != WireType::LengthDelimited) continue;
                if (g.number == 1) key = g.bytes;
                if (g.number == 2) text = valueText(g.bytes);
            }
            if (!key.empty() && text) m_sink.setParam(m_run, key, *text);
        }
    }
}

// a == b for the short strings tags are, without a call to memcmp per scalar (5% of an import): lengths of
// 8 to 16 bytes compare as two overlapping 8-byte words, shorter ones byte by byte.
bool sameTag(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
    if (n >= 8) {
        std::uint64_t a0, a1, b0, b1;
        std::memcpy(&a0, a.data(), 8);
        std::memcpy(&b0, b.data(), 8);
        std::memcpy(&a1, a.data() + n - 8, 8);
        std::memcpy(&b1, b.data() + n - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    for (std::size_t i = 0; i < n; ++i)
        if (a[i] != b[i]) return false;
    return true;
}

TagState& EventDecoder::tagState(std::string_view tag) {
    if (m_guess < m_order.size() && sameTag(m_order[m_guess]->first, tag)) {
        TagState& state = m_order[m_guess]->second;
        m_guess = (m_guess + 1) % m_order.size();
        return state;
    }
    auto it = m_tags.find(tag);
    if (it == m_tags.end()) {
        it = m_tags.emplace(std::string(tag), TagState{}).first;
        it->second.order = m_order.size();
        m_order.push_back(&*it); // unordered_map nodes never move, so the pointer stays valid
    }
    m_guess = (it->second.order + 1) % m_order.size();
    return it->second;
}

void EventDecoder::addPoint(std::string_view tag, std::int64_t step, double wallTime, double value) {
    TagState& state = tagState(tag);
    state.batch.push(step, wallTime, value);
    ++m_report.points;
    if (state.batch.size() >= TfEventsReader::kBatch) flush(m_order[state.order]->first, state);
}

void EventDecoder::flush(std::string_view tag, TagState& state) {
    if (state.batch.empty()) return;
    m_sink.appendPoints(m_run, tag, state.batch.steps, state.batch.wallTimes, state.batch.values);
    state.batch.clear();
}

void EventDecoder::flushAll() {
    // Sorted so the sink sees tags in a stable order.
    std::vector<std::pair<const std::string, TagState>*> entries;
    for (auto& e : m_tags)
        entries.push_back(&e);
    std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->first < b->first; });
    for (auto* e : entries)
        flush(e->first, e->second);
}

std::string at(std::int64_t record, std::int64_t offset) {
    return "record " + std::to_string(record) + " at byte " + std::to_string(offset);
}

} // namespace

int TfEventsReader::confidence(const FileProbe& probe) const {
    return probe.path.filename().string().find("tfevents") != std::string::npos ? 95 : 0;
}

ReadReport TfEventsReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                ImportSink& sink) const {
    ReadReport report;
    report.format = std::string(name());
    report.endOffset = ctx.fromOffset;
    const std::string label = path.string();
    std::string reason;
    const int fd = openRegularFile(path, reason); // never blocks on a FIFO or device
    FilePtr file(fd >= 0 ? ::fdopen(fd, "rb") : nullptr);
    if (!file) {
        if (fd >= 0) ::close(fd);
        report.error(IssueKind::Unreadable, label, 0, "cannot open the file: " + reason);
        return report;
    }
    std::error_code ec;
    const auto size = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
    if (ec) {
        report.error(IssueKind::Unreadable, label, 0, "cannot read the file size: " + ec.message());
        return report;
    }
    char head[kLfsPrefix.size()];
    const std::size_t got = std::fread(head, 1, sizeof head, file.get());
    if (std::string_view(head, got) == kLfsPrefix) {
        report.endOffset = 0;
        report.warn(IssueKind::GitLfsPointer, label, 0,
                    "Git-LFS pointer, not the event file: run `git lfs pull`");
        return report;
    }
    if (ctx.fromOffset > size) {
        report.warn(IssueKind::Truncated, label, 0,
                    "the file is shorter than the " + std::to_string(ctx.fromOffset) +
                        " bytes read earlier; re-import it to read it again");
        return report;
    }
    if (fseeko(file.get(), static_cast<off_t>(ctx.fromOffset), SEEK_SET) != 0) {
        report.error(IssueKind::Unreadable, label, 0,
                     "cannot seek to byte " + std::to_string(ctx.fromOffset));
        return report;
    }
    std::string run = ctx.runName;
    if (run.empty()) run = path.parent_path().filename().string();
    if (const auto worker = parseWorkerRun(run)) {
        WorkerSink workerSink(sink, run, *worker);
        return readStream(file.get(), ctx.fromOffset, size, label, run, workerSink, ctx);
    }
    return readStream(file.get(), ctx.fromOffset, size, label, run, sink, ctx);
}

ReadReport TfEventsReader::readStream(std::FILE* file, std::int64_t startOffset, std::int64_t fileSize,
                                      const std::string& label, std::string_view run, ImportSink& sink,
                                      const ReadContext& ctx) {
    ReadReport report;
    report.format = "tfevents";
    report.endOffset = startOffset;
    Window win(file, startOffset, fileSize - startOffset);
    EventDecoder decoder(run, sink, report);
    std::int64_t record = 0;
    std::int64_t badRecords = 0;

    for (;;) {
        const std::int64_t start = win.offset();
        report.endOffset = start;
        if ((record & 1023) == 0) {
            if (ctx.cancelled() || sink.cancelled()) {
                report.warn(IssueKind::Cancelled, label, record + 1,
                            "import cancelled at " + at(record + 1, start));
                break;
            }
            ctx.advanced(start);
        }
        if (!win.ensure(kHeaderBytes)) {
            if (win.available() > 0)
                report.add(Severity::Info, IssueKind::Truncated, label, record + 1,
                           at(record + 1, start) + " is incomplete: file still being written?");
            else if (start == 0)
                report.add(Severity::Info, IssueKind::Empty, label, 0, "the event file holds no records yet");
            break;
        }
        ++record;
        const unsigned char* p = win.data();
        const std::uint64_t length = loadLe(p, 8);
        const auto lengthCrc = static_cast<std::uint32_t>(loadLe(p + 8, 4));
        if (maskCrc32c(crc32c({p, 8})) != lengthCrc) {
            report.error(IssueKind::BadChecksum, label, record,
                         at(record, start) + ": the length checksum does not match, so the framing is "
                                             "unreliable; stopped reading here");
            break;
        }
        // Bytes after this header according to the size the file had when the read began.
        const auto remaining = static_cast<std::uint64_t>(std::max<std::int64_t>(0, fileSize - start));
        const std::uint64_t left = remaining > kHeaderBytes ? remaining - kHeaderBytes : 0;
        if (length > kMaxRecordBytes && length > left) {
            report.error(IssueKind::BadRecord, label, record,
                         at(record, start) + ": length " + std::to_string(length) + " exceeds the " +
                             std::to_string(left) + " bytes left; the file is corrupt");
            break;
        }
        if (length > kMaxRecordBytes) {
            report.warn(IssueKind::Unsupported, label, record,
                        at(record, start) + ": a record of " + std::to_string(length) +
                            " bytes was skipped unread");
            win.consume(kHeaderBytes);
            if (!win.skip(length + kFooterBytes)) break;
            continue;
        }
        const std::size_t total = kHeaderBytes + static_cast<std::size_t>(length) + kFooterBytes;
        if (length + kFooterBytes > left || !win.ensure(total)) {
            report.add(Severity::Info, IssueKind::Truncated, label, record,
                       at(record, start) + " is incomplete: file still being written?");
            break;
        }
        p = win.data();
        const auto dataCrc = static_cast<std::uint32_t>(loadLe(p + kHeaderBytes + length, 4));
        if (maskCrc32c(crc32c({p + kHeaderBytes, static_cast<std::size_t>(length)})) != dataCrc) {
            report.warn(IssueKind::BadChecksum, label, record,
                        at(record, start) + ": the data checksum does not match; record skipped");
            ++report.rowsSkipped;
        } else if (!decoder.decode(
                       {reinterpret_cast<const char*>(p + kHeaderBytes), static_cast<std::size_t>(length)})) {
            if (++badRecords <= 20)
                report.warn(IssueKind::BadRecord, label, record,
                            at(record, start) + ": not a valid Event message; record skipped");
            ++report.rowsSkipped;
        }
        win.consume(total);
        report.endOffset = win.offset();
    }
    decoder.flushAll();
    if (decoder.nonScalars() > 0)
        report.add(Severity::Info, IssueKind::Unsupported, label, 0,
                   std::to_string(decoder.nonScalars()) +
                       " non-scalar summaries (images, histograms, text, ...) were skipped");
    return report;
}

} // namespace runlens
