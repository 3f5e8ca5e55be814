// Hyperparameter files to run params, plus the flattening and file helpers other structured readers share.
#include "core/io/hparams_yaml_reader.h"

#include "core/io/provenance_scan.h"
#include "core/model/number_text.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <simdjson.h>
#include <sstream>
#include <system_error>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace runlens {
namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

std::string lowerCase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

// Length of the valid UTF-8 sequence at p (1..4), or 0 when the bytes there are not valid UTF-8.
std::size_t utf8SequenceLength(const unsigned char* p, std::size_t n) {
    const unsigned char c = p[0];
    if (c < 0x80) return c == 0 ? 0 : 1; // NUL is not text in these formats
    auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < n && p[i] >= lo && p[i] <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

// Replaces invalid UTF-8 (and NUL) with U+FFFD; returns the 1-based line of the first bad byte, 0 when clean.
std::int64_t repairUtf8(std::string& text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    std::int64_t line = 1;
    while (i < text.size()) {
        const std::size_t len = utf8SequenceLength(bytes + i, text.size() - i);
        if (len == 0) break;
        if (bytes[i] == '\n') ++line;
        i += len;
    }
    if (i == text.size()) return 0;
    const std::int64_t firstBadLine = line;
    std::string fixed(text, 0, i);
    fixed.reserve(text.size() + 16);
    while (i < text.size()) {
        const std::size_t len = utf8SequenceLength(bytes + i, text.size() - i);
        if (len == 0) {
            fixed.append(kReplacementChar);
            ++i;
            continue;
        }
        fixed.append(text, i, len);
        i += len;
    }
    text = std::move(fixed);
    return firstBadLine;
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
// What dropTagsBeforeBlockScalars leaves in place of a !!binary block scalar.
constexpr std::string_view kBinaryMarker = "__runlens_binary_value__";

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

// A top-level entry starts at a line with no indentation that is not a comment, list item or marker.
bool startsTopLevelEntry(std::string_view line) {
    if (line.empty()) return false;
    const char c = line.front();
    if (c == ' ' || c == '\t' || c == '#' || c == '-' || c == '\r' || c == '%') return false;
    return line.rfind("...", 0) != 0;
}

struct Chunk {
    std::string_view text;
    std::int64_t firstLine = 1;
};

std::vector<Chunk> splitTopLevel(std::string_view text) {
    std::vector<Chunk> chunks;
    std::size_t chunkStart = 0;
    std::int64_t chunkLine = 1;
    std::int64_t line = 1;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t eol = text.find('\n', pos);
        const std::size_t end = eol == std::string_view::npos ? text.size() : eol;
        if (pos > chunkStart && startsTopLevelEntry(text.substr(pos, end - pos))) {
            chunks.push_back({text.substr(chunkStart, pos - chunkStart), chunkLine});
            chunkStart = pos;
            chunkLine = line;
        }
        pos = end + 1;
        ++line;
    }
    if (chunkStart < text.size()) chunks.push_back({text.substr(chunkStart), chunkLine});
    return chunks;
}

// yaml-cpp 0.7 fails on a tagged block scalar in a sequence ("- !!binary |", as PyYAML writes numpy
// scalars). Tags are never constructed here anyway, so the tag before a block indicator is dropped.
bool isBlockIndicator(std::string_view token) {
    if (token.empty() || (token[0] != '|' && token[0] != '>') || token.size() > 3) return false;
    return std::all_of(token.begin() + 1, token.end(),
                       [](char c) { return c == '-' || c == '+' || (c >= '1' && c <= '9'); });
}

std::string dropTagsBeforeBlockScalars(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, eol - pos);
        std::string_view body = line;
        while (!body.empty() && (body.back() == ' ' || body.back() == '\r' || body.back() == '\t'))
            body.remove_suffix(1);
        const std::size_t lastSpace = body.rfind(' ');
        bool dropped = false;
        if (lastSpace != std::string_view::npos && isBlockIndicator(body.substr(lastSpace + 1))) {
            std::string_view before = body.substr(0, lastSpace);
            while (!before.empty() && before.back() == ' ')
                before.remove_suffix(1);
            const std::size_t tagStart = before.rfind(' ');
            const std::size_t start = tagStart == std::string_view::npos ? 0 : tagStart + 1;
            if (start < before.size() && before[start] == '!') {
                const std::string_view tag = before.substr(start);
                out.append(line.substr(0, start));
                dropped = true;
                if (tag == "!!binary" || tag == "!binary") {
                    // Raw bytes mean nothing as a param: a marker the flattener drops, and the block's lines
                    // (indented deeper than this one, or blank) are skipped.
                    out.append(kBinaryMarker);
                    const std::size_t indent = line.find_first_not_of(' ');
                    std::size_t next = eol + 1;
                    while (next < text.size()) {
                        const std::size_t nextEol = std::min(text.find('\n', next), text.size());
                        const std::string_view nextLine = text.substr(next, nextEol - next);
                        const std::size_t nextIndent = nextLine.find_first_not_of(" \r");
                        if (nextIndent != std::string_view::npos && nextIndent <= indent) break;
                        next = nextEol + 1;
                        if (eol < text.size()) out.push_back('\n'); // keep line numbers for the reports
                        eol = nextEol;
                    }
                } else {
                    out.append(body.substr(lastSpace + 1));
                }
            }
        }
        if (!dropped) out.append(line);
        if (eol < text.size()) out.push_back('\n');
        pos = eol + 1;
    }
    return out;
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

std::optional<std::string> readStructuredText(const std::filesystem::path& path, const std::string& file,
                                              ReadReport& report, std::size_t maxBytes) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        report.error(IssueKind::Unreadable, file, 0, "cannot read file: " + ec.message());
        return std::nullopt;
    }
    if (size > maxBytes) {
        report.error(IssueKind::BadValue, file, 0,
                     "file of " + std::to_string(size) + " bytes is larger than the " +
                         std::to_string(maxBytes >> 20) + " MiB this format may have");
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        report.error(IssueKind::Unreadable, file, 0, "cannot open file");
        return std::nullopt;
    }
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3); // UTF-8 BOM
    const std::int64_t badLine = repairUtf8(text);
    if (badLine > 0) {
        report.warn(IssueKind::InvalidUtf8, file, badLine,
                    "bytes that are not UTF-8 (or NUL) were replaced by U+FFFD");
    }
    return text;
}

bool quotePythonJsonSpecials(std::string& text) {
    if (text.find("NaN") == std::string::npos && text.find("Infinity") == std::string::npos) return false;
    std::string out;
    out.reserve(text.size() + 64);
    bool inString = false;
    bool changed = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            out.push_back(c);
            if (c == '\\' && i + 1 < text.size()) {
                out.push_back(text[++i]);
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        if (c == '"') inString = true;
        bool matched = false;
        for (const std::string_view token : {"-Infinity", "Infinity", "NaN"}) {
            if (text.compare(i, token.size(), token) != 0) continue;
            out.push_back('"');
            out.append(token);
            out.push_back('"');
            i += token.size() - 1;
            matched = changed = true;
            break;
        }
        if (!matched) out.push_back(c);
    }
    if (changed) text = std::move(out);
    return changed;
}

std::optional<double> pythonJsonSpecial(std::string_view text) {
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    return std::nullopt;
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

namespace {

// yaml-cpp's tree costs about 240 times the text of a file of many small values (a 20 MB file took 4.8 GB),
// so a document is first walked as a stream of parser events, which holds no tree: it counts the nodes and
// keeps the top-level `key: scalar` pairs. Over kMaxYamlNodes the tree is never built and those pairs are
// the summary the run gets.
constexpr std::size_t kMaxYamlNodes = 200000;

class YamlSummary : public YAML::EventHandler {
  public:
    explicit YamlSummary(std::size_t maxEntries) : m_maxEntries(maxEntries) {}

    std::size_t nodes = 0;
    FlattenResult result;

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override { m_documentDone = true; }
    void OnNull(const YAML::Mark&, YAML::anchor_t) override { value("null", false); }
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override { value({}, true); }
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string& text) override {
        value(text, false);
    }
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        open();
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
        if (m_depth == 0 && !m_documentDone) m_topIsMap = true;
        open();
    }
    void OnMapEnd() override { close(); }

  private:
    // Depth 1 inside the top-level mapping alternates key and value.
    bool atTopLevelEntry() const { return m_topIsMap && m_depth == 1 && !m_documentDone; }

    void value(const std::string& text, bool complex) {
        ++nodes;
        if (!atTopLevelEntry()) return;
        if (!m_haveKey) {
            m_key = text;
            m_haveKey = true;
            return;
        }
        m_haveKey = false;
        if (!complex) keep(text);
    }
    void open() {
        ++nodes;
        if (atTopLevelEntry()) {
            if (m_haveKey)
                m_haveKey = false; // a nested value: not summarised
            else
                m_key.clear(); // a complex key: skip its value too
        }
        ++m_depth;
    }
    void close() {
        --m_depth;
        if (atTopLevelEntry() && !m_haveKey && m_key.empty())
            m_haveKey = true; // the complex key's value follows
    }
    void keep(const std::string& text) {
        if (m_key.empty()) return;
        if (result.entries.size() >= m_maxEntries) {
            result.entriesCapped = true;
            return;
        }
        result.entries.push_back({m_key, text.substr(0, 2048), std::nullopt});
    }

    std::size_t m_maxEntries;
    int m_depth = 0;
    bool m_topIsMap = false;
    bool m_documentDone = false;
    bool m_haveKey = false;
    std::string m_key;
};

// The summary of a document too large to load as a tree, or nullopt when it is small enough (or the event
// stream stops at a syntax error before the bound: the tolerant per-entry path below handles it).
std::optional<FlattenResult> summaryOfLargeYaml(std::string_view text, const std::string& file,
                                                ReadReport& report, std::size_t maxEntries) {
    if (text.size() < kMaxYamlNodes) return std::nullopt; // fewer bytes than nodes allowed: cannot be over
    std::istringstream in{std::string(text)};
    YamlSummary summary(maxEntries);
    try {
        YAML::Parser parser(in);
        parser.HandleNextDocument(summary);
    } catch (const YAML::Exception&) {
        if (summary.nodes <= kMaxYamlNodes) return std::nullopt;
    }
    if (summary.nodes <= kMaxYamlNodes) return std::nullopt;
    report.warn(IssueKind::Unsupported, file, 0,
                "params document of " + std::to_string(text.size()) + " bytes has " +
                    std::to_string(summary.nodes) + " YAML nodes, more than the " +
                    std::to_string(kMaxYamlNodes) + " read in full; kept its " +
                    std::to_string(summary.result.entries.size()) +
                    " top-level key: value entries, nested values skipped");
    return std::move(summary.result);
}

} // namespace

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
