// Times opening a workspace to a filled run table (Workspace::open + runs()) for DESIGN §7's <= 1 s budget.
#include "bench/bench_timing.h"
#include "core/store/workspace.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_workspace_open WORKSPACE [REPEATS]\n");
        return 2;
    }
    const int reps = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    try {
        std::vector<runlens::bench::Timing> timings;
        std::size_t runs = 0, series = 0;
        for (int r = 0; r < reps; ++r) {
            timings.push_back(runlens::bench::timeOf([&] {
                auto workspace = runlens::Workspace::open(argv[1], runlens::Workspace::Mode::ReadOnly);
                const auto table = workspace->runs();
                runs = table.size();
                series = 0;
                for (const auto& run : table)
                    series += run.series.size();
            }));
        }
        const auto t = runlens::bench::median(timings);
        std::printf("workspace_open_ms\t%.1f\tcpu\t%.1f\tfirst_ms\t%.1f\truns\t%zu\tseries\t%zu\n", t.wallMs,
                    t.cpuMs, timings.front().wallMs, runs, series);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_workspace_open: %s\n", e.what());
        return 1;
    }
    return 0;
}
