// Read-only access to SQLite files that other tools wrote (MLflow's and Optuna's stores), with RAII handles.
#pragma once

#include <filesystem>
#include <memory>
#include <sqlite3.h>
#include <string>
#include <string_view>

namespace runlens::sqlite_read {

inline constexpr std::string_view kMagic{"SQLite format 3\0", 16};

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtCloser {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtCloser>;

// True when the bytes start with SQLite's file header.
bool hasMagic(std::string_view head);

// Read-only; falls back to immutable mode when the directory forbids the -shm/-wal side files.
DbPtr openReadOnly(const std::filesystem::path& path);

StmtPtr prepare(sqlite3* db, const char* sql);

// Column text (empty for NULL).
std::string text(sqlite3_stmt* s, int col);

bool hasTable(sqlite3* db, const char* table);
bool hasColumn(sqlite3* db, const char* table, const char* column);

} // namespace runlens::sqlite_read
