// RAII wrappers over the SQLite C API (connection, statement, transaction) that throw WorkspaceError.
#pragma once

#include "core/store/workspace.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace runlens::store {

// How long a connection waits for another process's lock, and whom it tells that it waits. Owned by the
// workspace (it must outlive the connection); installed right after the open, before the first query.
struct BusyWait {
    int limitMs = 60000;
    std::string label;                            // the workspace, for the notice
    std::function<void(std::string_view)> notice; // called once per wait that lasts over kNoticeAfterMs
    static constexpr int kNoticeAfterMs = 250;
    std::chrono::steady_clock::time_point started{}; // first busy answer of the current lock request
    bool noticed = false;
};
void installBusyWait(sqlite3* db, BusyWait* wait);

// Throws WorkspaceError("<what>: <sqlite3_errmsg>").
[[noreturn]] void throwSqlite(sqlite3* db, std::string_view what);

// Runs one or more SQL statements that return no rows we need.
void exec(sqlite3* db, const char* sql);

// Owns a connection; closes it on destruction unless released.
class Connection {
  public:
    Connection(const std::filesystem::path& path, int flags);
    explicit Connection(sqlite3* adopted) : m_db(adopted) {}
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* get() const { return m_db; }
    sqlite3* release();

  private:
    sqlite3* m_db = nullptr;
};

// A prepared statement; bind indexes are 1-based, column indexes 0-based as in SQLite.
class Statement {
  public:
    Statement() = default;
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool valid() const { return m_stmt != nullptr; }

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value); // NaN binds as NULL (SQLite has no NaN)
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bindBlob(int index,
                        std::span<const std::uint8_t> blob); // not copied: keep it alive until step()
    Statement& bindNull(int index);
    Statement& bindOptional(int index, std::optional<std::int64_t> value);

    // Returns true when a row is available, false when done; throws on error.
    bool step();
    // Steps a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const; // NULL reads as NaN
    std::string text(int column) const;
    std::span<const std::uint8_t> blob(int column) const; // valid until the next step/reset

  private:
    void check(int rc, std::string_view what);
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
class Transaction {
  public:
    explicit Transaction(sqlite3* db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();
    bool active() const { return m_active; }

  private:
    sqlite3* m_db;
    bool m_active = false;
};

} // namespace runlens::store
