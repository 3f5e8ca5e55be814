// The text-level work on a YAML params document around yaml-cpp: top-level entries, block-scalar tags and
// the event-stream summary of huge documents (split from hparams_yaml_reader.cpp, which flattens the tree).
#include "core/io/yaml_params_text.h"

#include <algorithm>
#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace runlens::yaml_text {
namespace {

// A top-level entry starts at a line with no indentation that is not a comment, list item or marker.
bool startsTopLevelEntry(std::string_view line) {
    if (line.empty()) return false;
    const char c = line.front();
    if (c == ' ' || c == '\t' || c == '#' || c == '-' || c == '\r' || c == '%') return false;
    return line.rfind("...", 0) != 0;
}

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

} // namespace

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

} // namespace runlens::yaml_text
