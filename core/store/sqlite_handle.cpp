// RAII wrappers over the SQLite C API: every failure becomes a WorkspaceError carrying sqlite3_errmsg.
#include "core/store/sqlite_handle.h"

#include <algorithm>
#include <cmath>
#include <sqlite3.h>
#include <thread>
#include <utility>

namespace runlens::store {

namespace {

// SQLite's own text ("database is locked") names neither the file nor what to do; add both for the cases a
// user can act on.
std::string explained(sqlite3* db, std::string message) {
    if (!db) return message;
    const char* file = sqlite3_db_filename(db, "main");
    const std::string name = file && *file ? file : "the workspace";
    switch (sqlite3_extended_errcode(db) & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return message + " (" + name +
               " is being written by another process; try again when it has finished)";
    case SQLITE_READONLY:
        return message + " (" + name + " is read-only here: the file or its folder is not writable; " +
               "open it read-only or copy it to a writable folder)";
    case SQLITE_FULL:
        return message + " (the disk holding " + name + " is full or a size limit was reached; free some " +
               "space and import again: what was imported before is kept, this file was not stored)";
    case SQLITE_IOERR:
        return message + " (writing " + name + " failed: the disk may be full, removed or failing; what " +
               "was imported before is kept, this file was not stored)";
    default:
        return message;
    }
}

// Retries a locked request with short naps until the wait's limit has passed since its first busy answer.
int onBusy(void* data, int count) {
    auto& wait = *static_cast<BusyWait*>(data);
    const auto now = std::chrono::steady_clock::now();
    if (count == 0) {
        wait.started = now;
        wait.noticed = false;
    }
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - wait.started).count();
    if (waited >= wait.limitMs) return 0;
    if (!wait.noticed && waited >= BusyWait::kNoticeAfterMs && wait.notice) {
        wait.noticed = true;
        try {
            wait.notice(wait.label + " is being written by another process; waiting up to " +
                        std::to_string((wait.limitMs + 999) / 1000) + " s for it to finish");
        } catch (...) { // a C callback must not throw; the notice is only a courtesy
        }
    }
    const long nap = count < 10 ? 1 + 5L * count : 50;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long>(nap, wait.limitMs - waited)));
    return 1;
}

// Settings that make a workspace from anywhere safe to open: no schema-defined code (triggers, views,
// functions in the schema) runs, and SQL cannot corrupt the file on purpose (DEFENSIVE).
void harden(sqlite3* db) {
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
}

} // namespace

void installBusyWait(sqlite3* db, BusyWait* wait) {
    if (wait)
        sqlite3_busy_handler(db, onBusy, wait);
    else
        sqlite3_busy_timeout(db, 5000);
}

void throwSqlite(sqlite3* db, std::string_view what) {
    std::string message(what);
    message += ": ";
    message += db ? sqlite3_errmsg(db) : "out of memory";
    throw WorkspaceError(explained(db, std::move(message)));
}

void exec(sqlite3* db, const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) == SQLITE_OK) return;
    std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    throw WorkspaceError(explained(db, "SQLite error: " + message));
}

Connection::Connection(const std::filesystem::path& path, int flags) {
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(m_db, 1);
        // Before any query: even the open-time reads must wait for a writer rather than fail at once.
        sqlite3_busy_timeout(m_db, 5000);
        harden(m_db);
        return;
    }
    std::string message =
        "cannot open " + path.string() + ": " + (m_db ? sqlite3_errmsg(m_db) : "out of memory");
    if ((rc & 0xff) == SQLITE_CANTOPEN) message += " (does its folder exist, and may you write to it?)";
    sqlite3_close_v2(m_db);
    m_db = nullptr;
    throw WorkspaceError(message);
}

Connection::~Connection() {
    if (m_db) sqlite3_close_v2(m_db);
}

sqlite3* Connection::release() {
    return std::exchange(m_db, nullptr);
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &m_stmt, nullptr);
    if (rc != SQLITE_OK) throwSqlite(db, "cannot prepare SQL");
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

void Statement::check(int rc, std::string_view what) {
    if (rc != SQLITE_OK) throwSqlite(m_db, what);
}

Statement& Statement::bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(m_stmt, index, value), "cannot bind integer");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (std::isnan(value)) return bindNull(index);
    check(sqlite3_bind_double(m_stmt, index, value), "cannot bind number");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    check(sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
          "cannot bind text");
    return *this;
}

Statement& Statement::bindBlob(int index, std::span<const std::uint8_t> blob) {
    // A zero-length blob must still be a blob, not NULL, hence the non-null pointer.
    static constexpr std::uint8_t kEmpty = 0;
    const void* data = blob.empty() ? &kEmpty : blob.data();
    check(sqlite3_bind_blob64(m_stmt, index, data, blob.size(), SQLITE_STATIC), "cannot bind blob");
    return *this;
}

Statement& Statement::bindNull(int index) {
    check(sqlite3_bind_null(m_stmt, index), "cannot bind NULL");
    return *this;
}

Statement& Statement::bindOptional(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bindNull(index);
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // Keep the message before reset() can overwrite it.
    std::string message = explained(m_db, std::string("SQLite error: ") + sqlite3_errmsg(m_db));
    sqlite3_reset(m_stmt);
    throw WorkspaceError(message);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const {
    if (isNull(column)) return std::nan("");
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (!p) return {};
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::span<const std::uint8_t> Statement::blob(int column) const {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    if (!p || size <= 0) return {};
    return {p, static_cast<std::size_t>(size)};
}

Transaction::Transaction(sqlite3* db) : m_db(db) {
    exec(db, "BEGIN IMMEDIATE");
    m_active = true;
}

Transaction::~Transaction() {
    if (!m_active) return;
    // Destructors must not throw; a failed rollback leaves SQLite to roll back on the next open.
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    if (!m_active) throw WorkspaceError("commit of a transaction that is no longer active");
    exec(m_db, "COMMIT");
    m_active = false;
}

} // namespace runlens::store
