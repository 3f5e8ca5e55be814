// Generic CSV/TSV reader (long form, wide form, TensorBoard and Keras downloads) and the point batcher
// text readers share.
#pragma once

#include "core/io/reader.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace runlens {

// Collects points per (run, tag) and hands them to a sink in batches of kBatch.
class SeriesBatcher {
  public:
    static constexpr std::size_t kBatch = 4096;

    struct Buffer {
        std::string run;
        std::string tag;
        std::vector<std::int64_t> steps;
        std::vector<double> wallTimes;
        std::vector<double> values;
    };

    explicit SeriesBatcher(ImportSink& sink) : m_sink(sink) {}
    ~SeriesBatcher() = default;
    SeriesBatcher(const SeriesBatcher&) = delete;
    SeriesBatcher& operator=(const SeriesBatcher&) = delete;

    // A stable buffer for run/tag (created on first use); push() into it, flush() when full.
    Buffer& buffer(std::string_view run, std::string_view tag);
    void push(Buffer& b, std::int64_t step, double wallTime, double value) {
        b.steps.push_back(step);
        b.wallTimes.push_back(wallTime);
        b.values.push_back(value);
        if (b.values.size() >= kBatch) flush(b);
    }
    void flush(Buffer& b);
    void flushAll();
    std::int64_t points() const { return m_points; }
    std::size_t seriesCount() const { return m_buffers.size(); }

  private:
    ImportSink& m_sink;
    std::unordered_map<std::string, std::size_t> m_index; // "run\x1Ftag" -> position in m_buffers
    std::vector<std::unique_ptr<Buffer>> m_buffers;
    std::string m_key;
    std::int64_t m_points = 0;
};

// Column names text readers recognise, shared by the CSV and JSONL readers.
namespace columns {
bool isRun(std::string_view name);
bool isTag(std::string_view name);
int stepRank(std::string_view name); // -1 when not a step name; lower is preferred
bool isValue(std::string_view name);
bool isWallTime(std::string_view name);
// A label-like AND a score-like column: a per-example prediction log, not a metrics log.
bool looksLikePredictions(const std::vector<std::string>& names);
} // namespace columns

// "run_foo-tag-train_loss.csv" -> "train_loss" (TensorBoard's download naming), else the stem.
std::string tagFromFileStem(const std::filesystem::path& path);

// Text with invalid UTF-8 bytes shown as \xNN, so names stay printable.
std::string escapeInvalidUtf8(std::string_view text);

class CsvReader : public Reader {
  public:
    std::string_view name() const override { return "csv"; }
    std::string_view description() const override { return "CSV/TSV metrics table (long or wide form)"; }
    int confidence(const FileProbe& probe) const override;
    bool appendable() const override { return true; }
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;
};

} // namespace runlens
