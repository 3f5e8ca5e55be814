// The import transaction: points buffered per series and written as chunks, everything else as rows.
#include "core/store/import_transaction.h"

#include "core/model/text_number.h"
#include "core/store/chunk_codec.h"
#include "core/store/prediction_codec.h"
#include "core/store/sqlite_handle.h"
#include "core/store/workspace.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <sqlite3.h>
#include <unordered_map>

namespace runlens::store {

namespace {

// Partial chunks of all open series are written early once this many points wait in memory.
constexpr std::size_t kMaxBufferedPoints = std::size_t{1} << 21;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// A param value is numeric when the whole (trimmed) text is one finite decimal number, read by the parser
// every text cell goes through (core/model/text_number.h), so "1e-400" and " +3" mean what they mean there.
std::optional<double> parseNumber(std::string_view text) {
    double value = 0;
    if (textnum::parseDouble(trim(text), value) != textnum::Parsed::Number || !std::isfinite(value))
        return std::nullopt;
    return value;
}

bool readDigits(std::string_view& s, std::size_t n, int& out) {
    if (s.size() < n) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    s.remove_prefix(n);
    return true;
}

bool expectChar(std::string_view& s, char c) {
    if (s.empty() || s.front() != c) return false;
    s.remove_prefix(1);
    return true;
}

// "YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|+HH:MM|-HH:MM]" (no zone = UTC) to seconds since the epoch.
std::optional<double> parseIsoTime(std::string_view s) {
    int year, month, day, hour, minute, second;
    if (!readDigits(s, 4, year) || !expectChar(s, '-') || !readDigits(s, 2, month) || !expectChar(s, '-') ||
        !readDigits(s, 2, day))
        return std::nullopt;
    if (s.empty() || (s.front() != 'T' && s.front() != ' ')) return std::nullopt;
    s.remove_prefix(1);
    if (!readDigits(s, 2, hour) || !expectChar(s, ':') || !readDigits(s, 2, minute) || !expectChar(s, ':') ||
        !readDigits(s, 2, second))
        return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(unsigned(month)),
                                           std::chrono::day(unsigned(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    double fraction = 0;
    if (!s.empty() && s.front() == '.') {
        double scale = 0.1;
        s.remove_prefix(1);
        while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
            fraction += (s.front() - '0') * scale;
            scale /= 10;
            s.remove_prefix(1);
        }
    }
    int offsetMinutes = 0;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        const int sign = s.front() == '+' ? 1 : -1;
        s.remove_prefix(1);
        int oh, om;
        if (!readDigits(s, 2, oh)) return std::nullopt;
        expectChar(s, ':');
        if (!readDigits(s, 2, om)) return std::nullopt;
        offsetMinutes = sign * (oh * 60 + om);
    } else if (!s.empty() && (s.front() == 'Z' || s.front() == 'z')) {
        s.remove_prefix(1);
    }
    if (!trim(s).empty()) return std::nullopt;
    const auto days = std::chrono::sys_days(date).time_since_epoch().count();
    return double(days) * 86400.0 + hour * 3600.0 + minute * 60.0 + second + fraction - offsetMinutes * 60.0;
}

double parseTime(std::string_view text) {
    if (auto v = parseNumber(text)) return *v;
    if (auto v = parseIsoTime(trim(text))) return *v;
    return kNaN;
}

double nowSeconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

// One source file's import into the workspace: a write transaction with per-series chunk buffers.
class ImportTransaction final : public SourceTransaction {
  public:
    ImportTransaction(sqlite3* db, std::string path, std::string_view format, bool replace)
        : m_db(db), m_tx(db), m_path(std::move(path)), m_format(format) {
        Statement upsert(m_db, "INSERT INTO sources(path, format) VALUES(?1, ?2) "
                               "ON CONFLICT(path) DO UPDATE SET format = excluded.format RETURNING id");
        upsert.bind(1, m_path).bind(2, m_format);
        if (!upsert.step()) throw WorkspaceError("cannot register source " + m_path);
        m_sourceId = upsert.int64(0);
        upsert.reset();
        if (replace) dropEarlierData();
    }

    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        ensureOpen();
        if (steps.size() != values.size() || wallTimes.size() != values.size())
            throw WorkspaceError("appendPoints: steps, wall times and values differ in length");
        if (values.empty()) return;
        OpenSeries& series = seriesFor(run, tag);
        std::size_t done = 0;
        while (done < values.size()) {
            auto& buffer = series.buffer;
            const std::size_t take = std::min(Workspace::kChunkPoints - buffer.size(), values.size() - done);
            buffer.steps.insert(buffer.steps.end(), steps.begin() + done, steps.begin() + done + take);
            buffer.wallTimes.insert(buffer.wallTimes.end(), wallTimes.begin() + done,
                                    wallTimes.begin() + done + take);
            buffer.values.insert(buffer.values.end(), values.begin() + done, values.begin() + done + take);
            done += take;
            m_buffered += take;
            if (buffer.size() >= Workspace::kChunkPoints) flush(series);
        }
        if (m_buffered > kMaxBufferedPoints) flushAll();
    }

    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        ensureOpen();
        Statement& st =
            prepared(m_setParam, "INSERT INTO params(run_id, key_id, value, num) VALUES(?1, ?2, ?3, ?4) "
                                 "ON CONFLICT(run_id, key_id) DO UPDATE SET value = excluded.value, "
                                 "num = excluded.num");
        st.bind(1, runIdFor(run)).bind(2, nameId(key)).bind(3, value);
        if (auto number = parseNumber(value))
            st.bind(4, *number);
        else
            st.bindNull(4);
        st.run();
    }

    void setSummaryMetric(std::string_view run, std::string_view key, double value) override {
        ensureOpen();
        Statement& st =
            prepared(m_setSummary, "INSERT INTO summary_metrics(run_id, key_id, value, source_id) "
                                   "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(run_id, key_id) DO UPDATE SET "
                                   "value = excluded.value, source_id = excluded.source_id");
        st.bind(1, runIdFor(run)).bind(2, nameId(key)).bind(3, value).bind(4, m_sourceId).run();
    }

    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        ensureOpen();
        Statement& st =
            prepared(m_setTag, "INSERT INTO run_tags(run_id, key_id, value) VALUES(?1, ?2, ?3) "
                               "ON CONFLICT(run_id, key_id) DO UPDATE SET value = excluded.value");
        st.bind(1, runIdFor(run)).bind(2, nameId(key)).bind(3, value).run();
    }

    void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) override {
        ensureOpen();
        static constexpr std::array<const char*, 8> kColumns{"source_path",  "format",  "code_version",
                                                             "data_version", "seed",    "status",
                                                             "start_time",   "end_time"};
        const auto index = static_cast<std::size_t>(field);
        if (index >= kColumns.size()) throw WorkspaceError("setProvenance: unknown field");
        const std::string column = kColumns[index];
        // The column name comes from the fixed list above, never from input.
        const std::string sql = "INSERT INTO provenance(run_id, " + column +
                                ") VALUES(?1, ?2) "
                                "ON CONFLICT(run_id) DO UPDATE SET " +
                                column + " = excluded." + column;
        Statement& st = prepared(m_setProvenance[index], sql.c_str());
        st.bind(1, runIdFor(run));
        if (field == ProvenanceField::StartTime || field == ProvenanceField::EndTime)
            st.bind(2, parseTime(value));
        else
            st.bind(2, value);
        st.run();
    }

    void addPredictions(std::string_view run, PredictionTable table) override {
        ensureOpen();
        const std::size_t rows = table.rows();
        for (const auto& column : table.columns) {
            if (column.size() != rows)
                throw WorkspaceError("prediction table " + table.name + ": column " + column.name + " has " +
                                     std::to_string(column.size()) + " rows, expected " +
                                     std::to_string(rows));
            if (column.numeric) continue;
            const auto dictSize = static_cast<std::int64_t>(column.dictionary.size());
            for (std::int32_t code : column.codes)
                if (code < -1 || code >= dictSize)
                    throw WorkspaceError("prediction table " + table.name + ": column " + column.name +
                                         " has a code outside its dictionary");
        }
        const std::int64_t runId = runIdFor(run);
        Statement& drop = prepared(m_dropTable, "DELETE FROM predictions WHERE run_id = ?1 AND name = ?2");
        drop.bind(1, runId).bind(2, table.name).run();
        Statement& insert =
            prepared(m_insertTable, "INSERT INTO predictions(run_id, source_id, name, source_path, "
                                    "rows) VALUES(?1, ?2, ?3, ?4, ?5)");
        insert.bind(1, runId)
            .bind(2, m_sourceId)
            .bind(3, table.name)
            .bind(4, table.sourcePath.empty() ? m_path : table.sourcePath)
            .bind(5, static_cast<std::int64_t>(rows))
            .run();
        const std::int64_t tableId = sqlite3_last_insert_rowid(m_db);
        Statement& col = prepared(m_insertColumn, "INSERT INTO prediction_columns(table_id, idx, name, role, "
                                                  "numeric, class_name, data, dictionary) "
                                                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const PredictionColumn& c = table.columns[i];
            const auto data = c.numeric ? doublesBlob(c.numbers) : codesBlob(c.codes);
            const auto dictionary = dictionaryBlob(c.dictionary);
            col.bind(1, tableId)
                .bind(2, static_cast<std::int64_t>(i))
                .bind(3, c.name)
                .bind(4, roleName(c.role))
                .bind(5, c.numeric ? 1 : 0)
                .bind(6, c.className)
                .bindBlob(7, data);
            if (c.numeric)
                col.bindNull(8);
            else
                col.bindBlob(8, dictionary);
            col.run();
        }
    }

    void commit(const SourceState& state) override {
        ensureOpen();
        flushAll();
        writeSummaries();
        Statement st(
            m_db, "UPDATE sources SET format = ?1, size = ?2, mtime_ns = ?3, \"offset\" = ?4 WHERE id = ?5");
        st.bind(1, state.format.empty() ? m_format : state.format)
            .bind(2, state.size)
            .bind(3, state.mtimeNs)
            .bind(4, state.offset)
            .bind(5, m_sourceId)
            .run();
        m_tx.commit();
    }

  private:
    struct OpenSeries {
        std::int64_t id = 0;
        std::int64_t nextSeq = 0;
        SeriesData buffer;
        store::ChunkStats summary; // the whole series: stored chunks plus those written in this transaction
        bool dirty = false;
    };

    void ensureOpen() const {
        if (!m_tx.active()) throw WorkspaceError("import of " + m_path + " was already committed");
    }

    Statement& prepared(Statement& slot, const char* sql) {
        if (!slot.valid()) slot = Statement(m_db, sql);
        return slot;
    }

    std::int64_t runIdFor(std::string_view run) {
        if (auto it = m_runs.find(std::string(run)); it != m_runs.end()) return it->second;
        Statement& find = prepared(m_findRun, "SELECT id FROM runs WHERE name = ?1");
        find.bind(1, run);
        std::int64_t id = 0;
        if (find.step()) {
            id = find.int64(0);
            find.reset();
        } else {
            find.reset();
            Statement& insert = prepared(m_insertRun, "INSERT INTO runs(name, created) VALUES(?1, ?2)");
            insert.bind(1, run).bind(2, nowSeconds()).run();
            id = sqlite3_last_insert_rowid(m_db);
            // A new run remembers the file that created it until a reader says more.
            Statement& prov =
                prepared(m_defaultProvenance, "INSERT OR IGNORE INTO provenance(run_id, source_path, "
                                              "format) VALUES(?1, ?2, ?3)");
            prov.bind(1, id).bind(2, m_path).bind(3, m_format).run();
        }
        m_runs.emplace(std::string(run), id);
        return id;
    }

    std::int64_t nameId(std::string_view text) {
        if (auto it = m_names.find(std::string(text)); it != m_names.end()) return it->second;
        Statement& st = prepared(m_upsertName, "INSERT INTO names(text) VALUES(?1) "
                                               "ON CONFLICT(text) DO UPDATE SET text = text RETURNING id");
        st.bind(1, text);
        if (!st.step()) throw WorkspaceError("cannot store name " + std::string(text));
        const std::int64_t id = st.int64(0);
        st.reset();
        m_names.emplace(std::string(text), id);
        return id;
    }

    OpenSeries& seriesFor(std::string_view run, std::string_view tag) {
        // Readers deliver long runs of batches for one series; skip the hash lookup for those.
        if (m_last && run == m_lastRun && tag == m_lastTag) return *m_last;
        std::string key;
        key.reserve(run.size() + tag.size() + 1);
        key.append(run).push_back('\0');
        key.append(tag);
        auto it = m_series.find(key);
        if (it == m_series.end()) it = m_series.emplace(key, openSeries(runIdFor(run), nameId(tag))).first;
        m_last = it->second.get();
        m_lastRun.assign(run);
        m_lastTag.assign(tag);
        return *m_last;
    }

    std::unique_ptr<OpenSeries> openSeries(std::int64_t runId, std::int64_t tagId) {
        // No reserve: 4,096 points (96 KiB) up front per series made 100k tags cost gigabytes.
        auto series = std::make_unique<OpenSeries>();
        Statement& find = prepared(
            m_findSeries, "SELECT id, points, first_step, last_step, min, max, last_value, first_wall, "
                          "last_wall, non_finite, (SELECT COALESCE(MAX(seq) + 1, 0) FROM chunks "
                          "WHERE series_id = series.id) FROM series WHERE run_id = ?1 AND tag_id = ?2");
        find.bind(1, runId).bind(2, tagId);
        if (find.step()) {
            series->id = find.int64(0);
            auto& s = series->summary;
            s.count = find.int64(1);
            s.minStep = find.int64(2);
            s.maxStep = find.int64(3);
            s.min = find.real(4);
            s.max = find.real(5);
            s.last = find.real(6);
            s.firstWall = find.real(7);
            s.lastWall = find.real(8);
            s.nonFinite = find.int64(9);
            series->nextSeq = find.int64(10);
            find.reset();
            return series;
        }
        find.reset();
        Statement& insert = prepared(m_insertSeries, "INSERT INTO series(run_id, tag_id) VALUES(?1, ?2)");
        insert.bind(1, runId).bind(2, tagId).run();
        series->id = sqlite3_last_insert_rowid(m_db);
        return series;
    }

    static void merge(store::ChunkStats& into, const store::ChunkStats& chunk) {
        if (chunk.count == 0) return;
        // A later chunk at the same highest step wins, as a later point does within a chunk.
        if (into.count == 0 || chunk.maxStep >= into.maxStep) into.last = chunk.last;
        if (into.count == 0) {
            into.minStep = chunk.minStep;
            into.maxStep = chunk.maxStep;
        } else {
            into.minStep = std::min(into.minStep, chunk.minStep);
            into.maxStep = std::max(into.maxStep, chunk.maxStep);
        }
        if (std::isnan(into.min) || chunk.min < into.min) into.min = chunk.min;
        if (std::isnan(into.max) || chunk.max > into.max) into.max = chunk.max;
        if (std::isnan(into.firstWall)) into.firstWall = chunk.firstWall;
        if (!std::isnan(chunk.lastWall)) into.lastWall = chunk.lastWall;
        into.count += chunk.count;
        into.nonFinite += chunk.nonFinite;
    }

    void flush(OpenSeries& series) {
        const SeriesData& b = series.buffer;
        if (b.empty()) return;
        const store::ChunkStats stats = store::computeChunkStats(b.steps, b.wallTimes, b.values);
        store::encodeChunk(b.steps, b.wallTimes, b.values, m_blob);
        Statement& st = prepared(
            m_insertChunk, "INSERT INTO chunks(series_id, seq, source_id, count, first_step, last_step, min, "
                           "max, non_finite, last_value, first_wall, last_wall, data) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
        st.bind(1, series.id)
            .bind(2, series.nextSeq)
            .bind(3, m_sourceId)
            .bind(4, stats.count)
            .bind(5, stats.minStep)
            .bind(6, stats.maxStep)
            .bind(7, stats.min)
            .bind(8, stats.max)
            .bind(9, stats.nonFinite)
            .bind(10, stats.last)
            .bind(11, stats.firstWall)
            .bind(12, stats.lastWall)
            .bindBlob(13, m_blob)
            .run();
        ++series.nextSeq;
        merge(series.summary, stats);
        series.dirty = true;
        m_buffered -= b.size();
        series.buffer.clear();
    }

    // Also returns the buffers' memory, so many series never keep a chunk-sized buffer each.
    void flushAll() {
        for (auto& [key, series] : m_series) {
            flush(*series);
            series->buffer = SeriesData{};
        }
    }

    void writeSummaries() {
        Statement st(m_db,
                     "UPDATE series SET points = ?1, first_step = ?2, last_step = ?3, min = ?4, max = ?5, "
                     "last_value = ?6, first_wall = ?7, last_wall = ?8, non_finite = ?9 WHERE id = ?10");
        for (auto& [key, series] : m_series) {
            if (!series->dirty) continue;
            const auto& s = series->summary;
            st.bind(1, s.count)
                .bind(2, s.minStep)
                .bind(3, s.maxStep)
                .bind(4, s.min)
                .bind(5, s.max)
                .bind(6, s.last)
                .bind(7, s.firstWall)
                .bind(8, s.lastWall)
                .bind(9, s.nonFinite)
                .bind(10, series->id)
                .run();
            series->dirty = false;
        }
    }

    // replace = true: forget the chunks and predictions this source delivered, then re-summarise.
    void dropEarlierData() {
        std::vector<std::int64_t> touched;
        Statement find(m_db, "SELECT DISTINCT series_id FROM chunks WHERE source_id = ?1");
        find.bind(1, m_sourceId);
        while (find.step())
            touched.push_back(find.int64(0));
        find.reset();
        Statement(m_db, "DELETE FROM chunks WHERE source_id = ?1").bind(1, m_sourceId).run();
        Statement(m_db, "DELETE FROM predictions WHERE source_id = ?1").bind(1, m_sourceId).run();
        Statement(m_db, "DELETE FROM summary_metrics WHERE source_id = ?1").bind(1, m_sourceId).run();
        Statement summarise(
            m_db,
            "UPDATE series SET "
            "points = (SELECT COALESCE(SUM(count), 0) FROM chunks WHERE series_id = ?1), "
            "first_step = (SELECT MIN(first_step) FROM chunks WHERE series_id = ?1), "
            "last_step = (SELECT MAX(last_step) FROM chunks WHERE series_id = ?1), "
            "min = (SELECT MIN(min) FROM chunks WHERE series_id = ?1), "
            "max = (SELECT MAX(max) FROM chunks WHERE series_id = ?1), "
            "last_value = (SELECT last_value FROM chunks WHERE series_id = ?1 ORDER BY last_step DESC, seq "
            "DESC "
            "LIMIT 1), "
            "first_wall = (SELECT first_wall FROM chunks WHERE series_id = ?1 AND first_wall IS NOT NULL "
            "ORDER BY seq LIMIT 1), "
            "last_wall = (SELECT last_wall FROM chunks WHERE series_id = ?1 AND last_wall IS NOT NULL "
            "ORDER BY seq DESC LIMIT 1), "
            "non_finite = (SELECT COALESCE(SUM(non_finite), 0) FROM chunks WHERE series_id = ?1) "
            "WHERE id = ?1");
        Statement dropEmpty(m_db, "DELETE FROM series WHERE id = ?1 AND points = 0");
        for (std::int64_t id : touched) {
            summarise.bind(1, id).run();
            dropEmpty.bind(1, id).run();
        }
    }

    sqlite3* m_db;
    store::Transaction m_tx; // declared first among the RAII members: rolled back after statements finalize
    std::string m_path;
    std::string m_format;
    std::int64_t m_sourceId = 0;

    std::unordered_map<std::string, std::int64_t> m_runs;
    std::unordered_map<std::string, std::int64_t> m_names;
    std::unordered_map<std::string, std::unique_ptr<OpenSeries>> m_series;
    OpenSeries* m_last = nullptr;
    std::string m_lastRun;
    std::string m_lastTag;
    std::vector<std::uint8_t> m_blob;
    std::size_t m_buffered = 0;

    Statement m_findRun, m_insertRun, m_defaultProvenance, m_upsertName, m_findSeries, m_insertSeries;
    Statement m_insertChunk, m_setParam, m_setTag, m_setSummary, m_dropTable, m_insertTable, m_insertColumn;
    std::array<Statement, 8> m_setProvenance;
};

} // namespace

std::unique_ptr<SourceTransaction> beginImportTransaction(sqlite3* db, const std::string& path,
                                                          std::string_view format, bool replace) {
    return std::make_unique<ImportTransaction>(db, path, format, replace);
}

} // namespace runlens::store
