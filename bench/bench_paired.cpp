// Times the paired comparison of two prediction logs: id alignment, McNemar, DeLong and a paired bootstrap.
#include "bench/bench_timing.h"
#include "core/analysis/evaluation_set.h"
#include "core/analysis/paired_comparison.h"
#include "core/analysis/slices.h"
#include "core/io/prediction_reader.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

namespace {

struct Loaded {
    std::optional<runlens::PredictionTable> table;
    runlens::EvaluationSet eval;
};

std::optional<Loaded> load(const char* path) {
    runlens::ReadReport report;
    Loaded loaded;
    loaded.table = runlens::PredictionLogReader().readTable(path, report);
    if (!loaded.table) return std::nullopt;
    auto eval = runlens::extractEvaluationSet(*loaded.table);
    if (!eval.ok() || eval.set.multiclass) return std::nullopt;
    loaded.eval = std::move(eval.set);
    return loaded;
}

std::vector<std::string> idsOf(const runlens::PredictionTable& table) {
    std::vector<std::string> ids;
    const auto* column = table.find(runlens::ColumnRole::Id);
    if (!column) return ids;
    ids.reserve(column->size());
    for (std::size_t r = 0; r < column->size(); ++r)
        ids.push_back(column->numeric ? std::to_string(static_cast<long long>(column->numbers[r]))
                                      : column->dictionary[static_cast<std::size_t>(column->codes[r])]);
    return ids;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_paired A.csv B.csv [RESAMPLES]\n");
        return 2;
    }
    const int resamples = argc > 3 ? std::max(1, std::atoi(argv[3])) : 200;
    const auto a = load(argv[1]);
    const auto b = load(argv[2]);
    if (!a || !b) {
        std::fprintf(stderr, "bench_paired: both files must be readable binary prediction logs\n");
        return 1;
    }
    const auto idsA = idsOf(*a->table), idsB = idsOf(*b->table);
    runlens::Alignment alignment;
    const auto alignTime = runlens::bench::timeOf([&] { alignment = runlens::alignById(idsA, idsB); });
    const std::size_t n = alignment.rowsA.size();

    runlens::McNemarResult mcnemar;
    runlens::DeLongResult delong;
    runlens::BootstrapDelta bootstrap;
    runlens::CohortInput ca, cb;
    ca.table = &*a->table, ca.labels = a->eval.labels, ca.scores = a->eval.scores;
    cb.table = &*b->table, cb.labels = b->eval.labels, cb.scores = b->eval.scores;
    std::vector<std::uint8_t> correctA(n), correctB(n);
    const auto mcnemarTime = runlens::bench::timeOf([&] {
        for (std::size_t i = 0; i < n; ++i) {
            const auto ra = alignment.rowsA[i], rb = alignment.rowsB[i];
            correctA[i] = static_cast<std::uint8_t>((ca.scores[ra] >= 0.5 ? 1 : 0) == ca.labels[ra]);
            correctB[i] = static_cast<std::uint8_t>((cb.scores[rb] >= 0.5 ? 1 : 0) == cb.labels[rb]);
        }
        mcnemar = runlens::mcnemar(correctA, correctB);
    });
    const auto delongTime = runlens::bench::timeOf([&] {
        std::vector<int> labels(n);
        std::vector<double> sa(n), sb(n);
        for (std::size_t i = 0; i < n; ++i) {
            labels[i] = ca.labels[alignment.rowsA[i]];
            sa[i] = ca.scores[alignment.rowsA[i]];
            sb[i] = cb.scores[alignment.rowsB[i]];
        }
        delong = runlens::delong(labels, sa, sb);
    });
    // The metric callback `runlens diff` uses: accuracy of each model on the same resampled examples.
    const runlens::PairedMetric accuracy = [&](std::span<const std::size_t> idx, int model) {
        std::vector<std::size_t> rows;
        rows.reserve(idx.size());
        const auto& map = model == 0 ? alignment.rowsA : alignment.rowsB;
        for (auto i : idx)
            rows.push_back(map[i]);
        return runlens::sliceMetricValue(runlens::SliceMetric::Accuracy, model == 0 ? ca : cb, rows);
    };
    // What `runlens diff` does for a metric that is a mean over examples: bootstrap the per-pair differences.
    const auto bootstrapTime = runlens::bench::timeOf([&] {
        std::vector<double> differences(n);
        for (std::size_t i = 0; i < n; ++i)
            differences[i] = static_cast<double>(correctB[i]) - static_cast<double>(correctA[i]);
        bootstrap = runlens::pairedBootstrapMean(differences, resamples, 20261126, "accuracy");
    });
    // The generic path (any metric through a callback), for comparison.
    runlens::BootstrapDelta generic;
    const auto genericTime = runlens::bench::timeOf(
        [&] { generic = runlens::pairedBootstrap(accuracy, n, 20, 20261126, "accuracy"); });
    std::fprintf(stderr, "# generic callback bootstrap, 20 resamples: %.1f ms\n", genericTime.wallMs);

    // The same bootstrap over the per-pair correctness already computed for McNemar: shows how much of the
    // time above is the generic callback (row mapping and random access into the full tables).
    const runlens::PairedMetric compact = [&](std::span<const std::size_t> idx, int model) {
        const auto& correct = model == 0 ? correctA : correctB;
        std::size_t hits = 0;
        for (auto i : idx)
            hits += correct[i];
        return static_cast<double>(hits) / static_cast<double>(idx.size());
    };
    runlens::BootstrapDelta compactBootstrap;
    const auto compactTime = runlens::bench::timeOf(
        [&] { compactBootstrap = runlens::pairedBootstrap(compact, n, resamples, 20261126, "accuracy"); });

    const runlens::bench::Timing tests{mcnemarTime.wallMs + delongTime.wallMs + bootstrapTime.wallMs,
                                       mcnemarTime.cpuMs + delongTime.cpuMs + bootstrapTime.cpuMs};
    std::printf("paired_align_ms\t%.1f\tcpu\t%.1f\tpairs\t%zu\n", alignTime.wallMs, alignTime.cpuMs, n);
    std::printf("paired_mcnemar_ms\t%.1f\tcpu\t%.1f\texact_p\t%.3g\n", mcnemarTime.wallMs, mcnemarTime.cpuMs,
                mcnemar.exactP);
    std::printf("paired_delong_ms\t%.1f\tcpu\t%.1f\tz\t%.4f\n", delongTime.wallMs, delongTime.cpuMs,
                delong.z);
    std::printf("paired_bootstrap_ms\t%.1f\tcpu\t%.1f\tresamples\t%d\tdelta\t%.5f\n", bootstrapTime.wallMs,
                bootstrapTime.cpuMs, resamples, bootstrap.delta);
    std::printf("paired_bootstrap_compact_ms\t%.1f\tcpu\t%.1f\tdelta\t%.5f\n", compactTime.wallMs,
                compactTime.cpuMs, compactBootstrap.delta);
    std::printf("paired_tests_ms\t%.1f\tcpu\t%.1f\n", tests.wallMs, tests.cpuMs);
    return 0;
}
