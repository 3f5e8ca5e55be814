// The SQLite connection behind a Workspace, for the store's own helpers and for tests that check the file
// itself (integrity, journal mode); readers, views and commands use Workspace's interface only.
#pragma once

#include "core/store/workspace.h"

struct sqlite3;

namespace runlens {

struct StoreAccess {
    static sqlite3* connection(const Workspace& workspace) { return workspace.m_db; }
};

} // namespace runlens
