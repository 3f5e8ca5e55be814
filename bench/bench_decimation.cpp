// Times smoothing and min/max decimation of a 10M-point series for a 1,600 px view (DESIGN §7).
#include "bench/bench_timing.h"
#include "core/analysis/decimation.h"
#include "core/analysis/smoothing.h"

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

int main() {
    const std::size_t n = 10'000'000;
    std::vector<double> x(n), y(n);
    std::mt19937_64 rng(1);
    std::normal_distribution<double> noise(0.0, 0.1);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = static_cast<double>(i);
        y[i] = 1.0 / std::sqrt(1.0 + 1e-5 * static_cast<double>(i)) + noise(rng);
    }
    using runlens::bench::medianTimeOf;
    std::size_t kept = 0;
    const auto decimate =
        medianTimeOf([&] { kept = runlens::decimateMinMax(x, y, 0, double(n - 1), 1600).size(); }, 9);
    const auto zoom = medianTimeOf([&] { runlens::decimateMinMax(x, y, 4e6, 4.5e6, 1600); }, 9);
    const auto ema = medianTimeOf([&] { runlens::smoothEma(y, 0.9); }, 5);
    std::printf("decimate_10M_1600px_ms\t%.2f\tcpu\t%.2f\tpoints_kept\t%zu\n", decimate.wallMs,
                decimate.cpuMs, kept);
    std::printf("decimate_10M_zoomed_ms\t%.2f\tcpu\t%.2f\n", zoom.wallMs, zoom.cpuMs);
    std::printf("ema_10M_ms\t%.2f\tcpu\t%.2f\n", ema.wallMs, ema.cpuMs);
    return 0;
}
