// libFuzzer target: arbitrary bytes as a TensorBoard event file, read from memory through the real parser.
#include "core/io/tfevents_reader.h"

#include <cstdio>
#include <memory>

namespace {

// Accepts everything and touches the values, so the sanitizer checks every delivered span.
class DiscardSink : public runlens::ImportSink {
  public:
    void appendPoints(std::string_view, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        for (std::size_t i = 0; i < values.size(); ++i)
            m_sum += values[i] + wallTimes[i] + double(steps[i]);
        m_sum += double(tag.size());
    }
    void setParam(std::string_view, std::string_view key, std::string_view value) override {
        m_sum += double(key.size() + value.size());
    }
    void setTag(std::string_view, std::string_view, std::string_view) override {}
    void setProvenance(std::string_view, runlens::ProvenanceField, std::string_view) override {}
    void addPredictions(std::string_view, runlens::PredictionTable) override {}

  private:
    double m_sum = 0;
};

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0; // fmemopen rejects an empty buffer
    std::unique_ptr<std::FILE, FileCloser> file(fmemopen(const_cast<std::uint8_t*>(data), size, "rb"));
    if (!file) return 0;
    DiscardSink sink;
    runlens::ReadContext ctx;
    runlens::TfEventsReader::readStream(file.get(), 0, static_cast<std::int64_t>(size), "fuzz", "run", sink,
                                        ctx);
    return 0;
}
