// Parses prediction logs column by column, assigns roles by name or override, and validates before delivery.
#include "core/io/prediction_reader.h"

#include "core/analysis/evaluation_set.h"
#include "core/io/csv_tokenizer.h"
#include "core/model/number_text.h"
#include "core/model/regression_columns.h"
#include "core/model/text_number.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <simdjson.h>
#include <unordered_map>

namespace runlens {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string lowerCase(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

bool isOneOf(const std::string& s, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

std::string extensionOf(const std::filesystem::path& path) {
    return lowerCase(path.extension().string());
}

bool isJsonlPath(const std::filesystem::path& path) {
    const auto ext = extensionOf(path);
    return ext == ".jsonl" || ext == ".ndjson";
}

// One column while parsing: numbers where cells were numbers, text codes where they were text.
class ColumnBuilder {
  public:
    explicit ColumnBuilder(std::string name) : m_name(std::move(name)) {}

    const std::string& name() const { return m_name; }
    void padTo(std::size_t rows) {
        if (m_numbers.size() < rows) m_numbers.resize(rows, kNaN);
        if (!m_codes.empty() || m_hasText)
            if (m_codes.size() < rows) m_codes.resize(rows, -1);
    }
    void addNumber(std::size_t row, double v, std::int64_t line) {
        padTo(row);
        m_numbers.push_back(v);
        if (m_hasText) m_codes.push_back(-1);
        if (m_firstNumberLine == 0) m_firstNumberLine = line;
    }
    void addText(std::size_t row, std::string_view text, std::int64_t line) {
        padTo(row);
        if (!m_hasText) {
            m_hasText = true;
            m_codes.assign(m_numbers.size(), -1);
            m_firstText = std::string(text);
            m_firstTextLine = line;
        }
        m_numbers.push_back(kNaN);
        m_codes.push_back(codeOf(text));
    }
    void addMissing(std::size_t row) {
        padTo(row);
        m_numbers.push_back(kNaN);
        if (m_hasText) m_codes.push_back(-1);
    }
    bool mixed() const { return m_hasText && m_firstNumberLine > 0; }
    std::int64_t firstNumberLine() const { return m_firstNumberLine; }
    std::int64_t firstTextLine() const { return m_firstTextLine; }
    const std::string& firstText() const { return m_firstText; }

    PredictionColumn finish(std::size_t rows) {
        padTo(rows);
        PredictionColumn col;
        col.name = m_name;
        col.numeric = !m_hasText;
        if (col.numeric) {
            col.numbers = std::move(m_numbers);
            return col;
        }
        // A text column keeps its number cells as their text, so "1" and 1 become one class.
        for (std::size_t r = 0; r < rows; ++r)
            if (m_codes[r] < 0 && !std::isnan(m_numbers[r])) m_codes[r] = codeOf(numberText(m_numbers[r]));
        col.codes = std::move(m_codes);
        col.dictionary = std::move(m_dictionary);
        return col;
    }

  private:
    std::int32_t codeOf(std::string_view text) {
        const auto it = m_index.find(text);
        if (it != m_index.end()) return it->second;
        const auto code = static_cast<std::int32_t>(m_dictionary.size());
        m_dictionary.emplace_back(text);
        m_index.emplace(m_dictionary.back(), code);
        return code;
    }

    std::string m_name;
    std::vector<double> m_numbers;
    std::vector<std::int32_t> m_codes;
    std::vector<std::string> m_dictionary;
    // Looked up by string_view: a text cell is not copied into a std::string to find its code.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
    };
    std::unordered_map<std::string, std::int32_t, TextHash, std::equal_to<>> m_index;
    bool m_hasText = false;
    std::string m_firstText;
    std::int64_t m_firstNumberLine = 0, m_firstTextLine = 0;
};

// Columns found so far, with the file line of every row.
struct ParsedTable {
    std::vector<ColumnBuilder> columns;
    std::unordered_map<std::string, std::size_t> byName;
    std::vector<std::int64_t> lineOfRow;
    std::vector<std::size_t> arrayColumns; // JSONL list columns expanded to "<key>[i]"

    ColumnBuilder& column(const std::string& name) {
        const auto it = byName.find(name);
        if (it != byName.end()) return columns[it->second];
        byName.emplace(name, columns.size());
        columns.emplace_back(name);
        return columns.back();
    }
};

// How many cells and rows a parse may hold before it gives the file up.
struct CellBudget {
    std::size_t maxCells = PredictionLogReader::kMaxCells;
    std::size_t maxRows = PredictionLogReader::kMaxRows;
};

// 10000000 -> "10,000,000": the figures of the refusal are easier to check at a glance.
std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n);
    for (auto i = std::ptrdiff_t(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), 1, ',');
    return digits;
}

// Reports the one refusal of a log too large to hold, unless adding `row` (the (rows + 1)-th data row, with
// `width` columns) still fits. The file's row count is unknown while streaming, so it is estimated from the
// bytes the rows read so far took (dataStart: where the first data row begins).
bool overBudget(const CellBudget& budget, std::size_t rows, std::size_t width, std::int64_t rowLine,
                std::int64_t rowEnd, std::int64_t dataStart, std::int64_t fileSize, ReadReport& report,
                const std::string& label) {
    const std::size_t next = rows + 1;
    const bool tooManyRows = next > budget.maxRows;
    if (!tooManyRows && (width == 0 || next <= budget.maxCells / width)) return false;
    const std::int64_t used = rowEnd - dataStart;
    std::string count = "more than " + grouped(rows) + " rows";
    if (rowEnd >= fileSize)
        count = grouped(next) + " rows";
    else if (used > 0 && fileSize > dataStart) {
        const double perRow = double(used) / double(next);
        const auto estimate = std::uint64_t(double(fileSize - dataStart) / perRow + 0.5);
        count = "about " + grouped(std::max<std::uint64_t>(estimate, next)) + " rows";
    }
    std::string message = "prediction log too large: " + count;
    if (tooManyRows)
        message += " exceed the limit of " + grouped(budget.maxRows) + " rows of a prediction log";
    else
        message += " x " + grouped(width) + " columns exceed the limit of " + grouped(budget.maxCells) +
                   " cells a prediction log may hold in memory";
    message += " (reading stopped at row " + grouped(next) + "); import a sample of the rows" +
               std::string(tooManyRows ? "" : " or fewer columns");
    // The refusal must be seen even when the report is already full of row warnings.
    if (report.issues.size() >= ReadReport::kMaxIssues) {
        report.issues.pop_back();
        ++report.suppressedIssues;
    }
    report.error(IssueKind::Unsupported, label, rowLine, std::move(message));
    return true;
}

// Columns a JSON object would add to the table (its new keys, a list counting one column per item).
std::size_t newJsonColumns(const ParsedTable& table, simdjson::dom::object object) {
    std::size_t fresh = 0;
    for (auto field : object) {
        const std::string key(field.key);
        if (field.value.is_array()) {
            std::size_t i = 0;
            for ([[maybe_unused]] auto item : simdjson::dom::array(field.value)) {
                fresh += !table.byName.count(key + "[" + std::to_string(i++) + "]");
                if (i > 4096) break; // as addJsonValue
            }
        } else {
            fresh += !table.byName.count(key);
        }
    }
    return fresh;
}

// Every cell of a prediction log is read as parseDouble reads it; runs on the parse threads.
class PredictionCellParser final : public CsvRowParser {
  public:
    void parse(std::span<const std::string_view> fields, CsvCell* cells) const override {
        for (std::size_t c = 0; c < fields.size(); ++c)
            cells[c].kind = textnum::parseDouble(fields[c], cells[c].number);
    }
};

void addCell(ColumnBuilder& col, std::size_t row, std::string_view cell, const CsvCell& parsed,
             std::int64_t line) {
    switch (parsed.kind) {
    case textnum::Parsed::Number:
        col.addNumber(row, parsed.number, line);
        break;
    case textnum::Parsed::Missing:
        col.addMissing(row);
        break;
    case textnum::Parsed::Text:
        col.addText(row, textnum::trim(cell), line);
        break;
    }
}

bool parseDelimited(const std::filesystem::path& path, const ReadContext& ctx, const CellBudget& budget,
                    const CsvParallelOptions& parallel, ParsedTable& table, ReadReport& report,
                    const std::string& label) {
    CsvOptions options;
    if (extensionOf(path) == ".tsv") options.separator = '\t';
    CsvTokenizer tok(options);
    if (!tok.open(path, &report, label)) return false;
    CsvRow row;
    if (!tok.next(row)) {
        report.error(IssueKind::Empty, label, 0, "the file has no header line");
        return false;
    }
    std::vector<std::size_t> slot;
    for (auto f : row.fields) {
        std::string name(textnum::trim(f));
        if (name.empty()) name = "column_" + std::to_string(slot.size() + 1);
        if (table.byName.count(name)) name.append("_").append(std::to_string(slot.size() + 1)); // keep apart
        table.column(name);
        slot.push_back(table.byName[name]);
    }
    const std::size_t width = slot.size();
    const std::int64_t dataStart = row.endOffset;
    std::size_t rows = 0;
    const PredictionCellParser parser;
    CsvRowStream stream(tok, path, width, parser, report, parallel);
    CsvParsedRow prow;
    while (stream.next(prow)) {
        const CsvParsedRow& row = prow;
        if ((rows & 4095) == 0 && ctx.cancelled()) {
            report.error(IssueKind::Cancelled, label, row.line, "import cancelled");
            return false;
        }
        if (row.fields.size() == 1 && textnum::trim(row.fields[0]).empty()) continue; // blank line
        if (row.fields.size() != width) {
            report.warn(IssueKind::RaggedRow, label, row.line,
                        "expected " + std::to_string(width) + " fields, found " +
                            std::to_string(row.fields.size()) + "; row skipped");
            ++report.rowsSkipped;
            continue;
        }
        if (overBudget(budget, rows, width, row.line, row.endOffset, dataStart, tok.fileSize(), report,
                       label))
            return false;
        for (std::size_t c = 0; c < width; ++c)
            addCell(table.columns[slot[c]], rows, row.fields[c], row.cells[c], row.line);
        table.lineOfRow.push_back(row.line);
        ++rows;
    }
    report.endOffset = stream.completeOffset();
    return true;
}

void addJsonValue(ParsedTable& table, const std::string& key, simdjson::dom::element value, std::size_t row,
                  std::int64_t line, ReadReport& report, const std::string& label) {
    using simdjson::dom::element_type;
    switch (value.type()) {
    case element_type::INT64:
        table.column(key).addNumber(row, double(std::int64_t(value)), line);
        return;
    case element_type::UINT64:
        table.column(key).addNumber(row, double(std::uint64_t(value)), line);
        return;
    case element_type::DOUBLE:
        table.column(key).addNumber(row, double(value), line);
        return;
    case element_type::BOOL:
        table.column(key).addNumber(row, bool(value) ? 1.0 : 0.0, line);
        return;
    case element_type::NULL_VALUE:
        table.column(key).addMissing(row);
        return;
    case element_type::STRING: {
        const std::string_view text = value;
        if (textnum::isMissing(text))
            table.column(key).addMissing(row);
        else
            table.column(key).addText(row, text, line);
        return;
    }
    case element_type::ARRAY: {
        // A list of class probabilities: one column per position, "<key>[i]".
        std::size_t i = 0;
        for (auto item : simdjson::dom::array(value)) {
            const std::string name = key + "[" + std::to_string(i++) + "]";
            const bool fresh = !table.byName.count(name);
            auto& col = table.column(name);
            if (fresh) table.arrayColumns.push_back(table.byName[name]);
            if (item.is_number())
                col.addNumber(row, double(item.get_double().value_unsafe()), line);
            else if (item.is_null())
                col.addMissing(row);
            else
                col.addText(row, "(not a number)", line);
            if (i > 4096) break; // a class list this long is not a probability vector
        }
        return;
    }
    case element_type::OBJECT:
        report.warn(IssueKind::Unsupported, label, line, "nested object in '" + key + "' ignored");
        return;
    }
}

bool parseJsonl(const std::filesystem::path& path, const ReadContext& ctx, const CellBudget& budget,
                ParsedTable& table, ReadReport& report, const std::string& label) {
    CsvOptions options;
    options.rawLines = true;
    CsvTokenizer tok(options);
    if (!tok.open(path, &report, label)) return false;
    simdjson::dom::parser parser;
    CsvRow row;
    std::size_t rows = 0;
    while (tok.next(row)) {
        if ((rows & 4095) == 0 && ctx.cancelled()) {
            report.error(IssueKind::Cancelled, label, row.line, "import cancelled");
            return false;
        }
        const std::string_view text = textnum::trim(row.fields.empty() ? std::string_view() : row.fields[0]);
        if (text.empty()) continue;
        simdjson::dom::object object;
        if (parser.parse(text.data(), text.size(), true).get(object)) {
            if (!row.terminated) break; // a half-written last line: the writer is still at work
            report.warn(IssueKind::BadRecord, label, row.line, "not a JSON object; line skipped");
            ++report.rowsSkipped;
            continue;
        }
        const std::size_t width = table.columns.size() + newJsonColumns(table, object);
        if (overBudget(budget, rows, width, row.line, row.endOffset, 0, tok.fileSize(), report, label))
            return false;
        for (auto field : object)
            addJsonValue(table, std::string(field.key), field.value, rows, row.line, report, label);
        table.lineOfRow.push_back(row.line);
        ++rows;
    }
    report.endOffset = tok.completeOffset();
    return true;
}

std::vector<std::string> headerNames(const FileProbe& probe) {
    std::vector<std::string> names;
    std::string_view head = probe.head;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
    const auto nl = head.find('\n');
    if (nl == std::string_view::npos && probe.size > probe.head.size()) return names;
    std::string_view first = head.substr(0, nl);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    if (isJsonlPath(probe.path)) {
        simdjson::dom::parser parser;
        simdjson::dom::object object;
        if (parser.parse(first.data(), first.size(), true).get(object)) return names;
        for (auto field : object)
            names.emplace_back(field.key);
        return names;
    }
    const char sep = extensionOf(probe.path) == ".tsv" ? '\t' : CsvTokenizer::detectSeparator(first);
    ReadReport scratch;
    CsvOptions options;
    options.separator = sep;
    CsvTokenizer tok(options);
    tok.openMemory(first, &scratch, probe.path.string());
    CsvRow row;
    if (!tok.next(row)) return names;
    for (auto f : row.fields)
        names.emplace_back(textnum::trim(f));
    return names;
}

bool startsWithPredictions(const std::filesystem::path& path) {
    return lowerCase(path.stem().string()).rfind("predictions", 0) == 0;
}

} // namespace

ColumnRole PredictionLogReader::roleForName(std::string_view columnName, std::string* className) {
    const std::string n = lowerCase(textnum::trim(columnName));
    if (isOneOf(n, {"label", "target", "y", "y_true"})) return ColumnRole::Label;
    if (isOneOf(n, {"score", "prob", "probability", "y_prob", "y_score", "p"})) return ColumnRole::Score;
    if (isOneOf(n, {"pred", "prediction", "y_pred", "yhat", "y_hat", "predicted"}))
        return ColumnRole::Prediction;
    if (isOneOf(n, {"id", "example_id"})) return ColumnRole::Id;
    for (std::string_view prefix : {"prob_", "score_"}) {
        if (n.size() > prefix.size() && n.rfind(prefix, 0) == 0) {
            if (className) *className = std::string(textnum::trim(columnName).substr(prefix.size()));
            return ColumnRole::ClassScore;
        }
    }
    return ColumnRole::Feature;
}

std::string PredictionLogReader::tableNameFor(const std::filesystem::path& path) {
    std::string stem = path.stem().string();
    const std::string low = lowerCase(stem);
    const std::string word = "predictions";
    if (low.rfind(word, 0) == 0 && low.size() > word.size() + 1 &&
        std::string_view("_-.").find(low[word.size()]) != std::string_view::npos)
        return stem.substr(word.size() + 1);
    if (low.size() > word.size() + 1 && low.compare(low.size() - word.size(), word.size(), word) == 0 &&
        std::string_view("_-.").find(low[low.size() - word.size() - 1]) != std::string_view::npos)
        return stem.substr(0, low.size() - word.size() - 1);
    return stem.empty() ? word : stem;
}

int PredictionLogReader::confidence(const FileProbe& probe) const {
    const auto ext = extensionOf(probe.path);
    if (!isOneOf(ext, {".csv", ".tsv", ".jsonl", ".ndjson"})) return 0;
    if (probe.head.empty() || probe.head.rfind("version https://git-lfs", 0) == 0) return 0;
    const auto names = headerNames(probe);
    bool label = false, score = false;
    int classScores = 0;
    for (const auto& name : names) {
        const auto role = roleForName(name);
        label = label || role == ColumnRole::Label || name == m_roles.label;
        score = score || role == ColumnRole::Score || name == m_roles.score;
        classScores += role == ColumnRole::ClassScore;
        for (const auto& [column, cls] : m_roles.classScores)
            classScores += role != ColumnRole::ClassScore && name == column;
    }
    // A JSONL list of probabilities shows up as one key with a score name.
    if (!label || !(score || classScores >= 2)) return startsWithPredictions(probe.path) && label ? 30 : 0;
    return startsWithPredictions(probe.path) ? 90 : 80;
}

std::optional<PredictionTable> PredictionLogReader::readTable(const std::filesystem::path& path,
                                                              ReadReport& report,
                                                              const ReadContext& ctx) const {
    const std::string label = path.string();
    report.format = std::string(name());
    ParsedTable parsed;
    CellBudget budget;
    budget.maxCells = m_maxCells;
    const bool ok = isJsonlPath(path) ? parseJsonl(path, ctx, budget, parsed, report, label)
                                      : parseDelimited(path, ctx, budget, m_parallel, parsed, report, label);
    if (!ok) return std::nullopt;
    const std::size_t rows = parsed.lineOfRow.size();
    if (rows == 0) {
        report.error(IssueKind::Empty, label, 0, "no data rows");
        return std::nullopt;
    }

    PredictionTable table;
    table.name = m_tableName.empty() ? tableNameFor(path) : m_tableName;
    table.sourcePath = label;
    bool taken[4] = {false, false, false, false}; // label, score, prediction, id: the first column wins
    auto overridden = [&](const std::string& column, ColumnRole& role, std::string& className) {
        if (std::find(m_roles.ignore.begin(), m_roles.ignore.end(), column) != m_roles.ignore.end()) {
            role = ColumnRole::Ignore;
            return true;
        }
        if (std::find(m_roles.features.begin(), m_roles.features.end(), column) != m_roles.features.end()) {
            role = ColumnRole::Feature;
            return true;
        }
        for (const auto& [col, cls] : m_roles.classScores)
            if (col == column) {
                role = ColumnRole::ClassScore;
                className = cls;
                return true;
            }
        const std::pair<const std::string*, ColumnRole> explicitRoles[] = {
            {&m_roles.label, ColumnRole::Label},
            {&m_roles.score, ColumnRole::Score},
            {&m_roles.prediction, ColumnRole::Prediction},
            {&m_roles.id, ColumnRole::Id}};
        for (const auto& [wanted, r] : explicitRoles)
            if (!wanted->empty() && *wanted == column) {
                role = r;
                return true;
            }
        return false;
    };
    auto slotOf = [](ColumnRole r) {
        switch (r) {
        case ColumnRole::Label:
            return 0;
        case ColumnRole::Score:
            return 1;
        case ColumnRole::Prediction:
            return 2;
        case ColumnRole::Id:
            return 3;
        default:
            return -1;
        }
    };
    // Explicitly named columns must exist.
    for (const std::string* wanted : {&m_roles.label, &m_roles.score, &m_roles.prediction, &m_roles.id})
        if (!wanted->empty() && !parsed.byName.count(*wanted))
            report.error(IssueKind::MissingColumn, label, 0, "column '" + *wanted + "' is not in the file");
    for (const auto& [col, cls] : m_roles.classScores)
        if (!parsed.byName.count(col))
            report.error(IssueKind::MissingColumn, label, 0, "column '" + col + "' is not in the file");
    // Columns with an explicit role claim it first, so a name-recognised column does not take it.
    for (auto& builder : parsed.columns) {
        ColumnRole role;
        std::string cls;
        if (overridden(builder.name(), role, cls) && slotOf(role) >= 0) taken[slotOf(role)] = true;
    }

    for (std::size_t i = 0; i < parsed.columns.size(); ++i) {
        auto& builder = parsed.columns[i];
        ColumnRole role = ColumnRole::Feature;
        std::string cls;
        if (!overridden(builder.name(), role, cls)) {
            const bool isArray = std::find(parsed.arrayColumns.begin(), parsed.arrayColumns.end(), i) !=
                                 parsed.arrayColumns.end();
            if (isArray) {
                const std::string& n = builder.name();
                const auto bracket = n.rfind('[');
                const auto base = roleForName(n.substr(0, bracket));
                if (base == ColumnRole::Score || lowerCase(n.substr(0, bracket)) == "probs" ||
                    lowerCase(n.substr(0, bracket)) == "probabilities" ||
                    lowerCase(n.substr(0, bracket)) == "scores") {
                    role = ColumnRole::ClassScore;
                    cls = n.substr(bracket + 1, n.size() - bracket - 2);
                }
                if (role == ColumnRole::ClassScore &&
                    (!m_roles.score.empty() || !m_roles.classScores.empty())) {
                    role = ColumnRole::Feature;
                    cls.clear();
                }
            } else {
                role = roleForName(builder.name(), &cls);
                // An explicit choice wins over names: a chosen score makes prob_<class> columns features, and
                // chosen class probabilities make a column named "score" one.
                if ((role == ColumnRole::ClassScore && !m_roles.score.empty()) ||
                    (role == ColumnRole::Score && !m_roles.classScores.empty())) {
                    role = ColumnRole::Feature;
                    cls.clear();
                }
                const int slot = slotOf(role);
                if (slot >= 0) {
                    if (taken[slot])
                        role = ColumnRole::Feature;
                    else
                        taken[slot] = true;
                }
            }
        }
        if (role == ColumnRole::Ignore) continue;
        const bool strict = role == ColumnRole::Label || role == ColumnRole::Score ||
                            role == ColumnRole::ClassScore || role == ColumnRole::Prediction;
        if (strict && builder.mixed()) {
            const std::int64_t line = builder.firstTextLine();
            report.error(IssueKind::BadValue, label, line,
                         "column '" + builder.name() + "' mixes numbers (first at line " +
                             std::to_string(builder.firstNumberLine()) + ") and text ('" +
                             builder.firstText() + "' at line " + std::to_string(line) + ")");
        }
        PredictionColumn col = builder.finish(rows);
        col.role = role;
        col.className = cls;
        table.columns.push_back(std::move(col));
    }
    if (report.hasErrors()) return std::nullopt;
    // A regression log is whole as it is; the classification checks below would read it as many classes.
    if (isRegressionTable(table)) return table;

    EvaluationOptions options;
    options.positiveClass = m_roles.positiveClass;
    const auto checked = extractEvaluationSet(table, options);
    for (const auto& e : checked.errors) {
        const bool aboutRow = e.row >= 0 && std::size_t(e.row) < rows;
        const std::int64_t line = aboutRow ? parsed.lineOfRow[std::size_t(e.row)] : 0;
        const IssueKind kind = e.row < 0 ? IssueKind::MissingColumn : IssueKind::BadValue;
        std::string where = e.column.empty() ? std::string() : "column '" + e.column + "'";
        if (aboutRow) where += ", row " + std::to_string(e.row + 1);
        report.error(kind, label, line, (where.empty() ? "" : where + ": ") + e.message);
    }
    if (checked.suppressedErrors > 0)
        report.error(IssueKind::BadValue, label, 0,
                     std::to_string(checked.suppressedErrors) + " more bad values not listed");
    if (!checked.ok()) return std::nullopt;
    return table;
}

ReadReport PredictionLogReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                     ImportSink& sink) const {
    ReadReport report;
    auto table = readTable(path, report, ctx);
    if (!table) {
        if (!report.hasErrors()) report.error(IssueKind::BadRecord, path.string(), 0, "nothing imported");
        return report;
    }
    sink.addPredictions(ctx.runName, std::move(*table));
    return report;
}

} // namespace runlens
