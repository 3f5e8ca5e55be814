// Generic CSV/TSV reader (long form, wide form, TensorBoard and Keras downloads) and the point batcher
// text readers share.
#pragma once

#include "core/io/csv_parallel.h"
#include "core/io/reader.h"

#include <cstdint>
#include <limits>
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
        std::int64_t maxStep = std::numeric_limits<std::int64_t>::min();
        bool restartNoted = false;
    };

    // Where a series' steps first went back: the reader reports it as a steps_restart warning.
    struct Restart {
        std::string run;
        std::string tag;
        std::int64_t line = 0;
        std::int64_t step = 0;
        std::int64_t previousMax = 0;
    };

    explicit SeriesBatcher(ImportSink& sink) : m_sink(sink) {}
    ~SeriesBatcher() = default;
    SeriesBatcher(const SeriesBatcher&) = delete;
    SeriesBatcher& operator=(const SeriesBatcher&) = delete;

    // A stable buffer for run/tag (created on first use); push() into it, flush() when full.
    Buffer& buffer(std::string_view run, std::string_view tag);
    // line: where the point was read (1-based), for the steps_restart warning; 0 when unknown.
    void push(Buffer& b, std::int64_t step, double wallTime, double value, std::int64_t line = 0) {
        if (step < b.maxStep && !b.restartNoted) {
            m_restarts.push_back(Restart{b.run, b.tag, line, step, b.maxStep});
            b.restartNoted = true;
        }
        if (step > b.maxStep) b.maxStep = step;
        b.steps.push_back(step);
        b.wallTimes.push_back(wallTime);
        b.values.push_back(value);
        if (b.values.size() >= kBatch) flush(b);
    }
    void flush(Buffer& b);
    void flushAll();
    std::int64_t points() const { return m_points; }
    std::size_t seriesCount() const { return m_buffers.size(); }
    // One steps_restart warning per series whose steps went back (at most a few named, the rest counted).
    void reportRestarts(ReadReport& report, const std::string& file) const;

  private:
    ImportSink& m_sink;
    std::unordered_map<std::string, std::size_t> m_index; // "run\x1Ftag" -> position in m_buffers
    std::vector<std::unique_ptr<Buffer>> m_buffers;
    std::string m_key;
    std::int64_t m_points = 0;
    std::vector<Restart> m_restarts;
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
    CsvReader() = default;
    // Tests choose small chunks so a small file takes the parallel path.
    explicit CsvReader(CsvParallelOptions parallel) : m_parallel(parallel) {}
    std::string_view name() const override { return "csv"; }
    std::string_view description() const override { return "CSV/TSV metrics table (long or wide form)"; }
    int confidence(const FileProbe& probe) const override;
    bool appendable() const override { return true; }
    ReadReport read(const std::filesystem::path& path, const ReadContext& ctx,
                    ImportSink& sink) const override;

  private:
    CsvParallelOptions m_parallel;
};

} // namespace runlens
