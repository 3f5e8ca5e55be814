// Generic CSV/TSV reader: recognises long form, single-series downloads and wide tables by their header.
#include "core/io/csv_reader.h"

#include "core/io/csv_parallel.h"
#include "core/io/csv_tokenizer.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <set>

namespace runlens {

// ---- SeriesBatcher ----

SeriesBatcher::Buffer& SeriesBatcher::buffer(std::string_view run, std::string_view tag) {
    m_key.assign(run);
    m_key.push_back('\x1F');
    m_key.append(tag);
    auto it = m_index.find(m_key);
    if (it != m_index.end()) return *m_buffers[it->second];
    // Many distinct series would keep many partial batches alive: hand them over early instead.
    if (m_buffers.size() % 1024 == 1023) flushAll();
    auto b = std::make_unique<Buffer>();
    b->run.assign(run);
    b->tag.assign(tag);
    m_index.emplace(m_key, m_buffers.size());
    m_buffers.push_back(std::move(b));
    return *m_buffers.back();
}

void SeriesBatcher::flush(Buffer& b) {
    if (b.values.empty()) return;
    m_sink.appendPoints(b.run, b.tag, b.steps, b.wallTimes, b.values);
    m_points += static_cast<std::int64_t>(b.values.size());
    b.steps.clear();
    b.wallTimes.clear();
    b.values.clear();
}

void SeriesBatcher::flushAll() {
    for (auto& b : m_buffers)
        flush(*b);
}

void SeriesBatcher::reportRestarts(ReadReport& report, const std::string& file) const {
    constexpr std::size_t kNamed = 10;
    for (std::size_t i = 0; i < m_restarts.size() && i < kNamed; ++i) {
        const Restart& r = m_restarts[i];
        report.warn(IssueKind::StepsRestart, file, r.line,
                    stepsRestartMessage(r.run, r.tag, r.step, r.previousMax));
    }
    if (m_restarts.size() > kNamed)
        report.warn(IssueKind::StepsRestart, file, 0,
                    "steps also go back in " + std::to_string(m_restarts.size() - kNamed) + " more series");
}

// ---- column names ----

namespace columns {
namespace {
bool anyOf(std::string_view name, std::initializer_list<std::string_view> options) {
    for (auto o : options)
        if (textnum::equalsIgnoreCase(name, o)) return true;
    return false;
}
} // namespace

bool isRun(std::string_view n) {
    return anyOf(textnum::trim(n), {"run", "run_name", "experiment"});
}
bool isTag(std::string_view n) {
    return anyOf(textnum::trim(n), {"tag", "metric", "name", "key"});
}
bool isValue(std::string_view n) {
    return anyOf(textnum::trim(n), {"value", "val"});
}
bool isWallTime(std::string_view n) {
    return anyOf(textnum::trim(n), {"wall_time", "wall time", "walltime", "timestamp", "time", "_timestamp"});
}
int stepRank(std::string_view n) {
    n = textnum::trim(n);
    constexpr std::string_view ranked[] = {"step", "global_step", "_step", "iteration", "iter", "epoch"};
    for (int i = 0; i < 6; ++i)
        if (textnum::equalsIgnoreCase(n, ranked[i])) return i;
    return -1;
}

bool looksLikePredictions(const std::vector<std::string>& names) {
    bool label = false, score = false;
    for (const auto& raw : names) {
        const std::string_view n = textnum::trim(raw);
        if (anyOf(n, {"label", "target", "y", "y_true"})) label = true;
        if (anyOf(n,
                  {"score", "prob", "probability", "y_prob", "y_score", "p", "pred", "prediction", "y_pred"}))
            score = true;
        if (n.size() > 5 && (textnum::equalsIgnoreCase(n.substr(0, 5), "prob_") ||
                             (n.size() > 6 && textnum::equalsIgnoreCase(n.substr(0, 6), "score_"))))
            score = true;
    }
    return label && score;
}
} // namespace columns

std::string tagFromFileStem(const std::filesystem::path& path) {
    const std::string stem = path.stem().string();
    const auto pos = stem.rfind("-tag-");
    if (pos != std::string::npos && pos + 5 < stem.size()) return stem.substr(pos + 5);
    return stem;
}

std::string escapeInvalidUtf8(std::string_view text) {
    if (CsvTokenizer::isValidUtf8(text)) return std::string(text);
    std::string out;
    static constexpr char hex[] = "0123456789ABCDEF";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        // Keep ASCII and any complete valid sequence; escape the rest byte by byte.
        std::size_t len = c < 0x80             ? 1
                          : (c & 0xE0) == 0xC0 ? 2
                          : (c & 0xF0) == 0xE0 ? 3
                          : (c & 0xF8) == 0xF0 ? 4
                                               : 0;
        if (len > 0 && i + len <= text.size() && CsvTokenizer::isValidUtf8(text.substr(i, len))) {
            out.append(text.substr(i, len));
            i += len - 1;
            continue;
        }
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
    return out;
}

namespace {

enum class Form { Long, Single, Wide };

struct Layout {
    Form form = Form::Wide;
    int run = -1;
    int tag = -1;
    int step = -1;
    int value = -1;
    int wall = -1;
};

Layout classify(const std::vector<std::string>& names) {
    Layout l;
    int bestRank = INT_MAX;
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        const std::string& n = names[static_cast<std::size_t>(i)];
        const int rank = columns::stepRank(n);
        if (rank >= 0 && rank < bestRank) {
            bestRank = rank;
            l.step = i;
        } else if (l.run < 0 && columns::isRun(n)) {
            l.run = i;
        } else if (l.tag < 0 && columns::isTag(n)) {
            l.tag = i;
        } else if (l.value < 0 && columns::isValue(n)) {
            l.value = i;
        } else if (l.wall < 0 && columns::isWallTime(n)) {
            l.wall = i;
        }
    }
    if (l.tag >= 0 && l.value >= 0) {
        l.form = Form::Long;
        return l;
    }
    // Only step/time/run columns besides the value: one series (TensorBoard's "Wall time,Step,Value").
    int known = 1 + (l.step >= 0) + (l.wall >= 0) + (l.run >= 0);
    if (l.value >= 0 && l.tag < 0 && known == static_cast<int>(names.size())) {
        l.form = Form::Single;
        return l;
    }
    l.form = Form::Wide;
    l.tag = -1;
    l.value = -1;
    return l;
}

std::string lowerExtension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    for (auto& c : ext)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return ext;
}

bool hasControlBytes(std::string_view text) {
    std::size_t control = 0;
    for (unsigned char c : text) {
        if (c == 0) return true;
        if (c < 0x09 || (c > 0x0D && c < 0x20)) ++control;
    }
    return control * 100 > text.size();
}

// A NUL byte marks a binary file, unless whole text lines come before it: a writer that crashed leaves a
// tail of zeroed blocks after its good rows, and those rows are still worth importing (the tokenizer skips
// and reports the damaged lines).
bool looksBinary(std::string_view head) {
    const std::size_t nul = head.find('\0');
    if (nul == std::string_view::npos) return hasControlBytes(head);
    const std::string_view text = head.substr(0, nul);
    const std::size_t lastLineEnd = text.rfind('\n');
    if (lastLineEnd == std::string_view::npos || text.find('\n') == lastLineEnd) return true; // < 2 lines
    return hasControlBytes(text.substr(0, lastLineEnd + 1));
}

// Per text-valued column of a wide table: decides at the end between param, ignore and warnings.
struct TextStats {
    std::int64_t numbers = 0;
    std::int64_t texts = 0;
    bool constant = true;
    std::string first;
    std::vector<std::pair<std::int64_t, std::string>> samples;
};

constexpr std::size_t kMaxSamples = 3;
constexpr std::size_t kMaxTextKeep = 200;

std::string clipped(std::string_view s) {
    return escapeInvalidUtf8(s.size() > kMaxTextKeep ? s.substr(0, kMaxTextKeep) : s);
}

// How each column's cells are parsed, decided once from the header so worker threads can parse rows.
class CellParser final : public CsvRowParser {
  public:
    enum class Role : unsigned char { None, Step, Wall, Value };
    std::vector<Role> roles;

    void parse(std::span<const std::string_view> fields, CsvCell* cells) const override {
        for (std::size_t c = 0; c < fields.size(); ++c) {
            CsvCell& cell = cells[c];
            switch (roles[c]) {
            case Role::Step:
                cell.kind = textnum::parseStep(fields[c], cell.integer);
                break;
            case Role::Wall:
                cell.kind = textnum::parseTimestamp(fields[c], cell.number);
                break;
            case Role::Value:
                cell.kind = textnum::parseLoggedValue(fields[c], cell.number);
                break;
            case Role::None:
                break;
            }
        }
    }
};

class CsvImport {
  public:
    CsvImport(const std::filesystem::path& path, const ReadContext& ctx, ImportSink& sink,
              const CsvParallelOptions& parallel)
        : m_path(path), m_ctx(ctx), m_sink(sink), m_batcher(sink), m_label(path.string()),
          m_parallel(parallel) {}

    ReadReport run();

  private:
    bool readHeader(CsvRow& row);
    bool holdTail(std::int64_t line);
    void importRow(const CsvParsedRow& row);
    void finishText();
    const std::string& runFor(std::string_view field);
    bool parseStepCell(const CsvParsedRow& row, std::int64_t& step);
    double parseWallCell(const CsvParsedRow& row);

    const std::filesystem::path& m_path;
    const ReadContext& m_ctx;
    ImportSink& m_sink;
    SeriesBatcher m_batcher;
    std::string m_label;
    CsvParallelOptions m_parallel;
    ReadReport m_report;
    CsvTokenizer m_tok;
    std::vector<std::string> m_names;
    Layout m_layout;
    std::vector<SeriesBatcher::Buffer*> m_colBuffers; // wide form, for the current run
    std::vector<TextStats> m_text;
    std::string m_singleTag;
    std::int64_t m_rowIndex = 0;
    std::string m_lastRunField;
    std::string m_lastRun;
    bool m_haveLastRun = false;
    SeriesBatcher::Buffer* m_lastBuffer = nullptr;
    std::string m_lastTag;
    std::string m_bufferRun;
};

bool CsvImport::readHeader(CsvRow& row) {
    const std::int64_t skippedBefore = m_report.rowsSkipped;
    const bool found = m_tok.next(row);
    // The tokenizer skips a record it cannot use (over the field or length cap, NUL bytes); when that was
    // the header, a later data row must not be taken for it.
    if (m_report.rowsSkipped > skippedBefore) {
        m_report.error(
            IssueKind::BadRecord, m_label, 1,
            "the header line could not be read (see the warning before this one); file not imported");
        return false;
    }
    if (!found) return false;
    bool badUtf8 = false;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
        std::string name(textnum::trim(row.fields[i]));
        if (!CsvTokenizer::isValidUtf8(name)) {
            badUtf8 = true;
            name = escapeInvalidUtf8(name);
        }
        if (name.empty()) name = "column_" + std::to_string(i + 1);
        // Two columns with one name would interleave into one series: keep them apart.
        std::string unique = name;
        for (int k = 2; seen.count(unique); ++k)
            unique = name + "_" + std::to_string(k);
        seen.insert(unique);
        m_names.push_back(std::move(unique));
    }
    if (badUtf8)
        m_report.warn(IssueKind::InvalidUtf8, m_label, row.line,
                      "header holds bytes that are not UTF-8; shown as \\xNN in column names");
    return true;
}

const std::string& CsvImport::runFor(std::string_view field) {
    if (m_haveLastRun && field == m_lastRunField) return m_lastRun;
    m_lastRunField.assign(field);
    m_lastRun = joinRunName(m_ctx.runName, escapeInvalidUtf8(textnum::trim(field)));
    m_haveLastRun = true;
    return m_lastRun;
}

bool CsvImport::parseStepCell(const CsvParsedRow& row, std::int64_t& step) {
    if (m_layout.step < 0) {
        step = m_rowIndex;
        return true;
    }
    const std::string_view cell = row.fields[static_cast<std::size_t>(m_layout.step)];
    const CsvCell& parsedCell = row.cells[static_cast<std::size_t>(m_layout.step)];
    const auto parsed = parsedCell.kind;
    if (parsed == textnum::Parsed::Number) {
        step = parsedCell.integer;
        return true;
    }
    const std::string& col = m_names[static_cast<std::size_t>(m_layout.step)];
    if (parsed == textnum::Parsed::Missing)
        m_report.warn(IssueKind::BadValue, m_label, row.line, "no step in column '" + col + "'; row skipped");
    else
        m_report.warn(IssueKind::BadNumber, m_label, row.line,
                      "column '" + col + "': '" + clipped(cell) + "' is not a step number; row skipped");
    ++m_report.rowsSkipped;
    return false;
}

double CsvImport::parseWallCell(const CsvParsedRow& row) {
    if (m_layout.wall < 0) return kNaN;
    const std::string_view cell = row.fields[static_cast<std::size_t>(m_layout.wall)];
    const CsvCell& parsedCell = row.cells[static_cast<std::size_t>(m_layout.wall)];
    const auto parsed = parsedCell.kind;
    if (parsed == textnum::Parsed::Number) return parsedCell.number;
    if (parsed == textnum::Parsed::Text)
        m_report.warn(IssueKind::BadNumber, m_label, row.line,
                      "column '" + m_names[static_cast<std::size_t>(m_layout.wall)] + "': '" + clipped(cell) +
                          "' is not a time; wall time left unknown");
    return kNaN;
}

void CsvImport::importRow(const CsvParsedRow& row) {
    std::int64_t step = 0;
    if (!parseStepCell(row, step)) return;
    const double wall = parseWallCell(row);
    const std::string& run =
        m_layout.run >= 0 ? runFor(row.fields[static_cast<std::size_t>(m_layout.run)]) : m_ctx.runName;

    if (m_layout.form == Form::Wide) {
        if (m_layout.run >= 0 && run != m_bufferRun) {
            std::fill(m_colBuffers.begin(), m_colBuffers.end(), nullptr);
            m_bufferRun = run;
        }
        for (std::size_t c = 0; c < row.fields.size(); ++c) {
            if (m_text[c].numbers < 0) continue; // a step/time/run column
            const double v = row.cells[c].number;
            const auto parsed = row.cells[c].kind;
            if (parsed == textnum::Parsed::Missing) continue; // sparse rows: absent, not zero
            TextStats& ts = m_text[c];
            if (parsed == textnum::Parsed::Text) {
                const std::string_view cell = textnum::trim(row.fields[c]);
                if (ts.texts == 0)
                    ts.first = clipped(cell);
                else if (ts.constant && clipped(cell) != ts.first)
                    ts.constant = false;
                if (ts.samples.size() < kMaxSamples) ts.samples.emplace_back(row.line, clipped(cell));
                ++ts.texts;
                continue;
            }
            ++ts.numbers;
            if (!m_colBuffers[c]) m_colBuffers[c] = &m_batcher.buffer(run, m_names[c]);
            m_batcher.push(*m_colBuffers[c], step, wall, v, row.line);
        }
        return;
    }

    const std::string_view valueCell = row.fields[static_cast<std::size_t>(m_layout.value)];
    const double v = row.cells[static_cast<std::size_t>(m_layout.value)].number;
    const auto parsed = row.cells[static_cast<std::size_t>(m_layout.value)].kind;
    if (parsed == textnum::Parsed::Missing) return;
    if (parsed == textnum::Parsed::Text) {
        m_report.warn(IssueKind::BadNumber, m_label, row.line,
                      "column '" + m_names[static_cast<std::size_t>(m_layout.value)] + "': '" +
                          clipped(valueCell) + "' is not a number; row skipped");
        ++m_report.rowsSkipped;
        return;
    }
    if (m_layout.form == Form::Single && m_layout.run < 0) {
        if (!m_lastBuffer) m_lastBuffer = &m_batcher.buffer(run, m_singleTag);
        m_batcher.push(*m_lastBuffer, step, wall, v, row.line);
        return;
    }
    const std::string_view tag = m_layout.form == Form::Long
                                     ? textnum::trim(row.fields[static_cast<std::size_t>(m_layout.tag)])
                                     : std::string_view(m_singleTag);
    if (tag.empty()) {
        m_report.warn(IssueKind::BadValue, m_label, row.line, "empty tag; row skipped");
        ++m_report.rowsSkipped;
        return;
    }
    if (!m_lastBuffer || tag != m_lastTag || run != m_lastBuffer->run) {
        m_lastBuffer = &m_batcher.buffer(run, escapeInvalidUtf8(tag));
        m_lastTag.assign(tag);
    }
    m_batcher.push(*m_lastBuffer, step, wall, v, row.line);
}

void CsvImport::finishText() {
    for (std::size_t c = 0; c < m_text.size(); ++c) {
        const TextStats& ts = m_text[c];
        if (ts.numbers < 0 || ts.texts == 0) continue;
        const std::string& col = m_names[c];
        if (ts.numbers == 0) {
            if (ts.constant) {
                m_sink.setParam(m_ctx.runName, col, ts.first);
            } else {
                m_report.add(Severity::Info, IssueKind::Unsupported, m_label, 0,
                             "column '" + col + "' holds text that varies by row; ignored");
            }
            continue;
        }
        for (const auto& [line, text] : ts.samples)
            m_report.warn(IssueKind::BadNumber, m_label, line,
                          "column '" + col + "': '" + text + "' is not a number; cell skipped");
        if (ts.texts > static_cast<std::int64_t>(ts.samples.size()))
            m_report.warn(IssueKind::BadNumber, m_label, 0,
                          "column '" + col + "': " + std::to_string(ts.texts - ts.samples.size()) +
                              " more text cells skipped");
    }
}

// A last line without its line end may be cut mid-number ("5.123" of "5.123456789"): a live file leaves it
// for the next read; otherwise it is imported and marked so the next change of the file reads it again.
bool CsvImport::holdTail(std::int64_t line) {
    if (!m_ctx.holdPartialTail) {
        m_report.partialTailRead = true;
        return false;
    }
    m_report.partialTailHeld = true;
    m_report.add(Severity::Info, IssueKind::Truncated, m_label, line,
                 "last line has no line end yet (the file is being written); it is read once it is complete");
    return true;
}

ReadReport CsvImport::run() {
    m_report.format = "csv";
    if (!m_tok.open(m_path, &m_report, m_label)) return m_report;
    CsvRow row;
    if (!readHeader(row)) {
        if (!m_report.hasErrors()) m_report.error(IssueKind::Empty, m_label, 0, "file is empty");
        m_report.endOffset = m_tok.completeOffset();
        return m_report;
    }
    if (!row.terminated && holdTail(row.line)) {
        m_report.endOffset = m_tok.completeOffset();
        return m_report;
    }
    const std::int64_t headerLine = row.line;
    m_layout = classify(m_names);
    m_singleTag = escapeInvalidUtf8(tagFromFileStem(m_path));
    m_text.assign(m_names.size(), TextStats{});
    for (int special : {m_layout.step, m_layout.wall, m_layout.run, m_layout.tag, m_layout.value})
        if (special >= 0) m_text[static_cast<std::size_t>(special)].numbers = -1;
    m_colBuffers.assign(m_names.size(), nullptr);
    if (m_layout.form == Form::Wide && m_layout.step < 0)
        m_report.warn(IssueKind::MissingColumn, m_label, headerLine,
                      "no step column; the row number (from 0) is used as the step");

    if (m_ctx.fromOffset > 0 && m_ctx.fromOffset > row.endOffset && !m_tok.seek(m_ctx.fromOffset)) {
        m_report.warn(IssueKind::BadValue, m_label, 0, "resume offset lies beyond the end of the file");
        m_report.endOffset = m_tok.completeOffset();
        return m_report;
    }

    CellParser parser;
    parser.roles.assign(m_names.size(), CellParser::Role::None);
    for (std::size_t c = 0; c < m_names.size(); ++c)
        if (m_layout.form == Form::Wide && m_text[c].numbers >= 0) parser.roles[c] = CellParser::Role::Value;
    if (m_layout.form != Form::Wide)
        parser.roles[static_cast<std::size_t>(m_layout.value)] = CellParser::Role::Value;
    if (m_layout.step >= 0) parser.roles[static_cast<std::size_t>(m_layout.step)] = CellParser::Role::Step;
    if (m_layout.wall >= 0) parser.roles[static_cast<std::size_t>(m_layout.wall)] = CellParser::Role::Wall;

    const std::size_t width = m_names.size();
    std::int64_t dataRows = 0;
    CsvRowStream rows(m_tok, m_path, width, parser, m_report, m_parallel);
    CsvParsedRow prow;
    while (rows.next(prow)) {
        const CsvParsedRow& row = prow;
        if (!row.terminated && holdTail(row.line)) break;
        if (row.fields.size() != width) {
            m_report.warn(IssueKind::RaggedRow, m_label, row.line,
                          "expected " + std::to_string(width) + " fields, found " +
                              std::to_string(row.fields.size()) + "; row skipped");
            ++m_report.rowsSkipped;
            continue;
        }
        importRow(row);
        ++m_rowIndex;
        if ((++dataRows & 4095) == 0) {
            if (m_ctx.cancelled() || m_sink.cancelled()) {
                m_report.add(Severity::Warning, IssueKind::Cancelled, m_label, row.line, "import cancelled");
                break;
            }
            m_ctx.advanced(row.endOffset);
        }
    }
    m_batcher.flushAll();
    m_batcher.reportRestarts(m_report, m_label);
    finishText();
    if (dataRows == 0 && m_report.rowsSkipped == 0 && m_ctx.fromOffset == 0)
        m_report.warn(IssueKind::Empty, m_label, headerLine, "header only, no data rows");
    m_report.points = m_batcher.points();
    m_report.endOffset = rows.completeOffset();
    return m_report;
}

} // namespace

int CsvReader::confidence(const FileProbe& probe) const {
    const std::string ext = lowerExtension(probe.path);
    const bool tableExt = ext == ".csv" || ext == ".tsv";
    const bool extOk = tableExt || ext == ".txt" || ext == ".log";
    if (probe.head.empty()) return tableExt && probe.size == 0 ? 5 : 0;
    if (probe.head.rfind("version https://git-lfs", 0) == 0) return 0;
    if (looksBinary(probe.head)) return 0;
    // TensorBoard's projector writes labels for embeddings as metadata.tsv: never metrics.
    if (textnum::equalsIgnoreCase(probe.path.filename().string(), "metadata.tsv")) return 0;

    // Only whole lines of the probe: a cut last line would look ragged.
    std::string_view head = probe.head;
    if (probe.size > head.size()) {
        const auto nl = head.rfind('\n');
        if (nl != std::string_view::npos) head = head.substr(0, nl + 1);
    }
    ReadReport scratch;
    CsvTokenizer tok;
    tok.openMemory(head, &scratch, probe.path.string());
    CsvRow row;
    if (!tok.next(row)) return 0;
    std::vector<std::string> names;
    for (auto f : row.fields)
        names.emplace_back(textnum::trim(f));
    // One column cannot pair a step with a value: a list of labels or ids, not a metrics table.
    if (names.size() < 2) return 0;
    if (columns::looksLikePredictions(names)) return 10;

    bool numericRow = false;
    int dataRows = 0;
    while (dataRows < 8 && tok.next(row)) {
        ++dataRows;
        if (row.fields.size() != names.size()) continue;
        for (auto f : row.fields) {
            double v = 0;
            if (textnum::parseDouble(f, v) == textnum::Parsed::Number) numericRow = true;
        }
    }
    const Layout layout = classify(names);
    const bool recognised = layout.form != Form::Wide || layout.step >= 0;
    if (recognised && (numericRow || dataRows == 0)) return extOk ? 60 : 30;
    if (numericRow) return tableExt ? 40 : (extOk ? 20 : 10);
    return 0;
}

ReadReport CsvReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                           ImportSink& sink) const {
    CsvImport import(path, ctx, sink, m_parallel);
    return import.run();
}

} // namespace runlens
