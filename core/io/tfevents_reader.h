// Reader for TensorBoard event files (events.out.tfevents.*): TFRecord framing, Event and Summary protobufs.
#pragma once

#include "core/io/reader.h"

#include <cstdio>

namespace runlens {

// Reads scalars (simple_value and rank-0 numeric tensors) and hparams-plugin params; skips images,
// histograms, text and other plugins, counting them in one Info. Appendable: a truncated last record is
// where a later read resumes. Distributed-worker run names are folded as worker_runs.h describes.
class TfEventsReader : public Reader {
  public:
    static constexpr std::size_t kBatch = 4096;                   // points per appendPoints call
    static constexpr std::uint64_t kMaxRecordBytes = 64ull << 20; // larger records are skipped unread

    std::string_view name() const override { return "tfevents"; }
    std::string_view description() const override { return "TensorBoard event file"; }
    int confidence(const FileProbe& probe) const override;
    bool appendable() const override { return true; }
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;

    // The parser behind read(): records from the current position of file, which holds fileSize bytes in
    // all and is positioned at startOffset. label names the file in issues. Used directly by the fuzzer.
    static ReadReport readStream(std::FILE* file, std::int64_t startOffset, std::int64_t fileSize,
                                 const std::string& label, std::string_view run, ImportSink& sink,
                                 const ReadContext& ctx);
};

} // namespace runlens
