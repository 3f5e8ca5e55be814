// Times CSV parsing alone (no workspace): a metrics table through CsvReader, or a prediction log's table.
#include "bench/bench_timing.h"
#include "core/io/csv_reader.h"
#include "core/io/prediction_reader.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// Counts what a reader delivers and keeps nothing, so only the parse is timed.
class CountingSink : public runlens::ImportSink {
  public:
    void appendPoints(std::string_view, std::string_view, std::span<const std::int64_t>,
                      std::span<const double>, std::span<const double> values) override {
        points += values.size();
        for (double v : values)
            checksum += v; // keeps the values observable
    }
    void setParam(std::string_view, std::string_view, std::string_view) override {}
    void setTag(std::string_view, std::string_view, std::string_view) override {}
    void setProvenance(std::string_view, runlens::ProvenanceField, std::string_view) override {}
    void addPredictions(std::string_view, runlens::PredictionTable) override {}
    std::size_t points = 0;
    double checksum = 0;
};

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_csv metrics|predictions FILE [THREADS] [REPEATS] [CHUNK_KIB]\n");
        return 2;
    }
    const std::string what = argv[1];
    const std::string file = argv[2];
    runlens::CsvParallelOptions parallel;
    if (argc > 3) parallel.threads = static_cast<unsigned>(std::max(1, std::atoi(argv[3])));
    const int reps = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
    if (argc > 5) parallel.chunkBytes = static_cast<std::size_t>(std::max(4, std::atoi(argv[5]))) << 10;
    if (what == "metrics") {
        std::size_t points = 0;
        const auto t = runlens::bench::medianTimeOf(
            [&] {
                CountingSink sink;
                runlens::ReadContext ctx;
                ctx.runName = "bench";
                runlens::CsvReader(parallel).read(file, ctx, sink);
                points = sink.points;
            },
            reps);
        std::printf("csv_parse_ms\t%.1f\tcpu\t%.1f\tpoints\t%zu\tthreads\t%u\n", t.wallMs, t.cpuMs, points,
                    parallel.threads);
        return points > 0 ? 0 : 1;
    }
    if (what == "predictions") {
        std::size_t rows = 0;
        const auto t = runlens::bench::medianTimeOf(
            [&] {
                runlens::ReadReport report;
                runlens::PredictionLogReader reader;
                reader.setParallel(parallel);
                const auto table = reader.readTable(file, report);
                rows = table ? table->rows() : 0;
            },
            reps);
        std::printf("prediction_parse_ms\t%.1f\tcpu\t%.1f\trows\t%zu\tthreads\t%u\n", t.wallMs, t.cpuMs, rows,
                    parallel.threads);
        return rows > 0 ? 0 : 1;
    }
    std::fprintf(stderr, "bench_csv: unknown mode %s\n", what.c_str());
    return 2;
}
