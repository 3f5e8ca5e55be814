// W&B run folders: the .wandb log when present, else the JSON history, events, summary, config and metadata.
#include "core/io/wandb_run_reader.h"

#include "core/io/hparams_yaml_reader.h"
#include "core/io/wandb_binary_reader.h"
#include "core/io/wandb_values.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <optional>
#include <simdjson.h>
#include <vector>

namespace runlens {
namespace {

namespace fs = std::filesystem;

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

std::string lastName(const fs::path& p) {
    const fs::path normal = p.lexically_normal();
    std::string name = normal.filename().string();
    if (name.empty()) name = normal.parent_path().filename().string();
    return name;
}

fs::path withoutTrailingSlash(const fs::path& p) {
    fs::path normal = p.lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();
    return normal;
}

bool isRunFolderName(const std::string& name) {
    return name.starts_with("run-") || name.starts_with("offline-run-");
}

// The .wandb logs directly in dir, in name order.
std::vector<fs::path> binaryLogs(const fs::path& dir) {
    std::vector<fs::path> logs;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".wandb" && it->is_regular_file(ec)) logs.push_back(it->path());
        if (logs.size() > 64) break;
    }
    std::sort(logs.begin(), logs.end());
    return logs;
}

// files/<name> (clients 0.9 and later) or <name> in the folder itself (older clients).
std::optional<fs::path> runFile(const fs::path& dir, std::string_view name) {
    for (const fs::path& p : {dir / "files" / name, dir / name})
        if (isFile(p)) return p;
    return std::nullopt;
}

struct RunFiles {
    std::vector<fs::path> logs;
    std::optional<fs::path> history, summary, config, events, metadata;

    explicit RunFiles(const fs::path& dir)
        : logs(binaryLogs(dir)), history(runFile(dir, "wandb-history.jsonl")),
          summary(runFile(dir, "wandb-summary.json")), config(runFile(dir, "config.yaml")),
          events(runFile(dir, "wandb-events.jsonl")), metadata(runFile(dir, "wandb-metadata.json")) {}

    std::vector<fs::path> all() const {
        std::vector<fs::path> files = logs;
        for (const auto& p : {history, summary, config, events, metadata})
            if (p) files.push_back(*p);
        return files;
    }
};

// The folder as one source: total size and newest modification time of the files it is read from.
SourceState folderState(const RunFiles& files) {
    SourceState state;
    state.format = "wandb";
    for (const fs::path& p : files.all()) {
        std::error_code ec;
        const auto size = fs::file_size(p, ec);
        if (!ec) state.size += static_cast<std::int64_t>(size);
        const auto t = fs::last_write_time(p, ec);
        if (ec) continue;
        const std::int64_t ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
        state.mtimeNs = std::max(state.mtimeNs, ns);
    }
    state.offset = state.size;
    return state;
}

std::vector<WandbLeaf> leavesOf(const FlattenResult& flat) {
    std::vector<WandbLeaf> leaves;
    leaves.reserve(flat.entries.size());
    for (const FlatEntry& e : flat.entries) {
        std::optional<double> number = e.number;
        if (!number) number = pythonJsonSpecial(e.text);
        leaves.push_back({e.key, number, e.text});
    }
    return leaves;
}

// Reads a JSON Lines file and calls onRow(leaves, lineNumber) for each object line.
template <typename OnRow>
std::int64_t readJsonLines(const fs::path& path, ReadReport& report, const ReadContext& ctx, OnRow&& onRow) {
    const std::string file = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        report.error(IssueKind::Unreadable, file, 0, "cannot open " + file);
        return 0;
    }
    simdjson::dom::parser parser;
    std::string line;
    std::int64_t lineNumber = 0;
    std::int64_t rows = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if ((lineNumber & 1023) == 0 && ctx.cancelled()) {
            report.warn(IssueKind::Cancelled, file, lineNumber, "import cancelled");
            break;
        }
        const std::string_view text = textnum::trim(line);
        if (text.empty()) continue;
        if (line.size() > WandbRunFolderReader::kMaxLineBytes) {
            report.warn(IssueKind::LineTooLong, file, lineNumber, "line longer than 16 MiB; skipped");
            ++report.rowsSkipped;
            continue;
        }
        std::string json(text);
        quotePythonJsonSpecials(json);
        const simdjson::padded_string padded(json);
        simdjson::dom::element root;
        if (const auto error = parser.parse(padded).get(root); error || !root.is_object()) {
            report.warn(in.eof() ? IssueKind::Truncated : IssueKind::BadRecord, file, lineNumber,
                        error ? std::string("not valid JSON: ") + simdjson::error_message(error)
                              : std::string("not a JSON object"));
            ++report.rowsSkipped;
            continue;
        }
        std::vector<WandbLeaf> leaves = leavesOf(flattenJson(root, '.'));
        dropMediaLeaves(leaves);
        onRow(leaves, lineNumber);
        ++rows;
    }
    return rows;
}

std::optional<double> leafNumber(const std::vector<WandbLeaf>& leaves, std::string_view key) {
    for (const WandbLeaf& leaf : leaves)
        if (leaf.key == key && leaf.number) return leaf.number;
    return std::nullopt;
}

// wandb-history.jsonl: one row per line; the step is _step, else the row number.
void readHistory(const fs::path& path, WandbSeriesBatcher& series, WandbRunState& state, ReadReport& report,
                 const ReadContext& ctx) {
    std::int64_t rowIndex = 0;
    const std::int64_t rows =
        readJsonLines(path, report, ctx, [&](const std::vector<WandbLeaf>& leaves, std::int64_t) {
            const std::int64_t index = rowIndex++;
            const auto stepValue = leafNumber(leaves, "_step");
            const std::int64_t step =
                stepValue && std::isfinite(*stepValue) ? std::llround(*stepValue) : index;
            const double wallTime = leafNumber(leaves, "_timestamp").value_or(kNaN);
            state.offerStartTime(wallTime - leafNumber(leaves, "_runtime").value_or(kNaN), false);
            for (const WandbLeaf& leaf : leaves)
                if (leaf.number && !leaf.key.starts_with('_'))
                    series.add(leaf.key, step, wallTime, *leaf.number);
        });
    if (rows == 0 && !report.hasErrors())
        report.warn(IssueKind::Empty, path.string(), 0,
                    "the history file holds no rows (the run may have crashed before it logged anything)");
}

// wandb-events.jsonl: system samples, placed by their own _timestamp.
void readEvents(const fs::path& path, WandbRunState& state, ReadReport& report, const ReadContext& ctx) {
    bool warnedNoTime = false;
    readJsonLines(path, report, ctx, [&](const std::vector<WandbLeaf>& leaves, std::int64_t line) {
        const auto wallTime = leafNumber(leaves, "_timestamp");
        if (!wallTime) {
            if (!warnedNoTime)
                report.warn(IssueKind::MissingColumn, path.string(), line,
                            "a system sample without _timestamp has no place on the time axis; such lines "
                            "are skipped");
            warnedNoTime = true;
            return;
        }
        state.offerStartTime(*wallTime - leafNumber(leaves, "_runtime").value_or(kNaN), false);
        for (const WandbLeaf& leaf : leaves) {
            if (!leaf.number || leaf.key.starts_with('_')) continue;
            std::string_view key = leaf.key;
            if (key.starts_with("system.")) key.remove_prefix(7);
            state.addSystemSample(key, *wallTime, *leaf.number);
        }
    });
}

std::optional<simdjson::dom::element> parseJsonFile(const fs::path& path, simdjson::dom::parser& parser,
                                                    simdjson::padded_string& storage, ReadReport& report) {
    const std::string file = path.string();
    std::optional<std::string> text = readStructuredText(path, file, report);
    if (!text) return std::nullopt;
    if (textnum::trim(*text).empty()) {
        report.warn(IssueKind::Empty, file, 0, "empty file");
        return std::nullopt;
    }
    quotePythonJsonSpecials(*text);
    storage = simdjson::padded_string(*text);
    simdjson::dom::element root;
    if (const auto error = parser.parse(storage).get(root)) {
        reportJsonError(error, *text, file, report);
        return std::nullopt;
    }
    if (!root.is_object()) {
        report.warn(IssueKind::BadValue, file, 0, "the top level is not a JSON object");
        return std::nullopt;
    }
    return root;
}

void readSummary(const fs::path& path, WandbRunState& state, ReadReport& report) {
    simdjson::dom::parser parser;
    simdjson::padded_string storage;
    const auto root = parseJsonFile(path, parser, storage, report);
    if (!root) return;
    const FlattenResult flat = flattenJson(*root, '.');
    reportFlattenLimits(flat, path.string(), report);
    state.updateSummary(leavesOf(flat)); // drops graph_*, images, histograms and tables
}

void readConfig(const fs::path& path, WandbRunState& state, ReadReport& report) {
    const std::string file = path.string();
    const std::optional<std::string> text = readStructuredText(path, file, report);
    if (!text) return;
    const FlattenResult flat = parseYamlParams(*text, file, report);
    reportFlattenLimits(flat, file, report);
    std::vector<WandbLeaf> leaves;
    for (const FlatEntry& e : flat.entries)
        leaves.push_back({e.key, std::nullopt, e.text});
    state.updateConfig(leaves);
}

// wandb-metadata.json: git commit, start time, host and program where the log did not give them.
void readMetadata(const fs::path& path, std::string_view run, bool haveCommit, bool haveStart,
                  ImportSink& sink, ReadReport& report) {
    simdjson::dom::parser parser;
    simdjson::padded_string storage;
    const auto root = parseJsonFile(path, parser, storage, report);
    if (!root) return;
    std::string_view text;
    if (!haveCommit && !(*root)["git"]["commit"].get(text) && !text.empty())
        sink.setProvenance(run, ProvenanceField::CodeVersion, text);
    if (!(*root)["git"]["remote"].get(text) && !text.empty()) sink.setTag(run, "wandb.git_remote", text);
    // W&B writes startedAt in UTC, with a "Z" only since wandb-core.
    double started = 0;
    if (!haveStart && !(*root)["startedAt"].get(text) && textnum::parseIsoTime(text, started)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6f", started);
        sink.setProvenance(run, ProvenanceField::StartTime, buf);
    }
    if (!(*root)["host"].get(text) && !text.empty()) sink.setTag(run, "wandb.host", text);
    if (!(*root)["program"].get(text) && !text.empty()) sink.setTag(run, "wandb.program", text);
}

// A sweep agent writes wandb/sweep-<sweep id>/config-<run id>.yaml beside the run folders; the run record of
// such a run does not always carry the sweep id, so the folder tells it.
void tagSweep(const fs::path& dir, std::string_view run, ImportSink& sink) {
    const std::string folder = lastName(dir);
    const std::size_t dash = folder.rfind('-');
    if (dash == std::string::npos || dash + 1 >= folder.size()) return;
    const std::string config = "config-" + folder.substr(dash + 1) + ".yaml";
    std::error_code ec;
    for (fs::directory_iterator it(withoutTrailingSlash(dir).parent_path(), ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.starts_with("sweep-") && name.size() > 6 && isFile(it->path() / config)) {
            sink.setTag(run, "wandb.sweep_id", name.substr(6));
            return;
        }
    }
}

} // namespace

int WandbRunFolderReader::confidence(const fs::path& dir) const {
    const RunFiles files(dir);
    const bool jsonRun = files.history || files.summary || (files.config && files.metadata);
    if (isRunFolderName(lastName(dir)) && (!files.logs.empty() || jsonRun)) return 95;
    for (const fs::path& log : files.logs)
        if (log.filename().string().starts_with("run-")) return 80;
    return 0;
}

std::string WandbRunFolderReader::runNameFor(const fs::path& dir, const ReadContext& ctx) {
    fs::path folder = withoutTrailingSlash(dir);
    std::error_code ec;
    if (fs::is_symlink(folder, ec)) { // wandb/latest-run -> run-...: the run is the folder it points to
        const fs::path target = fs::weakly_canonical(folder, ec);
        if (!ec) folder = folder.parent_path() / target.filename();
    }
    if (ctx.root.empty()) return ctx.runName.empty() ? lastName(folder) : ctx.runName;
    const fs::path root = withoutTrailingSlash(ctx.root);
    const std::string rel = folder.lexically_relative(root).generic_string();
    if (rel == ".") return lastName(root);
    if (rel.empty() || rel.starts_with("..")) return lastName(folder);
    return rel;
}

ReadReport WandbRunFolderReader::read(const fs::path& dir, const ReadContext& ctx,
                                      ImportTarget& target) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string source = withoutTrailingSlash(dir).string();
    const std::string run = runNameFor(dir, ctx);
    const RunFiles files(dir);
    const SourceState state = folderState(files);
    if (const auto old = target.sourceState(source);
        old && old->format == state.format && old->size == state.size && old->mtimeNs == state.mtimeNs)
        return report; // unchanged since the last import
    auto tx = target.beginSource(source, "wandb", true);
    if (!tx) {
        report.error(IssueKind::Unreadable, source, 0, "the workspace refused " + source);
        return report;
    }

    WandbRunState runState;
    WandbLogFacts facts;
    bool fromLog = false;
    if (!files.logs.empty()) {
        const fs::path& log = files.logs.front();
        if (files.logs.size() > 1)
            report.warn(IssueKind::Unsupported, source, 0,
                        std::to_string(files.logs.size() - 1) +
                            " more .wandb files in this folder are not read; " + log.filename().string() +
                            " is");
        report.merge(WandbBinaryReader::readLog(log, run, *tx, runState, facts, ctx));
        fromLog = facts.headerValid;
    }
    tx->setProvenance(run, ProvenanceField::SourcePath, source);
    tx->setProvenance(run, ProvenanceField::Format, "wandb");

    if (fromLog) {
        for (const auto& p : {files.history, files.events})
            if (p)
                report.add(Severity::Info, IssueKind::Unsupported, p->string(), 0,
                           "not read: " + files.logs.front().filename().string() + " holds the same points");
        if (files.summary && facts.summaryRecords == 0) readSummary(*files.summary, runState, report);
        if (files.config && facts.configRecords == 0) readConfig(*files.config, runState, report);
    } else {
        WandbSeriesBatcher series(run, *tx, report);
        if (files.history) readHistory(*files.history, series, runState, report, ctx);
        series.flushAll();
        if (files.events) readEvents(*files.events, runState, report, ctx);
        if (files.summary) readSummary(*files.summary, runState, report);
        if (files.config) readConfig(*files.config, runState, report);
        if (!files.history && !files.summary)
            report.warn(IssueKind::Empty, source, 0, "no history and no summary in this W&B run folder");
    }
    if (files.metadata)
        readMetadata(*files.metadata, run, !facts.codeVersion.empty(), facts.startTimeKnown, *tx, report);
    tagSweep(dir, run, *tx);
    runState.deliver(run, *tx, report);
    if (ctx.cancelled()) return report; // rolled back: read again next time
    tx->commit(state);
    return report;
}

} // namespace runlens
