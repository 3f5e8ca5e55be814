// Timing helpers shared by the benchmark programs: wall clock and process CPU time, one run or the median.
#pragma once

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

namespace runlens::bench {

// Wall time is what a user waits; CPU time (all threads of the process) shows the work itself when other
// programs compete for the cores, so a loaded machine can be told apart from a slow program.
struct Timing {
    double wallMs = 0;
    double cpuMs = 0;
};

inline double processCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

template <typename Fn> Timing timeOf(Fn&& fn) {
    const double cpu0 = processCpuMs();
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    const double wall =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return {wall, processCpuMs() - cpu0};
}

// The median resists the spikes a shared, loaded machine adds to single runs.
inline double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

inline Timing median(const std::vector<Timing>& timings) {
    std::vector<double> wall, cpu;
    for (const auto& t : timings) {
        wall.push_back(t.wallMs);
        cpu.push_back(t.cpuMs);
    }
    return {median(wall), median(cpu)};
}

template <typename Fn> Timing medianTimeOf(Fn&& fn, int reps) {
    std::vector<Timing> timings;
    for (int r = 0; r < reps; ++r)
        timings.push_back(timeOf(fn));
    return median(timings);
}

} // namespace runlens::bench
