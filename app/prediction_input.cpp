// Reads prediction logs through the reader registry into memory and validates them for evaluation commands.
#include "app/prediction_input.h"

#include "core/io/importer.h"
#include "core/io/memory_target.h"

#include <algorithm>
#include <filesystem>

namespace runlens::cli {

namespace {

constexpr std::string_view kPredictionReader = "predictions";

void overrideRole(PredictionTable& table, const std::string& column, ColumnRole role,
                  const std::string& path) {
    PredictionColumn* chosen = nullptr;
    for (auto& c : table.columns)
        if (c.name == column) chosen = &c;
    if (!chosen) throw InputError(path + ": no column named '" + column + "'");
    for (auto& c : table.columns)
        if (c.role == role && &c != chosen) c.role = ColumnRole::Feature;
    chosen->role = role;
}

} // namespace

const std::vector<OptionSpec>& predictionColumnOptions() {
    static const std::vector<OptionSpec> options{
        {"--label", "", true}, {"--score", "", true}, {"--positive", "", true}};
    return options;
}

std::unique_ptr<LoadedPredictions> loadPredictions(const std::string& path, const Args& args) {
    requireReadable(path);
    if (std::filesystem::is_directory(path))
        throw InputError(path + " is a folder; give a prediction log file");
    const auto registry = ReaderRegistry::withBuiltins();
    if (!registry.byName(kPredictionReader)) throw InputError("this build has no prediction-log reader");
    MemoryTarget target;
    ImportOptions options;
    options.forceFormat = std::string(kPredictionReader);
    options.runName = "predictions";
    const std::filesystem::path paths[] = {path};
    const auto summary = importPaths(paths, registry, target, options);
    for (const auto& issue : summary.report.issues)
        if (issue.severity == Severity::Error) throw InputError(issue.toString());
    const PredictionTable* found = nullptr;
    for (const auto& [runName, run] : target.runs())
        for (const auto& [tableName, table] : run.predictions)
            found = &table;
    if (!found)
        throw InputError(
            path + ": no prediction table found (need a label column and a score or prediction column)");

    auto loaded = std::make_unique<LoadedPredictions>();
    loaded->path = path;
    loaded->name = std::filesystem::path(path).stem().string();
    loaded->table = *found;
    if (auto label = args.get("--label")) overrideRole(loaded->table, *label, ColumnRole::Label, path);
    if (auto score = args.get("--score")) overrideRole(loaded->table, *score, ColumnRole::Score, path);
    EvaluationOptions evalOptions;
    evalOptions.positiveClass = args.get("--positive", "");
    auto result = extractEvaluationSet(loaded->table, evalOptions);
    if (!result.ok()) throw InputError(path + ": " + result.errors.front().describe());
    loaded->eval = std::move(result.set);
    return loaded;
}

void disambiguateNames(LoadedPredictions& a, LoadedPredictions& b) {
    if (a.name != b.name) return;
    const auto folderA = std::filesystem::absolute(a.path).parent_path().filename().string();
    const auto folderB = std::filesystem::absolute(b.path).parent_path().filename().string();
    if (folderA != folderB && !folderA.empty() && !folderB.empty()) {
        a.name = folderA;
        b.name = folderB;
        return;
    }
    a.name = a.path;
    b.name = b.path;
}

CohortInput cohortOf(const LoadedPredictions& loaded) {
    return cohortFromEvaluation(loaded.name, loaded.table, loaded.eval);
}

} // namespace runlens::cli
