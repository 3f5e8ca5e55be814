// What W&B's two run layouts (the binary .wandb log and the JSON files) share: value_json leaves and a run's
// accumulated summary, config and system metrics until they are delivered.
#pragma once

#include "core/model/import_sink.h"
#include "core/model/read_report.h"
#include "core/model/series.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace runlens {

// Prefix that marks the system metrics of a W&B run ("system/gpu.0.memory"), the form isSystemMetric knows.
inline constexpr std::string_view kWandbSystemPrefix = "system/";

// One leaf of a logged value: "train/loss" -> 0.5, or "img.width" under an image object.
struct WandbLeaf {
    std::string key;
    std::optional<double> number; // set for numbers (NaN and Infinity included)
    std::string text;             // strings, true/false/null, compact arrays
};

// Turns (key, value_json) pairs into leaves. A value is a JSON number (the usual case, read without a JSON
// parser), Python's NaN / Infinity / -Infinity, or any JSON value: objects are flattened with '.' below the
// key. Keeps one simdjson parser for the objects so a long log does not allocate one per item.
class WandbValueParser {
  public:
    WandbValueParser();
    ~WandbValueParser();
    WandbValueParser(const WandbValueParser&) = delete;
    WandbValueParser& operator=(const WandbValueParser&) = delete;

    // Appends the leaves of key = valueJson to out; false when valueJson is not JSON.
    bool addLeaves(std::string key, std::string_view valueJson, std::vector<WandbLeaf>& out);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The number a value_json holds when it is a bare JSON number or Python's NaN / Infinity / -Infinity.
std::optional<double> wandbScalar(std::string_view valueJson);

// W&B logs media, tables and graphs as objects with a "_type" leaf ({"_type": "image-file", "width": 64}):
// their numeric leaves (size, width, height) are not metrics. Drops every leaf below such an object and
// returns how many objects were dropped.
std::size_t dropMediaLeaves(std::vector<WandbLeaf>& leaves);

// Joins W&B's nested_key components with '.' (the W&B user interface's own notation).
std::string joinWandbKey(const std::vector<std::string_view>& parts);

// A run's summary, config and system metrics gathered while its sources are read, delivered once at the end:
// summary items and config items are updates of one state (later values win, removals delete), and system
// metrics need the run's start time for their step.
class WandbRunState {
  public:
    // Leaves below an object with a "_type" leaf (media, tables, graph_*) are kept out of the summary, also
    // when the "_type" leaf arrives as an item of its own.
    void updateSummary(const std::vector<WandbLeaf>& leaves);
    void removeSummary(const std::string& key); // the key and everything nested below it
    void updateConfig(const std::vector<WandbLeaf>& leaves);
    void removeConfig(const std::string& key);
    void addSystemSample(std::string_view key, double wallTime, double value);
    // The first moment known of the run (run record start, else history _timestamp - _runtime, else the first
    // system sample): system metrics' steps are whole seconds since it.
    void offerStartTime(double seconds, bool authoritative);

    std::size_t summaryCount() const { return m_summary.size(); }
    std::size_t configCount() const { return m_config.size(); }
    std::size_t systemSamples() const { return m_system.size(); }
    double startTime() const { return m_start; }

    // Sends summary metrics (keys starting with '_' are W&B bookkeeping and left out), params (through the
    // provenance scan, so a "seed" is recognised) and system-metric series to the sink.
    void deliver(std::string_view run, ImportSink& sink, ReadReport& report);

  private:
    struct SystemSample {
        std::string tag;
        double wallTime;
        double value;
    };
    std::map<std::string, double> m_summary;
    // "img." for a summary leaf "img._type": wandb-core sends each leaf of a media object as its own item.
    std::vector<std::string> m_summaryMedia;
    std::map<std::string, std::string> m_config;
    std::vector<SystemSample> m_system;
    double m_start = kNaN;
    bool m_startAuthoritative = false;
};

// Batches history points per tag and flushes them to the sink in blocks.
class WandbSeriesBatcher {
  public:
    static constexpr std::size_t kBatch = 4096;
    WandbSeriesBatcher(std::string_view run, ImportSink& sink, ReadReport& report)
        : m_run(run), m_sink(sink), m_report(report) {}
    void add(const std::string& tag, std::int64_t step, double wallTime, double value);
    void flushAll();
    std::size_t tagCount() const { return m_tags.size(); }

  private:
    std::string m_run;
    ImportSink& m_sink;
    ReadReport& m_report;
    std::unordered_map<std::string, SeriesData> m_tags;
};

} // namespace runlens
