// Optuna's SQLite storage: studies, directions, trials, params, values and intermediate values by SQL.
#include "core/io/optuna_sql_reader.h"

#include "core/io/optuna_study.h"
#include "core/io/sqlite_read.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <simdjson.h>

namespace runlens {
namespace {

using namespace sqlite_read;

bool hasOptunaSchema(sqlite3* db) {
    return hasTable(db, "studies") && hasTable(db, "trials") && hasTable(db, "trial_params") &&
           hasColumn(db, "trials", "number") && hasColumn(db, "trial_params", "distribution_json");
}

// A stored float with Optuna's value-type column (3.x keeps infinities as NULL plus INF_POS / INF_NEG).
double typedValue(sqlite3_stmt* s, int valueCol, int typeCol) {
    const std::string type = typeCol >= 0 ? text(s, typeCol) : std::string("FINITE");
    if (type == "INF_POS") return std::numeric_limits<double>::infinity();
    if (type == "INF_NEG") return -std::numeric_limits<double>::infinity();
    if (type == "NAN" || sqlite3_column_type(s, valueCol) == SQLITE_NULL)
        return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(s, valueCol);
}

std::vector<std::pair<std::string, std::string>> keyValues(sqlite3* db, const char* sql, std::int64_t id) {
    std::vector<std::pair<std::string, std::string>> out;
    auto s = prepare(db, sql);
    if (!s) return out;
    sqlite3_bind_int64(s.get(), 1, id);
    while (sqlite3_step(s.get()) == SQLITE_ROW)
        out.emplace_back(text(s.get(), 0), text(s.get(), 1));
    return out;
}

std::vector<std::string> directionsOf(sqlite3* db, std::int64_t studyId) {
    std::vector<std::string> out;
    const char* sql =
        hasTable(db, "study_directions")
            ? "SELECT direction FROM study_directions WHERE study_id=?1 ORDER BY objective"
            : (hasColumn(db, "studies", "direction") ? "SELECT direction FROM studies WHERE study_id=?1"
                                                     : nullptr);
    if (!sql) return out;
    auto s = prepare(db, sql);
    if (!s) return out;
    sqlite3_bind_int64(s.get(), 1, studyId);
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        std::string d = text(s.get(), 0);
        for (auto& c : d)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        out.push_back(d);
    }
    return out;
}

// study:metric_names, a JSON list, when the study named its objectives (Optuna 3.2+).
std::vector<std::string> metricNamesOf(sqlite3* db, std::int64_t studyId) {
    std::vector<std::string> out;
    if (!hasTable(db, "study_system_attributes")) return out;
    for (const auto& [key, json] :
         keyValues(db, "SELECT key, value_json FROM study_system_attributes WHERE study_id=?1", studyId)) {
        if (key != "study:metric_names") continue;
        simdjson::dom::parser parser;
        simdjson::dom::array names;
        if (parser.parse(json).get(names)) continue;
        for (auto n : names) {
            std::string_view name;
            out.emplace_back(n.get(name) ? std::string() : std::string(name));
        }
    }
    return out;
}

class OptunaSqlImport {
  public:
    OptunaSqlImport(sqlite3* db, const std::string& label, ReadReport& report)
        : m_db(db), m_label(label), m_report(report) {
        m_valueType = hasTable(db, "trial_values") && hasColumn(db, "trial_values", "value_type");
        m_intermediateType = hasTable(db, "trial_intermediate_values") &&
                             hasColumn(db, "trial_intermediate_values", "intermediate_value_type");
    }

    std::vector<OptunaStudy> studies(const ReadContext& ctx, const ImportSink& sink) {
        std::vector<OptunaStudy> out;
        auto s = prepare(m_db, "SELECT study_id, study_name FROM studies ORDER BY study_id");
        if (!s) {
            m_report.error(IssueKind::BadRecord, m_label, 0,
                           std::string("cannot query studies: ") + sqlite3_errmsg(m_db));
            return out;
        }
        while (sqlite3_step(s.get()) == SQLITE_ROW) {
            if (ctx.cancelled() || sink.cancelled()) break;
            const std::int64_t id = sqlite3_column_int64(s.get(), 0);
            OptunaStudy study;
            study.name = text(s.get(), 1);
            study.directions = directionsOf(m_db, id);
            study.metricNames = metricNamesOf(m_db, id);
            if (hasTable(m_db, "study_user_attributes"))
                study.userAttrs = keyValues(
                    m_db, "SELECT key, value_json FROM study_user_attributes WHERE study_id=?1", id);
            study.trials = trials(id);
            out.push_back(std::move(study));
        }
        return out;
    }

  private:
    std::vector<OptunaTrial> trials(std::int64_t studyId) {
        std::vector<OptunaTrial> out;
        const bool valueInTrials = !hasTable(m_db, "trial_values") && hasColumn(m_db, "trials", "value");
        const std::string sql =
            std::string("SELECT trial_id, number, state, datetime_start, datetime_complete") +
            (valueInTrials ? ", value" : "") + " FROM trials WHERE study_id=?1 ORDER BY number, trial_id";
        auto s = prepare(m_db, sql.c_str());
        if (!s) return out;
        sqlite3_bind_int64(s.get(), 1, studyId);
        while (sqlite3_step(s.get()) == SQLITE_ROW) {
            const std::int64_t id = sqlite3_column_int64(s.get(), 0);
            OptunaTrial t;
            t.number = sqlite3_column_int64(s.get(), 1);
            t.state = text(s.get(), 2);
            t.start = optunaTimeText(text(s.get(), 3));
            t.complete = optunaTimeText(text(s.get(), 4));
            if (valueInTrials && sqlite3_column_type(s.get(), 5) != SQLITE_NULL)
                t.values.push_back(sqlite3_column_double(s.get(), 5));
            params(id, t);
            if (!valueInTrials) values(id, t);
            intermediate(id, t);
            if (hasTable(m_db, "trial_user_attributes"))
                t.userAttrs = keyValues(
                    m_db, "SELECT key, value_json FROM trial_user_attributes WHERE trial_id=?1", id);
            out.push_back(std::move(t));
        }
        return out;
    }

    void params(std::int64_t trialId, OptunaTrial& t) {
        auto s = prepare(m_db, "SELECT param_name, param_value, distribution_json FROM trial_params "
                               "WHERE trial_id=?1 ORDER BY param_id");
        if (!s) return;
        sqlite3_bind_int64(s.get(), 1, trialId);
        while (sqlite3_step(s.get()) == SQLITE_ROW) {
            const std::string name = text(s.get(), 0);
            std::string why;
            std::string value = optunaParamText(sqlite3_column_double(s.get(), 1), text(s.get(), 2), why);
            if (!why.empty()) {
                m_report.warn(IssueKind::BadValue, m_label, 0,
                              "trial " + std::to_string(t.number) + ", param '" + name + "': " + why +
                                  "; its internal value is kept");
                char buf[64];
                const auto end = std::to_chars(buf, buf + sizeof buf, sqlite3_column_double(s.get(), 1));
                value.assign(buf, end.ptr);
            }
            t.params.emplace_back(name, std::move(value));
        }
    }

    void values(std::int64_t trialId, OptunaTrial& t) {
        if (!hasTable(m_db, "trial_values")) return;
        const char* sql =
            m_valueType ? "SELECT value, value_type FROM trial_values WHERE trial_id=?1 ORDER BY objective"
                        : "SELECT value FROM trial_values WHERE trial_id=?1 ORDER BY objective";
        auto s = prepare(m_db, sql);
        if (!s) return;
        sqlite3_bind_int64(s.get(), 1, trialId);
        while (sqlite3_step(s.get()) == SQLITE_ROW)
            t.values.push_back(typedValue(s.get(), 0, m_valueType ? 1 : -1));
    }

    void intermediate(std::int64_t trialId, OptunaTrial& t) {
        if (!hasTable(m_db, "trial_intermediate_values")) return;
        const char* sql = m_intermediateType
                              ? "SELECT step, intermediate_value, intermediate_value_type FROM "
                                "trial_intermediate_values WHERE trial_id=?1 ORDER BY step"
                              : "SELECT step, intermediate_value FROM trial_intermediate_values WHERE "
                                "trial_id=?1 ORDER BY step";
        auto s = prepare(m_db, sql);
        if (!s) return;
        sqlite3_bind_int64(s.get(), 1, trialId);
        while (sqlite3_step(s.get()) == SQLITE_ROW)
            t.intermediate[sqlite3_column_int64(s.get(), 0)] =
                typedValue(s.get(), 1, m_intermediateType ? 2 : -1);
    }

    sqlite3* m_db;
    const std::string& m_label;
    ReadReport& m_report;
    bool m_valueType = false;
    bool m_intermediateType = false;
};

} // namespace

int OptunaSqlReader::confidence(const FileProbe& probe) const {
    if (!hasMagic(probe.head)) return 0;
    const DbPtr db = openReadOnly(probe.path);
    return db && hasOptunaSchema(db.get()) ? 90 : 0;
}

ReadReport OptunaSqlReader::read(const std::filesystem::path& path, const ReadContext& ctx,
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
    if (!hasOptunaSchema(db.get())) {
        report.error(IssueKind::NotALog, label, 0, "an SQLite file without Optuna's tables");
        return report;
    }
    OptunaSqlImport import(db.get(), label, report);
    const auto studies = import.studies(ctx, sink);
    if (ctx.cancelled() || sink.cancelled()) {
        report.warn(IssueKind::Cancelled, label, 0, "import cancelled");
        return report;
    }
    std::size_t trials = 0;
    for (const auto& s : studies)
        trials += s.trials.size();
    if (trials == 0)
        report.add(Severity::Info, IssueKind::Empty, label, 0, "the Optuna storage holds no trials");
    report.points = deliverOptunaStudies(studies, ctx.runName, label, sink);
    return report;
}

} // namespace runlens
