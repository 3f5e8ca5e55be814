// Deterministic demo evaluation sets (three model versions, a Simpson case) and a training-size sweep.
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

// splitmix64 + Box-Muller: the same numbers on every platform and standard library.
class DemoRandom {
  public:
    explicit DemoRandom(std::uint64_t seed) : m_state(seed) {}
    double uniform() {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        return (static_cast<double>(z >> 11) + 0.5) / 9007199254740992.0;
    }
    double normal() {
        const double u1 = uniform(), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

  private:
    std::uint64_t m_state;
};

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

struct Customer {
    int id = 0;
    bool returning = false;
    const char* device = "mobile";
    double tenure = 0;
    double risk = 0; // true log-odds of churning
    int label = 0;
};

// Returning customers are easier: their churn is far more predictable (larger |risk|).
std::vector<Customer> sampleCustomers(int n, double returningShare, std::uint64_t seed, int firstId) {
    DemoRandom rng(seed);
    std::vector<Customer> out;
    out.reserve(static_cast<std::size_t>(n));
    static const char* devices[] = {"mobile", "desktop", "tablet"};
    for (int i = 0; i < n; ++i) {
        Customer c;
        c.id = firstId + i;
        c.returning = rng.uniform() < returningShare;
        const double d = rng.uniform();
        c.device = devices[d < 0.55 ? 0 : (d < 0.9 ? 1 : 2)];
        c.tenure = c.returning ? std::round(6 + 40 * rng.uniform()) : std::round(1 + 5 * rng.uniform());
        const double spread = c.returning ? 3.2 : 1.1;
        c.risk = spread * rng.normal() + (std::string(c.device) == "tablet" ? 0.6 : 0.0) - 0.3;
        c.label = rng.uniform() < sigmoid(c.risk) ? 1 : 0;
        out.push_back(c);
    }
    return out;
}

// A model sees the true risk through noise (quality) and may be over-confident (sharpness > 1).
double modelScore(const Customer& c, double noise, double sharpness, double bias, DemoRandom& rng) {
    const double seen = c.risk + noise * rng.normal() + bias;
    return std::clamp(sigmoid(sharpness * seen), 1e-6, 1.0 - 1e-6);
}

void writeText(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    out << text;
}

void writePredictions(const std::filesystem::path& runDir, const std::vector<Customer>& customers,
                      double noise, double sharpness, double bias, std::uint64_t seed) {
    DemoRandom rng(seed);
    std::string text = "id,label,score,segment,device,tenure_months\n";
    char line[160];
    for (const auto& c : customers) {
        const double s = modelScore(c, noise, sharpness, bias, rng);
        std::snprintf(line, sizeof line, "c%05d,%d,%.6f,%s,%s,%.0f\n", c.id, c.label, s,
                      c.returning ? "returning" : "new", c.device, c.tenure);
        text += line;
    }
    writeText(runDir / "predictions_val.csv", text);
}

// A short training curve ending near `final`, so the run has curves as well as an evaluation set.
void writeTrainingCurve(const std::filesystem::path& runDir, double final, int epochs, std::uint64_t seed,
                        double start) {
    DemoRandom rng(seed);
    std::string text = "step,wall_time,train/loss,val/loss\n";
    char line[160];
    for (int e = 0; e <= epochs; ++e) {
        const double progress = 1.0 - std::exp(-4.0 * e / epochs);
        const double val = start + (final - start) * progress + 0.01 * rng.normal();
        const double train = val * (0.92 - 0.05 * progress) + 0.008 * rng.normal();
        std::snprintf(line, sizeof line, "%d,%.3f,%.5f,%.5f\n", e * 100, 1.7e9 + 37.0 * e, train, val);
        text += line;
    }
    writeText(runDir / "metrics.csv", text);
}

} // namespace

std::vector<std::filesystem::path> writeDemoEvaluation(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> runs;
    const auto evaluation = dir / "evaluation";
    // v1 and v2 share the standard validation sample (half returning); v3 was scored on an easier sample.
    const auto standard = sampleCustomers(4000, 0.5, 11, 0);
    const auto easier = sampleCustomers(4000, 0.8, 12, 5000);
    // Training-size sweep: final val loss = a * n^b + c per family, plus seed noise. churn_v2 and churn_v3
    // are the gbm and mlp configurations at the largest size, so the ship report can project them.
    struct Family {
        const char* name;
        const char* params; // every param but the model, the size and the seed
        double a, b, c;
        double at(double n) const { return a * std::pow(n, b) + c; }
    };
    // gbm leads over the sizes tried; the curves cross near 200,000 examples, four times the largest size
    // run.
    const Family families[] = {
        {"gbm", "n_estimators: 400\nmax_depth: 6\ndata_version: val-2026-10\n", 2.2, -0.30, 0.30},
        {"mlp", "hidden_units: 256\ndropout: 0.1\ndata_version: val-2026-11-resampled\n", 31.3, -0.40, 0.12}};
    constexpr double kLargestSize = 50000;
    struct Version {
        const char* name;
        const std::vector<Customer>* customers;
        double noise, sharpness, bias;
        const char* model;
        const char* params;
        double finalLoss;
    };
    const Version versions[] = {
        {"churn_v1", &standard, 2.2, 0.8, 0.0, "logistic_regression", "C: 1.0\ndata_version: val-2026-10\n",
         0.35 + 0.08 * 2.2},
        {"churn_v2", &standard, 0.9, 1.0, 0.0, families[0].name, families[0].params,
         families[0].at(kLargestSize)},
        {"churn_v3", &easier, 1.3, 2.6, 0.0, families[1].name, families[1].params,
         families[1].at(kLargestSize)},
    };
    std::uint64_t seed = 100;
    for (const auto& v : versions) {
        const auto runDir = evaluation / v.name;
        std::filesystem::create_directories(runDir);
        writePredictions(runDir, *v.customers, v.noise, v.sharpness, v.bias, seed++);
        writeText(runDir / "hparams.yaml",
                  std::string("model: ") + v.model + "\n" + v.params + "train_size: 50000\nseed: 7\n");
        writeTrainingCurve(runDir, v.finalLoss, 30, seed++, 0.7);
        runs.push_back(runDir);
    }

    const double sizes[] = {2000, 5000, 10000, 20000, kLargestSize};
    for (const auto& f : families) {
        for (double n : sizes) {
            for (int s = 0; s < 2; ++s) {
                char name[64];
                std::snprintf(name, sizeof name, "%s_n%06.0f_seed%d", f.name, n, s);
                const auto runDir = dir / "size_sweep" / name;
                std::filesystem::create_directories(runDir);
                DemoRandom rng(seed++);
                const double final = f.at(n) + 0.004 * rng.normal();
                char params[256];
                std::snprintf(params, sizeof params, "model: %s\n%strain_size: %.0f\nseed: %d\n", f.name,
                              f.params, n, s);
                writeText(runDir / "hparams.yaml", params);
                writeTrainingCurve(runDir, final, 20, seed++, final + 0.6);
                runs.push_back(runDir);
            }
        }
    }
    return runs;
}

} // namespace runlens
