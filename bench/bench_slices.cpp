// Times per-slice accuracy (2 features, Wilson) and SliceLine-style slice finding over 10 features.
#include "bench/bench_timing.h"
#include "core/analysis/evaluation_set.h"
#include "core/analysis/slice_finder.h"
#include "core/analysis/slices.h"
#include "core/io/prediction_reader.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_slices PREDICTIONS.csv FEATURE1 FEATURE2 [REPEATS]\n");
        return 2;
    }
    const int reps = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
    runlens::ReadReport report;
    const auto table = runlens::PredictionLogReader().readTable(argv[1], report);
    const auto eval = table ? runlens::extractEvaluationSet(*table) : runlens::EvaluationResult{};
    if (!table || !eval.ok() || eval.set.multiclass) {
        std::fprintf(stderr, "bench_slices: %s is not a readable binary prediction log\n", argv[1]);
        return 1;
    }
    runlens::CohortInput cohort;
    cohort.name = "model";
    cohort.table = &*table;
    cohort.labels = eval.set.labels;
    cohort.scores = eval.set.scores;
    const std::vector<runlens::CohortInput> cohorts{cohort};

    runlens::SliceOptions sliceOptions;
    sliceOptions.by = {argv[2], argv[3]};
    sliceOptions.metric = runlens::SliceMetric::Accuracy;
    std::size_t sliceCount = 0;
    std::string error;
    const auto slicesTime = runlens::bench::medianTimeOf(
        [&] {
            const auto slices = runlens::compareSlices(cohorts, sliceOptions, &error);
            sliceCount = slices ? slices->slices.size() : 0;
        },
        reps);
    if (sliceCount == 0) {
        std::fprintf(stderr, "bench_slices: %s\n", error.c_str());
        return 1;
    }

    // An error is a thresholded score that disagrees with the label, as the CLI and the slices view count it.
    std::vector<std::uint8_t> errors(cohort.labels.size());
    for (std::size_t r = 0; r < errors.size(); ++r)
        errors[r] = static_cast<std::uint8_t>((cohort.scores[r] >= 0.5 ? 1 : 0) != cohort.labels[r]);
    runlens::SliceFinderResult found;
    const auto findTime = runlens::bench::timeOf(
        [&] { found = runlens::findSlices(*table, errors, {}, runlens::SliceFinderOptions{}); });

    std::size_t features = 0;
    for (const auto& column : table->columns)
        features += column.role == runlens::ColumnRole::Feature;
    std::printf("slices_2_features_ms\t%.1f\tcpu\t%.1f\tslices\t%zu\trows\t%zu\n", slicesTime.wallMs,
                slicesTime.cpuMs, sliceCount, errors.size());
    std::printf("slice_finding_ms\t%.1f\tcpu\t%.1f\tfeatures\t%zu\tevaluated\t%lld\ttop_score\t%.4f\n",
                findTime.wallMs, findTime.cpuMs, features, static_cast<long long>(found.slicesEvaluated),
                found.slices.empty() ? 0.0 : found.slices.front().score);
    return 0;
}
