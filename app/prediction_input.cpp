// Reads prediction logs with the prediction-log reader (explicit roles applied while reading) and validates
// them for the evaluation commands.
#include "app/prediction_input.h"

#include "core/io/prediction_reader.h"
#include "core/model/regression_columns.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace runlens::cli {

const std::vector<OptionSpec>& predictionColumnOptions() {
    static const std::vector<OptionSpec> options{
        {"--label", "", true}, {"--score", "", true}, {"--positive", "", true}};
    return options;
}

namespace {

PredictionTable readLogTable(const std::string& path, const Args& args) {
    requireReadable(path);
    if (std::filesystem::is_directory(path))
        throw InputError(path + " is a folder; give a prediction log file");
    // The explicit choices go to the reader itself, so they decide the roles before anything is validated:
    // a column named "score" that is not the chosen score is then just a feature, whatever it holds.
    PredictionRoles roles;
    roles.label = args.get("--label", "");
    roles.score = args.get("--score", "");
    roles.prediction = args.get("--prediction", "");
    roles.positiveClass = args.get("--positive", "");
    const PredictionLogReader reader(roles);
    ReadReport report;
    auto table = reader.readTable(path, report);
    for (const auto& issue : report.issues)
        if (issue.severity == Severity::Error) throw InputError(issue.toString());
    if (!table)
        throw InputError(
            path + ": no prediction table found (need a label column and a score or prediction column)");
    return std::move(*table);
}

std::unique_ptr<LoadedPredictions> predictionsFromTable(const std::string& path, PredictionTable table,
                                                        const Args& args) {
    auto loaded = std::make_unique<LoadedPredictions>();
    loaded->path = path;
    loaded->name = std::filesystem::path(path).stem().string();
    loaded->table = std::move(table);
    EvaluationOptions evalOptions;
    evalOptions.positiveClass = args.get("--positive", "");
    auto result = extractEvaluationSet(loaded->table, evalOptions);
    if (!result.ok()) throw InputError(path + ": " + result.errors.front().describe());
    loaded->eval = std::move(result.set);
    return loaded;
}

} // namespace

std::unique_ptr<LoadedPredictions> loadPredictions(const std::string& path, const Args& args) {
    return predictionsFromTable(path, readLogTable(path, args), args);
}

LoadedLog loadAnyLog(const std::string& path, const Args& args) {
    auto table = readLogTable(path, args);
    LoadedLog out;
    if (!isRegressionTable(table)) {
        out.classification = predictionsFromTable(path, std::move(table), args);
        return out;
    }
    auto loaded = std::make_unique<LoadedRegressionLog>();
    loaded->path = path;
    loaded->name = std::filesystem::path(path).stem().string();
    loaded->table = std::move(table);
    std::string error;
    auto log = regressionLogFrom(loaded->table, error);
    if (!log) throw InputError(path + ": " + error);
    if (log->rows() == 0) throw InputError(path + ": no data rows");
    loaded->log = std::move(*log);
    out.regression = std::move(loaded);
    return out;
}

void requireSameKind(const LoadedLog& a, const LoadedLog& b) {
    if (bool(a.regression) == bool(b.regression)) return;
    const auto& reg = a.regression ? a.regression->path : b.regression->path;
    const auto& cls = a.regression ? b.classification->path : a.classification->path;
    throw InputError(reg + " is a regression log and " + cls +
                     " a classification log; compare two logs of one kind");
}

std::unique_ptr<LoadedPredictions> loadRunPredictions(const Workspace& ws, std::int64_t runId,
                                                      const std::string& runName, const Args& args,
                                                      const std::string& evalSet) {
    for (const auto& info : ws.predictionTables(runId)) {
        if (!evalSet.empty() && info.name != evalSet) continue;
        auto loaded = std::make_unique<LoadedPredictions>();
        loaded->name = runName;
        loaded->path = runName + ":" + info.name;
        loaded->table = ws.readPredictions(info.id);
        EvaluationOptions options;
        options.positiveClass = args.get("--positive", "");
        auto result = extractEvaluationSet(loaded->table, options);
        if (!result.ok()) throw InputError(loaded->path + ": " + result.errors.front().describe());
        loaded->eval = std::move(result.set);
        return loaded;
    }
    return nullptr;
}

void disambiguateNames(LoadedPredictions& a, LoadedPredictions& b) {
    disambiguateNames(std::vector<LoadedPredictions*>{&a, &b});
}

void disambiguateNames(const std::vector<LoadedPredictions*>& logs) {
    std::vector<NamedLog> named;
    for (auto* log : logs)
        named.push_back({&log->name, log->path});
    disambiguateNames(named);
}

void disambiguateNames(const std::vector<NamedLog>& logs) {
    std::map<std::string, std::vector<const NamedLog*>> byName;
    for (const auto& log : logs)
        byName[*log.name].push_back(&log);
    for (auto& [name, group] : byName) {
        if (group.size() < 2) continue;
        std::set<std::string> folders;
        for (const auto* log : group)
            folders.insert(std::filesystem::absolute(log->path).parent_path().filename().string());
        const bool byFolder = folders.size() == group.size() && !folders.count("");
        for (const auto* log : group)
            *log->name =
                byFolder ? std::filesystem::absolute(log->path).parent_path().filename().string() : log->path;
    }
}

CohortInput cohortOf(const LoadedPredictions& loaded) {
    return cohortFromEvaluation(loaded.name, loaded.table, loaded.eval);
}

} // namespace runlens::cli
