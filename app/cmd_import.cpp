// `runlens import`: reads logs into a workspace, reports what was skipped, and can watch for more.
#include "app/cli.h"
#include "app/json_writer.h"
#include "core/import/folder_watch.h"
#include "core/import/importer.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <optional>
#include <set>
#include <signal.h>
#include <thread>

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

void writeJson(std::ostream& out, const ImportSummary& summary, const ImportTotals& totals, bool pretty) {
    JsonWriter json(out, pretty);
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

// Set by SIGINT/SIGTERM while watching. A signal handler can only reach static storage, hence the one
// namespace-scope flag; the watch loop and the importer read it as their cancel flag.
std::atomic<bool> gStopWatching{false};

extern "C" void onStopSignal(int) {
    gStopWatching.store(true);
}

// Installs the stop handlers for the lifetime of a watch and restores the previous ones afterwards.
class StopSignals {
  public:
    StopSignals() {
        gStopWatching.store(false);
        struct sigaction action {};
        action.sa_handler = onStopSignal;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &m_oldInt);
        sigaction(SIGTERM, &action, &m_oldTerm);
    }
    ~StopSignals() {
        sigaction(SIGINT, &m_oldInt, nullptr);
        sigaction(SIGTERM, &m_oldTerm, nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
    const std::atomic<bool>* flag() const { return &gStopWatching; }

  private:
    struct sigaction m_oldInt {};
    struct sigaction m_oldTerm {};
};

struct WatchRequest {
    double intervalSeconds = 2;
    std::optional<double> watchSeconds; // none: until SIGINT/SIGTERM
    bool json = false;
};

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::string joinRuns(const std::set<std::string>& runs) {
    std::string out;
    for (const auto& run : runs)
        out += (out.empty() ? "" : ", ") + run;
    return out;
}

// One line for a poll that found something: JSON or text on stdout, its warnings and errors on stderr.
void writePollLine(std::ostream& out, std::ostream& err, const PollResult& poll, bool json) {
    const ImportSummary& summary = poll.summary;
    if (json) {
        JsonWriter w(out, false);
        w.beginObject().field("time", utcNow()).field("points", summary.report.points);
        w.field("points_superseded", poll.pointsSuperseded);
        w.key("runs").beginArray();
        for (const auto& run : summary.runs)
            w.value(run);
        w.endArray();
        w.field("files_read", summary.filesRead);
        writeIssues(w, "warnings", summary.report, false);
        writeIssues(w, "errors", summary.report, true);
        w.endObject();
        w.finish();
    } else {
        for (const auto& issue : summary.report.issues)
            if (issue.severity != Severity::Info)
                err << (issue.severity == Severity::Error ? "error: " : "warning: ") << issue.toString()
                    << '\n';
        out << utcNow() << " +" << summary.report.points << " points";
        if (poll.pointsSuperseded > 0) out << " (" << poll.pointsSuperseded << " superseded by a restart)";
        out << " in " << summary.runs.size() << " run(s)";
        if (!summary.runs.empty()) out << ": " << joinRuns(summary.runs);
        out << "; " << summary.filesRead << " file(s) read\n";
    }
    out.flush();
}

// Sleeps until `until` in short steps, so a stop signal ends the wait promptly. False when stopped.
bool sleepUntil(std::chrono::steady_clock::time_point until, const std::atomic<bool>& stop) {
    while (!stop.load()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= until) return true;
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
    }
    return false;
}

// The watch loop: the first poll is the ordinary import (its usual summary), then one line per poll that
// found something, until the time limit or a stop signal. A failed poll (e.g. the workspace busy) is
// reported and the next one tries again.
int watch(const std::vector<std::filesystem::path>& paths, ImportOptions options, const WatchRequest& request,
          Workspace& workspace, const std::string& workspacePath, std::ostream& out, std::ostream& err) {
    using Clock = std::chrono::steady_clock;
    const StopSignals signals;
    options.cancel = signals.flag();
    const auto start = Clock::now();
    const auto interval =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(request.intervalSeconds));
    const auto deadline = request.watchSeconds
                              ? start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(*request.watchSeconds))
                              : Clock::time_point::max();
    WatchSession session(paths, options);

    const std::set<std::string> before = runNames(workspace);
    const PollResult first = session.poll(workspace);
    const ImportTotals totals = countTotals(workspace, before, first.summary.runs);
    if (request.json)
        writeJson(out, first.summary, totals, false);
    else
        writeText(out, err, first.summary, totals, workspacePath);
    out.flush();

    std::int64_t points = first.summary.report.points;
    auto next = start + interval;
    while (Clock::now() < deadline && sleepUntil(std::min(next, deadline), gStopWatching)) {
        if (Clock::now() >= deadline) break;
        next = Clock::now() + interval;
        try {
            const PollResult poll = session.poll(workspace);
            points += poll.summary.report.points;
            if (poll.foundSomething() && !poll.summary.cancelled) writePollLine(out, err, poll, request.json);
        } catch (const std::exception& e) {
            err << "error: poll failed: " << e.what() << '\n';
        }
    }
    err << "Stopped watching after " << session.polls() << " poll(s); " << points << " points imported\n";
    return kExitOk;
}

constexpr std::string_view kUsage =
    R"(Usage: runlens import PATH... -w WS.runlens [--json] [--format NAME] [--run NAME]
                      [--watch [--interval S] [--watch-seconds N]] [--restart-semantics]

Imports log files and folders into a workspace (created when it does not exist). A folder is walked: each
folder holding logs becomes a run named by its path relative to the imported folder; a file given directly
is a run named after its stem. Files imported before are read on from where they stopped.

Options:
  -w, --workspace WS   workspace file to import into (required)
  --format NAME        use this reader for every file instead of detecting the format
  --run NAME           run name for a single imported file
  --json               print a JSON summary: runs_added, runs, series, points, files_read, files_unchanged,
                       warnings[], errors[] ({file, line, kind, message})
  --watch              keep watching the paths: new files and runs are imported, grown files read on; one
                       line per poll that found something (JSON lines with --json); Ctrl+C stops
  --interval S         seconds between polls (default 2)
  --watch-seconds N    stop watching after N seconds
  --restart-semantics  where a series' steps go back (a restarted run), keep only the newest points at those
                       steps, as TensorBoard does
  -h, --help           show this help

Exit status: 0 imported (warnings allowed), 1 nothing could be imported, 2 usage error.
)";

int runImportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const Args parsed(args, {{"--workspace", "-w", true},
                             {"--json", "", false},
                             {"--format", "", true},
                             {"--run", "", true},
                             {"--restart-semantics", "", false},
                             {"--watch", "", false},
                             {"--interval", "", true},
                             {"--watch-seconds", "", true}});
    const std::string workspacePath = parsed.require("--workspace");
    if (parsed.positionals().empty()) throw UsageError("no PATH to import");
    const bool watching = parsed.has("--watch");
    if (!watching && (parsed.has("--interval") || parsed.has("--watch-seconds")))
        throw UsageError("--interval and --watch-seconds need --watch");
    WatchRequest request;
    request.json = parsed.has("--json");
    request.intervalSeconds = parsed.number("--interval", 2, 0.05, 86400);
    if (parsed.has("--watch-seconds")) request.watchSeconds = parsed.number("--watch-seconds", 0, 0, 1e9);

    const ReaderRegistry registry = ReaderRegistry::withBuiltins();
    ImportOptions options;
    options.forceFormat = parsed.get("--format", "");
    options.runName = parsed.get("--run", "");
    options.restartSemantics = parsed.has("--restart-semantics");
    checkFormat(registry, options.forceFormat);

    std::vector<std::filesystem::path> paths;
    for (const auto& text : parsed.positionals()) {
        requireReadable(text);
        paths.emplace_back(text);
    }
    // A second import of the same workspace waits for the first one's write, and says so.
    Workspace::WaitOptions wait;
    wait.notice = [&err](std::string_view message) {
        err << "runlens: " << message << '\n';
        err.flush();
    };
    const auto workspace = Workspace::create(workspacePath, wait);
    // A watched folder may still be empty (training not started yet), so watching never fails for that.
    if (watching) return watch(paths, options, request, *workspace, workspacePath, out, err);

    const std::set<std::string> before = runNames(*workspace);
    const ImportSummary summary = importIntoWorkspace(paths, registry, *workspace, options).summary;
    const ImportTotals totals = countTotals(*workspace, before, summary.runs);

    // JSON goes out even when nothing was imported, so scripts see every issue; stderr then gets one line.
    const bool nothingImported = summary.filesRead == 0 && summary.filesUnchanged == 0;
    if (request.json)
        writeJson(out, summary, totals, true);
    else if (!nothingImported)
        writeText(out, err, summary, totals, workspacePath);
    out.flush();

    if (summary.cancelled) throw InputError("import cancelled");
    if (nothingImported) throw InputError("nothing imported: " + nothingImportedReason(summary));
    return kExitOk;
}

} // namespace

const Command kImportCommand{"import", "import logs into a workspace", kUsage, &runImportCommand};

} // namespace runlens::cli
