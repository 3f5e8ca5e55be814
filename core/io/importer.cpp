// Import of files and folders: plans the walk, names runs by directory, picks readers and resumes grown
// files.
#include "core/io/importer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fcntl.h>
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

// Forwards to the real transaction and notes which runs received anything.
class RecordingSink : public SourceTransaction {
  public:
    RecordingSink(SourceTransaction& inner, const std::atomic<bool>* cancel)
        : m_inner(inner), m_cancel(cancel) {}

    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        note(run);
        m_inner.appendPoints(run, tag, steps, wallTimes, values);
    }
    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        note(run);
        m_inner.setParam(run, key, value);
    }
    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        note(run);
        m_inner.setTag(run, key, value);
    }
    void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) override {
        m_inner.setProvenance(run, field, value);
    }
    void setSummaryMetric(std::string_view run, std::string_view key, double value) override {
        note(run);
        m_inner.setSummaryMetric(run, key, value);
    }
    void addPredictions(std::string_view run, PredictionTable table) override {
        note(run);
        m_inner.addPredictions(run, std::move(table));
    }
    bool cancelled() const override {
        return (m_cancel && m_cancel->load(std::memory_order_relaxed)) || m_inner.cancelled();
    }
    void commit(const SourceState& state) override { m_inner.commit(state); }
    bool delivered() const { return m_delivered; }
    const std::set<std::string>& seen() const { return m_seen; }

  private:
    void note(std::string_view run) {
        m_delivered = true;
        if (m_last != run) {
            m_last.assign(run);
            m_seen.insert(m_last);
        }
    }
    SourceTransaction& m_inner;
    const std::atomic<bool>* m_cancel;
    bool m_delivered = false;
    std::string m_last;
    std::set<std::string> m_seen; // moved into the summary only when the source commits
};

// A reader refuses a whole file it cannot hold (a prediction log over its cell limit) with an Unsupported
// error and no data; such a file's transaction is rolled back rather than committed empty.
bool refusedWhole(const ReadReport& report, const RecordingSink& sink) {
    if (sink.delivered()) return false;
    return std::any_of(report.issues.begin(), report.issues.end(), [](const ReadIssue& issue) {
        return issue.severity == Severity::Error && issue.kind == IssueKind::Unsupported;
    });
}

// Wraps a target so a directory reader's transactions are recorded the same way.
class RecordingTarget : public ImportTarget {
  public:
    RecordingTarget(ImportTarget& inner, std::set<std::string>& runs, const std::atomic<bool>* cancel)
        : m_inner(inner), m_runs(runs), m_cancel(cancel) {}

    std::optional<SourceState> sourceState(const std::string& path) override {
        return m_inner.sourceState(path);
    }
    std::unique_ptr<SourceTransaction> beginSource(const std::string& path, std::string_view format,
                                                   bool replace) override;
    std::int64_t commits = 0;

  private:
    ImportTarget& m_inner;
    std::set<std::string>& m_runs;
    const std::atomic<bool>* m_cancel;
};

class RecordedTransaction : public SourceTransaction {
  public:
    RecordedTransaction(std::unique_ptr<SourceTransaction> inner, RecordingTarget& owner,
                        std::set<std::string>& runs, const std::atomic<bool>* cancel)
        : m_inner(std::move(inner)), m_sink(*m_inner, cancel), m_owner(owner), m_runs(runs) {}
    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        m_sink.appendPoints(run, tag, steps, wallTimes, values);
    }
    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        m_sink.setParam(run, key, value);
    }
    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        m_sink.setTag(run, key, value);
    }
    void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) override {
        m_sink.setProvenance(run, field, value);
    }
    void setSummaryMetric(std::string_view run, std::string_view key, double value) override {
        m_sink.setSummaryMetric(run, key, value);
    }
    void addPredictions(std::string_view run, PredictionTable table) override {
        m_sink.addPredictions(run, std::move(table));
    }
    bool cancelled() const override { return m_sink.cancelled(); }
    void commit(const SourceState& state) override {
        m_sink.commit(state);
        ++m_owner.commits;
        m_runs.insert(m_sink.seen().begin(), m_sink.seen().end());
    }

  private:
    std::unique_ptr<SourceTransaction> m_inner;
    RecordingSink m_sink;
    RecordingTarget& m_owner;
    std::set<std::string>& m_runs;
};

std::unique_ptr<SourceTransaction> RecordingTarget::beginSource(const std::string& path,
                                                                std::string_view format, bool replace) {
    auto inner = m_inner.beginSource(path, format, replace);
    if (!inner) return nullptr;
    return std::make_unique<RecordedTransaction>(std::move(inner), *this, m_runs, m_cancel);
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
    void importDirectory(const PlanItem& item);
    void unreadable(const fs::path& path, const std::string& reason) {
        m_summary.report.error(IssueKind::Unreadable, displayName(path), 0,
                               "cannot read " + displayName(path) + ": " + reason);
    }

    const ReaderRegistry& m_registry;
    ImportTarget& m_target;
    const ImportOptions& m_options;
    ImportSummary m_summary;
    std::vector<PlanItem> m_plan;
    std::int64_t m_overCap = 0;
    std::set<std::string> m_visited; // canonical directories already walked (symlink loops)
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
        unreadable(input, "not a regular file");
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
        if (fs::is_directory(status))
            subdirs.push_back(p);
        else if (fs::is_regular_file(status))
            addFile(p, runName, root);
    }
    for (const auto& sub : subdirs)
        planDirectory(sub, root, canonicalRoot, rootName, depth + 1);
}

void Importer::importDirectory(const PlanItem& item) {
    ReadContext ctx;
    ctx.runName = item.runName;
    ctx.root = item.root;
    ctx.cancel = m_options.cancel;
    RecordingTarget recording(m_target, m_summary.runs, m_options.cancel);
    try {
        ReadReport report = item.directoryReader->read(item.path, ctx, recording);
        m_summary.report.merge(report);
    } catch (const std::exception& e) {
        m_summary.report.error(IssueKind::BadRecord, displayName(item.path), 0,
                               std::string(item.directoryReader->name()) + " reader failed: " + e.what());
    }
    m_summary.filesRead += recording.commits;
}

void Importer::importFile(const PlanItem& item) {
    const std::string name = displayName(item.path);
    struct stat st {};
    const int fd = ::open(item.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fstat(fd, &st) != 0) {
        unreadable(item.path, std::strerror(errno));
        if (fd >= 0) ::close(fd);
        return;
    }
    ::close(fd);
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

    const std::string key = item.path.lexically_normal().string();
    const std::string format(reader->name());
    ReadContext ctx;
    ctx.runName = item.runName;
    ctx.root = item.root;
    ctx.cancel = m_options.cancel;
    bool replace = true;
    if (const auto state = m_target.sourceState(key); state && state->format == format) {
        if (state->size == size && state->mtimeNs == mtimeNs && !m_options.rereadUnchanged) {
            ++m_summary.filesUnchanged;
            return;
        }
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
        RecordingSink sink(*txn, m_options.cancel);
        ReadReport report = reader->read(item.path, ctx, sink);
        report.format = format;
        m_summary.report.merge(report);
        if (cancelled()) return; // the transaction rolls back; the file is read again next time
        if (refusedWhole(report, sink)) return; // nothing of it is kept: a later import tries again
        sink.commit(SourceState{format, size, mtimeNs, report.endOffset});
        m_summary.runs.insert(sink.seen().begin(), sink.seen().end());
        if (sink.delivered()) ++m_summary.filesRead;
    } catch (const std::exception& e) {
        m_summary.report.error(IssueKind::BadRecord, name, 0, format + " reader failed: " + e.what());
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

    ImportProgress progress;
    progress.filesTotal = static_cast<std::int64_t>(m_plan.size());
    for (const auto& item : m_plan)
        progress.bytesTotal += item.size;
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
