// W&B's .wandb transaction log decoded by hand: the few Record fields used, over the framing in
// wandb_log_framing.cpp.
#include "core/io/wandb_binary_reader.h"

#include "core/io/protobuf_wire.h"
#include "core/io/wandb_log_framing.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>

namespace runlens {
namespace {

using wandb_log::ChunkScanner;
using wandb_log::kFileHeaderBytes;
using wandb_log::kIdent;
using wandb_log::kMagic;
using wandb_log::offsetText;

// Record fields (wandb_internal.proto, the same numbers from client 0.10 to 0.25).
enum RecordField : std::uint32_t {
    RecHistory = 2,
    RecSummary = 3,
    RecConfig = 5,
    RecStats = 7,
    RecRun = 17,
    RecExit = 18,
};

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

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

} // namespace

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
