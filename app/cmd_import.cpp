// `runlens import`: reads logs into a workspace and reports what was imported and what was skipped.
#include "app/cli.h"
#include "app/json_writer.h"
#include "core/io/importer.h"
#include "core/store/workspace.h"

#include <set>

namespace runlens::cli {

namespace {

struct ImportTotals {
    std::int64_t runsAdded = 0;
    std::int64_t series = 0;
};

std::set<std::string> runNames(const Workspace& workspace) {
    std::set<std::string> names;
    for (const auto& run : workspace.runs())
        names.insert(run.name);
    return names;
}

// New runs, and the series held by the runs that received data in this import.
ImportTotals countTotals(const Workspace& workspace, const std::set<std::string>& before,
                         const std::set<std::string>& touched) {
    ImportTotals totals;
    for (const auto& run : workspace.runs()) {
        if (!before.contains(run.name)) ++totals.runsAdded;
        if (touched.contains(run.name)) totals.series += static_cast<std::int64_t>(run.series.size());
    }
    return totals;
}

void writeIssue(JsonWriter& json, const ReadIssue& issue) {
    json.beginObject().field("file", issue.file).key("line");
    if (issue.line > 0)
        json.value(issue.line);
    else
        json.null();
    json.field("kind", issueKindName(issue.kind)).field("message", issue.message).endObject();
}

void writeIssues(JsonWriter& json, std::string_view name, const ReadReport& report, bool errors) {
    json.key(name).beginArray();
    for (const auto& issue : report.issues)
        if ((issue.severity == Severity::Error) == errors) writeIssue(json, issue);
    json.endArray();
}

void writeJson(std::ostream& out, const ImportSummary& summary, const ImportTotals& totals) {
    JsonWriter json(out);
    json.beginObject();
    json.field("runs_added", totals.runsAdded);
    json.key("runs").beginArray();
    for (const auto& name : summary.runs)
        json.value(name);
    json.endArray();
    json.field("series", totals.series);
    json.field("points", summary.report.points);
    json.field("rows_skipped", summary.report.rowsSkipped);
    json.field("files_read", summary.filesRead);
    json.field("files_unchanged", summary.filesUnchanged);
    json.field("files_not_logs", summary.filesNotLogs);
    writeIssues(json, "warnings", summary.report, false);
    writeIssues(json, "errors", summary.report, true);
    json.field("issues_suppressed", summary.report.suppressedIssues);
    json.endObject();
    json.finish();
}

void writeText(std::ostream& out, std::ostream& err, const ImportSummary& summary, const ImportTotals& totals,
               const std::string& workspacePath) {
    for (const auto& issue : summary.report.issues)
        err << (issue.severity == Severity::Error ? "error: " : "warning: ") << issue.toString() << '\n';
    if (summary.report.suppressedIssues > 0)
        err << "... and " << summary.report.suppressedIssues << " more issues\n";
    out << "Imported " << summary.report.points << " points into " << workspacePath << ": "
        << summary.runs.size() << " run(s) updated, " << totals.runsAdded << " new, " << totals.series
        << " series; " << summary.filesRead << " file(s) read, " << summary.filesUnchanged << " unchanged";
    if (summary.filesNotLogs > 0) out << ", " << summary.filesNotLogs << " not recognised as logs";
    out << '\n';
}

void checkFormat(const ReaderRegistry& registry, const std::string& format) {
    if (format.empty() || registry.byName(format)) return;
    for (const auto& reader : registry.directoryReaders())
        if (reader->name() == format) return;
    std::string known;
    for (const auto& reader : registry.readers())
        known += (known.empty() ? "" : ", ") + std::string(reader->name());
    throw UsageError("unknown format '" + format + "' (known: " + known + ")");
}

// Why nothing was imported, in one line: the first error when there is one.
std::string nothingImportedReason(const ImportSummary& summary) {
    for (const auto& issue : summary.report.issues)
        if (issue.severity == Severity::Error) return issue.toString();
    if (!summary.report.issues.empty()) return summary.report.issues.front().toString();
    return "no logs found in the given paths";
}

} // namespace

int runImportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const Args parsed(
        args,
        {{"--workspace", "-w", true}, {"--json", "", false}, {"--format", "", true}, {"--run", "", true}});
    const std::string workspacePath = parsed.require("--workspace");
    if (parsed.positionals().empty()) throw UsageError("no PATH to import");
    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    ImportOptions options;
    options.forceFormat = parsed.get("--format", "");
    options.runName = parsed.get("--run", "");
    checkFormat(registry, options.forceFormat);

    std::vector<std::filesystem::path> paths;
    for (const auto& text : parsed.positionals()) {
        requireReadable(text);
        paths.emplace_back(text);
    }
    const auto workspace = Workspace::create(workspacePath);
    const std::set<std::string> before = runNames(*workspace);
    const ImportSummary summary = importPaths(paths, registry, *workspace, options);
    const ImportTotals totals = countTotals(*workspace, before, summary.runs);

    // JSON goes out even when nothing was imported, so scripts see every issue; stderr then gets one line.
    const bool nothingImported = summary.filesRead == 0 && summary.filesUnchanged == 0;
    if (parsed.has("--json"))
        writeJson(out, summary, totals);
    else if (!nothingImported)
        writeText(out, err, summary, totals, workspacePath);
    out.flush();

    if (summary.cancelled) throw InputError("import cancelled");
    if (nothingImported) throw InputError("nothing imported: " + nothingImportedReason(summary));
    return kExitOk;
}

} // namespace runlens::cli
