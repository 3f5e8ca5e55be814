// The sinks an import reads through: they note which runs received data and where a series' steps go back,
// or hold an event file's data until its trial is known (split from importer.cpp, which plans the import).
#pragma once

#include "core/io/reader.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace runlens::import_sinks {

// The highest step each series (run, tag) reached so far in this import, across all its sources.
using StepTracker = std::unordered_map<std::string, std::int64_t>;

// The first place one source made a series' steps go back.
struct RestartSeen {
    std::string run;
    std::string tag;
    std::int64_t point = 0; // 1-based position of the point among that series' points from this source
    std::int64_t step = 0;
    std::int64_t previousMax = 0;
};

// One steps_restart warning per series (a few named, the rest counted), unless the reader already reported
// restarts of this file with their line numbers.
void reportRestarts(ReadReport& report, const std::string& file, const std::vector<RestartSeen>& restarts);

// Forwards to the real transaction and notes which runs received anything and where steps go back.
class RecordingSink : public SourceTransaction {
  public:
    RecordingSink(SourceTransaction& inner, const std::atomic<bool>* cancel, StepTracker* tracker = nullptr)
        : m_inner(inner), m_cancel(cancel), m_tracker(tracker) {}

    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        note(run);
        if (m_tracker) trackSteps(run, tag, steps);
        m_inner.appendPoints(run, tag, steps, wallTimes, values);
    }
    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        note(run);
        m_inner.setParam(run, key, value);
    }
    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        note(run);
        m_inner.setTag(run, key, value);
    }
    void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) override {
        m_inner.setProvenance(run, field, value);
    }
    void setSummaryMetric(std::string_view run, std::string_view key, double value) override {
        note(run);
        m_inner.setSummaryMetric(run, key, value);
    }
    void addPredictions(std::string_view run, PredictionTable table) override {
        note(run);
        m_inner.addPredictions(run, std::move(table));
    }
    bool cancelled() const override {
        return (m_cancel && m_cancel->load(std::memory_order_relaxed)) || m_inner.cancelled();
    }
    void commit(const SourceState& state) override { m_inner.commit(state); }
    bool delivered() const { return m_delivered; }
    const std::set<std::string>& seen() const { return m_seen; }
    const std::vector<RestartSeen>& restarts() const { return m_restarts; }

  private:
    void trackSteps(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps);
    void note(std::string_view run) {
        m_delivered = true;
        if (m_last != run) {
            m_last.assign(run);
            m_seen.insert(m_last);
        }
    }
    SourceTransaction& m_inner;
    const std::atomic<bool>* m_cancel;
    StepTracker* m_tracker;
    std::unordered_map<std::string, std::int64_t> m_pointsInSource;
    std::set<std::string> m_restartNoted;
    std::vector<RestartSeen> m_restarts;
    bool m_delivered = false;
    std::string m_last;
    std::set<std::string> m_seen; // moved into the summary only when the source commits
};

// Wraps a target so a directory reader's transactions are recorded the same way.
class RecordingTarget : public ImportTarget {
  public:
    RecordingTarget(ImportTarget& inner, std::set<std::string>& runs, const std::atomic<bool>* cancel,
                    StepTracker& tracker, ReadReport& report)
        : tracker(tracker), report(report), m_inner(inner), m_runs(runs), m_cancel(cancel) {}

    std::optional<SourceState> sourceState(const std::string& path) override {
        auto state = m_inner.sourceState(path);
        if (state) m_known.insert(path);
        return state;
    }
    std::unique_ptr<SourceTransaction> beginSource(const std::string& path, std::string_view format,
                                                   bool replace) override;
    // Sources imported before that the reader looked up and then left alone: unchanged since then.
    std::int64_t unchanged() const;
    std::int64_t commits = 0;
    StepTracker& tracker;
    ReadReport& report; // where the transactions' steps_restart warnings go

  private:
    ImportTarget& m_inner;
    std::set<std::string>& m_runs;
    const std::atomic<bool>* m_cancel;
    std::set<std::string> m_known;
    std::set<std::string> m_begun;
};

// Holds what one event file delivers until its trial is known (core/import/importer.h), then replays it with
// the folder's run renamed to the trial's run.
class DeferredSink : public ImportSink {
  public:
    explicit DeferredSink(const std::atomic<bool>* cancel) : m_cancel(cancel) {}

    void appendPoints(std::string_view run, std::string_view tag, std::span<const std::int64_t> steps,
                      std::span<const double> wallTimes, std::span<const double> values) override {
        SeriesData& s = seriesFor(run, tag);
        s.steps.insert(s.steps.end(), steps.begin(), steps.end());
        s.wallTimes.insert(s.wallTimes.end(), wallTimes.begin(), wallTimes.end());
        s.values.insert(s.values.end(), values.begin(), values.end());
    }
    void setParam(std::string_view run, std::string_view key, std::string_view value) override {
        m_params.push_back({std::string(run), std::string(key), std::string(value)});
    }
    void setTag(std::string_view run, std::string_view key, std::string_view value) override {
        m_tags.push_back({std::string(run), std::string(key), std::string(value)});
    }
    void setProvenance(std::string_view run, ProvenanceField field, std::string_view value) override {
        m_provenance.push_back({std::string(run), field, std::string(value)});
    }
    void setSummaryMetric(std::string_view run, std::string_view key, double value) override {
        m_summaries.push_back({std::string(run), std::string(key), value});
    }
    void addPredictions(std::string_view run, PredictionTable table) override {
        m_predictions.emplace_back(std::string(run), std::move(table));
    }
    bool cancelled() const override { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    // The params this file set on run (the hparams of an event file).
    std::map<std::string, std::string> paramsOf(std::string_view run) const;

    // Sends everything held to into, with run `from` (and the runs under it) renamed to `to`.
    void replay(ImportSink& into, const std::string& from, const std::string& to);

  private:
    struct KeyValue {
        std::string run, key, value;
    };
    struct ProvenanceValue {
        std::string run;
        ProvenanceField field;
        std::string value;
    };
    struct SummaryValue {
        std::string run, key;
        double value;
    };
    SeriesData& seriesFor(std::string_view run, std::string_view tag);

    const std::atomic<bool>* m_cancel;
    std::vector<std::pair<std::pair<std::string, std::string>, SeriesData>> m_series; // first-seen order
    std::map<std::pair<std::string, std::string>, std::size_t> m_seriesIndex;
    std::vector<KeyValue> m_params, m_tags;
    std::vector<ProvenanceValue> m_provenance;
    std::vector<SummaryValue> m_summaries;
    std::vector<std::pair<std::string, PredictionTable>> m_predictions;
};

} // namespace runlens::import_sinks
