// Times regression metrics with 1,000-resample bootstrap intervals on 1M rows, beside numpy/scikit-learn.
#include "bench/bench_timing.h"
#include "core/analysis/regression_metrics.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

// Labels: lognormal around 10 with a few near 0 (so MAPE's flag and the extreme rows are exercised);
// predictions: labels plus Student-t(4) noise and a small bias.
void makeData(std::size_t n, std::vector<double>& y, std::vector<double>& p) {
    std::mt19937_64 gen(2026);
    std::lognormal_distribution<double> label(2.3, 0.5);
    std::student_t_distribution<double> noise(4.0);
    y.resize(n);
    p.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        y[i] = i % 100000 == 0 ? 1e-3 : label(gen);
        p[i] = y[i] + 1.5 * noise(gen) + 0.1;
    }
}

bool writeDoubles(const std::string& path, const std::vector<double>& v) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    const bool ok = std::fwrite(v.data(), sizeof(double), v.size(), f) == v.size();
    return std::fclose(f) == 0 && ok;
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    const int resamples = argc > 2 ? std::atoi(argv[2]) : 1000;
    const char* python = argc > 3 ? argv[3] : nullptr; // path of bench/py_regression_ref.py, optional
    std::vector<double> y, p;
    makeData(n, y, p);
    runlens::BootstrapOptions options;
    options.resamples = resamples;
    std::vector<double> walls, cpus;
    runlens::RegressionBootstrap result;
    for (int run = 0; run < 5; ++run) {
        const auto t =
            runlens::bench::timeOf([&] { result = runlens::bootstrapRegressionMetrics(y, p, {}, options); });
        walls.push_back(t.wallMs);
        cpus.push_back(t.cpuMs);
    }
    std::printf("regression metrics + %d-resample bootstrap, %zu rows (median of 5 runs)\n", resamples, n);
    std::printf("  runlens: %.1f ms wall, %.1f ms CPU  [%s]\n", runlens::bench::median(walls),
                runlens::bench::median(cpus), result.method.c_str());
    std::printf("  MAE %.5f [%.5f, %.5f]  RMSE %.5f [%.5f, %.5f]  R2 %.5f [%.5f, %.5f]\n", result.mae.value,
                result.mae.low, result.mae.high, result.rmse.value, result.rmse.low, result.rmse.high,
                result.r2.value, result.r2.low, result.r2.high);
    std::printf("  median AE %.5f [%.5f, %.5f]  max error %.4f [%.4f, %.4f]\n", result.medianAe.value,
                result.medianAe.low, result.medianAe.high, result.maxError.value, result.maxError.low,
                result.maxError.high);
    if (!python) return 0;
    const std::string yPath = "/tmp/runlens_bench_regression_y.bin",
                      pPath = "/tmp/runlens_bench_regression_p.bin";
    if (!writeDoubles(yPath, y) || !writeDoubles(pPath, p)) {
        std::fprintf(stderr, "bench_regression: cannot write the data for the Python reference\n");
        return 1;
    }
    std::fflush(stdout);
    const std::string command = "/usr/bin/python3 '" + std::string(python) + "' " + yPath + " " + pPath +
                                " " + std::to_string(resamples);
    const int status = std::system(command.c_str());
    std::remove(yPath.c_str());
    std::remove(pPath.c_str());
    return status == 0 ? 0 : 1;
}
