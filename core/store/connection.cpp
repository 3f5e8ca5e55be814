// Opening and identifying workspace files.
#include "core/store/connection.h"

#include "core/model/read_report.h"
#include "core/store/schema.h"
#include "core/store/sqlite_handle.h"
#include "core/store/workspace.h"

#include <chrono>
#include <sqlite3.h>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace runlens::store {

namespace {

void configureConnection(sqlite3* db, bool readOnly) {
    store::exec(db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY");
    if (readOnly) return;
    store::exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
}

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

} // namespace

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

} // namespace runlens::store
