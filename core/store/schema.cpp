// Workspace DDL, the migration table from schema N to N+1, and the check run before a file is used.
#include "core/store/schema.h"

#include "core/store/sqlite_handle.h"
#include "core/store/workspace.h"

#include <array>
#include <map>
#include <set>
#include <sqlite3.h>
#include <string>

namespace runlens::store {

namespace {

// Schema 2 (schema 1 plus summary_metrics). Names (tags, param and tag keys) are stored once in `names`;
// everything else uses ids. Chunk step bounds are the smallest/largest step of the chunk so range lookups
// stay correct even when a log's steps go backwards.
constexpr const char* kSchemaSql = R"sql(
CREATE TABLE runs(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created REAL NOT NULL);
CREATE TABLE names(
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE);
CREATE TABLE sources(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER NOT NULL DEFAULT 0,
    "offset" INTEGER NOT NULL DEFAULT 0);
CREATE TABLE params(
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL REFERENCES names(id),
    value TEXT NOT NULL,
    num REAL,
    PRIMARY KEY(run_id, key_id)) WITHOUT ROWID;
CREATE TABLE run_tags(
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL REFERENCES names(id),
    value TEXT NOT NULL,
    PRIMARY KEY(run_id, key_id)) WITHOUT ROWID;
CREATE TABLE provenance(
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    source_path TEXT,
    format TEXT,
    code_version TEXT,
    data_version TEXT,
    seed TEXT,
    status TEXT,
    start_time REAL,
    end_time REAL);
CREATE TABLE series(
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES names(id),
    points INTEGER NOT NULL DEFAULT 0,
    first_step INTEGER,
    last_step INTEGER,
    min REAL,
    max REAL,
    last_value REAL,
    first_wall REAL,
    last_wall REAL,
    non_finite INTEGER NOT NULL DEFAULT 0,
    UNIQUE(run_id, tag_id));
CREATE TABLE chunks(
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    count INTEGER NOT NULL,
    first_step INTEGER NOT NULL,
    last_step INTEGER NOT NULL,
    min REAL,
    max REAL,
    non_finite INTEGER NOT NULL DEFAULT 0,
    last_value REAL,
    first_wall REAL,
    last_wall REAL,
    data BLOB NOT NULL,
    PRIMARY KEY(series_id, seq));
CREATE INDEX chunks_range ON chunks(series_id, first_step, last_step);
CREATE INDEX chunks_source ON chunks(source_id);
CREATE TABLE predictions(
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    source_path TEXT NOT NULL DEFAULT '',
    rows INTEGER NOT NULL,
    UNIQUE(run_id, name));
CREATE INDEX predictions_source ON predictions(source_id);
CREATE TABLE summary_metrics(
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL REFERENCES names(id),
    value REAL,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    PRIMARY KEY(run_id, key_id)) WITHOUT ROWID;
CREATE INDEX summary_metrics_source ON summary_metrics(source_id);
CREATE TABLE prediction_columns(
    table_id INTEGER NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    numeric INTEGER NOT NULL,
    class_name TEXT NOT NULL DEFAULT '',
    data BLOB NOT NULL,
    dictionary BLOB,
    PRIMARY KEY(table_id, idx));
)sql";

struct TableColumns {
    const char* table;
    std::array<const char*, 13> columns; // unused slots stay nullptr
};

// What this build reads and writes; checked before use because workspaces may come from anywhere.
constexpr std::array<TableColumns, 11> kExpected{{
    {"runs", {"id", "name", "created"}},
    {"names", {"id", "text"}},
    {"sources", {"id", "path", "format", "size", "mtime_ns", "offset"}},
    {"params", {"run_id", "key_id", "value", "num"}},
    {"run_tags", {"run_id", "key_id", "value"}},
    {"provenance",
     {"run_id", "source_path", "format", "code_version", "data_version", "seed", "status", "start_time",
      "end_time"}},
    {"series",
     {"id", "run_id", "tag_id", "points", "first_step", "last_step", "min", "max", "last_value", "first_wall",
      "last_wall", "non_finite"}},
    {"chunks",
     {"series_id", "seq", "source_id", "count", "first_step", "last_step", "min", "max", "non_finite",
      "last_value", "first_wall", "last_wall", "data"}},
    {"predictions", {"id", "run_id", "source_id", "name", "source_path", "rows"}},
    {"prediction_columns",
     {"table_id", "idx", "name", "role", "numeric", "class_name", "data", "dictionary"}},
    {"summary_metrics", {"run_id", "key_id", "value", "source_id"}},
}};

// One step of schema evolution: SQL that turns schema `from` into `from + 1`. Append, never edit.
struct Migration {
    int from;
    const char* sql;
};
constexpr std::array<Migration, 1> kMigrations{{
    {1, R"sql(
CREATE TABLE summary_metrics(
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    key_id INTEGER NOT NULL REFERENCES names(id),
    value REAL,
    source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
    PRIMARY KEY(run_id, key_id)) WITHOUT ROWID;
CREATE INDEX summary_metrics_source ON summary_metrics(source_id);
)sql"},
}};

int pragmaInt(sqlite3* db, const char* sql) {
    Statement st(db, sql);
    return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

void setUserVersion(sqlite3* db, int version) {
    // PRAGMA takes no bound parameters; the value is an int we produced ourselves.
    exec(db, ("PRAGMA user_version = " + std::to_string(version)).c_str());
}

} // namespace

int userVersion(sqlite3* db) {
    return pragmaInt(db, "PRAGMA user_version");
}

int applicationId(sqlite3* db) {
    return pragmaInt(db, "PRAGMA application_id");
}

bool isEmptyDatabase(sqlite3* db) {
    return pragmaInt(db, "SELECT count(*) FROM sqlite_schema") == 0;
}

bool createSchema(sqlite3* db) {
    Transaction tx(db);
    if (!isEmptyDatabase(db)) return false; // another process created it while we waited for the lock
    exec(db, kSchemaSql);
    exec(db, ("PRAGMA application_id = " + std::to_string(kApplicationId)).c_str());
    setUserVersion(db, Workspace::kSchemaVersion);
    tx.commit();
    return true;
}

void migrate(sqlite3* db, const std::string& label) {
    int version = userVersion(db);
    if (version > Workspace::kSchemaVersion)
        throw WorkspaceError(label + " was written by a newer Runlens (schema " + std::to_string(version) +
                             "; this build reads up to " + std::to_string(Workspace::kSchemaVersion) + ")");
    if (version < 1) throw WorkspaceError(label + " is not a Runlens workspace (no schema version)");
    while (version < Workspace::kSchemaVersion) {
        const Migration* step = nullptr;
        for (const auto& m : kMigrations)
            if (m.from == version) step = &m;
        if (!step)
            throw WorkspaceError(label + ": no migration from schema " + std::to_string(version) + " to " +
                                 std::to_string(version + 1));
        Transaction tx(db);
        exec(db, step->sql);
        setUserVersion(db, version + 1);
        tx.commit();
        ++version;
    }
}

namespace {

// SQL text with runs of whitespace collapsed to one space, so layout differences do not count.
std::string normalizedSql(std::string_view sql) {
    std::string out;
    bool space = false;
    for (const char c : sql) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

struct SchemaObject {
    std::string type;
    std::string table;
    std::string sql; // normalized; empty for automatic indexes
};

// Objects SQLite itself may add: automatic indexes of UNIQUE/PRIMARY KEY and the statistics tables that
// ANALYZE (run by PRAGMA optimize) creates.
bool internalObject(const std::string& name) {
    return name.rfind("sqlite_autoindex_", 0) == 0 || name.rfind("sqlite_stat", 0) == 0;
}

std::map<std::string, SchemaObject> schemaObjects(sqlite3* db) {
    std::map<std::string, SchemaObject> objects;
    Statement st(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema");
    while (st.step()) {
        const std::string name = st.text(1);
        if (internalObject(name)) continue;
        objects[name] = SchemaObject{st.text(0), st.text(2), normalizedSql(st.text(3))};
    }
    return objects;
}

// What createSchema makes, read back from an in-memory database (so it always matches kSchemaSql).
// Migrations must leave a workspace with exactly this schema: a migrated file is checked against it.
std::map<std::string, SchemaObject> expectedObjects() {
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr) != SQLITE_OK) {
        sqlite3_close(raw);
        throw WorkspaceError("cannot open an in-memory database to check a workspace's schema");
    }
    Connection memory(raw);
    exec(memory.get(), kSchemaSql);
    return schemaObjects(memory.get());
}

} // namespace

void checkNoSchemaCode(sqlite3* db, const std::string& label) {
    Statement st(db, "SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'trigger') LIMIT 1");
    if (st.step())
        throw WorkspaceError(label + " is not a Runlens workspace: it holds a " + st.text(0) + " (" +
                             st.text(1) + "), which Runlens never creates; not opened");
}

void checkSchema(sqlite3* db, const std::string& label) {
    checkNoSchemaCode(db, label);
    Statement columns(db, "SELECT name FROM pragma_table_info(?1)");
    for (const auto& expected : kExpected) {
        columns.bind(1, expected.table);
        std::set<std::string> present;
        while (columns.step())
            present.insert(columns.text(0));
        columns.reset();
        if (present.empty())
            throw WorkspaceError(label + " is not a Runlens workspace (table " + expected.table +
                                 " is missing)");
        for (const char* column : expected.columns) {
            if (column && !present.count(column))
                throw WorkspaceError(label + " has a damaged Runlens schema (column " + expected.table + "." +
                                     column + " is missing)");
        }
    }
    // Every table and column present is not enough: a crafted file could add objects or column definitions
    // this build never makes. Compare the whole schema.
    const auto expected = expectedObjects();
    const auto present = schemaObjects(db);
    for (const auto& [name, object] : present) {
        const auto it = expected.find(name);
        if (it == expected.end())
            throw WorkspaceError(label + " has a damaged Runlens schema (unexpected " + object.type + " " +
                                 name + ")");
        if (it->second.type != object.type || it->second.table != object.table ||
            it->second.sql != object.sql)
            throw WorkspaceError(label + " has a damaged Runlens schema (" + it->second.type + " " + name +
                                 " differs from the one Runlens creates)");
    }
    for (const auto& [name, object] : expected)
        if (!present.count(name))
            throw WorkspaceError(label + " has a damaged Runlens schema (" + object.type + " " + name +
                                 " is missing)");
}

} // namespace runlens::store
