// Hyperparameter files to run params, plus the flattening and JSON error text other structured readers share
// (their file text helpers are in structured_text.cpp, the YAML text work in yaml_params_text.cpp).
#include "core/io/hparams_yaml_reader.h"

#include "core/io/provenance_scan.h"
#include "core/io/yaml_params_text.h"
#include "core/model/number_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <simdjson.h>
#include <yaml-cpp/yaml.h>

namespace runlens {
namespace {

using yaml_text::Chunk;
using yaml_text::dropTagsBeforeBlockScalars;
using yaml_text::kBinaryMarker;
using yaml_text::splitTopLevel;
using yaml_text::summaryOfLargeYaml;

std::string lowerCase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

bool isBlank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

template <typename T> std::string integerText(T value) {
    std::array<char, 32> buf{};
    const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    return std::string(buf.data(), result.ptr);
}

std::string joinKey(const std::string& prefix, std::string_view child, char separator) {
    if (prefix.empty()) return std::string(child);
    std::string key = prefix;
    key.push_back(separator);
    key.append(child);
    return key;
}

// Shared bookkeeping of both flatteners: limits, budget and the output.
class FlattenerBase {
  public:
    FlattenerBase(char separator, const FlattenLimits& limits) : m_sep(separator), m_limits(limits) {}
    FlattenResult take() { return std::move(m_out); }

  protected:
    bool enter(int depth) {
        if (++m_visited > m_limits.maxVisitedNodes) {
            m_out.budgetExhausted = true;
            return false;
        }
        if (depth > m_limits.maxDepth) {
            m_out.depthExceeded = true;
            return false;
        }
        return true;
    }
    void add(const std::string& key, std::string text, std::optional<double> number = std::nullopt) {
        if (m_out.entries.size() >= m_limits.maxEntries) {
            m_out.entriesCapped = true;
            return;
        }
        cut(text);
        m_out.entries.push_back(FlatEntry{key.empty() ? std::string("value") : key, std::move(text), number});
    }
    void cut(std::string& text) {
        if (text.size() <= m_limits.maxValueChars) return;
        std::size_t end = m_limits.maxValueChars;
        // Never cut inside a UTF-8 sequence.
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end;
        text.resize(end);
        text.append("...");
        ++m_out.textsCut;
    }

    char m_sep;
    const FlattenLimits& m_limits;
    FlattenResult m_out;
    std::size_t m_visited = 0;
};

class JsonFlattener : public FlattenerBase {
  public:
    using FlattenerBase::FlattenerBase;

    void visit(const simdjson::dom::element& e, const std::string& key, int depth) {
        using simdjson::dom::element_type;
        if (!enter(depth)) return;
        switch (e.type()) {
        case element_type::OBJECT: {
            const simdjson::dom::object object = e.get_object().value_unsafe();
            if (object.size() == 0 && !key.empty()) add(key, "{}");
            for (const auto field : object)
                visit(field.value, joinKey(key, field.key, m_sep), depth + 1);
            break;
        }
        case element_type::ARRAY:
            add(key, simdjson::minify(e));
            break;
        case element_type::STRING: {
            const std::string_view text = e.get_string().value_unsafe();
            add(key, std::string(text), pythonJsonSpecial(text)); // "NaN" here was a bare NaN in the file
            break;
        }
        case element_type::INT64: {
            const std::int64_t v = e.get_int64().value_unsafe();
            add(key, integerText(v), static_cast<double>(v));
            break;
        }
        case element_type::UINT64: {
            const std::uint64_t v = e.get_uint64().value_unsafe();
            add(key, integerText(v), static_cast<double>(v));
            break;
        }
        case element_type::DOUBLE: {
            const double v = e.get_double().value_unsafe();
            add(key, numberText(v), v);
            break;
        }
        case element_type::BOOL:
            add(key, e.get_bool().value_unsafe() ? "true" : "false");
            break;
        case element_type::NULL_VALUE:
            add(key, "null");
            break;
        }
    }
};

bool isPythonTag(const std::string& tag) {
    return tag.rfind("tag:yaml.org,2002:python/", 0) == 0 || tag.rfind("!python/", 0) == 0;
}

// "!!python/name:torch.optim.AdamW ''" names a class or function; its name is the useful value.
std::string pythonName(const std::string& tag) {
    for (const std::string_view prefix : {"tag:yaml.org,2002:python/name:", "!python/name:",
                                          "tag:yaml.org,2002:python/module:", "!python/module:"}) {
        if (tag.rfind(prefix, 0) == 0) return tag.substr(prefix.size());
    }
    return {};
}

// Pickled state rather than data: a constructor call with its arguments (!!python/object/apply:,
// !!python/object/new:, numpy scalars and dtypes, OrderedDicts of those) or raw bytes (!!binary). Its parts
// mean nothing as params, so such a value is dropped whole (and counted); a plain !!python/object: map is an
// object's attributes and keeps its scalar leaves.

bool isPickledBlob(const YAML::Node& node) {
    if (node.IsScalar() && node.Scalar() == kBinaryMarker) return true;
    const std::string& tag = node.Tag();
    for (const std::string_view marker : {"python/object/apply:", "python/object/new:", "python/reduce"})
        if (tag.find(marker) != std::string::npos) return true;
    return tag == "tag:yaml.org,2002:binary" || tag == "!binary";
}

// budget bounds the nodes looked at, so aliases repeating a subtree (an alias bomb) cannot make it explode.
bool containsPickledBlob(const YAML::Node& node, int depth, std::size_t& budget) {
    if (budget == 0) return false;
    --budget;
    if (isPickledBlob(node)) return true;
    if (depth > 64 || !(node.IsSequence() || node.IsMap())) return false;
    for (const auto& item : node) {
        if (node.IsMap() ? containsPickledBlob(item.second, depth + 1, budget)
                         : containsPickledBlob(item, depth + 1, budget))
            return true;
    }
    return false;
}

bool containsPickledBlob(const YAML::Node& node, int depth) {
    std::size_t budget = 10000;
    return containsPickledBlob(node, depth, budget);
}

class YamlFlattener : public FlattenerBase {
  public:
    using FlattenerBase::FlattenerBase;

    void visit(const YAML::Node& node, const std::string& key, int depth) {
        if (!enter(depth)) return;
        noteTag(node);
        if (isPickledBlob(node)) {
            ++m_out.pythonBlobsDropped;
            return;
        }
        switch (node.Type()) {
        case YAML::NodeType::Map:
            if (node.size() == 0 && !key.empty()) add(key, "{}");
            for (const auto& pair : node)
                visit(pair.second, joinKey(key, keyText(pair.first, depth), m_sep), depth + 1);
            break;
        case YAML::NodeType::Sequence:
            if (containsPickledBlob(node, depth)) {
                ++m_out.pythonBlobsDropped;
                break;
            }
            add(key, compactText(node, depth));
            break;
        case YAML::NodeType::Scalar:
            add(key, scalarText(node));
            break;
        case YAML::NodeType::Null:
            add(key, "null");
            break;
        case YAML::NodeType::Undefined:
            break;
        }
    }

  private:
    void noteTag(const YAML::Node& node) {
        if (isPythonTag(node.Tag())) m_out.pythonTags = true;
    }
    static std::string scalarText(const YAML::Node& node) {
        const std::string& text = node.Scalar();
        if (text.empty()) {
            std::string name = pythonName(node.Tag());
            if (!name.empty()) return name;
        }
        return text;
    }
    std::string keyText(const YAML::Node& node, int depth) {
        if (node.IsScalar()) return node.Scalar();
        return compactText(node, depth);
    }
    std::string compactText(const YAML::Node& node, int depth) {
        std::string out;
        appendCompact(node, out, depth);
        return out;
    }
    // Writes "[a, b, {k: v}]"; stops early once the text is longer than any value may be.
    void appendCompact(const YAML::Node& node, std::string& out, int depth) {
        if (out.size() > m_limits.maxValueChars || !enter(depth)) return;
        noteTag(node);
        switch (node.Type()) {
        case YAML::NodeType::Sequence: {
            out.push_back('[');
            bool first = true;
            for (const auto& item : node) {
                if (!first) out.append(", ");
                first = false;
                appendCompact(item, out, depth + 1);
                if (out.size() > m_limits.maxValueChars) return;
            }
            out.push_back(']');
            break;
        }
        case YAML::NodeType::Map: {
            out.push_back('{');
            bool first = true;
            for (const auto& pair : node) {
                if (!first) out.append(", ");
                first = false;
                appendCompact(pair.first, out, depth + 1);
                out.append(": ");
                appendCompact(pair.second, out, depth + 1);
                if (out.size() > m_limits.maxValueChars) return;
            }
            out.push_back('}');
            break;
        }
        case YAML::NodeType::Scalar:
            out.append(scalarText(node));
            break;
        case YAML::NodeType::Null:
            out.append("null");
            break;
        case YAML::NodeType::Undefined:
            break;
        }
    }
};

// W&B's config.yaml wraps each value: {desc: ..., value: ...}.
bool isWandbWrapped(const YAML::Node& value) {
    if (!value.IsMap() || !value["value"] || value.size() > 2) return false;
    return value.size() == 1 || value["desc"];
}

void flattenTopLevel(const YAML::Node& root, YamlFlattener& flattener, bool& notAMapping) {
    if (root.IsNull() || !root.IsDefined()) return;
    if (!root.IsMap()) {
        notAMapping = true;
        return;
    }
    const bool wandb = root["wandb_version"] || root["_wandb"];
    for (const auto& pair : root) {
        const std::string key = pair.first.IsScalar() ? pair.first.Scalar() : std::string("?");
        if (wandb && (key == "_wandb" || key == "wandb_version")) continue;
        if (wandb && isWandbWrapped(pair.second)) {
            flattener.visit(pair.second["value"], key, 1);
            continue;
        }
        flattener.visit(pair.second, key, 1);
    }
}
std::string fileLabel(const std::filesystem::path& path) {
    return path.string();
}

} // namespace

FlattenResult flattenJson(const simdjson::dom::element& root, char separator, const std::string& prefix,
                          const FlattenLimits& limits) {
    JsonFlattener flattener(separator, limits);
    flattener.visit(root, prefix, 0);
    return flattener.take();
}

FlattenResult flattenYaml(const YAML::Node& root, char separator, const FlattenLimits& limits) {
    YamlFlattener flattener(separator, limits);
    try {
        flattener.visit(root, std::string(), 0);
    } catch (const YAML::Exception&) {
        // A node that cannot be read is dropped; what was flattened before it is kept.
    }
    return flattener.take();
}

void reportFlattenLimits(const FlattenResult& result, const std::string& file, ReadReport& report) {
    const FlattenLimits limits;
    if (result.depthExceeded) {
        report.warn(IssueKind::BadValue, file, 0,
                    "values nested deeper than " + std::to_string(limits.maxDepth) + " levels were skipped");
    }
    if (result.entriesCapped) {
        report.warn(IssueKind::BadValue, file, 0,
                    "more than " + std::to_string(limits.maxEntries) + " values; the rest were skipped");
    }
    if (result.budgetExhausted) {
        report.warn(IssueKind::BadValue, file, 0,
                    "the document expands to too many nodes (aliases?); reading stopped early");
    }
    if (result.textsCut > 0) {
        report.add(Severity::Info, IssueKind::BadValue, file, 0,
                   std::to_string(result.textsCut) + " long value(s) were shortened to " +
                       std::to_string(limits.maxValueChars) + " characters");
    }
}
void reportJsonError(int simdjsonErrorCode, std::string_view text, const std::string& file,
                     ReadReport& report) {
    const auto code = static_cast<simdjson::error_code>(simdjsonErrorCode);
    const std::string why = simdjson::error_message(code);
    if (code == simdjson::EMPTY || isBlank(text)) {
        report.error(IssueKind::Empty, file, 0, "empty file: no JSON document");
        return;
    }
    if (code == simdjson::UTF8_ERROR) {
        report.error(IssueKind::InvalidUtf8, file, 0, "invalid JSON: " + why);
        return;
    }
    if (code == simdjson::DEPTH_ERROR) {
        report.error(IssueKind::BadValue, file, 0, "JSON nested too deeply to read: " + why);
        return;
    }
    std::size_t end = text.size();
    while (end > 0 &&
           (text[end - 1] == ' ' || text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == '\t'))
        --end;
    const char last = end > 0 ? text[end - 1] : '\0';
    if (last != '}' && last != ']') {
        report.error(IssueKind::Truncated, file, 0, "JSON document ends early (file truncated?): " + why);
        return;
    }
    report.error(IssueKind::BadRecord, file, 0, "invalid JSON: " + why);
}
FlattenResult parseYamlParams(std::string_view text, const std::string& file, ReadReport& report) {
    const FlattenLimits limits;
    if (auto summary = summaryOfLargeYaml(text, file, report, limits.maxEntries)) return std::move(*summary);
    YamlFlattener flattener('.', limits);
    bool notAMapping = false;
    const std::string cleaned = dropTagsBeforeBlockScalars(text);
    text = cleaned;
    try {
        const YAML::Node root = YAML::Load(cleaned);
        flattenTopLevel(root, flattener, notAMapping);
        if (notAMapping)
            report.warn(IssueKind::Unsupported, file, 0, "the top level is not a mapping of params");
        return flattener.take();
    } catch (const YAML::Exception& whole) {
        // Fall through: read each top-level entry on its own and keep those that parse.
        (void)whole;
    }
    std::size_t skipped = 0;
    std::int64_t firstLine = 0;
    std::string firstMessage;
    for (const Chunk& chunk : splitTopLevel(text)) {
        try {
            const YAML::Node node = YAML::Load(std::string(chunk.text));
            bool chunkNotAMap = false;
            flattenTopLevel(node, flattener, chunkNotAMap);
            if (!chunkNotAMap) continue;
            if (skipped++ == 0) {
                firstLine = chunk.firstLine;
                firstMessage = "not a key: value entry";
            }
        } catch (const YAML::Exception& e) {
            if (skipped++ == 0) {
                // The entry's first line: the parser's mark often points past the end of the entry.
                firstLine = chunk.firstLine;
                firstMessage = e.msg;
            }
        }
    }
    if (skipped > 0) {
        report.warn(IssueKind::BadRecord, file, firstLine,
                    std::to_string(skipped) + " top-level entr" + (skipped == 1 ? "y" : "ies") +
                        " could not be parsed as YAML and were skipped (first: " + firstMessage + ")");
    }
    return flattener.take();
}

void deliverParams(const FlattenResult& params, std::string_view run, ImportSink& sink) {
    ProvenanceScan scan;
    for (const FlatEntry& entry : params.entries) {
        sink.setParam(run, entry.key, entry.text);
        scan.offer(entry.key, entry.text);
    }
    scan.apply(sink, run);
}

int HparamsYamlReader::confidence(const FileProbe& probe) const {
    // config.json only counts beside logs of its folder; the importer drops it elsewhere
    // (core/import/importer.h).
    static constexpr std::array<std::string_view, 8> kNames = {"hparams.yaml", "hparams.yml", "params.yaml",
                                                               "params.yml",   "config.yaml", "config.yml",
                                                               "params.json",  "config.json"};
    const std::string name = lowerCase(probe.path.filename().string());
    const bool known = std::find(kNames.begin(), kNames.end(), name) != kNames.end();
    return known ? 90 : 0;
}

ReadReport HparamsYamlReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                   ImportSink& sink) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string file = fileLabel(path);
    std::optional<std::string> text = readStructuredText(path, file, report);
    if (!text) return report;
    report.endOffset = static_cast<std::int64_t>(text->size());
    if (isBlank(*text)) {
        report.warn(IssueKind::Empty, file, 0, "empty file: no params");
        return report;
    }

    FlattenResult params;
    if (lowerCase(path.extension().string()) == ".json") {
        simdjson::dom::parser parser;
        const simdjson::padded_string padded(*text);
        simdjson::dom::element root;
        const simdjson::error_code error = parser.parse(padded).get(root);
        if (error) {
            reportJsonError(error, *text, file, report);
            return report;
        }
        if (!root.is_object()) {
            report.warn(IssueKind::Unsupported, file, 0, "the top level is not an object of params");
            return report;
        }
        params = flattenJson(root, '.');
    } else {
        params = parseYamlParams(*text, file, report);
    }
    reportFlattenLimits(params, file, report);
    if (params.pythonBlobsDropped > 0) {
        report.add(
            Severity::Info, IssueKind::Unsupported, file, 0,
            std::to_string(params.pythonBlobsDropped) +
                " pickled python value(s) (!!python/object/apply, !!binary) dropped; the scalar attributes "
                "of python objects kept (never constructed)");
    } else if (params.pythonTags) {
        report.add(Severity::Info, IssueKind::Unsupported, file, 0,
                   "python object tags were read as plain data (never constructed)");
    }
    deliverParams(params, ctx.runName, sink);
    return report;
}

} // namespace runlens
