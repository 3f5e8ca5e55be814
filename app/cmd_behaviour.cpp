// `runlens behaviour`: invariance and directional-expectation tests (CheckList style) from a test-result
// log, per perturbation with Wilson intervals, the worst examples and per-slice rates.
#include "app/cli.h"
#include "app/json_writer.h"
#include "app/prediction_input.h"
#include "core/analysis/behaviour_tests.h"
#include "core/analysis/report_text.h"

#include <algorithm>
#include <cmath>

namespace runlens::cli {

namespace {

std::string lowerCase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string cellText(const PredictionColumn& column, std::size_t row) {
    if (column.numeric)
        return std::isnan(column.numbers[row]) ? std::string() : formatNumber(column.numbers[row]);
    const auto code = column.codes[row];
    return code < 0 ? std::string() : column.dictionary[std::size_t(code)];
}

// The column chosen with `option`, else the first column of the table with one of `names` (any case).
const PredictionColumn* findColumn(const PredictionTable& table, const Args& args, std::string_view option,
                                   std::initializer_list<std::string_view> names, const std::string& path) {
    if (auto chosen = args.get(option)) {
        const auto* column = table.column(*chosen);
        if (!column) throw InputError(path + ": no column named '" + *chosen + "'");
        return column;
    }
    for (std::string_view name : names)
        for (const auto& c : table.columns)
            if (lowerCase(c.name) == name) return &c;
    return nullptr;
}

std::vector<std::string> texts(const PredictionColumn* column, std::size_t rows) {
    std::vector<std::string> out(rows);
    if (column)
        for (std::size_t r = 0; r < rows; ++r)
            out[r] = cellText(*column, r);
    return out;
}

bool isOriginalRow(const std::string& perturbation) {
    const auto p = lowerCase(perturbation);
    return p.empty() || p == "original" || p == "none" || p == "orig";
}

// One model's outputs for all rows of a loaded log, and the subset of the perturbed rows.
struct Outputs {
    std::size_t classes = 0;
    std::vector<double> scores;
    std::vector<int> predicted;

    ModelOutputs view() const { return {classes, scores, predicted}; }
};

Outputs outputsOf(const EvaluationSet& e) {
    Outputs o;
    o.classes = e.multiclass ? e.classCount() : 0;
    o.scores = e.multiclass ? e.probs : e.scores;
    o.predicted = e.predictions;
    return o;
}

Outputs subset(const Outputs& all, const std::vector<std::size_t>& rows) {
    Outputs o;
    o.classes = all.classes;
    const std::size_t width = all.classes == 0 ? 1 : all.classes;
    for (std::size_t r : rows) {
        o.scores.insert(o.scores.end(), all.scores.begin() + std::ptrdiff_t(r * width),
                        all.scores.begin() + std::ptrdiff_t((r + 1) * width));
        if (!all.predicted.empty()) o.predicted.push_back(all.predicted[r]);
    }
    return o;
}

struct TestLog {
    std::vector<std::size_t> perturbedRows; // rows of the perturbed log
    std::vector<std::string> perturbation, slice, originalKey, ids;
    std::vector<ExpectedDirection> expected;
    OriginalJoin join;
};

std::string_view severityName(BehaviourSeverity s) {
    return s == BehaviourSeverity::Major ? "major" : s == BehaviourSeverity::Minor ? "minor" : "none";
}

void writeInterval(JsonWriter& json, std::string_view key, const stats::Interval& ci) {
    json.key(key).beginArray().value(ci.low).value(ci.high).endArray();
}

void writeJson(std::ostream& out, const std::string& path, const BehaviourReport& report, const TestLog& log,
               const OriginalJoin& join) {
    JsonWriter json(out);
    json.beginObject()
        .field("kind", "behaviour")
        .field("file", path)
        .field("rows", report.rows)
        .field("missing_original", report.missingOriginal)
        .field("duplicate_original_ids", join.duplicateOriginalIds)
        .field("sentence", report.sentence);
    json.key("perturbations").beginArray();
    for (const auto& p : report.perturbations) {
        json.beginObject()
            .field("name", p.name)
            .field("expected", std::string(expectedDirectionName(p.expected)))
            .field("mixed_expectations", p.mixedExpectations)
            .field("n", p.n)
            .field("missing_original", p.missingOriginal)
            .field("flips", p.flips)
            .field("flip_rate", p.flipRate);
        writeInterval(json, "flip_ci", p.flipCi);
        json.field("mean_change", p.meanChange).field("mean_abs_change", p.meanAbsChange);
        json.key("change_quantiles")
            .beginObject()
            .field("q05", p.q05)
            .field("q25", p.q25)
            .field("median", p.median)
            .field("q75", p.q75)
            .field("q95", p.q95)
            .endObject();
        json.field("directional", p.directional)
            .field("violations", p.violations)
            .field("violation_rate", p.violationRate);
        writeInterval(json, "violation_ci", p.violationCi);
        json.field("tested", p.tested).field("failures", p.failures).field("failure_rate", p.failureRate);
        writeInterval(json, "failure_ci", p.failureCi);
        json.field("severity", std::string(severityName(p.severity))).field("sentence", p.sentence);
        json.key("worst").beginArray();
        for (const auto& w : p.worst) {
            json.beginObject().field("row", log.perturbedRows[w.row] + 1);
            if (!log.ids.empty()) json.field("id", log.ids[log.perturbedRows[w.row]]);
            json.field("original", log.originalKey[w.row])
                .field("original_score", w.originalScore)
                .field("perturbed_score", w.perturbedScore)
                .field("change", w.change)
                .field("flipped", w.flipped)
                .field("violated", w.violated)
                .endObject();
        }
        json.endArray();
        json.key("slices").beginArray();
        for (const auto& s : p.slices) {
            json.beginObject()
                .field("slice", s.slice)
                .field("n", s.n)
                .field("flips", s.flips)
                .field("flip_rate", s.flipRate);
            writeInterval(json, "flip_ci", s.flipCi);
            json.field("directional", s.directional)
                .field("violations", s.violations)
                .field("violation_rate", s.violationRate);
            writeInterval(json, "violation_ci", s.violationCi);
            json.endObject();
        }
        json.endArray().endObject();
    }
    json.endArray().endObject();
    json.finish();
}

void writeText(std::ostream& out, const std::string& name, const BehaviourReport& report) {
    out << name << ": " << report.rows << " perturbed rows";
    if (report.missingOriginal > 0)
        out << " (" << report.missingOriginal << " without their original, left out)";
    out << "\n\n";
    for (const auto& p : report.perturbations) {
        out << p.name << " (expect " << expectedDirectionName(p.expected) << ", n " << p.n << "): flips "
            << formatPercent(p.flipRate) << " [" << formatPercent(p.flipCi.low) << ", "
            << formatPercent(p.flipCi.high) << "], mean score change "
            << runlens::formatNumber(p.meanChange, 3);
        if (p.directional > 0)
            out << ", direction violations " << formatPercent(p.violationRate) << " ["
                << formatPercent(p.violationCi.low) << ", " << formatPercent(p.violationCi.high) << "]";
        out << "; severity " << severityName(p.severity) << "\n  " << p.sentence << '\n';
    }
    if (!report.sentence.empty()) out << '\n' << report.sentence << '\n';
}

} // namespace

int runBehaviourCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& /*err*/) {
    std::vector<OptionSpec> specs{{"--json", "", false},        {"--original", "", true},
                                  {"--perturbation", "", true}, {"--orig-id", "", true},
                                  {"--expect", "", true},       {"--slice", "", true},
                                  {"--target-class", "", true}, {"--tolerance", "", true},
                                  {"--threshold", "", true},    {"--worst", "", true}};
    for (const auto& o : predictionColumnOptions())
        specs.push_back(o);
    const Args parsed(args, specs);
    if (parsed.positionals().size() != 1) throw UsageError("give one test-result log");
    const auto perturbedLog = loadPredictions(parsed.positionals().front(), parsed);
    if (!perturbedLog->eval.hasScores())
        throw InputError(perturbedLog->path +
                         ": behavioural tests measure score changes: the log needs a score "
                         "or class probability columns");
    const auto& table = perturbedLog->table;
    const std::size_t rows = table.rows();
    const auto* perturbationColumn = findColumn(
        table, parsed, "--perturbation", {"perturbation", "test", "perturbation_name"}, perturbedLog->path);
    const auto* originColumn =
        findColumn(table, parsed, "--orig-id", {"orig_id", "original_id", "example_id"}, perturbedLog->path);
    const auto* expectColumn =
        findColumn(table, parsed, "--expect", {"expect", "expected", "expectation"}, perturbedLog->path);
    const PredictionColumn* sliceColumn = nullptr;
    if (auto slice = parsed.get("--slice")) {
        sliceColumn = table.column(*slice);
        if (!sliceColumn) throw InputError(perturbedLog->path + ": no column named '" + *slice + "'");
    }
    const PredictionColumn* idColumn = table.find(ColumnRole::Id);
    if (!originColumn)
        throw InputError(
            perturbedLog->path +
            ": no column naming each row's original example (orig_id or example_id; --orig-id C)");
    const auto perturbations = texts(perturbationColumn, rows);
    const auto origins = texts(originColumn, rows);
    const auto expectations = texts(expectColumn, rows);
    const auto slices = texts(sliceColumn, rows);

    // The originals: another log (--original, joined on its id column), or this log's rows without a
    // perturbation, whose own id is their id column when it is not the column naming originals.
    std::unique_ptr<LoadedPredictions> originalLog;
    std::vector<std::string> originalKeys;
    TestLog log;
    log.ids = idColumn ? texts(idColumn, rows) : std::vector<std::string>{};
    if (auto original = parsed.get("--original")) {
        originalLog = loadPredictions(*original, parsed);
        const auto& ot = originalLog->table;
        const PredictionColumn* key = ot.find(ColumnRole::Id);
        if (!key)
            key = findColumn(ot, parsed, "--orig-id", {"orig_id", "original_id", "example_id"}, *original);
        if (!key) throw InputError(*original + ": no id column to join the perturbed rows to");
        originalKeys = texts(key, ot.rows());
        for (std::size_t r = 0; r < rows; ++r)
            log.perturbedRows.push_back(r);
    } else {
        if (!perturbationColumn)
            throw InputError(perturbedLog->path +
                             ": no perturbation column (perturbation or test; --perturbation C)");
        const bool ownId = idColumn && idColumn != originColumn;
        originalKeys.assign(rows, std::string());
        for (std::size_t r = 0; r < rows; ++r) {
            if (isOriginalRow(perturbations[r]))
                originalKeys[r] = ownId ? log.ids[r] : origins[r];
            else
                log.perturbedRows.push_back(r);
        }
    }
    if (log.perturbedRows.empty()) throw InputError(perturbedLog->path + ": no perturbed rows");
    for (std::size_t r : log.perturbedRows) {
        log.perturbation.push_back(perturbations[r].empty() ? std::string("perturbed") : perturbations[r]);
        log.originalKey.push_back(origins[r]);
        log.slice.push_back(slices[r]);
        ExpectedDirection direction = ExpectedDirection::None;
        if (!parseExpectedDirection(expectations[r], direction))
            throw InputError(perturbedLog->path + ": row " + std::to_string(r + 1) + ": expectation '" +
                             expectations[r] + "' is not same, up, down or none");
        log.expected.push_back(direction);
    }
    // Rows that are originals keep an empty key, which joinOriginals never matches.
    log.join = joinOriginals(log.originalKey, originalKeys);

    BehaviourOptions options;
    options.threshold = parsed.number("--threshold", 0.5, 0, 1);
    options.tolerance = parsed.number("--tolerance", 0, 0, 1e9);
    options.worstK = static_cast<std::size_t>(parsed.number("--worst", 10, 0, 10000));
    if (auto target = parsed.get("--target-class")) {
        const auto& classes = perturbedLog->eval.classes;
        const auto it = std::find(classes.begin(), classes.end(), *target);
        if (it == classes.end()) throw InputError("no class named '" + *target + "'");
        options.targetClass = int(it - classes.begin());
    }
    const Outputs all = outputsOf(perturbedLog->eval);
    const Outputs perturbed = subset(all, log.perturbedRows);
    const Outputs original = originalLog ? outputsOf(originalLog->eval) : all;
    if (original.classes != perturbed.classes)
        throw InputError("the original and perturbed logs have different class sets");
    const BehaviourTests tests{log.perturbation, log.expected,
                               sliceColumn ? std::span<const std::string>(log.slice)
                                           : std::span<const std::string>(),
                               log.join.originalRow};
    const auto report = behaviourReport(tests, perturbed.view(), original.view(), options);
    if (parsed.has("--json"))
        writeJson(out, perturbedLog->path, report, log, log.join);
    else
        writeText(out, perturbedLog->name, report);
    return kExitOk;
}

} // namespace runlens::cli
