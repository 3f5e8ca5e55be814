// Generates the deterministic demo sweep shown on first start, as CSV and YAML files any user could write.
#include "core/demo/demo_experiment.h"

#include "core/demo/demo_evaluation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

namespace runlens {
namespace {

// splitmix64: tiny, portable and fully specified, unlike the std distributions whose output varies by
// library.
class DemoRandom {
  public:
    explicit DemoRandom(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Box-Muller; the clamp keeps log() away from zero.
    double normal() {
        const double u1 = std::max(uniform(), 1e-12);
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

  private:
    std::uint64_t m_state;
};

struct RunSpec {
    double lr = 0.001;
    int batchSize = 32;
    int seed = 0;
    bool diverges = false;
    bool overfits = false;
};

std::string formatNumber(double value, int digits = 6) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    return buffer;
}

std::string runDirName(const RunSpec& spec) {
    return "lr" + formatNumber(spec.lr) + "-bs" + std::to_string(spec.batchSize) + "-seed" +
           std::to_string(spec.seed);
}

std::ofstream openForWrite(const std::filesystem::path& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    return out;
}

// How fast a run learns: larger learning rates learn faster (until they diverge), larger batches slower.
double learningSpeed(const RunSpec& spec) {
    return std::sqrt(spec.lr / 0.001) * (spec.batchSize == 32 ? 1.0 : 0.75);
}

void writeMetrics(const std::filesystem::path& file, const RunSpec& spec, DemoRandom& random) {
    const int logEvery = 10;
    const int steps = (spec.batchSize == 32 ? 3000 : 2000) + 200 * spec.seed - (spec.diverges ? 1600 : 0);
    const double speed = learningSpeed(spec);
    const double floorLoss = 0.18 + 0.05 * (spec.batchSize == 128) + 0.02 * spec.seed;
    const double startTime = 1700000000.0 + 3600.0 * spec.seed + 600.0 * spec.batchSize / 32.0;
    const double secondsPerStep = spec.batchSize == 32 ? 0.11 : 0.32;

    std::ofstream out = openForWrite(file);
    out << "step,wall_time,train/loss,val/loss,val/accuracy\n";
    double wall = startTime;
    for (int step = 0; step <= steps; step += logEvery) {
        const double t = static_cast<double>(step) / 1000.0;
        double train = floorLoss + 2.1 * std::exp(-1.6 * speed * t);
        double val = floorLoss + 0.06 + 2.0 * std::exp(-1.4 * speed * t);
        if (spec.overfits && t > 1.2) {
            train -= 0.05 * (t - 1.2);           // memorises the training set...
            val += 0.09 * (t - 1.2) * (t - 1.2); // ...while validation loss climbs back up
        }
        if (spec.diverges && t > 0.8) train = val = train * std::exp(8.0 * (t - 0.8) * (t - 0.8));
        train *= 1.0 + 0.07 * random.normal();
        val *= 1.0 + 0.015 * random.normal();
        const double accuracy = std::clamp(0.97 - 0.38 * (val - 0.2) + 0.006 * random.normal(), 0.08, 0.995);
        wall += logEvery * secondsPerStep * (1.0 + 0.05 * random.uniform());
        out << step << ',' << formatNumber(wall, 13) << ',' << formatNumber(std::max(train, 1e-4)) << ','
            << formatNumber(std::max(val, 1e-4)) << ',' << formatNumber(accuracy, 4) << '\n';
    }
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

void writeHparams(const std::filesystem::path& file, const RunSpec& spec) {
    std::ofstream out = openForWrite(file);
    out << "lr: " << formatNumber(spec.lr) << "\n"
        << "batch_size: " << spec.batchSize << "\n"
        << "seed: " << spec.seed << "\n"
        << "optimizer: adamw\n"
        << "model: resnet18\n";
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

} // namespace

// What scikit-learn's learning_curve gives for a model that still gains from data: 5 training sizes x 5
// cross-validation folds, training scores falling slowly towards validation scores that keep rising.
std::filesystem::path writeLearningCurveLog(const std::filesystem::path& dir) {
    const std::filesystem::path runDir = dir / "sklearn_learning_curve";
    std::filesystem::create_directories(runDir);
    std::ofstream out = openForWrite(runDir / "learning_curve.csv");
    out << "train_size,fold,train_score,test_score\n";
    DemoRandom random(0x1ea7c0deULL);
    for (const int size : {400, 800, 1600, 3200, 6400}) {
        const double m = static_cast<double>(size);
        for (int fold = 0; fold < 5; ++fold) {
            const double train = 0.92 + 1.5 * std::pow(m, -0.5) + 0.004 * random.normal();
            const double test = 0.93 - 2.2 * std::pow(m, -0.35) + 0.012 * random.normal();
            out << size << ',' << fold << ',' << formatNumber(std::min(1.0, train), 4) << ','
                << formatNumber(std::min(1.0, test), 4) << '\n';
        }
    }
    return runDir;
}

std::vector<std::filesystem::path> writeDemoExperiment(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    std::vector<std::filesystem::path> written;
    const double rates[] = {0.001, 0.003, 0.01};
    const int batches[] = {32, 128};
    std::uint64_t seedMix = 1;
    for (double lr : rates) {
        for (int batchSize : batches) {
            for (int seed = 0; seed < 2; ++seed) {
                RunSpec spec{lr, batchSize, seed};
                spec.diverges = lr == 0.01 && batchSize == 32 && seed == 1;
                spec.overfits = lr == 0.003 && batchSize == 32 && seed == 0;
                const std::filesystem::path runDir = dir / runDirName(spec);
                std::filesystem::create_directories(runDir);
                DemoRandom random(0x5eed0000ULL + 7919ULL * seedMix++);
                writeMetrics(runDir / "metrics.csv", spec, random);
                writeHparams(runDir / "hparams.yaml", spec);
                written.push_back(runDir);
            }
        }
    }
    // Evaluation sets of three model versions and a training-size sweep, for the evaluation and
    // learning-curve tabs.
    for (auto& run : writeDemoEvaluation(dir))
        written.push_back(std::move(run));
    written.push_back(writeLearningCurveLog(dir));
    return written;
}

} // namespace runlens
