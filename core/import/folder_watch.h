// Live runs: a poll-based watch of imported folders that reads grown files on and picks up new runs.
#pragma once

#include "core/import/importer.h"
#include "core/store/workspace.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

namespace runlens {

// importPaths into a workspace, then (when options.restartSemantics is set) the restart pass over the runs
// that received data; points the pass dropped are reported as Info issues and in pointsSuperseded.
struct WorkspaceImport {
    ImportSummary summary;
    std::int64_t pointsSuperseded = 0;
};
WorkspaceImport importIntoWorkspace(std::span<const std::filesystem::path> paths,
                                    const ReaderRegistry& registry, Workspace& workspace,
                                    const ImportOptions& options = {});

// A cheap fingerprint of a file or folder tree: paths, sizes and modification times of everything the
// importer would look at (hidden entries skipped), walked without opening a file. Bounded in entries and
// depth, so a huge or looping tree still returns quickly. Equal fingerprints mean nothing changed.
std::uint64_t treeFingerprint(const std::filesystem::path& root, const std::atomic<bool>* cancel = nullptr);

// What one poll did.
struct PollResult {
    bool changed = false; // the fingerprint of some root moved, so that root was imported again
    std::int64_t rootsImported = 0;
    ImportSummary summary; // merged over the roots imported in this poll
    std::int64_t pointsSuperseded = 0;

    std::int64_t pointsAdded() const { return summary.report.points - pointsSuperseded; }
    // New data, or a problem worth showing (a warning or an error).
    bool foundSomething() const;
};

// Remembers the imported roots; each poll imports again, through the workspace's stored offsets, only the
// roots whose fingerprint changed since the previous poll. The first poll imports everything. Not thread
// safe: one poll at a time (the GUI runs it on a worker thread with its own workspace connection).
class WatchSession {
  public:
    WatchSession(std::vector<std::filesystem::path> roots, ImportOptions options = {});
    WatchSession(std::vector<std::filesystem::path> roots, ImportOptions options, ReaderRegistry registry);

    PollResult poll(Workspace& workspace);
    // Forgets the fingerprints, so the next poll imports every root again (F5 after a manual change).
    void invalidate();

    const std::vector<std::filesystem::path>& roots() const { return m_roots; }
    std::int64_t polls() const { return m_polls; }

  private:
    std::vector<std::filesystem::path> m_roots;
    ImportOptions m_options;
    ReaderRegistry m_registry;
    std::vector<std::optional<std::uint64_t>> m_fingerprints; // per root; empty before its first import
    std::int64_t m_polls = 0;
};

} // namespace runlens
