// Measures how fast a big folder import stops after its cancel flag is set, and that the workspace is intact.
//
//   bench_limits_cancel <folder> <workspace> [cancel-after-seconds = 2]
//
// The CLI has no cancel, so this drives importPaths the way the GUI's import worker does: on a thread,
// with ImportOptions::cancel. Prints one line per figure and exits 1 when the workspace is damaged.
#include "core/import/importer.h"
#include "core/store/workspace.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sqlite3.h>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// SQLite's own check of every page and index; "ok" when the file is consistent.
std::string integrityCheck(const fs::path& path) {
    sqlite3* db = nullptr;
    std::string result = "cannot open";
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return result;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: bench_limits_cancel <folder> <workspace> [cancel-after-seconds]\n");
        return 2;
    }
    const fs::path folder = argv[1];
    const fs::path wsPath = argv[2];
    const double cancelAfter = argc == 4 ? std::atof(argv[3]) : 2.0;

    auto workspace = runlens::Workspace::create(wsPath);
    const auto registry = runlens::ReaderRegistry::withBuiltins();
    std::atomic<bool> cancel{false};
    std::atomic<std::int64_t> filesDone{0}, filesTotal{0};
    runlens::ImportOptions options;
    options.cancel = &cancel;
    options.progress = [&](const runlens::ImportProgress& p) {
        filesDone.store(p.filesDone);
        filesTotal.store(p.filesTotal);
    };

    runlens::ImportSummary summary;
    std::atomic<bool> finished{false};
    Clock::time_point returnedAt{};
    const auto start = Clock::now();
    std::thread worker([&] {
        const std::vector<fs::path> paths{folder};
        summary = runlens::importPaths(paths, registry, *workspace, options);
        returnedAt = Clock::now();
        finished.store(true);
    });
    while (!finished.load() && msSince(start) < cancelAfter * 1000)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const bool finishedFirst = finished.load();
    const auto cancelledAt = Clock::now();
    cancel.store(true);
    worker.join();
    const double latencyMs = std::chrono::duration<double, std::milli>(returnedAt - cancelledAt).count();
    workspace.reset();

    std::printf("files reached when cancelled: %lld of %lld\n", static_cast<long long>(filesDone.load()),
                static_cast<long long>(filesTotal.load()));
    if (finishedFirst)
        std::printf("import finished before the cancel (%.0f ms): no latency measured\n", msSince(start));
    else
        std::printf("cancel latency: %.1f ms (importPaths returned, summary.cancelled=%d)\n", latencyMs,
                    summary.cancelled ? 1 : 0);
    std::printf("runs committed before the cancel: %zu\n", summary.runs.size());

    const std::string check = integrityCheck(wsPath);
    std::printf("integrity_check: %s\n", check.c_str());
    try {
        auto reopened = runlens::Workspace::open(wsPath, runlens::Workspace::Mode::ReadOnly);
        std::printf("reopened: %zu runs\n", reopened->runs().size());
    } catch (const std::exception& e) {
        std::printf("reopen failed: %s\n", e.what());
        return 1;
    }
    return check == "ok" ? 0 : 1;
}
