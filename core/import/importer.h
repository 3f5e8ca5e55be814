// Imports files and folders: walks trees, names runs by directory, picks readers, resumes grown files.
#pragma once

#include "core/io/reader.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <span>
#include <string>

namespace runlens {

struct ImportProgress {
    std::int64_t filesDone = 0;
    std::int64_t filesTotal = 0;
    std::int64_t bytesDone = 0;
    std::int64_t bytesTotal = 0;
    std::string currentFile;
};

struct ImportOptions {
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(const ImportProgress&)> progress; // called from the importing thread
    std::string forceFormat;                             // reader name to use for every file; empty = detect
    std::string runName;                                 // overrides the run name of single-file imports
    // TensorBoard's rule for restarted runs: where a series' steps go back, earlier points at those steps
    // are dropped. Applied after the import by importIntoWorkspace (core/import/folder_watch.h); importPaths
    // alone imports everything.
    bool restartSemantics = false;
    // Reads files again even when unchanged since their last import (e.g. a log attached with new roles).
    bool rereadUnchanged = false;
};

struct ImportSummary {
    ReadReport report;               // all issues of all files, in order
    std::int64_t filesRead = 0;      // files that delivered data
    std::int64_t filesUnchanged = 0; // already imported and not grown
    std::int64_t filesNotLogs = 0;   // no reader understood them
    std::set<std::string> runs;      // runs that received data
    bool cancelled = false;
};

// Imports each path (file or directory). A directory is walked: each directory holding logs is a run
// named by its path relative to the imported root ("lightning_logs/version_0"); files directly in the
// root belong to a run named after the root. A single file given directly is a run named after its stem.
// Besides:
//  - where a series' steps go back (within a file or across the files of one import) a steps_restart
//    warning names the file and the point, unless the reader already named the line;
//  - a folder with two or more event files may hold trials: the files are read in name order and one whose
//    hparams differ from the current trial's starts run "<folder>/trial_<k>" (k = 2, 3, ...);
//  - a worker folder's files (rank_0/, worker_1/, see core/io/worker_runs.h) go to the base run;
//  - config.json is read last and only gives params to a folder run that has a log of its own.
ImportSummary importPaths(std::span<const std::filesystem::path> paths, const ReaderRegistry& registry,
                          ImportTarget& target, const ImportOptions& options = {});

} // namespace runlens
