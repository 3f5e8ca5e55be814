// Times calibration and every binary metric on a prediction log; only the computation, after loading.
#include "bench/bench_timing.h"
#include "core/analysis/binary_metrics.h"
#include "core/analysis/calibration.h"
#include "core/analysis/evaluation_set.h"
#include "core/io/prediction_reader.h"

#include <cstdio>
#include <cstdlib>
#include <optional>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_eval PREDICTIONS.csv [REPEATS]\n");
        return 2;
    }
    const int reps = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    std::optional<runlens::PredictionTable> table;
    runlens::EvaluationResult eval;
    const auto load = runlens::bench::timeOf([&] {
        runlens::ReadReport report;
        table = runlens::PredictionLogReader().readTable(argv[1], report);
        if (table) eval = runlens::extractEvaluationSet(*table);
    });
    if (!table || !eval.ok() || eval.set.multiclass) {
        std::fprintf(stderr, "bench_eval: %s is not a readable binary prediction log\n", argv[1]);
        return 1;
    }
    const auto& labels = eval.set.labels;
    const auto& scores = eval.set.scores;
    runlens::BinaryMetrics metrics;
    runlens::CalibrationReport calibration;
    // What `runlens calibration` computes: one ranking shared by AUC, AP and the bins, then the rest.
    const auto compute = runlens::bench::medianTimeOf(
        [&] {
            const auto ranked = runlens::rankScores(labels, scores);
            metrics = runlens::binaryMetrics(ranked, labels, scores);
            calibration = runlens::calibrationReport(ranked, labels, scores);
        },
        reps);
    std::printf("eval_load_ms\t%.1f\tcpu\t%.1f\trows\t%zu\n", load.wallMs, load.cpuMs, labels.size());
    std::printf(
        "eval_compute_ms\t%.1f\tcpu\t%.1f\tauc\t%.6f\tap\t%.6f\tlog_loss\t%.6f\tbrier\t%.6f\tece\t%.6f\n",
        compute.wallMs, compute.cpuMs, metrics.rocAuc, metrics.averagePrecision, metrics.logLoss,
        metrics.brier, calibration.ece);
    return 0;
}
