// Reads behavioural test-result logs out of prediction tables and lines up two models' logs of the same
// tests.
#include "core/analysis/behaviour_log.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <unordered_map>

namespace runlens {

namespace {

using Names = std::span<const std::string_view>;
constexpr std::array<std::string_view, 3> kPerturbationNames = {"perturbation", "test", "perturbation_name"};
constexpr std::array<std::string_view, 3> kOriginalIdNames = {"orig_id", "original_id", "example_id"};
constexpr std::array<std::string_view, 3> kExpectationNames = {"expect", "expected", "expectation"};

std::string lowerCase(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string where(const PredictionTable& table) {
    return table.sourcePath.empty() ? table.name : table.sourcePath;
}

const PredictionColumn* columnNamed(const PredictionTable& table, Names names) {
    for (std::string_view name : names)
        for (const auto& c : table.columns)
            if (lowerCase(c.name) == name) return &c;
    return nullptr;
}

// The chosen column (an error when it does not exist), else the first column with one of the names.
bool pickColumn(const PredictionTable& table, const std::string& chosen, Names names,
                const PredictionColumn*& out, std::string& error) {
    out = nullptr;
    if (!chosen.empty()) {
        out = table.column(chosen);
        if (!out) error = where(table) + ": no column named '" + chosen + "'";
        return out != nullptr;
    }
    out = columnNamed(table, names);
    return true;
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

// The id of each row of a separate originals table: its id column, else its original-id column.
bool originalIdsOf(const PredictionTable& originals, const BehaviourColumnChoice& choice,
                   std::vector<std::string>& out, std::string& error) {
    const PredictionColumn* key = originals.find(ColumnRole::Id);
    if (!key && !pickColumn(originals, choice.originalId, kOriginalIdNames, key, error)) return false;
    if (!key) {
        error = where(originals) + ": no id column to join the perturbed rows to";
        return false;
    }
    out = texts(key, originals.rows());
    return true;
}

} // namespace

BehaviourModel behaviourModelOf(const EvaluationSet& set) {
    BehaviourModel m;
    m.classes = set.multiclass ? set.classCount() : 0;
    m.scores = set.multiclass ? set.probs : set.scores;
    m.predicted = set.predictions;
    return m;
}

BehaviourModel behaviourRows(const BehaviourModel& all, std::span<const std::size_t> rows) {
    BehaviourModel m;
    m.classes = all.classes;
    const std::size_t width = all.width();
    m.scores.reserve(rows.size() * width);
    for (std::size_t r : rows) {
        const auto first = all.scores.begin() + std::ptrdiff_t(r * width);
        m.scores.insert(m.scores.end(), first, first + std::ptrdiff_t(width));
        if (!all.predicted.empty()) m.predicted.push_back(all.predicted[r]);
    }
    return m;
}

BehaviourTests BehaviourLog::tests() const {
    return {perturbation, expected,
            hasSlice ? std::span<const std::string>(slice) : std::span<const std::string>(),
            join.originalRow};
}

std::string BehaviourLog::testKey(std::size_t test) const {
    std::string key = perturbation[test] + '\x1f' + originalKey[test];
    if (!ids.empty()) key += '\x1f' + ids[perturbedRows[test]];
    return key;
}

bool looksLikeBehaviourTable(const PredictionTable& table) {
    return columnNamed(table, kOriginalIdNames) && columnNamed(table, kPerturbationNames);
}

bool holdsOriginals(const PredictionTable& table) {
    const PredictionColumn* perturbation = columnNamed(table, kPerturbationNames);
    if (!perturbation) return false;
    for (std::size_t r = 0; r < perturbation->size(); ++r)
        if (isOriginalRow(cellText(*perturbation, r))) return true;
    return false;
}

bool isBehaviourColumnName(std::string_view name) {
    const std::string lower = lowerCase(name);
    for (const Names names : {Names(kPerturbationNames), Names(kOriginalIdNames), Names(kExpectationNames)})
        if (std::find(names.begin(), names.end(), lower) != names.end()) return true;
    return false;
}

std::optional<BehaviourLog> behaviourLogFrom(const PredictionTable& perturbed,
                                             const PredictionTable* originals,
                                             const BehaviourColumnChoice& choice, std::string& error) {
    const std::string file = where(perturbed);
    const PredictionColumn *perturbationColumn = nullptr, *originColumn = nullptr, *expectColumn = nullptr,
                           *sliceColumn = nullptr;
    if (!pickColumn(perturbed, choice.perturbation, kPerturbationNames, perturbationColumn, error) ||
        !pickColumn(perturbed, choice.originalId, kOriginalIdNames, originColumn, error) ||
        !pickColumn(perturbed, choice.expectation, kExpectationNames, expectColumn, error) ||
        !pickColumn(perturbed, choice.slice, {}, sliceColumn, error))
        return std::nullopt;
    if (!originColumn) {
        error = file + ": no column naming each row's original example (orig_id or example_id; --orig-id C)";
        return std::nullopt;
    }
    const std::size_t rows = perturbed.rows();
    const auto perturbations = texts(perturbationColumn, rows);
    const auto origins = texts(originColumn, rows);
    const auto expectations = texts(expectColumn, rows);
    const auto slices = texts(sliceColumn, rows);
    const PredictionColumn* idColumn = perturbed.find(ColumnRole::Id);

    BehaviourLog log;
    log.hasSlice = sliceColumn != nullptr;
    log.separateOriginals = originals != nullptr;
    log.ids = idColumn ? texts(idColumn, rows) : std::vector<std::string>{};
    if (originals) {
        if (!originalIdsOf(*originals, choice, log.originalKeys, error)) return std::nullopt;
        for (std::size_t r = 0; r < rows; ++r)
            log.perturbedRows.push_back(r);
    } else {
        if (!perturbationColumn) {
            error = file + ": no perturbation column (perturbation or test; --perturbation C)";
            return std::nullopt;
        }
        // An original's own id is the id column, unless that column is the one naming originals.
        const bool ownId = idColumn && idColumn != originColumn;
        log.originalKeys.assign(rows, std::string());
        for (std::size_t r = 0; r < rows; ++r) {
            if (isOriginalRow(perturbations[r]))
                log.originalKeys[r] = ownId ? log.ids[r] : origins[r];
            else
                log.perturbedRows.push_back(r);
        }
    }
    if (log.perturbedRows.empty()) {
        error = file + ": no perturbed rows (every row's perturbation is empty, original or none)";
        return std::nullopt;
    }
    for (std::size_t r : log.perturbedRows) {
        ExpectedDirection direction = ExpectedDirection::None;
        if (!parseExpectedDirection(expectations[r], direction)) {
            error = file + ": row " + std::to_string(r + 1) + ": expectation '" + expectations[r] +
                    "' is not same, up, down or none";
            return std::nullopt;
        }
        log.perturbation.push_back(perturbations[r].empty() ? std::string("perturbed") : perturbations[r]);
        log.originalKey.push_back(origins[r]);
        log.slice.push_back(slices[r]);
        log.expected.push_back(direction);
    }
    // Tests keep an empty original key in a one-table log, which joinOriginals never matches.
    log.join = joinOriginals(log.originalKey, log.originalKeys);
    return log;
}

AlignedModel alignToLog(const BehaviourLog& logA, const BehaviourLog& logB, const BehaviourModel& perturbedB,
                        const BehaviourModel& originalB) {
    AlignedModel out;
    const std::size_t width = perturbedB.width();
    const bool predicted = !perturbedB.predicted.empty() && !originalB.predicted.empty();
    auto fill = [&](BehaviourModel& target, std::size_t rows) {
        target.classes = perturbedB.classes;
        target.scores.assign(rows * width, std::nan(""));
        if (predicted) target.predicted.assign(rows, 0);
    };
    auto copyRow = [&](const BehaviourModel& from, std::size_t fromRow, BehaviourModel& to,
                       std::size_t toRow) {
        std::copy_n(from.scores.begin() + std::ptrdiff_t(fromRow * width), width,
                    to.scores.begin() + std::ptrdiff_t(toRow * width));
        if (predicted) to.predicted[toRow] = from.predicted[fromRow];
    };

    // Tests are matched by key and, for repeated keys, by their order among equal keys.
    std::unordered_map<std::string, std::vector<std::size_t>> testsOfB;
    for (std::size_t i = 0; i < logB.perturbation.size(); ++i)
        testsOfB[logB.testKey(i)].push_back(i);
    std::unordered_map<std::string, std::size_t> used;
    fill(out.perturbed, logA.perturbation.size());
    for (std::size_t i = 0; i < logA.perturbation.size(); ++i) {
        const auto key = logA.testKey(i);
        const auto it = testsOfB.find(key);
        auto& next = used[key];
        if (it == testsOfB.end() || next >= it->second.size()) continue;
        const std::size_t b = it->second[next++];
        if ((b + 1) * width > perturbedB.scores.size()) continue;
        copyRow(perturbedB, b, out.perturbed, i);
        ++out.matched;
    }

    std::unordered_map<std::string_view, std::size_t> originalOfB;
    for (std::size_t j = 0; j < logB.originalKeys.size(); ++j)
        if (!logB.originalKeys[j].empty()) originalOfB.emplace(logB.originalKeys[j], j);
    fill(out.original, logA.originalKeys.size());
    for (std::size_t j = 0; j < logA.originalKeys.size(); ++j) {
        if (logA.originalKeys[j].empty()) continue;
        const auto it = originalOfB.find(logA.originalKeys[j]);
        if (it == originalOfB.end() || (it->second + 1) * width > originalB.scores.size()) continue;
        copyRow(originalB, it->second, out.original, j);
    }
    return out;
}

std::string_view behaviourSeverityName(BehaviourSeverity severity) {
    return severity == BehaviourSeverity::Major   ? "major"
           : severity == BehaviourSeverity::Minor ? "minor"
                                                  : "none";
}

std::optional<BehaviourReport> selfContainedBehaviourReport(const PredictionTable& table,
                                                            const EvaluationSet& set, double threshold,
                                                            std::string& error) {
    if (!set.hasScores()) {
        error =
            table.name +
            ": behavioural tests measure score changes: the log needs a score or class probability columns";
        return std::nullopt;
    }
    const auto tests = behaviourLogFrom(table, nullptr, BehaviourColumnChoice{}, error);
    if (!tests) return std::nullopt;
    const BehaviourModel all = behaviourModelOf(set);
    const BehaviourModel perturbed = behaviourRows(all, tests->perturbedRows);
    BehaviourOptions options;
    options.threshold = threshold;
    return behaviourReport(tests->tests(), perturbed.view(), all.view(), options);
}

} // namespace runlens
