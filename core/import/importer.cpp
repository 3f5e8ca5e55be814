// Import of files and folders: plans the walk, names runs by directory, picks readers and resumes grown
// files (the sinks it reads through are in import_sinks.cpp).
#include "core/import/importer.h"

#include "core/import/import_sinks.h"
#include "core/io/worker_runs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <map>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace runlens {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxFiles = 100000;
constexpr int kMaxDepth = 64;

// One unit of work found by the walk: a file for a file reader, or a directory a directory reader claimed.
struct PlanItem {
    fs::path path;
    std::string runName;
    fs::path root;
    const DirectoryReader* directoryReader = nullptr;
    std::int64_t size = 0;
};

bool skippedSilently(const std::string& name) {
    return name.empty() || name.front() == '.' || name == "__pycache__" || name == "node_modules";
}

std::string displayName(const fs::path& p) {
    return p.string();
}

using import_sinks::DeferredSink;
using import_sinks::RecordingSink;
using import_sinks::RecordingTarget;
using import_sinks::reportRestarts;
using import_sinks::StepTracker;

// A reader refuses a whole file it cannot hold (a prediction log over its cell limit) with an Unsupported
// error and no data; such a file's transaction is rolled back rather than committed empty.
bool refusedWhole(const ReadReport& report, const RecordingSink& sink) {
    if (sink.delivered()) return false;
    return std::any_of(report.issues.begin(), report.issues.end(), [](const ReadIssue& issue) {
        return issue.severity == Severity::Error && issue.kind == IssueKind::Unsupported;
    });
}

// What the workspace remembers of a read file. A held-back last line counts as not yet seen (the stored size
// stops before it), so the file is never called unchanged while that line is pending. A last line that was
// read without its line end may have been cut mid-value: offset 0 makes the next change of the file read
// it whole again instead of appending the rest of that line as a row of its own.
SourceState storedState(const ReadReport& report, SourceState state) {
    if (report.partialTailHeld) state.size = std::min(state.size, report.endOffset);
    if (report.partialTailRead) state.offset = 0;
    return state;
}
// The event files of one folder-run, read in name order: the hparams of the current trial and its run.
struct TrialGroup {
    int trial = 1;
    std::map<std::string, std::string> params; // of the current trial
    std::string currentRun;                    // where the current trial's data goes
    bool anyChanged = false;                   // some file of the group is new or grew since last import
};

// A file that only ever gives params to its folder's run (an unrelated config.json is common): read last,
// and only when the folder's run has a log of its own.
bool isParamsOnlyFile(const fs::path& p) {
    return p.filename() == "config.json";
}

bool isEventFile(const fs::path& p) {
    return p.filename().string().rfind("events.out.tfevents", 0) == 0;
}

class Importer {
  public:
    Importer(const ReaderRegistry& registry, ImportTarget& target, const ImportOptions& options)
        : m_registry(registry), m_target(target), m_options(options) {}

    ImportSummary run(std::span<const fs::path> paths);

  private:
    bool cancelled() const { return m_options.cancel && m_options.cancel->load(std::memory_order_relaxed); }
    void planPath(const fs::path& path);
    void planDirectory(const fs::path& dir, const fs::path& root, const fs::path& canonicalRoot,
                       const std::string& rootName, int depth);
    void addFile(const fs::path& file, std::string runName, const fs::path& root);
    void importFile(const PlanItem& item);
    void findTrialGroups();
    void importTrialFile(const PlanItem& item, TrialGroup& group, const Reader& reader, bool unchanged,
                         const SourceState& state);
    std::string trialRunFor(TrialGroup& group, const std::string& base, const std::string& file,
                            const std::map<std::string, std::string>& params);
    void importDirectory(const PlanItem& item);
    void unreadable(const fs::path& path, const std::string& reason) {
        m_summary.report.error(IssueKind::Unreadable, displayName(path), 0,
                               "cannot read " + displayName(path) + ": " + reason);
    }

    const ReaderRegistry& m_registry;
    ImportTarget& m_target;
    const ImportOptions& m_options;
    ImportProgress* m_progress = nullptr; // the run's progress while its plan is read
    ImportSummary m_summary;
    std::vector<PlanItem> m_plan;
    std::int64_t m_overCap = 0;
    std::set<std::string> m_visited; // canonical directories already walked (symlink loops)
    StepTracker m_highestSteps;
    std::map<std::string, TrialGroup> m_trialGroups; // by folder run: folders holding >= 2 event files
    std::set<std::string> m_runsWithLogs;            // folder runs with a file some reader took (read or not)
};

void Importer::addFile(const fs::path& file, std::string runName, const fs::path& root) {
    if (m_plan.size() >= kMaxFiles) {
        ++m_overCap;
        return;
    }
    PlanItem item;
    item.path = file;
    item.runName = std::move(runName);
    item.root = root;
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    item.size = ec ? 0 : static_cast<std::int64_t>(size);
    m_plan.push_back(std::move(item));
}

void Importer::planPath(const fs::path& input) {
    std::error_code ec;
    const fs::path path = fs::absolute(input, ec).lexically_normal();
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        unreadable(input, ec ? ec.message() : "no such file or directory");
        return;
    }
    if (fs::is_directory(status)) {
        fs::path named = path;
        if (named.filename().empty()) named = named.parent_path();
        const std::string rootName = named.filename().string();
        const fs::path canonicalRoot = fs::weakly_canonical(named, ec);
        planDirectory(named, named, ec ? named : canonicalRoot, rootName, 0);
        return;
    }
    if (!fs::is_regular_file(status)) {
        struct stat st {};
        unreadable(input, ::stat(path.c_str(), &st) == 0 ? fileKindName(st.st_mode) + ", not a regular file"
                                                         : std::string("not a regular file"));
        return;
    }
    const std::string runName = m_options.runName.empty() ? path.stem().string() : m_options.runName;
    addFile(path, runName, path.parent_path());
}

void Importer::planDirectory(const fs::path& dir, const fs::path& root, const fs::path& canonicalRoot,
                             const std::string& rootName, int depth) {
    if (cancelled()) return;
    std::error_code ec;
    const std::string canonical = fs::weakly_canonical(dir, ec).string();
    if (!m_visited.insert(ec ? dir.string() : canonical).second) return; // a symlink loop
    const std::string runName = dir == root ? rootName : dir.lexically_relative(root).generic_string();

    if (const DirectoryReader* reader = m_registry.pickDirectory(dir)) {
        if (m_plan.size() >= kMaxFiles) {
            ++m_overCap;
            return;
        }
        PlanItem item;
        item.path = dir;
        item.runName = runName;
        item.root = root;
        item.directoryReader = reader;
        m_plan.push_back(std::move(item));
        return;
    }
    if (depth >= kMaxDepth) {
        m_summary.report.warn(IssueKind::Unsupported, displayName(dir), 0,
                              "folders nested deeper than " + std::to_string(kMaxDepth) + " levels not read");
        return;
    }

    std::vector<fs::directory_entry> entries;
    fs::directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) {
        unreadable(dir, ec.message());
        return;
    }
    for (const fs::directory_iterator end; it != end; it.increment(ec)) {
        if (ec) {
            unreadable(dir, ec.message());
            break;
        }
        if (!skippedSilently(it->path().filename().string())) entries.push_back(*it);
        if (entries.size() > 4 * kMaxFiles) break; // bounded even for absurd folders
    }
    std::sort(entries.begin(), entries.end(),
              [](const fs::directory_entry& a, const fs::directory_entry& b) { return a.path() < b.path(); });

    std::vector<fs::path> subdirs;
    for (const auto& entry : entries) {
        const fs::path& p = entry.path();
        if (entry.is_symlink(ec)) {
            const fs::path target = fs::weakly_canonical(p, ec);
            const auto rel = target.lexically_relative(canonicalRoot);
            if (ec || rel.empty() || *rel.begin() == "..") {
                m_summary.report.add(Severity::Warning, IssueKind::Unsupported, displayName(p), 0,
                                     "symbolic link points outside the imported folder; not followed");
                continue;
            }
        }
        const auto status = entry.status(ec);
        if (ec) {
            unreadable(p, ec.message());
            continue;
        }
        if (fs::is_directory(status)) {
            subdirs.push_back(p);
        } else if (fs::is_regular_file(status)) {
            addFile(p, runName, root);
        } else {
            struct stat st {}; // a FIFO, device or socket: never opened (it could block the import forever)
            if (::stat(p.c_str(), &st) == 0)
                m_summary.report.warn(IssueKind::Unreadable, displayName(p), 0,
                                      fileKindName(st.st_mode) + ", not a regular file; not read");
        }
    }
    for (const auto& sub : subdirs)
        planDirectory(sub, root, canonicalRoot, rootName, depth + 1);
}

void Importer::importDirectory(const PlanItem& item) {
    ReadContext ctx;
    ctx.runName = item.runName;
    ctx.root = item.root;
    ctx.cancel = m_options.cancel;
    RecordingTarget recording(m_target, m_summary.runs, m_options.cancel, m_highestSteps, m_summary.report);
    try {
        ReadReport report = item.directoryReader->read(item.path, ctx, recording);
        m_summary.report.merge(report);
    } catch (const std::exception& e) {
        m_summary.report.error(IssueKind::BadRecord, displayName(item.path), 0,
                               std::string(item.directoryReader->name()) + " reader failed: " + e.what());
    }
    m_summary.filesRead += recording.commits;
    m_summary.filesUnchanged += recording.unchanged();
}

void Importer::importFile(const PlanItem& item) {
    const std::string name = displayName(item.path);
    struct stat st {};
    std::string reason;
    const int fd = openRegularFile(item.path, reason); // a FIFO swapped in since the walk must not hang us
    if (fd < 0) {
        unreadable(item.path, reason);
        return;
    }
    const bool statted = ::fstat(fd, &st) == 0;
    ::close(fd);
    if (!statted) {
        unreadable(item.path, std::strerror(errno));
        return;
    }
    const auto size = static_cast<std::int64_t>(st.st_size);
    const std::int64_t mtimeNs =
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;

    const FileProbe probe = FileProbe::fromFile(item.path);
    const Reader* reader = nullptr;
    if (!m_options.forceFormat.empty()) {
        reader = m_registry.byName(m_options.forceFormat);
        if (!reader) {
            m_summary.report.error(IssueKind::Unsupported, name, 0,
                                   "unknown format '" + m_options.forceFormat + "'");
            return;
        }
    } else {
        reader = m_registry.pick(probe);
    }
    if (!reader) {
        m_summary.report.add(Severity::Info, IssueKind::NotALog, name, 0,
                             "not a log: " + item.path.filename().string());
        ++m_summary.filesNotLogs;
        return;
    }
    if (!isParamsOnlyFile(item.path)) {
        m_runsWithLogs.insert(item.runName);
    } else if (m_options.forceFormat.empty() && !m_runsWithLogs.count(item.runName)) {
        m_summary.report.add(Severity::Info, IssueKind::NotALog, name, 0,
                             "config.json with no logs beside it: not a run");
        ++m_summary.filesNotLogs;
        return;
    }

    const std::string key = item.path.lexically_normal().string();
    const std::string format(reader->name());
    ReadContext ctx;
    ctx.runName = item.runName;
    ctx.root = item.root;
    ctx.cancel = m_options.cancel;
    if (m_options.progress && m_progress) {
        // Within one file, progress counts the bytes read so far (the caller throttles how often it shows).
        ctx.onProgress = [this, before = m_progress->bytesDone, fileSize = item.size](std::int64_t offset) {
            ImportProgress now = *m_progress;
            now.bytesDone = before + std::clamp<std::int64_t>(offset, 0, fileSize);
            m_options.progress(now);
        };
    }
    bool replace = true;
    const auto state = m_target.sourceState(key);
    const bool unchanged = state && state->format == format && state->size == size &&
                           state->mtimeNs == mtimeNs && !m_options.rereadUnchanged;
    if (const auto group = m_trialGroups.find(item.runName);
        group != m_trialGroups.end() && format == "tfevents" && isEventFile(item.path)) {
        importTrialFile(item, group->second, *reader, unchanged, SourceState{format, size, mtimeNs, 0});
        return;
    }
    if (state && state->format == format) {
        if (unchanged) {
            ++m_summary.filesUnchanged;
            return;
        }
        // Seen before and grown since: a live log whose writer may be in the middle of its last line.
        ctx.holdPartialTail = size > state->size;
        if (reader->appendable() && size > state->size && state->offset > 0 && state->offset <= size) {
            ctx.fromOffset = state->offset;
            replace = false;
        }
    }

    try {
        auto txn = m_target.beginSource(key, format, replace);
        if (!txn) {
            m_summary.report.error(IssueKind::Unreadable, name, 0, "the workspace refused " + name);
            return;
        }
        RecordingSink sink(*txn, m_options.cancel, &m_highestSteps);
        // A distributed worker's folder (rank_0/, worker_1/): its data, params included, go to the base run.
        const auto worker = parseWorkerRun(item.runName);
        std::optional<WorkerSink> workerSink;
        if (worker) workerSink.emplace(sink, item.runName, *worker);
        ImportSink& into = workerSink ? static_cast<ImportSink&>(*workerSink) : sink;
        ReadReport report = reader->read(item.path, ctx, into);
        report.format = format;
        reportRestarts(report, name, sink.restarts());
        m_summary.report.merge(report);
        if (cancelled()) return; // the transaction rolls back; the file is read again next time
        if (refusedWhole(report, sink)) return; // nothing of it is kept: a later import tries again
        sink.commit(storedState(report, SourceState{format, size, mtimeNs, report.endOffset}));
        m_summary.runs.insert(sink.seen().begin(), sink.seen().end());
        if (sink.delivered()) ++m_summary.filesRead;
    } catch (const std::exception& e) {
        m_summary.report.error(IssueKind::BadRecord, name, 0, format + " reader failed: " + e.what());
    }
}

// Folders with two or more event files may hold several trials (an Optuna or Lightning sweep writing into
// one folder): such files are read whole, and a file whose hparams differ from the current trial's starts
// a new one.
void Importer::findTrialGroups() {
    if (!m_options.forceFormat.empty()) return;
    std::map<std::string, int> eventFiles;
    for (const auto& item : m_plan)
        if (!item.directoryReader && isEventFile(item.path)) ++eventFiles[item.runName];
    for (const auto& [run, count] : eventFiles)
        if (count >= 2) m_trialGroups[run].currentRun = run;
    for (const auto& item : m_plan) {
        auto group = m_trialGroups.find(item.runName);
        if (group == m_trialGroups.end() || item.directoryReader || !isEventFile(item.path)) continue;
        struct stat st {};
        const auto state = m_target.sourceState(item.path.lexically_normal().string());
        if (::stat(item.path.c_str(), &st) != 0 || !state || m_options.rereadUnchanged ||
            state->size != static_cast<std::int64_t>(st.st_size) ||
            state->mtimeNs != static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec)
            group->second.anyChanged = true;
    }
}

std::string Importer::trialRunFor(TrialGroup& group, const std::string& base, const std::string& file,
                                  const std::map<std::string, std::string>& params) {
    if (params.empty()) return group.currentRun; // a file without hparams continues the current trial
    for (const auto& [key, value] : params) {
        const auto it = group.params.find(key);
        if (it == group.params.end() || it->second == value) continue;
        ++group.trial;
        const std::string was = it->second;
        group.currentRun = joinRunName(base, "trial_" + std::to_string(group.trial));
        group.params = params;
        m_summary.report.add(Severity::Info, IssueKind::StepsRestart, file, 0,
                             "hparams differ from the earlier event files of '" + base + "' (" + key + ": " +
                                 was + " -> " + value + "): a new trial, imported as run '" +
                                 group.currentRun + "'");
        return group.currentRun;
    }
    group.params.insert(params.begin(), params.end());
    return group.currentRun;
}

void Importer::importTrialFile(const PlanItem& item, TrialGroup& group, const Reader& reader, bool unchanged,
                               const SourceState& state) {
    const std::string name = displayName(item.path);
    if (unchanged && !group.anyChanged) {
        ++m_summary.filesUnchanged;
        return;
    }
    try {
        ReadContext ctx;
        ctx.runName = item.runName;
        ctx.root = item.root;
        ctx.cancel = m_options.cancel;
        DeferredSink deferred(m_options.cancel);
        ReadReport report = reader.read(item.path, ctx, deferred);
        report.format = state.format;
        const std::string run = trialRunFor(group, item.runName, name, deferred.paramsOf(item.runName));
        if (unchanged) { // read again only to know its trial; its data is in the workspace already
            ++m_summary.filesUnchanged;
            return;
        }
        if (cancelled()) return;
        auto txn = m_target.beginSource(item.path.lexically_normal().string(), state.format, true);
        if (!txn) {
            m_summary.report.error(IssueKind::Unreadable, name, 0, "the workspace refused " + name);
            return;
        }
        RecordingSink sink(*txn, m_options.cancel, &m_highestSteps);
        const auto worker = parseWorkerRun(run);
        std::optional<WorkerSink> workerSink;
        if (worker) workerSink.emplace(sink, run, *worker);
        deferred.replay(workerSink ? static_cast<ImportSink&>(*workerSink) : sink, item.runName, run);
        reportRestarts(report, name, sink.restarts());
        m_summary.report.merge(report);
        if (cancelled()) return;
        sink.commit(SourceState{state.format, state.size, state.mtimeNs, report.endOffset});
        m_summary.runs.insert(sink.seen().begin(), sink.seen().end());
        if (sink.delivered()) ++m_summary.filesRead;
    } catch (const std::exception& e) {
        m_summary.report.error(IssueKind::BadRecord, name, 0, state.format + " reader failed: " + e.what());
    }
}

ImportSummary Importer::run(std::span<const fs::path> paths) {
    for (const auto& p : paths) {
        if (cancelled()) break;
        planPath(p);
    }
    if (m_overCap > 0)
        m_summary.report.warn(IssueKind::Unsupported, "", 0,
                              "import stopped at " + std::to_string(kMaxFiles) + " files; " +
                                  std::to_string(m_overCap) + " more not read");

    findTrialGroups();
    // Params-only files go last, once every log of their folder has been seen.
    std::stable_partition(m_plan.begin(), m_plan.end(), [](const PlanItem& item) {
        return item.directoryReader || !isParamsOnlyFile(item.path);
    });
    ImportProgress progress;
    progress.filesTotal = static_cast<std::int64_t>(m_plan.size());
    for (const auto& item : m_plan)
        progress.bytesTotal += item.size;
    m_progress = &progress;
    for (const auto& item : m_plan) {
        if (cancelled()) break;
        progress.currentFile = item.path.string();
        if (m_options.progress) m_options.progress(progress);
        if (item.directoryReader)
            importDirectory(item);
        else
            importFile(item);
        ++progress.filesDone;
        progress.bytesDone += item.size;
    }
    if (cancelled()) {
        m_summary.cancelled = true;
        m_summary.report.add(Severity::Warning, IssueKind::Cancelled, "", 0, "import cancelled");
    }
    m_progress = nullptr;
    progress.currentFile.clear();
    if (m_options.progress) m_options.progress(progress);
    return std::move(m_summary);
}

} // namespace

ImportSummary importPaths(std::span<const std::filesystem::path> paths, const ReaderRegistry& registry,
                          ImportTarget& target, const ImportOptions& options) {
    Importer importer(registry, target, options);
    return importer.run(paths);
}

} // namespace runlens
