// The SQLite workspace (*.runlens): runs, params, tags, provenance, chunked series and prediction tables.
#pragma once

#include "core/model/import_sink.h"
#include "core/model/prediction_table.h"
#include "core/model/run.h"
#include "core/model/series.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;

namespace runlens {

namespace store {
struct BusyWait;
struct SeriesQueries;
} // namespace store

// Every store failure, with a sentence a user can act on ("… was written by a newer Runlens (schema 7)").
class WorkspaceError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct PredictionTableInfo {
    std::int64_t id = 0;
    std::int64_t runId = 0;
    std::string name;
    std::string sourcePath;
    std::int64_t rows = 0;
};

struct StepRange {
    std::int64_t first = INT64_MIN;
    std::int64_t last = INT64_MAX;
};

// How long any query or write waits while another process holds the lock it needs (an import writing, a
// checkpoint), then fails with "… is being written by another process"; notice, when set, is told once per
// wait that lasts longer than a quarter second (the CLI prints it).
inline constexpr int kWorkspaceBusyTimeoutMs = 60000;
struct WorkspaceWaitOptions {
    int limitMs = kWorkspaceBusyTimeoutMs;
    std::function<void(std::string_view)> notice;
};

class Workspace : public ImportTarget {
  public:
    static constexpr int kSchemaVersion = 2;
    static constexpr std::size_t kChunkPoints = 4096;

    enum class Mode { ReadWrite, ReadOnly };

    static constexpr int kBusyTimeoutMs = kWorkspaceBusyTimeoutMs;
    using WaitOptions = WorkspaceWaitOptions;

    // Creates the file (or opens it when it exists, migrating an older schema). Throws WorkspaceError.
    static std::unique_ptr<Workspace> create(const std::filesystem::path& path, const WaitOptions& wait = {});
    // Opens an existing workspace; refuses a newer schema or a file that is not a workspace.
    static std::unique_ptr<Workspace> open(const std::filesystem::path& path, Mode mode = Mode::ReadWrite,
                                           const WaitOptions& wait = {});
    ~Workspace() override;
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    bool readOnly() const { return m_readOnly; }
    int schemaVersion() const;

    // Runs sorted by name, with params, tags, provenance and series summaries (never reads chunks).
    std::vector<RunInfo> runs() const;
    std::optional<RunInfo> run(std::int64_t runId) const;
    std::optional<std::int64_t> runId(const std::string& name) const;
    std::vector<std::string> tags() const; // every series tag of any run, sorted

    // Points of one series, in stored order; only chunks overlapping the step range are read.
    SeriesData readSeries(std::int64_t runId, const std::string& tag, StepRange range = {}) const;
    // The same into out (replaced), reusing its buffers: a loop over many series allocates once.
    void readSeriesInto(std::int64_t runId, const std::string& tag, SeriesData& out,
                        StepRange range = {}) const;
    std::vector<ChunkInfo> chunkIndex(std::int64_t runId, const std::string& tag) const;

    // Writes a consistent, compacted copy of the workspace to target (which must not exist), even while an
    // import's WAL frames are pending (SQLite's VACUUM INTO).
    void saveCopy(const std::filesystem::path& target) const;

    void deleteRun(std::int64_t runId);
    void renameRun(std::int64_t runId, const std::string& newName);

    std::vector<PredictionTableInfo> predictionTables(std::int64_t runId) const;
    // Every run's tables in one query, by run id then name (a view listing 1,000 runs asked 1,000 times).
    std::vector<PredictionTableInfo> allPredictionTables() const;
    PredictionTable readPredictions(std::int64_t tableId) const;

    std::vector<std::pair<std::string, SourceState>> sources() const;

    // ImportTarget: one transaction per source file.
    std::optional<SourceState> sourceState(const std::string& path) override;
    std::unique_ptr<SourceTransaction> beginSource(const std::string& path, std::string_view format,
                                                   bool replace) override;

    // Caps this connection's page cache (64 MB by default). A connection that reads each series once, such as
    // a background scan, gains nothing from caching pages and would only hold them.
    void setPageCacheKib(int kib);

  private:
    friend struct StoreAccess; // core/store/store_access.h: the connection for the store's own helpers
    Workspace(std::filesystem::path path, sqlite3* db, bool readOnly);
    std::filesystem::path m_path;
    sqlite3* m_db = nullptr;
    bool m_readOnly = false;
    std::unique_ptr<store::BusyWait> m_busy; // the connection's busy handler data; outlives m_db's close
    // The series lookup and readSeriesInto's chunk query, prepared once on first use: a card reads a thousand
    // series with the same queries.
    store::SeriesQueries& seriesQueries() const;
    mutable std::unique_ptr<store::SeriesQueries> m_seriesQueries;
};

} // namespace runlens
