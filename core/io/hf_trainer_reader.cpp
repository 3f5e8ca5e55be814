// Hugging Face Trainer logs: log_history of trainer_state.json to series, the *_results.json files to final
// metrics.
#include "core/io/hf_trainer_reader.h"

#include "core/io/hparams_yaml_reader.h"
#include "core/model/series.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <simdjson.h>

namespace runlens {
namespace {

constexpr std::size_t kBatch = 4096;

std::string lowerFileName(const std::filesystem::path& path) {
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return name;
}

// A parsed JSON file: the padded copy must outlive the parser's view of it, so both live here.
struct JsonFile {
    simdjson::dom::parser parser;
    simdjson::padded_string padded;
    simdjson::dom::element root;
};

// Reads and parses path; reports and returns false when it cannot.
bool loadJson(const std::filesystem::path& path, const std::string& file, ReadReport& report,
              JsonFile& json) {
    std::optional<std::string> text = readStructuredText(path, file, report);
    if (!text) return false;
    quotePythonJsonSpecials(*text);
    json.padded = simdjson::padded_string(*text);
    const simdjson::error_code error = json.parser.parse(json.padded).get(json.root);
    if (error) {
        reportJsonError(error, *text, file, report);
        return false;
    }
    if (!json.root.is_object()) {
        report.error(IssueKind::BadValue, file, 0, "the top level is not a JSON object");
        return false;
    }
    return true;
}

// A JSON number (or a quoted NaN/Infinity written by Python) as a double.
std::optional<double> numberOf(const simdjson::dom::element& e) {
    using simdjson::dom::element_type;
    switch (e.type()) {
    case element_type::INT64:
        return static_cast<double>(e.get_int64().value_unsafe());
    case element_type::UINT64:
        return static_cast<double>(e.get_uint64().value_unsafe());
    case element_type::DOUBLE:
        return e.get_double().value_unsafe();
    case element_type::STRING:
        return pythonJsonSpecial(e.get_string().value_unsafe());
    default:
        return std::nullopt;
    }
}

// An integral step: an integer, or a double that holds one.
std::optional<std::int64_t> stepOf(const simdjson::dom::element& e) {
    using simdjson::dom::element_type;
    if (e.type() == element_type::INT64) return e.get_int64().value_unsafe();
    if (e.type() == element_type::UINT64) {
        const std::uint64_t v = e.get_uint64().value_unsafe();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    if (e.type() == element_type::DOUBLE) {
        const double d = e.get_double().value_unsafe();
        if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e18) return std::nullopt;
        return static_cast<std::int64_t>(d);
    }
    return std::nullopt;
}

// Points per tag, sent to the sink in batches so a long history never sits in memory twice.
class SeriesBuffer {
  public:
    SeriesBuffer(ImportSink& sink, std::string run, ReadReport& report)
        : m_sink(sink), m_run(std::move(run)), m_report(report) {}
    ~SeriesBuffer() { flushAll(); }
    SeriesBuffer(const SeriesBuffer&) = delete;
    SeriesBuffer& operator=(const SeriesBuffer&) = delete;

    void push(std::string_view tag, std::int64_t step, double value) {
        auto it = m_series.find(tag);
        if (it == m_series.end()) it = m_series.emplace(std::string(tag), SeriesData{}).first;
        it->second.push(step, kNaN, value);
        if (it->second.size() >= kBatch) flush(it->first, it->second);
    }
    void flushAll() {
        for (auto& [tag, data] : m_series)
            flush(tag, data);
    }

  private:
    void flush(const std::string& tag, SeriesData& data) {
        if (data.empty()) return;
        m_sink.appendPoints(m_run, tag, data.steps, data.wallTimes, data.values);
        m_report.points += static_cast<std::int64_t>(data.size());
        data.clear();
    }

    ImportSink& m_sink;
    std::string m_run;
    ReadReport& m_report;
    std::map<std::string, SeriesData, std::less<>> m_series;
};

// The first key of an entry that holds text where a number belongs (Python's NaN/Infinity excepted).
std::optional<std::pair<std::string_view, std::string_view>> textValue(const simdjson::dom::object& entry) {
    for (const auto field : entry) {
        if (field.value.type() != simdjson::dom::element_type::STRING) continue;
        const std::string_view text = field.value.get_string().value_unsafe();
        if (!pythonJsonSpecial(text)) return std::make_pair(field.key, text);
    }
    return std::nullopt;
}

std::string shortText(std::string_view text) {
    return text.size() <= 40 ? std::string(text) : std::string(text.substr(0, 40)) + "...";
}

void readTopLevelParams(const simdjson::dom::object& root, std::string_view run, ImportSink& sink,
                        const std::string& file, ReadReport& report) {
    FlattenResult params;
    for (const auto field : root) {
        if (field.key == "log_history" || field.key == "stateful_callbacks") continue;
        if (field.value.is_null()) continue; // best_metric: null means "not tracked"
        FlattenResult one = flattenJson(field.value, '.', std::string(field.key));
        params.entries.insert(params.entries.end(), std::make_move_iterator(one.entries.begin()),
                              std::make_move_iterator(one.entries.end()));
        params.depthExceeded |= one.depthExceeded;
        params.entriesCapped |= one.entriesCapped;
        params.budgetExhausted |= one.budgetExhausted;
        params.textsCut += one.textsCut;
    }
    reportFlattenLimits(params, file, report);
    deliverParams(params, run, sink);
}

} // namespace

int HfTrainerStateReader::confidence(const FileProbe& probe) const {
    const std::string name = lowerFileName(probe.path);
    if (name == "trainer_state.json") return 95;
    const bool json = name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0;
    if (json && probe.head.find("\"log_history\"") != std::string::npos) return 80;
    return 0;
}

ReadReport HfTrainerStateReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                      ImportSink& sink) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string file = path.string();
    JsonFile json;
    if (!loadJson(path, file, report, json)) return report;
    report.endOffset = static_cast<std::int64_t>(json.padded.size());
    const simdjson::dom::object root = json.root.get_object().value_unsafe();
    readTopLevelParams(root, ctx.runName, sink, file, report);

    simdjson::dom::array history;
    if (root["log_history"].get_array().get(history)) {
        report.warn(IssueKind::MissingColumn, file, 0, "no log_history array: no metrics to read");
        return report;
    }
    SeriesBuffer buffer(sink, ctx.runName, report);
    std::optional<std::int64_t> lastEpochStep;
    std::int64_t record = 0;
    for (const simdjson::dom::element entryElement : history) {
        ++record;
        if ((record & 255) == 0 && (ctx.cancelled() || sink.cancelled())) {
            buffer.flushAll();
            report.warn(IssueKind::Cancelled, file, record, "import cancelled");
            return report;
        }
        simdjson::dom::object entry;
        if (entryElement.get_object().get(entry)) {
            report.warn(IssueKind::BadRecord, file, record,
                        "log_history entry " + std::to_string(record) + " is not an object; skipped");
            ++report.rowsSkipped;
            continue;
        }
        simdjson::dom::element stepElement;
        const std::optional<std::int64_t> step =
            entry["step"].get(stepElement) ? std::nullopt : stepOf(stepElement);
        if (!step) {
            report.warn(IssueKind::BadValue, file, record,
                        "log_history entry " + std::to_string(record) + " has no integer \"step\"; skipped");
            ++report.rowsSkipped;
            continue;
        }
        if (const auto text = textValue(entry)) {
            report.warn(IssueKind::BadNumber, file, record,
                        "log_history entry " + std::to_string(record) + ": \"" + std::string(text->first) +
                            "\" holds text \"" + shortText(text->second) +
                            "\" where a number belongs; entry skipped");
            ++report.rowsSkipped;
            continue;
        }
        for (const auto field : entry) {
            if (field.key == "step") continue;
            const std::optional<double> value = numberOf(field.value);
            if (!value) continue; // null, bool, lists: nothing to plot
            if (field.key == "epoch") {
                if (lastEpochStep == step) continue;
                lastEpochStep = step;
            }
            buffer.push(field.key, *step, *value);
        }
    }
    buffer.flushAll(); // before returning: the report counts the points it sends
    if (record == 0) report.warn(IssueKind::Empty, file, 0, "log_history is empty: no metrics to read");
    return report;
}

int HfResultsJsonReader::confidence(const FileProbe& probe) const {
    static constexpr std::array<std::string_view, 5> kNames = {"all_results.json", "eval_results.json",
                                                               "train_results.json", "test_results.json",
                                                               "predict_results.json"};
    const std::string name = lowerFileName(probe.path);
    return std::find(kNames.begin(), kNames.end(), name) != kNames.end() ? 90 : 0;
}

ReadReport HfResultsJsonReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                     ImportSink& sink) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string file = path.string();
    JsonFile json;
    if (!loadJson(path, file, report, json)) return report;
    report.endOffset = static_cast<std::int64_t>(json.padded.size());

    // Final numbers, not history: trainer_state.json (or the event files) hold the curves, so a point here
    // would repeat the last one at the final step or add a lone point at step 0.
    const simdjson::dom::object object = json.root.get_object().value_unsafe();
    for (const auto field : object) {
        const std::string key(field.key);
        if (field.value.type() == simdjson::dom::element_type::STRING &&
            !pythonJsonSpecial(field.value.get_string().value_unsafe())) {
            report.warn(IssueKind::BadNumber, file, 0,
                        "\"" + key + "\" holds text \"" + shortText(field.value.get_string().value_unsafe()) +
                            "\" where a number belongs; skipped");
            continue;
        }
        if (const std::optional<double> value = numberOf(field.value))
            sink.setSummaryMetric(ctx.runName, key, *value);
    }
    return report;
}

} // namespace runlens
