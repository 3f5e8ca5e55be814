// MLflow's SQLite store read through the sqlite3 C API, read-only, with RAII handles.
#include "core/io/mlflow_sql_reader.h"

#include "core/io/mlflow_file_reader.h"
#include "core/io/sqlite_read.h"
#include "core/model/series.h"

#include <charconv>
#include <map>
#include <memory>
#include <sqlite3.h>

namespace runlens {
namespace {

using sqlite_read::DbPtr;
using sqlite_read::hasColumn;
using sqlite_read::openReadOnly;
using sqlite_read::prepare;
using sqlite_read::StmtPtr;
using sqlite_read::text;

bool hasMlflowSchema(sqlite3* db) {
    auto s = prepare(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN "
                         "('experiments','runs','metrics','params','tags')");
    if (!s || sqlite3_step(s.get()) != SQLITE_ROW || sqlite3_column_int(s.get(), 0) != 5) return false;
    auto c = prepare(db, "SELECT count(*) FROM pragma_table_info('runs') WHERE name='run_uuid'");
    return c && sqlite3_step(c.get()) == SQLITE_ROW && sqlite3_column_int(c.get(), 0) == 1;
}

std::string secondsText(sqlite3_stmt* s, int col) {
    if (sqlite3_column_type(s, col) == SQLITE_NULL) return {};
    char buf[64];
    const auto out =
        std::to_chars(buf, buf + sizeof buf, static_cast<double>(sqlite3_column_int64(s, col)) / 1000.0);
    return std::string(buf, out.ptr);
}

struct SqlRun {
    std::string id;
    std::string name;
    std::string experiment;
    std::string status;
    std::string start;
    std::string end;
};

std::vector<SqlRun> loadRuns(sqlite3* db, ReadReport& report, const std::string& label) {
    const bool hasName = hasColumn(db, "runs", "name");
    const std::string sql =
        std::string("SELECT r.run_uuid, ") + (hasName ? "r.name" : "''") +
        ", coalesce(e.name, r.experiment_id), r.status, r.start_time, r.end_time FROM runs r "
        "LEFT JOIN experiments e ON e.experiment_id = r.experiment_id "
        "WHERE coalesce(r.lifecycle_stage, 'active') <> 'deleted' "
        "AND coalesce(e.lifecycle_stage, 'active') <> 'deleted' ORDER BY r.experiment_id, r.start_time, "
        "r.run_uuid";
    auto s = prepare(db, sql.c_str());
    std::vector<SqlRun> runs;
    if (!s) {
        report.error(IssueKind::BadRecord, label, 0, std::string("cannot query runs: ") + sqlite3_errmsg(db));
        return runs;
    }
    while (sqlite3_step(s.get()) == SQLITE_ROW)
        runs.push_back({text(s.get(), 0), text(s.get(), 1), text(s.get(), 2), text(s.get(), 3),
                        secondsText(s.get(), 4), secondsText(s.get(), 5)});
    // A run's mlflow.runName tag wins over runs.name, as in the file store.
    auto tagName = prepare(db, "SELECT value FROM tags WHERE run_uuid=?1 AND key='mlflow.runName'");
    for (auto& r : runs) {
        if (!tagName) break;
        sqlite3_reset(tagName.get());
        sqlite3_bind_text(tagName.get(), 1, r.id.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(tagName.get()) == SQLITE_ROW) r.name = text(tagName.get(), 0);
        if (r.name.empty()) r.name = r.id;
    }
    return runs;
}

void readMetrics(sqlite3* db, const SqlRun& run, const std::string& runName, ImportSink& sink,
                 ReadReport& report) {
    const bool hasIsNan = hasColumn(db, "metrics", "is_nan");
    const std::string sql = std::string("SELECT key, value, timestamp, step, ") +
                            (hasIsNan ? "is_nan" : "0") +
                            " FROM metrics WHERE run_uuid=?1 ORDER BY key, step, timestamp";
    auto s = prepare(db, sql.c_str());
    if (!s) return;
    sqlite3_bind_text(s.get(), 1, run.id.c_str(), -1, SQLITE_TRANSIENT);
    SeriesData batch;
    std::string key;
    auto flush = [&] {
        if (!batch.empty()) sink.appendPoints(runName, key, batch.steps, batch.wallTimes, batch.values);
        batch.clear();
    };
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        const std::string k = text(s.get(), 0);
        if (k != key) {
            flush();
            key = k;
        }
        const double value = sqlite3_column_int(s.get(), 4) ? kNaN : sqlite3_column_double(s.get(), 1);
        batch.push(sqlite3_column_int64(s.get(), 3),
                   static_cast<double>(sqlite3_column_int64(s.get(), 2)) / 1000.0, value);
        ++report.points;
        if (batch.size() >= MlflowSqlReader::kBatch) flush();
    }
    flush();
}

void readKeyValues(sqlite3* db, const char* sql, const SqlRun& run, std::string_view runName,
                   ImportSink& sink, bool params) {
    auto s = prepare(db, sql);
    if (!s) return;
    sqlite3_bind_text(s.get(), 1, run.id.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        const std::string key = text(s.get(), 0);
        const std::string value = text(s.get(), 1);
        if (params) {
            sink.setParam(runName, key, value);
            continue;
        }
        sink.setTag(runName, key, value);
        if (key == "mlflow.source.git.commit")
            sink.setProvenance(runName, ProvenanceField::CodeVersion, value);
    }
}

} // namespace

int MlflowSqlReader::confidence(const FileProbe& probe) const {
    if (!sqlite_read::hasMagic(probe.head)) return 0;
    const DbPtr db = openReadOnly(probe.path);
    return db && hasMlflowSchema(db.get()) ? 90 : 0;
}

ReadReport MlflowSqlReader::read(const std::filesystem::path& path, const ReadContext& ctx,
                                 ImportSink& sink) const {
    ReadReport report;
    report.format = std::string(name());
    const std::string label = path.string();
    std::error_code ec;
    report.endOffset = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
    const DbPtr db = openReadOnly(path);
    if (!db) {
        report.error(IssueKind::Unreadable, label, 0, "cannot open as an SQLite database");
        return report;
    }
    if (!hasMlflowSchema(db.get())) {
        report.error(IssueKind::NotALog, label, 0, "an SQLite file without MLflow's tables");
        return report;
    }
    const auto runs = loadRuns(db.get(), report, label);
    std::map<std::pair<std::string, std::string>, int> counts;
    for (const auto& r : runs)
        ++counts[{r.experiment, r.name}];
    for (const auto& r : runs) {
        if (ctx.cancelled() || sink.cancelled()) {
            report.warn(IssueKind::Cancelled, label, 0, "import cancelled");
            break;
        }
        std::string runName = r.experiment + "/" + r.name;
        if (counts[{r.experiment, r.name}] > 1) runName.append("-").append(r.id, 0, 8);
        sink.setProvenance(runName, ProvenanceField::SourcePath, label);
        sink.setProvenance(runName, ProvenanceField::Format, "mlflow");
        if (!r.status.empty())
            sink.setProvenance(runName, ProvenanceField::Status, mlflowStatusName(r.status));
        if (!r.start.empty()) sink.setProvenance(runName, ProvenanceField::StartTime, r.start);
        if (!r.end.empty()) sink.setProvenance(runName, ProvenanceField::EndTime, r.end);
        sink.setTag(runName, "mlflow.runId", r.id);
        readKeyValues(db.get(), "SELECT key, value FROM params WHERE run_uuid=?1 ORDER BY key", r, runName,
                      sink, true);
        readKeyValues(db.get(), "SELECT key, value FROM tags WHERE run_uuid=?1 ORDER BY key", r, runName,
                      sink, false);
        readMetrics(db.get(), r, runName, sink, report);
    }
    if (runs.empty())
        report.add(Severity::Info, IssueKind::Empty, label, 0, "the MLflow store holds no runs");
    return report;
}

} // namespace runlens
