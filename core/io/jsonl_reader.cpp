// JSON Lines reader: each line is parsed with simdjson; nested objects are flattened with '/'.
#include "core/io/jsonl_reader.h"

#include "core/io/csv_reader.h"
#include "core/io/csv_tokenizer.h"
#include "core/io/python_json.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <map>
#include <simdjson.h>

namespace runlens {

namespace {

constexpr int kMaxDepth = 32;

struct StringStats {
    std::string first;
    bool constant = true;
    bool sawNumber = false;
};

class JsonlImport {
  public:
    JsonlImport(const std::filesystem::path& path, const ReadContext& ctx, ImportSink& sink)
        : m_path(path), m_ctx(ctx), m_sink(sink), m_batcher(sink), m_label(path.string()),
          m_tok(CsvOptions{.rawLines = true}) {}

    ReadReport run();

  private:
    void importLine(std::string_view line, std::int64_t lineNo);
    void importObject(simdjson::dom::object obj, std::int64_t lineNo);
    void flatten(simdjson::dom::object obj, std::string& prefix, int depth, const std::string& run,
                 std::int64_t step, double wall, std::string_view stepKey);

    const std::filesystem::path& m_path;
    const ReadContext& m_ctx;
    ImportSink& m_sink;
    SeriesBatcher m_batcher;
    std::string m_label;
    ReadReport m_report;
    CsvTokenizer m_tok;
    simdjson::dom::parser m_parser;
    std::string m_repaired;
    std::map<std::string, StringStats, std::less<>> m_strings;
    std::int64_t m_rowIndex = 0;
    std::int64_t m_line = 0; // the line being read, for steps_restart warnings
    bool m_warnedNoStep = false;
};

void JsonlImport::importLine(std::string_view line, std::int64_t lineNo) {
    m_line = lineNo;
    if (textnum::trim(line).empty()) return;
    simdjson::dom::element doc;
    auto error = m_parser.parse(line.data(), line.size()).get(doc);
    if (error && repairPythonJson(line, m_repaired)) error = m_parser.parse(m_repaired).get(doc);
    if (error) {
        m_report.warn(IssueKind::BadRecord, m_label, lineNo,
                      std::string("not valid JSON (") + simdjson::error_message(error) + "); line skipped");
        ++m_report.rowsSkipped;
        return;
    }
    simdjson::dom::object obj;
    if (doc.get(obj)) {
        m_report.warn(IssueKind::BadRecord, m_label, lineNo, "line is not a JSON object; skipped");
        ++m_report.rowsSkipped;
        return;
    }
    importObject(obj, lineNo);
}

void JsonlImport::importObject(simdjson::dom::object obj, std::int64_t lineNo) {
    std::int64_t step = m_rowIndex;
    int bestRank = INT_MAX;
    std::string_view stepKey;
    double wall = kNaN;
    std::string run = m_ctx.runName;
    std::string_view tag;
    bool valueKey = false;  // long form needs a value key next to the tag
    bool haveValue = false; // ... holding a number (null = a missing point)
    double value = 0;
    for (auto field : obj) {
        const std::string_view key = field.key;
        const int rank = columns::stepRank(key);
        double number = 0;
        if (rank >= 0 && rank < bestRank && jsonNumber(field.value, number) && std::isfinite(number) &&
            number == std::floor(number) && std::fabs(number) < 9e18) {
            bestRank = rank;
            stepKey = key;
            step = static_cast<std::int64_t>(number);
        } else if (columns::isWallTime(key)) {
            if (jsonNumber(field.value, number))
                wall = textnum::timestampSeconds(number);
            else if (field.value.is_string())
                textnum::parseIsoTime(std::string_view(field.value), wall);
        } else if (columns::isRun(key) && field.value.is_string()) {
            run = joinRunName(m_ctx.runName, escapeInvalidUtf8(std::string_view(field.value)));
        } else if (columns::isTag(key) && field.value.is_string()) {
            tag = std::string_view(field.value);
        } else if (columns::isValue(key)) {
            valueKey = true;
            haveValue = jsonNumber(field.value, value);
        }
    }
    if (bestRank == INT_MAX && !m_warnedNoStep) {
        m_warnedNoStep = true;
        m_report.warn(IssueKind::MissingColumn, m_label, lineNo,
                      "no step key; the line number among records (from 0) is used as the step");
    }
    ++m_rowIndex;
    if (!tag.empty() && valueKey) {
        // Long form: {"tag": "loss", "step": 3, "value": 0.1}; a null value is a missing point.
        if (haveValue)
            m_batcher.push(m_batcher.buffer(run, escapeInvalidUtf8(tag)), step, wall, value, m_line);
        return;
    }
    std::string prefix;
    flatten(obj, prefix, 0, run, step, wall, stepKey);
}

void JsonlImport::flatten(simdjson::dom::object obj, std::string& prefix, int depth, const std::string& run,
                          std::int64_t step, double wall, std::string_view stepKey) {
    using T = simdjson::dom::element_type;
    for (auto field : obj) {
        const std::string_view key = field.key;
        // Keys consumed as step, time or run are not metrics; another step-like key (epoch) still is.
        if (depth == 0 && (key == stepKey || columns::isWallTime(key) || columns::isRun(key))) continue;
        const std::size_t mark = prefix.size();
        prefix.append(key);
        double number = 0;
        const T type = field.value.type();
        if (type == T::OBJECT && depth < kMaxDepth) {
            prefix.push_back('/');
            flatten(simdjson::dom::object(field.value), prefix, depth + 1, run, step, wall, stepKey);
        } else if (jsonNumber(field.value, number)) {
            m_batcher.push(m_batcher.buffer(run, prefix), step, wall, number, m_line);
            auto it = m_strings.find(prefix);
            if (it != m_strings.end()) it->second.sawNumber = true;
        } else if (type == T::STRING) {
            const std::string_view s(field.value);
            auto it = m_strings.find(prefix);
            if (it == m_strings.end()) {
                if (m_strings.size() < 1000)
                    m_strings.emplace(prefix, StringStats{escapeInvalidUtf8(s.substr(0, 200))});
            } else if (it->second.constant && it->second.first != escapeInvalidUtf8(s.substr(0, 200))) {
                it->second.constant = false;
            }
        }
        prefix.resize(mark);
    }
}

ReadReport JsonlImport::run() {
    m_report.format = "jsonl";
    if (!m_tok.open(m_path, &m_report, m_label)) return m_report;
    if (m_ctx.fromOffset > 0 && !m_tok.seek(m_ctx.fromOffset)) {
        m_report.warn(IssueKind::BadValue, m_label, 0, "resume offset lies beyond the end of the file");
        return m_report;
    }
    CsvRow row;
    std::int64_t lines = 0;
    while (m_tok.next(row)) {
        // A last line without its line end may be cut mid-value: a live file leaves it for the next read;
        // otherwise it is read and marked, so the next change of the file reads it whole again.
        if (!row.terminated && m_ctx.holdPartialTail) {
            m_report.partialTailHeld = true;
            m_report.add(Severity::Info, IssueKind::Truncated, m_label, row.line,
                         "last line has no line end yet (the file is being written); it is read once it "
                         "is complete");
            break;
        }
        if (!row.terminated) m_report.partialTailRead = true;
        importLine(row.fields[0], row.line);
        if ((++lines & 1023) == 0) {
            if (m_ctx.cancelled() || m_sink.cancelled()) {
                m_report.warn(IssueKind::Cancelled, m_label, row.line, "import cancelled");
                break;
            }
            m_ctx.advanced(row.endOffset);
        }
    }
    m_batcher.flushAll();
    m_batcher.reportRestarts(m_report, m_label);
    for (const auto& [key, stats] : m_strings) {
        if (stats.sawNumber) continue;
        if (stats.constant)
            m_sink.setParam(m_ctx.runName, key, stats.first);
        else
            m_report.add(Severity::Info, IssueKind::Unsupported, m_label, 0,
                         "key '" + key + "' holds text that varies by line; ignored");
    }
    if (lines == 0 && m_ctx.fromOffset == 0 && m_report.rowsSkipped == 0 && !m_report.hasErrors())
        m_report.error(IssueKind::Empty, m_label, 0, "file is empty");
    m_report.points = m_batcher.points();
    m_report.endOffset = m_tok.completeOffset();
    return m_report;
}

} // namespace

int JsonlReader::confidence(const FileProbe& probe) const {
    std::string ext = probe.path.extension().string();
    for (auto& c : ext)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool extOk = ext == ".jsonl" || ext == ".ndjson";
    if (probe.head.empty()) return extOk && probe.size == 0 ? 5 : 0;
    std::string_view head = probe.head;
    if (head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
    const auto nl = head.find('\n');
    if (nl == std::string_view::npos && probe.size > probe.head.size()) return extOk ? 40 : 0;
    std::string_view first = head.substr(0, nl);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    simdjson::dom::parser parser;
    simdjson::dom::object obj;
    std::string repaired;
    auto error = parser.parse(first.data(), first.size()).get(obj);
    if (error && repairPythonJson(first, repaired)) error = parser.parse(repaired).get(obj);
    if (error) return extOk ? 40 : 0;
    std::vector<std::string> keys;
    for (auto field : obj)
        keys.emplace_back(field.key);
    if (columns::looksLikePredictions(keys)) return 10;
    if (extOk) return 70;
    if (ext != ".json") return 40;
    // A one-line .json is usually a config or a summary (config.json, dvclive.json): only one whose first
    // object has a step, or a tag and a value, is taken for a metrics log.
    if (textnum::equalsIgnoreCase(probe.path.filename().string(), "dvclive.json")) return 0;
    const bool stepped =
        std::any_of(keys.begin(), keys.end(), [](const std::string& k) { return columns::stepRank(k) >= 0; });
    const bool longForm =
        std::any_of(keys.begin(), keys.end(), [](const std::string& k) { return columns::isTag(k); }) &&
        std::any_of(keys.begin(), keys.end(), [](const std::string& k) { return columns::isValue(k); });
    return stepped || longForm ? 20 : 0;
}

ReadReport JsonlReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                             ImportSink& sink) const {
    JsonlImport import(path, ctx, sink);
    return import.run();
}

} // namespace runlens
