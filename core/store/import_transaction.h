// One source file's import into the workspace: a write transaction with per-series chunk buffers, params,
// tags, provenance, summaries and prediction tables, committed together with the file's offset.
#pragma once

#include "core/model/import_sink.h"

#include <memory>
#include <string>
#include <string_view>

struct sqlite3;

namespace runlens::store {

// `replace` drops what an earlier import of the same path wrote (the file was rewritten). Throws
// WorkspaceError when the source cannot be registered.
std::unique_ptr<SourceTransaction> beginImportTransaction(sqlite3* db, const std::string& path,
                                                          std::string_view format, bool replace);

} // namespace runlens::store
