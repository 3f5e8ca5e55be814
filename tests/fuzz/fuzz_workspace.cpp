// libFuzzer target for the workspace opener: bytes -> temp file -> Workspace::open, runs(), every series and
// table.
#include "core/store/workspace.h"
#include "tests/fuzz/fuzz_common.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>

namespace {

namespace fs = std::filesystem;

// Writes a small valid workspace (two runs, chunked series, a prediction table) to seed the corpus.
void writeSeedWorkspace(const fs::path& path) {
    auto ws = runlens::Workspace::create(path);
    auto tx = ws->beginSource("/seed/metrics.csv", "csv", false);
    std::vector<std::int64_t> steps;
    std::vector<double> walls;
    std::vector<double> values;
    for (int i = 0; i < 300; ++i) {
        steps.push_back(i * 10);
        walls.push_back(1.7e9 + i);
        values.push_back(std::exp(-0.01 * i));
    }
    tx->appendPoints("seed/a", "train/loss", steps, walls, values);
    tx->appendPoints("seed/b", "eval/acc", std::span(steps).first(20), std::span(walls).first(20),
                     std::span(values).first(20));
    tx->setParam("seed/a", "lr", "0.001");
    tx->setTag("seed/a", "note", "fuzz seed");
    runlens::PredictionTable table;
    table.name = "val";
    table.sourcePath = "/seed/pred.csv";
    runlens::PredictionColumn label{"label", runlens::ColumnRole::Label, false, {}, {0, 1, 0}, {"cat", "dog"},
                                    {}};
    runlens::PredictionColumn score{"score", runlens::ColumnRole::Score, true, {0.2, 0.9, 0.4}, {}, {}, {}};
    table.columns = {label, score};
    tx->addPredictions("seed/a", table);
    tx->commit(runlens::SourceState{"csv", 100, 0, 100});
}

} // namespace

// RUNLENS_FUZZ_WRITE_SEED=<file> makes the binary write a seed workspace and exit (used by run_fuzzers.sh).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* seed = std::getenv("RUNLENS_FUZZ_WRITE_SEED")) {
        writeSeedWorkspace(seed);
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static runlens::fuzz::ScratchDir scratch("workspace");
    const fs::path file = scratch.path() / "fuzz.runlens";
    std::error_code ec;
    fs::remove(file.string() + "-journal", ec);
    fs::remove(file.string() + "-wal", ec);
    fs::remove(file.string() + "-shm", ec);
    runlens::fuzz::writeBytes(file, data, size);
    try {
        auto ws = runlens::Workspace::open(file, runlens::Workspace::Mode::ReadOnly);
        double sum = 0;
        for (const auto& run : ws->runs()) {
            for (const auto& series : run.series) {
                const runlens::SeriesData points = ws->readSeries(run.id, series.tag);
                for (double v : points.values)
                    sum += v;
            }
            for (const auto& info : ws->predictionTables(run.id)) {
                const runlens::PredictionTable table = ws->readPredictions(info.id);
                sum += double(table.rows());
            }
        }
        (void)ws->sources();
        (void)ws->tags();
        (void)sum;
    } catch (const runlens::WorkspaceError&) {
        // A clear refusal is the expected outcome for damaged files.
    }
    return 0;
}
