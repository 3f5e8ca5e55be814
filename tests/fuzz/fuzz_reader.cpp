// libFuzzer target for one file reader (chosen at build time): bytes -> temp file -> the registry's reader.
#include "core/io/reader.h"
#include "tests/fuzz/fuzz_common.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#ifndef RUNLENS_FUZZ_READER
#error "define RUNLENS_FUZZ_READER (reader name) and RUNLENS_FUZZ_FILE (file name the bytes are saved as)"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const runlens::ReaderRegistry registry = runlens::ReaderRegistry::withBuiltins();
    static const runlens::Reader* reader = registry.byName(RUNLENS_FUZZ_READER);
    if (!reader) {
        std::fprintf(stderr, "no reader named %s\n", RUNLENS_FUZZ_READER);
        std::abort();
    }
    static runlens::fuzz::ScratchDir scratch(RUNLENS_FUZZ_READER);
    const std::filesystem::path file = scratch.path() / RUNLENS_FUZZ_FILE;
    runlens::fuzz::writeBytes(file, data, size);

    // The probe is computed as the importer would, so confidence() sees hostile bytes too.
    const runlens::FileProbe probe = runlens::FileProbe::fromFile(file);
    (void)reader->confidence(probe);

    runlens::fuzz::DiscardSink sink;
    runlens::ReadContext ctx;
    ctx.runName = "fuzz";
    ctx.root = scratch.path();
    const runlens::ReadReport report = reader->read(file, ctx, sink);
    for (const auto& issue : report.issues)
        (void)issue.toString();
    return 0;
}
