// The restart pass: drops points a restarted run logged again, chunk by chunk, inside one write transaction.
#include "core/store/restart_semantics.h"

#include "core/store/chunk_codec.h"
#include "core/store/sqlite_handle.h"
#include "core/store/store_access.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace runlens {

using store::Statement;

namespace {

constexpr std::int64_t kNoRestart = std::numeric_limits<std::int64_t>::max();

// Per chunk, what the second pass needs from the first: the step logged just before the chunk and the
// smallest restart step inside it.
struct ChunkScan {
    std::int64_t seq = 0;
    std::optional<std::int64_t> previousStep;
    std::int64_t minRestart = kNoRestart;
};

// Walks steps backwards, keeping point i iff it is below every restart step seen after it. `previous` is the
// step before steps[0]; `laterMin` the smallest restart step after the last point. Returns points kept.
std::size_t markKept(std::span<const std::int64_t> steps, std::optional<std::int64_t> previous,
                     std::int64_t laterMin, std::vector<bool>& keep) {
    keep.assign(steps.size(), false);
    std::size_t kept = 0;
    for (std::size_t k = steps.size(); k-- > 0;) {
        keep[k] = steps[k] < laterMin;
        kept += keep[k] ? 1 : 0;
        const std::optional<std::int64_t> before = k > 0 ? std::optional(steps[k - 1]) : previous;
        if (before && steps[k] < *before) laterMin = std::min(laterMin, steps[k]);
    }
    return kept;
}

SeriesData decode(Statement& select, std::int64_t seriesId, std::int64_t seq) {
    select.bind(1, seriesId).bind(2, seq);
    SeriesData data;
    if (select.step()) store::decodeChunk(select.blob(0), data);
    select.reset();
    return data;
}

std::vector<std::int64_t> chunkSeqs(sqlite3* db, std::int64_t seriesId) {
    std::vector<std::int64_t> seqs;
    Statement st(db, "SELECT seq FROM chunks WHERE series_id = ?1 ORDER BY seq");
    st.bind(1, seriesId);
    while (st.step())
        seqs.push_back(st.int64(0));
    return seqs;
}

// First pass: restart points of every chunk, decoding one chunk at a time.
std::vector<ChunkScan> scanChunks(sqlite3* db, Statement& select, std::int64_t seriesId) {
    std::vector<ChunkScan> scans;
    std::optional<std::int64_t> previous;
    for (const std::int64_t seq : chunkSeqs(db, seriesId)) {
        const SeriesData data = decode(select, seriesId, seq);
        ChunkScan scan{seq, previous, kNoRestart};
        for (const std::int64_t step : data.steps) {
            if (previous && step < *previous) scan.minRestart = std::min(scan.minRestart, step);
            previous = step;
        }
        scans.push_back(scan);
    }
    return scans;
}

void rewriteChunk(sqlite3* db, std::int64_t seriesId, std::int64_t seq, const SeriesData& data,
                  const std::vector<bool>& keep) {
    SeriesData kept;
    for (std::size_t i = 0; i < keep.size(); ++i)
        if (keep[i]) kept.push(data.steps[i], data.wallTimes[i], data.values[i]);
    if (kept.empty()) {
        Statement(db, "DELETE FROM chunks WHERE series_id = ?1 AND seq = ?2")
            .bind(1, seriesId)
            .bind(2, seq)
            .run();
        return;
    }
    const store::ChunkStats stats = store::computeChunkStats(kept.steps, kept.wallTimes, kept.values);
    std::vector<std::uint8_t> blob;
    store::encodeChunk(kept.steps, kept.wallTimes, kept.values, blob);
    Statement(db, "UPDATE chunks SET count = ?1, first_step = ?2, last_step = ?3, min = ?4, max = ?5, "
                  "non_finite = ?6, last_value = ?7, first_wall = ?8, last_wall = ?9, data = ?10 "
                  "WHERE series_id = ?11 AND seq = ?12")
        .bind(1, stats.count)
        .bind(2, stats.minStep)
        .bind(3, stats.maxStep)
        .bind(4, stats.min)
        .bind(5, stats.max)
        .bind(6, stats.nonFinite)
        .bind(7, stats.last)
        .bind(8, stats.firstWall)
        .bind(9, stats.lastWall)
        .bindBlob(10, blob)
        .bind(11, seriesId)
        .bind(12, seq)
        .run();
}

// The run table reads only the summary row, so it is recomputed from the remaining chunks.
void resummarise(sqlite3* db, std::int64_t seriesId) {
    Statement(db, "UPDATE series SET "
                  "points = (SELECT COALESCE(SUM(count), 0) FROM chunks WHERE series_id = ?1), "
                  "first_step = (SELECT MIN(first_step) FROM chunks WHERE series_id = ?1), "
                  "last_step = (SELECT MAX(last_step) FROM chunks WHERE series_id = ?1), "
                  "min = (SELECT MIN(min) FROM chunks WHERE series_id = ?1), "
                  "max = (SELECT MAX(max) FROM chunks WHERE series_id = ?1), "
                  "last_value = (SELECT last_value FROM chunks WHERE series_id = ?1 ORDER BY last_step DESC, "
                  "seq DESC LIMIT 1), "
                  "first_wall = (SELECT first_wall FROM chunks WHERE series_id = ?1 AND first_wall IS NOT "
                  "NULL ORDER BY seq LIMIT 1), "
                  "last_wall = (SELECT last_wall FROM chunks WHERE series_id = ?1 AND last_wall IS NOT NULL "
                  "ORDER BY seq DESC LIMIT 1), "
                  "non_finite = (SELECT COALESCE(SUM(non_finite), 0) FROM chunks WHERE series_id = ?1) "
                  "WHERE id = ?1")
        .bind(1, seriesId)
        .run();
}

// Returns the number of points dropped from one series.
std::int64_t applyToSeries(sqlite3* db, std::int64_t seriesId) {
    Statement select(db, "SELECT data FROM chunks WHERE series_id = ?1 AND seq = ?2");
    const std::vector<ChunkScan> scans = scanChunks(db, select, seriesId);
    const bool restarted = std::any_of(scans.begin(), scans.end(),
                                       [](const ChunkScan& s) { return s.minRestart != kNoRestart; });
    if (!restarted) return 0;

    std::int64_t dropped = 0;
    std::int64_t laterMin = kNoRestart; // smallest restart step in the chunks after the current one
    std::vector<bool> keep;
    for (auto it = scans.rbegin(); it != scans.rend(); ++it) {
        if (laterMin != kNoRestart || it->minRestart != kNoRestart) {
            const SeriesData data = decode(select, seriesId, it->seq);
            const std::size_t kept = markKept(data.steps, it->previousStep, laterMin, keep);
            if (kept < data.size()) {
                rewriteChunk(db, seriesId, it->seq, data, keep);
                dropped += static_cast<std::int64_t>(data.size() - kept);
            }
        }
        laterMin = std::min(laterMin, it->minRestart);
    }
    resummarise(db, seriesId);
    return dropped;
}

} // namespace

std::vector<bool> restartKeepMask(std::span<const std::int64_t> steps) {
    std::vector<bool> keep;
    markKept(steps, std::nullopt, kNoRestart, keep);
    return keep;
}

RestartPassResult applyRestartSemantics(Workspace& workspace, const std::set<std::string>& runs) {
    RestartPassResult result;
    if (runs.empty()) return result;
    if (workspace.readOnly())
        throw WorkspaceError("cannot apply restart semantics: " + workspace.path().string() +
                             " is read-only");
    sqlite3* db = StoreAccess::connection(workspace);
    store::Transaction tx(db);
    Statement series(db, "SELECT s.id, n.text FROM series s JOIN runs r ON r.id = s.run_id "
                         "JOIN names n ON n.id = s.tag_id WHERE r.name = ?1 ORDER BY n.text");
    for (const auto& run : runs) {
        std::vector<std::pair<std::int64_t, std::string>> ids;
        series.bind(1, run);
        while (series.step())
            ids.emplace_back(series.int64(0), series.text(1));
        series.reset();
        for (const auto& [id, tag] : ids) {
            const std::int64_t dropped = applyToSeries(db, id);
            if (dropped == 0) continue;
            ++result.seriesRewritten;
            result.pointsDropped += dropped;
            result.report.add(Severity::Info, IssueKind::BadValue, run, 0,
                              run + " / " + tag + ": the run restarted; " + std::to_string(dropped) +
                                  " earlier point(s) at repeated steps were replaced by the newer ones");
        }
    }
    tx.commit();
    return result;
}

} // namespace runlens
