// The SQLite workspace: opening/creating files, import transactions with chunked series, and queries.
#include "core/store/workspace.h"

#include "core/model/read_report.h"
#include "core/store/chunk_codec.h"
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

// Partial chunks of all open series are written early once this many points wait in memory.
constexpr std::size_t kMaxBufferedPoints = std::size_t{1} << 21;
// Never trust a stored point count enough to reserve more than this up front.
constexpr std::int64_t kMaxReserve = std::int64_t{1} << 26;

constexpr std::array<std::pair<ColumnRole, const char*>, 7> kRoleNames{{
    {ColumnRole::Id, "id"},
    {ColumnRole::Label, "label"},
    {ColumnRole::Score, "score"},
    {ColumnRole::ClassScore, "class_score"},
    {ColumnRole::Prediction, "prediction"},
    {ColumnRole::Feature, "feature"},
    {ColumnRole::Ignore, "ignore"},
}};

const char* roleName(ColumnRole role) {
    for (const auto& [r, name] : kRoleNames)
        if (r == role) return name;
    return "feature";
}

std::optional<ColumnRole> roleFromName(std::string_view name) {
    for (const auto& [r, roleText] : kRoleNames)
        if (name == roleText) return r;
    return std::nullopt;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// A param value is numeric when the whole (trimmed) text is one finite decimal number.
std::optional<double> parseNumber(std::string_view text) {
    text = trim(text);
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.empty()) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
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

std::vector<std::uint8_t> doublesBlob(const std::vector<double>& values) {
    std::vector<std::uint8_t> blob(values.size() * sizeof(double));
    if (!blob.empty()) std::memcpy(blob.data(), values.data(), blob.size());
    return blob;
}

std::vector<std::uint8_t> codesBlob(const std::vector<std::int32_t>& codes) {
    std::vector<std::uint8_t> blob(codes.size() * sizeof(std::int32_t));
    if (!blob.empty()) std::memcpy(blob.data(), codes.data(), blob.size());
    return blob;
}

// Dictionary blob: for each entry a u32 byte length followed by the UTF-8 bytes.
std::vector<std::uint8_t> dictionaryBlob(const std::vector<std::string>& dictionary) {
    std::vector<std::uint8_t> blob;
    for (const auto& entry : dictionary) {
        const auto length = static_cast<std::uint32_t>(entry.size());
        const auto* p = reinterpret_cast<const std::uint8_t*>(&length);
        blob.insert(blob.end(), p, p + 4);
        blob.insert(blob.end(), entry.begin(), entry.end());
    }
    return blob;
}

std::vector<std::string> parseDictionary(std::span<const std::uint8_t> blob, const std::string& where) {
    std::vector<std::string> dictionary;
    std::size_t pos = 0;
    while (pos < blob.size()) {
        if (blob.size() - pos < 4) throw WorkspaceError(where + ": dictionary entry header cut short");
        std::uint32_t length;
        std::memcpy(&length, blob.data() + pos, 4);
        pos += 4;
        if (length > blob.size() - pos) throw WorkspaceError(where + ": dictionary entry runs past the blob");
        dictionary.emplace_back(reinterpret_cast<const char*>(blob.data() + pos), length);
        pos += length;
    }
    return dictionary;
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

void configureConnection(sqlite3* db, bool readOnly) {
    store::exec(db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY");
    if (readOnly) return;
    store::exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
}

} // namespace

Workspace::Workspace(std::filesystem::path path, sqlite3* db, bool readOnly)
    : m_path(std::move(path)), m_db(db), m_readOnly(readOnly) {}

Workspace::~Workspace() {
    if (!m_db) return;
    // Statistics are a courtesy: never keep a closing window waiting for another process's write lock.
    if (m_busy) m_busy->limitMs = 100;
    if (!m_readOnly) sqlite3_exec(m_db, "PRAGMA optimize", nullptr, nullptr, nullptr);
    sqlite3_close_v2(m_db);
}

namespace {

// "file:" URI of path with SQLite's special characters escaped.
std::string fileUri(const std::filesystem::path& path) {
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(path).string()) {
        if (c == '%' || c == '?' || c == '#') {
            static constexpr char kHex[] = "0123456789ABCDEF";
            uri += '%';
            uri += kHex[static_cast<unsigned char>(c) >> 4];
            uri += kHex[static_cast<unsigned char>(c) & 15];
        } else {
            uri += c;
        }
    }
    return uri;
}

bool nonEmptyFile(const std::filesystem::path& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

// SQLite opens the file with a blocking open(): a FIFO would hang it and a device is never a workspace.
void requireRegularFile(const std::filesystem::path& path, const std::string& label) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return; // missing: created or refused by the caller
    if (S_ISDIR(st.st_mode)) throw WorkspaceError(label + " is a folder, not a workspace");
    if (!S_ISREG(st.st_mode))
        throw WorkspaceError(label + " is " + fileKindName(st.st_mode) +
                             ", not a workspace file; not opened");
}

// Whether a read-only open of path must use immutable=1, which ignores a -wal file.
bool needsImmutable(const std::filesystem::path& path, const std::string& label) {
    std::error_code ec;
    const std::filesystem::path folder = std::filesystem::absolute(path, ec).parent_path();
    if (::access(folder.c_str(), W_OK) == 0) return false;
    const std::filesystem::path wal = path.string() + "-wal";
    if (!nonEmptyFile(wal)) return true;
    // SQLite reads a WAL database in a read-only folder when its -shm file is there to read; without it the
    // WAL's committed imports would be silently missing, so say so instead of showing stale data.
    if (::access((path.string() + "-shm").c_str(), R_OK) == 0) return false;
    throw WorkspaceError(
        label + " has imports in " + wal.filename().string() +
        " that are not yet merged into it, and its folder is not writable, so they cannot be "
        "read here (runs would be missing); open it once where the folder is writable, or "
        "copy the workspace with its -wal file to a writable folder");
}

// A workspace that another process is creating is an empty file for a moment (it has made the file and not
// yet committed the schema): an open that finds a freshly made empty file waits up to a second for the schema
// instead of calling it an empty database. An empty file older than two seconds is not waited for.
void waitWhileBeingCreated(const std::filesystem::path& path) {
    constexpr auto kPoll = std::chrono::milliseconds(20);
    constexpr int kPolls = 50;
    for (int i = 0; i < kPolls; ++i) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 0) return;
        const auto age =
            std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(st.st_mtime);
        if (age > std::chrono::seconds(2)) return;
        std::this_thread::sleep_for(kPoll);
    }
}

// Identifies the file and prepares it for use; `allowCreate` turns an empty database into a new workspace.
sqlite3* openConnection(const std::filesystem::path& path, bool readOnly, bool allowCreate,
                        store::BusyWait* busy) {
    const std::string label = path.string();
    std::error_code ec;
    if (!allowCreate && !std::filesystem::exists(path, ec)) throw WorkspaceError(label + " does not exist");
    requireRegularFile(path, label);
    if (!allowCreate) waitWhileBeingCreated(path);
    int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (allowCreate) flags |= SQLITE_OPEN_CREATE;
    // Reading a WAL database needs its -shm file next to it; in a folder we cannot write to, nobody (us
    // included) can be writing it, so open it as immutable instead of failing.
    const bool immutable = readOnly && needsImmutable(path, label);
    store::Connection conn(immutable ? std::filesystem::path(fileUri(path) + "?immutable=1") : path,
                           immutable ? flags | SQLITE_OPEN_URI : flags);
    sqlite3* db = conn.get();
    store::installBusyWait(db, busy); // before the first query: a writer elsewhere makes us wait, not fail

    bool empty = false;
    try {
        empty = store::isEmptyDatabase(db);
    } catch (const WorkspaceError&) {
        const int code = sqlite3_errcode(db);
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
            throw WorkspaceError(label + " is not a Runlens workspace (not an SQLite database)");
        if ((code & 0xff) == SQLITE_READONLY)
            throw WorkspaceError(label + " is read-only here (the file or its folder is not writable); " +
                                 "open it read-only or copy it to a writable folder");
        throw WorkspaceError("cannot read " + label + ": " + sqlite3_errmsg(db));
    }
    if (empty && (!allowCreate || readOnly))
        throw WorkspaceError(label + " is not a Runlens workspace (empty database)");
    if (empty) {
        // Must precede the first table. Measured with 10M points: 64 KiB pages waste about half of each
        // chunk's last overflow page (153 MB file); 8 KiB pages give 98 MB at the same import speed.
        store::exec(db, "PRAGMA page_size = 8192");
        // Another process may have created it since we looked: then it is checked like any workspace.
        empty = store::createSchema(db);
    }
    if (!empty) {
        store::checkNoSchemaCode(db, label); // before a migration or any query touches a table
        if (store::applicationId(db) != store::kApplicationId)
            throw WorkspaceError(label + " is not a Runlens workspace");
        const int version = store::userVersion(db);
        if (version > Workspace::kSchemaVersion)
            throw WorkspaceError(label + " was written by a newer Runlens (schema " +
                                 std::to_string(version) + "; this build reads up to " +
                                 std::to_string(Workspace::kSchemaVersion) + ")");
        if (version < Workspace::kSchemaVersion && readOnly)
            throw WorkspaceError(label + " uses the older schema " + std::to_string(version) +
                                 "; open it once read-write to upgrade it");
        if (!readOnly) store::migrate(db, label);
        store::checkSchema(db, label);
    }
    configureConnection(db, readOnly);
    return conn.release();
}

} // namespace

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
    store::Connection conn(openConnection(path, false, true, busy.get()));
    auto ws = std::unique_ptr<Workspace>(new Workspace(path, conn.get(), false));
    ws->m_busy = std::move(busy);
    conn.release();
    return ws;
}

std::unique_ptr<Workspace> Workspace::open(const std::filesystem::path& path, Mode mode,
                                           const WaitOptions& wait) {
    const bool readOnly = mode == Mode::ReadOnly;
    auto busy = busyWaitFor(path, wait);
    store::Connection conn(openConnection(path, readOnly, false, busy.get()));
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

std::optional<std::int64_t> findSeries(sqlite3* db, std::int64_t runId, const std::string& tag,
                                       std::int64_t* points = nullptr) {
    Statement st(db, "SELECT s.id, s.points FROM series s JOIN names n ON n.id = s.tag_id "
                     "WHERE s.run_id = ?1 AND n.text = ?2");
    st.bind(1, runId).bind(2, tag);
    if (!st.step()) return std::nullopt;
    if (points) *points = st.int64(1);
    return st.int64(0);
}

} // namespace

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
    const auto seriesId = findSeries(m_db, runId, tag, &points);
    if (!seriesId) return;
    const bool whole = range.first == INT64_MIN && range.last == INT64_MAX;
    if (whole) out.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(points, 0, kMaxReserve)));

    Statement st(m_db, "SELECT seq, first_step, last_step, data FROM chunks "
                       "WHERE series_id = ?1 AND last_step >= ?2 AND first_step <= ?3 ORDER BY seq");
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
    const auto seriesId = findSeries(m_db, runId, tag);
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
    if (trim(newName).empty()) throw WorkspaceError("a run name cannot be empty");
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
        PredictionColumn c;
        c.name = cols.text(0);
        const auto role = roleFromName(cols.text(1));
        if (!role) throw WorkspaceError(where + ": column " + c.name + " has an unknown role");
        c.role = *role;
        c.numeric = cols.int64(2) != 0;
        c.className = cols.text(3);
        const auto data = cols.blob(4);
        const std::size_t width = c.numeric ? sizeof(double) : sizeof(std::int32_t);
        // Checking the size against the row count first bounds the allocation by the blob itself.
        if (data.size() != static_cast<std::uint64_t>(rows) * width)
            throw WorkspaceError(where + ": column " + c.name + " does not hold " + std::to_string(rows) +
                                 " rows");
        if (c.numeric) {
            c.numbers.resize(static_cast<std::size_t>(rows));
            if (!data.empty()) std::memcpy(c.numbers.data(), data.data(), data.size());
        } else {
            c.codes.resize(static_cast<std::size_t>(rows));
            if (!data.empty()) std::memcpy(c.codes.data(), data.data(), data.size());
            c.dictionary = parseDictionary(cols.blob(5), where + ": column " + c.name);
            const auto dictSize = static_cast<std::int64_t>(c.dictionary.size());
            for (std::int32_t code : c.codes)
                if (code < -1 || code >= dictSize)
                    throw WorkspaceError(where + ": column " + c.name + " has a code outside its dictionary");
        }
        table.columns.push_back(std::move(c));
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
    return std::make_unique<ImportTransaction>(m_db, path, format, replace);
}

} // namespace runlens
