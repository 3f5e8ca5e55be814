// The SQLite workspace: create and open (store/connection), import (store/import_transaction), and queries.
#include "core/store/workspace.h"

#include "core/store/chunk_codec.h"
#include "core/store/connection.h"
#include "core/store/import_transaction.h"
#include "core/store/prediction_codec.h"
#include "core/store/schema.h"
#include "core/store/sqlite_handle.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <sqlite3.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace runlens {

using store::Statement;

namespace {

// Never trust a stored point count enough to reserve more than this up front.
constexpr std::int64_t kMaxReserve = std::int64_t{1} << 26;

} // namespace

Workspace::Workspace(std::filesystem::path path, sqlite3* db, bool readOnly)
    : m_path(std::move(path)), m_db(db), m_readOnly(readOnly) {}

Workspace::~Workspace() {
    if (!m_db) return;
    m_seriesQueries.reset(); // finalized before the close, so the connection closes now, not as a zombie
    // Statistics are a courtesy: never keep a closing window waiting for another process's write lock.
    if (m_busy) m_busy->limitMs = 100;
    if (!m_readOnly) sqlite3_exec(m_db, "PRAGMA optimize", nullptr, nullptr, nullptr);
    sqlite3_close_v2(m_db);
}

namespace {

std::unique_ptr<store::BusyWait> busyWaitFor(const std::filesystem::path& path,
                                             const Workspace::WaitOptions& wait) {
    auto busy = std::make_unique<store::BusyWait>();
    busy->limitMs = wait.limitMs;
    busy->label = path.string();
    busy->notice = wait.notice;
    return busy;
}

} // namespace

std::unique_ptr<Workspace> Workspace::create(const std::filesystem::path& path, const WaitOptions& wait) {
    auto busy = busyWaitFor(path, wait);
    store::Connection conn(store::openConnection(path, false, true, busy.get()));
    auto ws = std::unique_ptr<Workspace>(new Workspace(path, conn.get(), false));
    ws->m_busy = std::move(busy);
    conn.release();
    return ws;
}

std::unique_ptr<Workspace> Workspace::open(const std::filesystem::path& path, Mode mode,
                                           const WaitOptions& wait) {
    const bool readOnly = mode == Mode::ReadOnly;
    auto busy = busyWaitFor(path, wait);
    store::Connection conn(store::openConnection(path, readOnly, false, busy.get()));
    auto ws = std::unique_ptr<Workspace>(new Workspace(path, conn.get(), readOnly));
    ws->m_busy = std::move(busy);
    conn.release();
    return ws;
}

int Workspace::schemaVersion() const {
    return store::userVersion(m_db);
}

namespace {

// Fills runs (already holding id and name) with params, tags, provenance and summaries in five queries.
void fillRuns(sqlite3* db, std::vector<RunInfo>& runs, std::optional<std::int64_t> only) {
    std::unordered_map<std::int64_t, RunInfo*> byId;
    byId.reserve(runs.size());
    for (auto& r : runs)
        byId.emplace(r.id, &r);
    auto lookup = [&](std::int64_t id) -> RunInfo* {
        auto it = byId.find(id);
        return it == byId.end() ? nullptr : it->second;
    };
    auto bindFilter = [&](Statement& st) {
        if (only) st.bind(1, *only);
    };
    const std::string filter = only ? " WHERE x.run_id = ?1" : "";

    Statement params(db, "SELECT x.run_id, n.text, x.value FROM params x JOIN names n ON n.id = x.key_id" +
                             filter);
    bindFilter(params);
    while (params.step())
        if (RunInfo* r = lookup(params.int64(0))) r->params[params.text(1)] = params.text(2);

    Statement tags(db, "SELECT x.run_id, n.text, x.value FROM run_tags x JOIN names n ON n.id = x.key_id" +
                           filter);
    bindFilter(tags);
    while (tags.step())
        if (RunInfo* r = lookup(tags.int64(0))) r->tags[tags.text(1)] = tags.text(2);

    Statement summaries(db, "SELECT x.run_id, n.text, x.value FROM summary_metrics x "
                            "JOIN names n ON n.id = x.key_id" +
                                filter);
    bindFilter(summaries);
    while (summaries.step())
        if (RunInfo* r = lookup(summaries.int64(0))) r->summaryMetrics[summaries.text(1)] = summaries.real(2);

    Statement prov(db, "SELECT x.run_id, x.source_path, x.format, x.code_version, x.data_version, x.seed, "
                       "x.status, x.start_time, x.end_time FROM provenance x" +
                           filter);
    bindFilter(prov);
    while (prov.step()) {
        RunInfo* r = lookup(prov.int64(0));
        if (!r) continue;
        Provenance& p = r->provenance;
        p.sourcePath = prov.text(1);
        p.format = prov.text(2);
        p.codeVersion = prov.text(3);
        p.dataVersion = prov.text(4);
        p.seed = prov.text(5);
        p.status = prov.text(6);
        p.startTime = prov.real(7);
        p.endTime = prov.real(8);
    }

    Statement series(db, "SELECT x.run_id, n.text, x.points, x.first_step, x.last_step, x.min, x.max, "
                         "x.last_value, x.first_wall, x.last_wall, x.non_finite FROM series x "
                         "JOIN names n ON n.id = x.tag_id" +
                             filter + " ORDER BY x.run_id, n.text");
    bindFilter(series);
    while (series.step()) {
        RunInfo* r = lookup(series.int64(0));
        if (!r) continue;
        SeriesSummary s;
        s.tag = series.text(1);
        s.points = series.int64(2);
        s.firstStep = series.int64(3);
        s.lastStep = series.int64(4);
        s.min = series.real(5);
        s.max = series.real(6);
        s.last = series.real(7);
        s.firstWallTime = series.real(8);
        s.lastWallTime = series.real(9);
        s.nonFinite = series.int64(10);
        r->series.push_back(std::move(s));
    }
}

void requireWritable(const Workspace& ws) {
    if (ws.readOnly())
        throw WorkspaceError(ws.path().string() + " is open read-only; changes are not allowed");
}

constexpr const char* kFindSeriesSql = "SELECT s.id, s.points FROM series s JOIN names n ON n.id = s.tag_id "
                                       "WHERE s.run_id = ?1 AND n.text = ?2";

// Resets a kept statement however the scope ends: a SELECT left mid-way would hold its read snapshot, and
// the connection would not see what an import commits later.
struct ResetOnExit {
    Statement& statement;
    ~ResetOnExit() { statement.reset(); }
};

std::optional<std::int64_t> findSeries(Statement& st, std::int64_t runId, const std::string& tag,
                                       std::int64_t* points = nullptr) {
    const ResetOnExit reset{st};
    st.bind(1, runId).bind(2, tag);
    if (!st.step()) return std::nullopt;
    if (points) *points = st.int64(1);
    return st.int64(0);
}

} // namespace

namespace store {
struct SeriesQueries {
    explicit SeriesQueries(sqlite3* db)
        : findSeries(db, kFindSeriesSql),
          chunks(db, "SELECT seq, first_step, last_step, data FROM chunks "
                     "WHERE series_id = ?1 AND last_step >= ?2 AND first_step <= ?3 ORDER BY seq") {}
    Statement findSeries;
    Statement chunks;
};
} // namespace store

store::SeriesQueries& Workspace::seriesQueries() const {
    if (!m_seriesQueries) m_seriesQueries = std::make_unique<store::SeriesQueries>(m_db);
    return *m_seriesQueries;
}

std::vector<RunInfo> Workspace::runs() const {
    std::vector<RunInfo> result;
    Statement st(m_db, "SELECT id, name FROM runs ORDER BY name");
    while (st.step()) {
        RunInfo r;
        r.id = st.int64(0);
        r.name = st.text(1);
        result.push_back(std::move(r));
    }
    fillRuns(m_db, result, std::nullopt);
    return result;
}

std::optional<RunInfo> Workspace::run(std::int64_t runId) const {
    Statement st(m_db, "SELECT id, name FROM runs WHERE id = ?1");
    st.bind(1, runId);
    if (!st.step()) return std::nullopt;
    std::vector<RunInfo> one(1);
    one[0].id = st.int64(0);
    one[0].name = st.text(1);
    fillRuns(m_db, one, runId);
    return std::move(one[0]);
}

std::optional<std::int64_t> Workspace::runId(const std::string& name) const {
    Statement st(m_db, "SELECT id FROM runs WHERE name = ?1");
    st.bind(1, name);
    if (!st.step()) return std::nullopt;
    return st.int64(0);
}

std::vector<std::string> Workspace::tags() const {
    std::vector<std::string> result;
    Statement st(m_db,
                 "SELECT DISTINCT n.text FROM series s JOIN names n ON n.id = s.tag_id ORDER BY n.text");
    while (st.step())
        result.push_back(st.text(0));
    return result;
}

SeriesData Workspace::readSeries(std::int64_t runId, const std::string& tag, StepRange range) const {
    SeriesData out;
    readSeriesInto(runId, tag, out, range);
    return out;
}

void Workspace::readSeriesInto(std::int64_t runId, const std::string& tag, SeriesData& out,
                               StepRange range) const {
    out.clear();
    if (range.first > range.last) return;
    std::int64_t points = 0;
    const auto seriesId = findSeries(seriesQueries().findSeries, runId, tag, &points);
    if (!seriesId) return;
    const bool whole = range.first == INT64_MIN && range.last == INT64_MAX;
    if (whole) out.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(points, 0, kMaxReserve)));

    Statement& st = seriesQueries().chunks;
    const ResetOnExit reset{st};
    st.bind(1, *seriesId).bind(2, range.first).bind(3, range.last);
    while (st.step()) {
        const std::size_t start = out.size();
        try {
            store::decodeChunk(st.blob(3), out);
        } catch (const WorkspaceError& e) {
            throw WorkspaceError(m_path.string() + ": series " + tag + " of run " + std::to_string(runId) +
                                 ", chunk " + std::to_string(st.int64(0)) + ": " + e.what());
        }
        if (st.int64(1) >= range.first && st.int64(2) <= range.last) continue;
        // The chunk straddles a range end: keep only the points inside, in order.
        std::size_t kept = start;
        for (std::size_t i = start; i < out.size(); ++i) {
            const std::int64_t step = out.steps[i];
            if (step < range.first || step > range.last) continue;
            out.steps[kept] = step;
            out.wallTimes[kept] = out.wallTimes[i];
            out.values[kept] = out.values[i];
            ++kept;
        }
        out.steps.resize(kept);
        out.wallTimes.resize(kept);
        out.values.resize(kept);
    }
}

void Workspace::setPageCacheKib(int kib) {
    // PRAGMA takes no bound parameters; the value is an int. Negative means KiB rather than pages.
    store::exec(m_db, ("PRAGMA cache_size = -" + std::to_string(std::max(1, kib))).c_str());
}

std::vector<ChunkInfo> Workspace::chunkIndex(std::int64_t runId, const std::string& tag) const {
    std::vector<ChunkInfo> result;
    const auto seriesId = findSeries(seriesQueries().findSeries, runId, tag);
    if (!seriesId) return result;
    Statement st(m_db, "SELECT seq, count, first_step, last_step, min, max FROM chunks WHERE series_id = ?1 "
                       "ORDER BY seq");
    st.bind(1, *seriesId);
    while (st.step()) {
        ChunkInfo c;
        c.seq = st.int64(0);
        c.count = st.int64(1);
        c.firstStep = st.int64(2);
        c.lastStep = st.int64(3);
        c.min = st.real(4);
        c.max = st.real(5);
        result.push_back(c);
    }
    return result;
}

void Workspace::deleteRun(std::int64_t runId) {
    requireWritable(*this);
    Statement st(m_db, "DELETE FROM runs WHERE id = ?1");
    st.bind(1, runId).run();
    if (sqlite3_changes(m_db) == 0) throw WorkspaceError("no run with id " + std::to_string(runId));
}

void Workspace::saveCopy(const std::filesystem::path& target) const {
    std::error_code ec;
    if (std::filesystem::exists(target, ec)) throw WorkspaceError(target.string() + " already exists");
    try {
        Statement st(m_db, "VACUUM INTO ?1");
        st.bind(1, target.string()).run();
    } catch (const WorkspaceError& e) {
        throw WorkspaceError("cannot write " + target.string() + ": " + e.what());
    }
}

void Workspace::renameRun(std::int64_t runId, const std::string& newName) {
    requireWritable(*this);
    if (std::all_of(newName.begin(), newName.end(), [](unsigned char c) { return std::isspace(c) != 0; }))
        throw WorkspaceError("a run name cannot be empty");
    if (auto existing = this->runId(newName); existing && *existing != runId)
        throw WorkspaceError("a run named \"" + newName + "\" already exists");
    Statement st(m_db, "UPDATE runs SET name = ?1 WHERE id = ?2");
    st.bind(1, newName).bind(2, runId).run();
    if (sqlite3_changes(m_db) == 0) throw WorkspaceError("no run with id " + std::to_string(runId));
}

namespace {

std::vector<PredictionTableInfo> tableInfos(Statement& st) {
    std::vector<PredictionTableInfo> result;
    while (st.step()) {
        PredictionTableInfo info;
        info.id = st.int64(0);
        info.runId = st.int64(1);
        info.name = st.text(2);
        info.sourcePath = st.text(3);
        info.rows = st.int64(4);
        result.push_back(std::move(info));
    }
    return result;
}

} // namespace

std::vector<PredictionTableInfo> Workspace::predictionTables(std::int64_t runId) const {
    Statement st(
        m_db, "SELECT id, run_id, name, source_path, rows FROM predictions WHERE run_id = ?1 ORDER BY name");
    st.bind(1, runId);
    return tableInfos(st);
}

std::vector<PredictionTableInfo> Workspace::allPredictionTables() const {
    Statement st(m_db, "SELECT id, run_id, name, source_path, rows FROM predictions ORDER BY run_id, name");
    return tableInfos(st);
}

PredictionTable Workspace::readPredictions(std::int64_t tableId) const {
    PredictionTable table;
    Statement head(m_db, "SELECT name, source_path, rows FROM predictions WHERE id = ?1");
    head.bind(1, tableId);
    if (!head.step()) throw WorkspaceError("no prediction table with id " + std::to_string(tableId));
    table.name = head.text(0);
    table.sourcePath = head.text(1);
    const std::int64_t rows = head.int64(2);
    const std::string where = m_path.string() + ": prediction table " + table.name;
    if (rows < 0) throw WorkspaceError(where + " has a negative row count");

    Statement cols(m_db, "SELECT name, role, numeric, class_name, data, dictionary FROM prediction_columns "
                         "WHERE table_id = ?1 ORDER BY idx");
    cols.bind(1, tableId);
    while (cols.step()) {
        store::StoredColumn stored;
        stored.name = cols.text(0);
        stored.role = cols.text(1);
        stored.numeric = cols.int64(2) != 0;
        stored.className = cols.text(3);
        stored.data = cols.blob(4);
        stored.dictionary = cols.blob(5);
        table.columns.push_back(store::decodeColumn(stored, rows, where));
    }
    return table;
}

std::vector<std::pair<std::string, SourceState>> Workspace::sources() const {
    std::vector<std::pair<std::string, SourceState>> result;
    Statement st(m_db, "SELECT path, format, size, mtime_ns, \"offset\" FROM sources ORDER BY path");
    while (st.step()) {
        SourceState s;
        s.format = st.text(1);
        s.size = st.int64(2);
        s.mtimeNs = st.int64(3);
        s.offset = st.int64(4);
        result.emplace_back(st.text(0), std::move(s));
    }
    return result;
}

std::optional<SourceState> Workspace::sourceState(const std::string& path) {
    Statement st(m_db, "SELECT format, size, mtime_ns, \"offset\" FROM sources WHERE path = ?1");
    st.bind(1, path);
    if (!st.step()) return std::nullopt;
    SourceState s;
    s.format = st.text(0);
    s.size = st.int64(1);
    s.mtimeNs = st.int64(2);
    s.offset = st.int64(3);
    return s;
}

std::unique_ptr<SourceTransaction> Workspace::beginSource(const std::string& path, std::string_view format,
                                                          bool replace) {
    requireWritable(*this);
    return store::beginImportTransaction(m_db, path, format, replace);
}

} // namespace runlens
