// libFuzzer target: arbitrary bytes as a CSV/TSV metrics file, written to a temporary file and read back.
#include "core/io/csv_reader.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

class DiscardSink : public runlens::ImportSink {
  public:
    void appendPoints(std::string_view, std::string_view, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        for (std::size_t i = 0; i < values.size(); ++i)
            m_sum += values[i] + wallTimes[i] + double(steps[i]);
    }
    void setParam(std::string_view, std::string_view, std::string_view) override {}
    void setTag(std::string_view, std::string_view, std::string_view) override {}
    void setProvenance(std::string_view, runlens::ProvenanceField, std::string_view) override {}
    void addPredictions(std::string_view, runlens::PredictionTable) override {}

  private:
    double m_sum = 0;
};

// One scratch file per fuzzing process, removed at exit.
struct ScratchFile {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("runlens_fuzz_csv_" + std::to_string(::getpid()) + ".csv");
    ~ScratchFile() {
        std::error_code ec;
        std::filesystem::remove(path, ec);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static ScratchFile scratch;
    {
        std::ofstream out(scratch.path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    DiscardSink sink;
    runlens::ReadContext ctx;
    ctx.runName = "fuzz";
    runlens::CsvReader().read(scratch.path, ctx, sink);
    return 0;
}
