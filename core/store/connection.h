// Opening a workspace file: what may be opened (regular files, the schema, read-only folders with a WAL),
// waiting for a file another process is creating, and the connection's pragmas.
#pragma once

#include <filesystem>

struct sqlite3;

namespace runlens::store {

struct BusyWait;

// Identifies the file and prepares it for use; `allowCreate` turns an empty database into a new workspace.
// Returns an open connection the caller owns; throws WorkspaceError with a one-line reason.
sqlite3* openConnection(const std::filesystem::path& path, bool readOnly, bool allowCreate, BusyWait* busy);

} // namespace runlens::store
