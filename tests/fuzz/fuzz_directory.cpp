// libFuzzer target for the directory readers: a fixed valid tree where one file (picked by byte 0) is fuzzed.
#include "core/import/memory_target.h"
#include "core/io/reader.h"
#include "tests/fuzz/fuzz_common.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

namespace fs = std::filesystem;

struct LayoutFile {
    std::string_view relative;
    std::string_view validText;
};

// A minimal tree each reader accepts; the fuzzed file replaces one of these.
#if defined(RUNLENS_FUZZ_DVCLIVE)
constexpr std::string_view kReader = "dvclive";
constexpr std::array<LayoutFile, 4> kLayout{{
    {"dvclive/plots/metrics/loss.tsv", "step\tloss\n0\t1.5\n1\t1.25\n2\t0.75\n"},
    {"dvclive/plots/metrics/eval/acc.tsv", "timestamp\tstep\tacc\n1700000000000\t0\t0.5\n"},
    {"dvclive/metrics.json", "{\"step\": 2, \"loss\": 0.75, \"eval\": {\"acc\": 0.5}}\n"},
    {"dvclive/params.yaml", "lr: 0.001\nmodel:\n  depth: 3\n"},
}};
constexpr std::string_view kDirectory = "dvclive";
#elif defined(RUNLENS_FUZZ_MLFLOW)
constexpr std::string_view kReader = "mlflow";
constexpr std::array<LayoutFile, 5> kLayout{{
    {"mlruns/1/r1/metrics/loss", "1700000000000 1.5 0\n1700000001000 1.25 1\n"},
    {"mlruns/1/r1/params/lr", "0.001"},
    {"mlruns/1/r1/tags/mlflow.runName", "fuzz-run"},
    {"mlruns/1/r1/meta.yaml",
     "run_id: r1\nexperiment_id: '1'\nrun_name: fuzz-run\nstatus: 3\n"
     "start_time: 1700000000000\nend_time: 1700000002000\nlifecycle_stage: active\n"},
    {"mlruns/1/meta.yaml", "experiment_id: '1'\nname: fuzz\nlifecycle_stage: active\n"},
}};
constexpr std::string_view kDirectory = "mlruns";
#else
#error "define RUNLENS_FUZZ_DVCLIVE or RUNLENS_FUZZ_MLFLOW"
#endif

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const runlens::ReaderRegistry registry = runlens::ReaderRegistry::withBuiltins();
    static runlens::fuzz::ScratchDir scratch(kReader);
    if (size == 0) return 0;
    const std::size_t target = data[0] % kLayout.size();

    std::error_code ec;
    fs::remove_all(scratch.path() / kDirectory, ec);
    for (std::size_t i = 0; i < kLayout.size(); ++i) {
        const fs::path file = scratch.path() / kLayout[i].relative;
        if (i == target)
            runlens::fuzz::writeBytes(file, data + 1, size - 1);
        else
            runlens::fuzz::writeText(file, kLayout[i].validText);
    }

    const runlens::DirectoryReader* reader = nullptr;
    for (const auto& r : registry.directoryReaders())
        if (r->name() == kReader) reader = r.get();
    if (!reader) {
        std::fprintf(stderr, "no directory reader named %.*s\n", int(kReader.size()), kReader.data());
        std::abort();
    }
    const fs::path dir = scratch.path() / kDirectory;
    (void)reader->confidence(dir);
    runlens::MemoryTarget memory;
    runlens::ReadContext ctx;
    ctx.runName = "fuzz";
    ctx.root = scratch.path();
    const runlens::ReadReport report = reader->read(dir, ctx, memory);
    for (const auto& issue : report.issues)
        (void)issue.toString();
    (void)memory.totalPoints();
    return 0;
}
