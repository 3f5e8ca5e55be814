// The workspace schema: DDL, version bookkeeping (PRAGMA user_version), migrations and a pre-use check.
#pragma once

#include <string>

struct sqlite3;

namespace runlens::store {

// PRAGMA application_id of a workspace ("RLNS"), so a foreign SQLite file is recognised as such.
inline constexpr int kApplicationId = 0x524C4E53;

int userVersion(sqlite3* db);
int applicationId(sqlite3* db);
// True when the database holds no table at all (a brand-new file).
bool isEmptyDatabase(sqlite3* db);

// Creates every table of the current schema in an empty database and stamps its version; false (nothing
// done) when the database is no longer empty once the write lock is held.
bool createSchema(sqlite3* db);

// Brings a workspace of an older schema to the current one, one step (N -> N+1) per transaction.
// Throws WorkspaceError for a version newer than this build reads; `label` names the file in messages.
void migrate(sqlite3* db, const std::string& label);

// Throws WorkspaceError when the file holds a view or a trigger (checked before anything else reads tables).
void checkNoSchemaCode(sqlite3* db, const std::string& label);

// Throws WorkspaceError unless the schema is exactly the one this build creates: the same tables (not views),
// indexes and column definitions, and no triggers (sqlite_schema compared object by object).
void checkSchema(sqlite3* db, const std::string& label);

} // namespace runlens::store
