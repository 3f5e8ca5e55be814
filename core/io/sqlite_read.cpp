// Read-only SQLite helpers shared by the readers of SQLite stores.
#include "core/io/sqlite_read.h"

#include <cstdio>

namespace runlens::sqlite_read {
namespace {

// Percent-encodes the characters that would end the path part of an SQLite URI.
std::string uriPath(const std::string& path) {
    std::string out;
    for (const char c : path) {
        if (c == '?' || c == '#' || c == '%') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

bool hasMagic(std::string_view head) {
    return head.size() >= kMagic.size() && head.compare(0, kMagic.size(), kMagic) == 0;
}

DbPtr openReadOnly(const std::filesystem::path& path) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.string().c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    DbPtr db(raw);
    if (rc == SQLITE_OK &&
        sqlite3_exec(db.get(), "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) == SQLITE_OK)
        return db;
    db.reset();
    raw = nullptr;
    const std::string uri = "file:" + uriPath(path.string()) + "?mode=ro&immutable=1";
    rc = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    db.reset(raw);
    return rc == SQLITE_OK ? std::move(db) : nullptr;
}

StmtPtr prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) return nullptr;
    return StmtPtr(raw);
}

std::string text(sqlite3_stmt* s, int col) {
    const auto* p = sqlite3_column_text(s, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(s, col)))
             : std::string{};
}

bool hasTable(sqlite3* db, const char* table) {
    auto s = prepare(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?1");
    if (!s) return false;
    sqlite3_bind_text(s.get(), 1, table, -1, SQLITE_STATIC);
    return sqlite3_step(s.get()) == SQLITE_ROW && sqlite3_column_int(s.get(), 0) == 1;
}

bool hasColumn(sqlite3* db, const char* table, const char* column) {
    auto s = prepare(db, "SELECT count(*) FROM pragma_table_info(?1) WHERE name=?2");
    if (!s) return false;
    sqlite3_bind_text(s.get(), 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(s.get(), 2, column, -1, SQLITE_STATIC);
    return sqlite3_step(s.get()) == SQLITE_ROW && sqlite3_column_int(s.get(), 0) == 1;
}

} // namespace runlens::sqlite_read
