// Poll-based folder watching: fingerprints the roots cheaply and imports again only the roots that moved.
#include "core/import/folder_watch.h"

#include "core/store/restart_semantics.h"

#include <algorithm>
#include <string_view>
#include <sys/stat.h>

namespace runlens {

namespace {

namespace fs = std::filesystem;

// Same bounds as the importer's walk: past them the importer reads nothing more either.
constexpr std::size_t kMaxEntries = 400000;
constexpr int kMaxDepth = 64;

// The importer skips these silently, so a change inside them never needs an import.
bool ignoredName(std::string_view name) {
    return name.empty() || name.front() == '.' || name == "__pycache__" || name == "node_modules";
}

// FNV-1a, 64 bit: order-sensitive and cheap; a collision would only delay an import by one change.
class Fingerprint {
  public:
    void add(std::string_view bytes) {
        for (const char c : bytes) {
            m_hash ^= static_cast<unsigned char>(c);
            m_hash *= 0x100000001b3ull;
        }
    }
    void add(std::int64_t number) {
        for (int i = 0; i < 8; ++i) {
            m_hash ^= static_cast<std::uint64_t>(number >> (8 * i)) & 0xffu;
            m_hash *= 0x100000001b3ull;
        }
    }
    std::uint64_t value() const { return m_hash; }

  private:
    std::uint64_t m_hash = 0xcbf29ce484222325ull;
};

class TreeWalk {
  public:
    TreeWalk(Fingerprint& print, const std::atomic<bool>* cancel) : m_print(print), m_cancel(cancel) {}

    void entry(const fs::path& path, int depth) {
        if (++m_entries > kMaxEntries || cancelled()) return;
        m_print.add(path.native());
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) { // one stat, following symlinks as the importer does
            m_print.add(std::int64_t{-1});
            return;
        }
        if (S_ISREG(st.st_mode)) {
            m_print.add(static_cast<std::int64_t>(st.st_size));
            m_print.add(static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
            return;
        }
        if (S_ISDIR(st.st_mode) && depth < kMaxDepth) directory(path, depth);
    }

  private:
    bool cancelled() const { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    void directory(const fs::path& dir, int depth) {
        std::error_code ec;
        fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
        if (ec) {
            m_print.add(std::int64_t{-2});
            return;
        }
        std::vector<fs::path> children; // sorted so the fingerprint does not depend on readdir order
        for (const fs::directory_iterator end; it != end && m_entries + children.size() < kMaxEntries;
             it.increment(ec)) {
            if (ec) break;
            if (!ignoredName(it->path().filename().string())) children.push_back(it->path());
        }
        std::sort(children.begin(), children.end());
        for (const auto& child : children)
            entry(child, depth + 1);
    }

    Fingerprint& m_print;
    const std::atomic<bool>* m_cancel;
    std::size_t m_entries = 0;
};

} // namespace

WorkspaceImport importIntoWorkspace(std::span<const std::filesystem::path> paths,
                                    const ReaderRegistry& registry, Workspace& workspace,
                                    const ImportOptions& options) {
    WorkspaceImport result;
    result.summary = importPaths(paths, registry, workspace, options);
    if (!options.restartSemantics || result.summary.cancelled || result.summary.runs.empty()) return result;
    RestartPassResult pass = applyRestartSemantics(workspace, result.summary.runs);
    result.pointsSuperseded = pass.pointsDropped;
    result.summary.report.merge(pass.report);
    return result;
}

std::uint64_t treeFingerprint(const std::filesystem::path& root, const std::atomic<bool>* cancel) {
    Fingerprint print;
    TreeWalk walk(print, cancel);
    walk.entry(root, 0);
    return print.value();
}

bool PollResult::foundSomething() const {
    if (summary.report.points > 0 || summary.filesRead > 0) return true;
    for (const auto& issue : summary.report.issues)
        if (issue.severity != Severity::Info) return true;
    return false;
}

WatchSession::WatchSession(std::vector<std::filesystem::path> roots, ImportOptions options)
    : WatchSession(std::move(roots), std::move(options), ReaderRegistry::withBuiltins()) {}

WatchSession::WatchSession(std::vector<std::filesystem::path> roots, ImportOptions options,
                           ReaderRegistry registry)
    : m_roots(std::move(roots)), m_options(std::move(options)), m_registry(std::move(registry)),
      m_fingerprints(m_roots.size()) {}

void WatchSession::invalidate() {
    for (auto& print : m_fingerprints)
        print.reset();
}

PollResult WatchSession::poll(Workspace& workspace) {
    ++m_polls;
    PollResult result;
    for (std::size_t i = 0; i < m_roots.size(); ++i) {
        if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) break;
        // Taken before the import: a change made while importing moves the next fingerprint.
        const std::uint64_t print = treeFingerprint(m_roots[i], m_options.cancel);
        if (m_fingerprints[i] == print) continue;
        result.changed = true;
        ++result.rootsImported;
        const WorkspaceImport imported =
            importIntoWorkspace({&m_roots[i], 1}, m_registry, workspace, m_options);
        const ImportSummary& s = imported.summary;
        result.summary.report.merge(s.report);
        result.summary.filesRead += s.filesRead;
        result.summary.filesUnchanged += s.filesUnchanged;
        result.summary.filesNotLogs += s.filesNotLogs;
        result.summary.runs.insert(s.runs.begin(), s.runs.end());
        result.pointsSuperseded += imported.pointsSuperseded;
        if (s.cancelled) {
            result.summary.cancelled = true;
            break; // the cancelled files are read again next time, so the root stays marked as changed
        }
        m_fingerprints[i] = print;
    }
    return result;
}

} // namespace runlens
